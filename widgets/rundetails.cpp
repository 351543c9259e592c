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
    addTab(m_graph, tr("Wait-for graph"));
    m_console->setStore(store);
    addTab(m_console, tr("Console"));
}

RunDetails::~RunDetails() = default;

} // namespace interleave
