// RunStatus: events per second over at least a second of the window's uptime; dropped events red.
#include "runstatus.h"

#include "run.h"
#include "timelineview.h"
#include "tracestore.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

qint64 uptimeMs()
{
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return t.elapsed();
}

} // namespace

RunStatus::RunStatus(QStatusBar* bar, const Run* run, const TimelineView* timeline)
    : QObject(bar)
    , m_run(run)
    , m_timeline(timeline)
    , m_state(new QLabel(bar))
    , m_threads(new QLabel(bar))
    , m_events(new QLabel(bar))
    , m_dropped(new QLabel(bar))
    , m_frame(new QLabel(bar))
{
    bar->addWidget(m_state, 1);
    for (QLabel* label : {m_threads, m_events, m_dropped, m_frame})
        bar->addPermanentWidget(label);
    m_dropped->setToolTip(
        tr("Dropped: events lost because a thread's recording ring was full (the trace has gaps there).\n"
           "Race marks: read/write marks past %1 per thread are counted, not stored; lost updates are always kept.")
            .arg(TraceStore::RaceMarkerCap));
    uptimeMs();
}

RunStatus::~RunStatus() = default;

void RunStatus::refresh(bool showsRun)
{
    const TraceStore& store = *m_run->store();
    const qint64 now = uptimeMs();
    const std::uint64_t events = store.eventsRecorded();
    if (now - m_lastEventsAtMs >= 1000 || events < m_lastEvents) {
        const double perSecond = now > m_lastEventsAtMs && events >= m_lastEvents
            ? double(events - m_lastEvents) * 1000.0 / double(now - m_lastEventsAtMs)
            : 0;
        m_events->setText(tr("%1 events/s").arg(perSecond, 0, 'f', 0));
        m_lastEvents = events;
        m_lastEventsAtMs = now;
    }
    QString dropped = tr("%1 dropped").arg(store.eventsDropped());
    if (store.markersCapped() > 0)
        dropped += tr(", %1 race marks not kept").arg(store.markersCapped());
    m_dropped->setText(dropped);
    m_dropped->setStyleSheet(store.eventsDropped() > 0 ? u"color: #CC0000; font-weight: bold;"_s : QString());
    m_frame->setText(tr("frame %1 ms").arg(m_timeline->lastPaintMs(), 0, 'f', 1));
    m_threads->setText(tr("%1 threads alive").arg(m_run->liveWorkers()));
    m_state->setText(stateText(showsRun));
}

QString RunStatus::stateText(bool showsRun) const
{
    if (m_run->isRunning()) {
        if (m_run->isDeadlocked())
            return tr("Deadlocked — the threads are stuck; Stop ends them");
        return m_run->isPaused() ? tr("Paused") : tr("Running");
    }
    const RunDescription run = m_run->description();
    if (showsRun && !run.ended.isEmpty())
        return tr("Finished: %1 after %2 ms").arg(run.ended).arg(run.wallMs, 0, 'f', 0);
    return tr("Ready");
}

} // namespace interleave
