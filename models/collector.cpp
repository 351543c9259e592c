// Collector: one pass over all rings per tick; one appended() per pass at most.
#include "collector.h"

#include "tracesession.h"
#include "tracestore.h"

#include <QTimer>

#include "clock.h"

namespace interleave {

Collector::Collector(TraceStore* store, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, [this] { drain(); });
}

Collector::~Collector() = default;

void Collector::setSession(std::shared_ptr<TraceSession> session)
{
    m_session = std::move(session);
    m_knownLanes = 0;
    m_knownObjects = 0;
    m_knownTexts = 0;
    m_knownPauseEdges = 0;
    m_drainedForGood.clear();
    m_store->clear();
    if (m_session)
        m_store->setOriginNs(m_session->startNs());
}

bool Collector::allFinished(const TraceSession& s) const
{
    // A finished run's timeline ends at its last event, not at whenever it was last drained.
    for (std::size_t i = 0; i < m_drainedForGood.size(); ++i) {
        if (!m_drainedForGood[i])
            return false;
    }
    return s.laneCount() > 0;
}

void Collector::start(int intervalMs)
{
    m_timer->start(intervalMs);
}

void Collector::stop()
{
    m_timer->stop();
}

std::size_t Collector::drain()
{
    if (!m_session)
        return 0;
    TraceSession& s = *m_session;

    for (const ObjectInfo& o : s.objects(m_knownObjects)) {
        m_store->addObject(o.id, o.name, o.kind, o.capacity);
        ++m_knownObjects;
    }

    const std::size_t lanes = s.laneCount();
    for (; m_knownLanes < lanes; ++m_knownLanes) {
        const LaneInfo* l = s.lane(m_knownLanes);
        m_store->addLane(l->id, l->name, l->kind);
    }
    m_drainedForGood.resize(lanes, false);

    // Pauses first: the store must know a pause began before it sees what was recorded after.
    for (const std::int64_t edge : s.pauseEdges(m_knownPauseEdges)) {
        m_store->addPauseEdge(edge - s.startNs());
        ++m_knownPauseEdges;
    }

    // The live edge: a time every thread has reached. Taken before draining, so it never runs
    // ahead of what the drain below can show.
    const std::int64_t now = monotonicNs() - s.startNs();
    std::size_t moved = 0;
    for (std::size_t i = 0; i < lanes; ++i) {
        if (m_drainedForGood[i])
            continue;
        LaneInfo* l = s.lane(i);
        // Read the flag before draining: if it was set, the producer is done and this drain
        // empties the ring for good.
        const bool finished = l->finished.load(std::memory_order_acquire);
        moved += l->recorder->ring().drain(
            [this](const TraceEvent* first, std::size_t n) { m_store->appendDeferred(first, n); });
        if (finished)
            m_drainedForGood[i] = true;
    }

    // Texts last: every Print drained above refers to a text added before it was recorded.
    std::vector<QString> texts;
    for (const std::size_t count = s.textCount(); m_knownTexts < count; ++m_knownTexts)
        texts.push_back(s.text(std::uint32_t(m_knownTexts)));
    m_store->addTexts(texts);
    m_store->setDropped(s.droppedTotal());
    const TraceSession::Thinned thinned = s.thinnedTotal();
    m_store->setThinnedAtSource(thinned.raceMarks, thinned.holdsFolded);
    if (!allFinished(s))
        m_store->advanceTo(now);
    m_store->finishBatch();
    return moved;
}

} // namespace interleave
