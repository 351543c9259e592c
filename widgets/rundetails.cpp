// RunDetails: each statistics model in a sortable table, lane order until a column is picked.
#include "rundetails.h"

#include "consoleview.h"
#include "lessonview.h"
#include "statsmodels.h"
#include "tracestore.h"
#include "waitgraphview.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // lane order until the user picks a column
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return view;
}

} // namespace

RunDetails::RunDetails(const TraceStore* store, QWidget* parent)
    : QTabWidget(parent)
    , m_lesson(new LessonView(this))
    , m_threadStats(new ThreadStatsModel(store, this))
    , m_lockStats(new LockStatsModel(store, this))
    , m_queueStats(new QueueStatsModel(store, this))
    , m_graph(new WaitGraphView(this))
    , m_console(new ConsoleView(this))
{
    setObjectName(u"sideTabs"_s);
    addTab(m_lesson, tr("Lesson"));
    auto* stats = new QSplitter(Qt::Vertical, this);
    stats->setObjectName(u"statistics"_s);
    stats->addWidget(makeTable(m_threadStats, stats));
    stats->addWidget(makeTable(m_lockStats, stats));
    stats->addWidget(makeTable(m_queueStats, stats));
    addTab(stats, tr("Statistics"));
    m_statistics = stats;
    addTab(m_graph, tr("Wait-for graph"));
    m_console->setStore(store);
    addTab(m_console, tr("Console"));
}

RunDetails::~RunDetails() = default;

void RunDetails::showOnly(int panels)
{
    m_shown = panels & AllPanels;
    m_lesson->showParts(m_shown & Outcome, m_shown & LessonText, m_shown & Code);
    setTabVisible(indexOf(m_lesson), (m_shown & (Outcome | LessonText | Code)) != 0);
    setTabVisible(indexOf(m_statistics), (m_shown & Statistics) != 0);
    setTabVisible(indexOf(m_graph), (m_shown & WaitGraph) != 0);
    setTabVisible(indexOf(m_console), (m_shown & Console) != 0);
    if (!isTabVisible(currentIndex())) {
        for (int i = 0; i < count(); ++i) {
            if (isTabVisible(i)) {
                setCurrentIndex(i);
                break;
            }
        }
    }
}

namespace {
constexpr std::pair<int, const char*> PanelKeys[] = {
    {RunDetails::Outcome, "outcome"},       {RunDetails::Code, "code"},
    {RunDetails::LessonText, "lesson"},     {RunDetails::Statistics, "statistics"},
    {RunDetails::WaitGraph, "waitgraph"},   {RunDetails::Console, "console"},
};
} // namespace

QStringList RunDetails::panelKeys(int panels)
{
    QStringList keys;
    for (const auto& [panel, key] : PanelKeys)
        if (panels & panel)
            keys << QString::fromLatin1(key);
    return keys;
}

int RunDetails::panelsFromKeys(const QStringList& keys)
{
    int panels = 0;
    for (const auto& [panel, key] : PanelKeys)
        if (keys.contains(QLatin1StringView(key)))
            panels |= panel;
    return panels;
}

} // namespace interleave
