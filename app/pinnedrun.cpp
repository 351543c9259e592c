// PinnedRun: a Run holding a copy of a finished recording, and a RunView of it that shares the
// live view's time range.
#include "pinnedrun.h"

#include "chromeimport.h"
#include "comparison.h"
#include "legendbar.h"
#include "lessons.h"
#include "mainwindow.h"
#include "replay.h"
#include "replaybar.h"
#include "run.h"
#include "runview.h"
#include "timelineview.h"
#include "tracestore.h"

#include <QSplitter>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace interleave {

PinnedRun::PinnedRun(MainWindow* window, QSplitter* column, RunView* live)
    : QObject(window)
    , m_window(window)
    , m_column(column)
    , m_live(live)
    , m_run(new Run(this))
{
}

PinnedRun::~PinnedRun() = default;

bool PinnedRun::isPinned() const
{
    return m_view && !m_run->isEmpty();
}

bool PinnedRun::pinCurrent(QString* error)
{
    QString ignored;
    QString* why = error ? error : &ignored;
    const Run* current = m_window->currentRun();
    if (current->isRunning()) {
        *why = tr("The run is still going on: pin it when it has ended");
        return false;
    }
    if (current->isEmpty() || current->store()->endTime() <= 0) {
        *why = tr("Nothing to pin yet: run a lesson (or open a trace Interleave wrote) first");
        return false;
    }
    const RunDescription d = current->description();
    if (!Lessons::find(d.scenario)) {
        *why = tr("Only a run of a lesson can be pinned, not another tool's trace");
        return false;
    }
    ImportedTrace trace;
    // A replay shows a part of the run; the pinned copy is the whole of it.
    const TraceStore& whole = m_window->replay()->isActive() ? *m_window->replay()->recording() : *current->store();
    trace.contents = contentsUpTo(whole, std::numeric_limits<std::int64_t>::max());
    trace.run = d;
    trace.ownFormat = true;
    return pin(std::move(trace), why);
}

bool PinnedRun::pin(ImportedTrace&& trace, QString* error)
{
    if (!trace.ownFormat || !Lessons::find(trace.run.scenario)) {
        if (error)
            *error = tr("Only a trace Interleave wrote of one of its lessons can be pinned");
        return false;
    }
    if (!m_view) {
        m_view = new RunView(m_run->store(), m_column);
        m_view->setObjectName(u"pinnedRunView"_s);
        m_view->legend()->hide();     // the live view's legend keys both
        m_view->replayBar()->hide();
        m_view->followRangeOf(m_live);
        m_view->timeline()->setLaneHeight(18); // a little thinner: the live run below has the room
        m_column->insertWidget(0, m_view);
        m_column->setCollapsible(0, false);
    }
    const QString widest = [&] {
        const auto a = Lessons::find(trace.run.scenario);
        const auto b = Lessons::find(m_window->currentScenario());
        QString w = a ? a->widestLaneName : QString();
        if (b && b->widestLaneName.size() > w.size())
            w = b->widestLaneName;
        return w;
    }();
    const bool gil = Lessons::find(trace.run.scenario)->usesGil;
    m_run->adopt(std::move(trace));
    // Same name column on both, so their time axes start at the same x.
    m_view->timeline()->setWidestLaneName(widest);
    m_live->timeline()->setWidestLaneName(widest);
    m_view->timeline()->setShowGilLane(gil);
    m_view->setBanner(bannerText());
    m_view->show();
    m_column->setSizes({450, 550}); // shared as these weigh (QSplitter scales them)
    m_view->setPinnedLook();
    // Both whole on the shared axis: the longer run sets the range.
    const std::int64_t end = std::max(m_run->store()->endTime(), m_window->currentRun()->store()->endTime());
    m_live->timeline()->setFollowLive(false);
    m_live->timeline()->timeRange()->setRange(0, std::max<std::int64_t>(end, 1'000'000));
    Q_EMIT pinnedChanged(true);
    return true;
}

void PinnedRun::unpin()
{
    if (!m_view)
        return;
    m_run->clear();
    m_view->hide();
    Q_EMIT pinnedChanged(false);
}

RunDescription PinnedRun::description() const
{
    return m_run->description();
}

QString PinnedRun::bannerText() const
{
    if (!isPinned())
        return {};
    const RunDescription d = m_run->description();
    const auto card = Lessons::find(d.scenario);
    return tr("Pinned: %1 (%2), %3 ms\n%4")
        .arg(card ? card->title : d.scenario, settingsText(d))
        .arg(qint64(d.wallMs))
        .arg(outcomeText(d.scenario, d.outcome, d.ended).section(u'\n', 0, 0));
}

QString PinnedRun::comparisonWith(const RunDescription& now) const
{
    if (!isPinned())
        return {};
    return tr("Against the pinned run: %1").arg(compareRuns(m_run->description(), now).sentence);
}

void PinnedRun::setPresentation(bool on)
{
    if (m_view)
        m_view->setPresentation(on);
}

} // namespace interleave
