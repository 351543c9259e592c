// Collector: one pass over all rings per tick; one appended() per pass at most.
#include "collector.h"

#include "tracesession.h"
#include "tracestore.h"

#include <QTimer>

#include "clock.h"

#include <pthread.h>

namespace interleave {

Collector::Collector(TraceStore* store, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, [this] { drainFor(TimedDrainBudgetNs); });
}

Collector::~Collector()
{
    stopRescue();
}

void Collector::setSession(std::shared_ptr<TraceSession> session)
{
    const bool timed = m_timer->isActive();
    stopRescue();
    {
        std::lock_guard lock(m_asideMutex);
        m_aside.clear();
        m_asideTotal.store(0);
        m_asidePeak.store(0);
    }
    m_nextLane = 0;
    m_session = std::move(session);
    m_knownLanes = 0;
    m_knownObjects = 0;
    m_knownTexts = 0;
    m_knownPauseEdges = 0;
    m_drainedForGood.clear();
    m_store->clear();
    if (m_session)
        m_store->setOriginNs(m_session->startNs());
    if (timed)
        startRescue();
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
    startRescue();
}

void Collector::stop()
{
    m_timer->stop();
    stopRescue();
}

void Collector::startRescue()
{
    if (m_rescue.joinable() || !m_session)
        return;
    m_rescueStop = false;
    m_rescue = std::thread(&Collector::rescueLoop, this, m_session);
}

void Collector::stopRescue()
{
    if (!m_rescue.joinable())
        return;
    {
        std::lock_guard lock(m_rescueMutex);
        m_rescueStop = true;
    }
    m_rescueWake.notify_all();
    m_rescue.join();
}

Collector::Aside& Collector::aside(std::size_t lane)
{
    std::lock_guard lock(m_asideMutex);
    while (m_aside.size() <= lane)
        m_aside.emplace_back();
    return m_aside[lane];
}

// Every millisecond: a ring more than half full is emptied into a chunk set aside for the drain.
// It runs at the priority of the thread that started it, above the lesson's threads.
void Collector::rescueLoop(std::shared_ptr<TraceSession> session)
{
    pthread_setname_np(pthread_self(), "interleave-rescue");
    std::unique_lock lock(m_rescueMutex);
    while (!m_rescueStop) {
        m_rescueWake.wait_for(lock, std::chrono::milliseconds(1));
        if (m_rescueStop)
            break;
        lock.unlock();
        for (std::size_t i = 0, lanes = session->laneCount(); i < lanes; ++i) {
            EventRing& ring = session->lane(i)->recorder->ring();
            const std::size_t backlog = ring.backlog();
            if (backlog < ring.capacity() / 2 || m_asideTotal.load(std::memory_order_relaxed) + backlog > RescueCap)
                continue;
            Aside& a = aside(i);
            std::unique_lock consumer(a.mutex, std::try_to_lock);
            if (!consumer.owns_lock())
                continue; // the drain is taking this lane in right now
            for (;;) {
                std::vector<TraceEvent> chunk = spareChunk(); // its pages already touched
                const std::size_t n = ring.drainAside(
                    [&chunk](const TraceEvent* first, std::size_t k) { chunk.insert(chunk.end(), first, first + k); },
                    ChunkEvents);
                if (n == 0) {
                    returnChunk(std::move(chunk));
                    break;
                }
                a.chunks.push_back(std::move(chunk));
                // Relaxed: both are figures read for reports and the cap test above, which a
                // moment's staleness cannot break (the drain only ever lowers the total).
                const std::size_t total = m_asideTotal.fetch_add(n, std::memory_order_relaxed) + n;
                if (total > m_asidePeak.load(std::memory_order_relaxed))
                    m_asidePeak.store(total, std::memory_order_relaxed);
                if (n < ChunkEvents)
                    break;
            }
        }
        lock.lock();
    }
}

// The lane's consumer lock is held only to take a chunk set aside or to copy the ring's events out
// (a memcpy), never while the store takes them in: the rescue thread can empty the ring meanwhile.
bool Collector::drainLane(std::size_t lane, std::size_t maxEvents, std::size_t* moved)
{
    EventRing& ring = m_session->lane(lane)->recorder->ring();
    Aside& a = aside(lane);
    std::size_t left = maxEvents;
    while (left > 0) {
        std::vector<TraceEvent> chunk;
        bool fromRing = false;
        std::size_t wanted = 0;
        {
            std::lock_guard consumer(a.mutex);
            if (!a.chunks.empty()) {
                chunk = std::move(a.chunks.front());
                a.chunks.pop_front();
            } else {
                fromRing = true;
                wanted = std::min(left, ChunkEvents);
                chunk = spareChunk(); // its pages already touched
                ring.drainAside(
                    [&chunk](const TraceEvent* first, std::size_t k) { chunk.insert(chunk.end(), first, first + k); },
                    wanted);
            }
        }
        const std::size_t n = chunk.size();
        m_store->appendDeferred(chunk.data(), n);
        ring.settle(n);
        if (!fromRing)
            m_asideTotal.fetch_sub(n, std::memory_order_relaxed);
        *moved += n;
        left -= std::min(left, n);
        returnChunk(std::move(chunk));
        if (fromRing && n < wanted)
            return true; // the ring is empty
    }
    return false;
}

std::vector<TraceEvent> Collector::spareChunk()
{
    {
        std::lock_guard lock(m_spareMutex);
        if (!m_spare.empty()) {
            std::vector<TraceEvent> chunk = std::move(m_spare.back());
            m_spare.pop_back();
            chunk.clear();
            return chunk;
        }
    }
    std::vector<TraceEvent> chunk;
    chunk.reserve(ChunkEvents); // every chunk this size, and never more
    return chunk;
}

void Collector::returnChunk(std::vector<TraceEvent>&& chunk)
{
    std::lock_guard lock(m_spareMutex);
    if (m_spare.size() < 16 && chunk.capacity() == ChunkEvents)
        m_spare.push_back(std::move(chunk));
}

std::size_t Collector::behind() const
{
    std::size_t n = m_asideTotal.load(std::memory_order_relaxed);
    if (m_session) {
        for (std::size_t i = 0, lanes = m_session->laneCount(); i < lanes; ++i)
            n += m_session->lane(i)->recorder->ring().backlog();
    }
    return n;
}

std::size_t Collector::drain()
{
    return drainFor(-1);
}

std::size_t Collector::drainFor(std::int64_t budgetNs)
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
    // Within a budget, lanes are taken in turns of at most PerTurn events, so that lanes behind
    // come forward together, and the budget is looked at after every turn (sixteen lanes' turns
    // at once overran a 6 ms budget tenfold, a tenth of a second without a frame); a drain that
    // ran out of time goes on at the next lane the next time. Without a budget, each lane is
    // emptied in one turn.
    constexpr std::size_t PerTurn = std::size_t(1) << 14;
    const std::int64_t deadline = budgetNs < 0 ? 0 : monotonicNs() + budgetNs;
    std::size_t moved = 0;
    bool behind = false;
    bool outOfTime = false;
    if (m_nextLane >= lanes)
        m_nextLane = 0;
    do {
        behind = false;
        for (std::size_t k = 0; k < lanes && !outOfTime; ++k) {
            const std::size_t i = (m_nextLane + k) % lanes;
            if (m_drainedForGood[i])
                continue;
            // Read the flag before draining: if it was set, the producer is done and a drain that
            // empties the lane empties it for good.
            const bool finished = s.lane(i)->finished.load(std::memory_order_acquire);
            const bool complete = drainLane(i, budgetNs < 0 ? SIZE_MAX : PerTurn, &moved);
            if (finished && complete)
                m_drainedForGood[i] = true;
            behind = behind || !complete;
            if (budgetNs >= 0 && monotonicNs() >= deadline && k + 1 < lanes) {
                outOfTime = true; // the lanes not visited may have events waiting: behind
                behind = true;
                m_nextLane = (i + 1) % lanes;
            }
        }
    } while (behind && !outOfTime && budgetNs >= 0 && monotonicNs() < deadline);

    // Texts last: every Print drained above refers to a text added before it was recorded.
    std::vector<QString> texts;
    for (const std::size_t count = s.textCount(); m_knownTexts < count; ++m_knownTexts)
        texts.push_back(s.text(std::uint32_t(m_knownTexts)));
    m_store->addTexts(texts);
    for (const auto& [lane, name] : s.renamesSince(m_knownRenames)) {
        m_store->renameLane(lane, name);
        ++m_knownRenames;
    }
    m_store->setDropped(s.droppedTotal());
    const TraceSession::Thinned thinned = s.thinnedTotal();
    m_store->setThinnedAtSource(thinned.raceMarks, thinned.holdsFolded);
    if (!allFinished(s) && !behind) // a lane still behind would be drawn past what it recorded
        m_store->advanceTo(now);
    m_store->finishBatch();
    return moved;
}

} // namespace interleave
