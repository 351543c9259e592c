// Drains every lane's ring of a TraceSession into a TraceStore, in batches, on the thread it
// lives on (the GUI thread, or the headless main thread).
//
// At flood rates that thread may not get the CPU to keep up (sixteen lesson threads on two cores
// leave it a fraction of one). While it is timed (start()), a rescue thread watches the rings
// every millisecond and sets aside the events of a ring more than half full, so the producer
// never meets a full ring; the timed drains take in what was set aside first, a frame's worth
// of work at a time, and the lanes' pressure (LaneRecorder::underPressure) counts it as waiting.
// What is set aside is bounded (RescueCap); beyond it a ring fills and drops, counted as ever.
#pragma once

#include "traceevent.h"

#include <QObject>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

class QTimer;

namespace interleave {

class TraceSession;
class TraceStore;

class Collector : public QObject
{
    Q_OBJECT
public:
    explicit Collector(TraceStore* store, QObject* parent = nullptr);
    ~Collector() override;

    // Events the rescue thread may hold aside at once, over all lanes (32 bytes each: 128 MiB).
    // A lane far behind folds its lock holds wide (LaneRecorder::underDeepPressure) once a quarter
    // of its ring waits, so sixteen lanes starved of any drain stay well within it.
    static constexpr std::size_t RescueCap = std::size_t(1) << 22;
    // Events are moved in chunks of one size (1 MiB), used again: chunks of every size, made by one
    // thread and freed by another, fragmented glibc's arenas (resident memory grew ~1 MB a second
    // in a 10 M events/s flood with the cap full).
    static constexpr std::size_t ChunkEvents = std::size_t(1) << 15;
    // How long one timed drain may take in what waits, when more waits than that.
    static constexpr std::int64_t TimedDrainBudgetNs = 6'000'000;

    // Clears the store and follows this session from now on (nullptr: follow nothing).
    void setSession(std::shared_ptr<TraceSession> session);
    // Drains every intervalMs (a budgeted drain) with the rescue thread watching the rings.
    void start(int intervalMs = 16);
    void stop();

    // Drains everything recorded so far; returns the number of events moved.
    std::size_t drain();
    // Drains what was recorded so far, or as much of it as budgetNs allows; the live edge then
    // stays where every lane's events are in. Returns the number of events moved.
    std::size_t drainFor(std::int64_t budgetNs);
    // Events recorded and not yet in the store (a snapshot).
    std::size_t behind() const;
    // The most the rescue thread held aside at once since setSession (what it cost in memory:
    // 32 bytes an event, in chunks of ChunkEvents).
    std::size_t setAsidePeak() const { return m_asidePeak.load(std::memory_order_relaxed); }

private:
    struct Aside
    {
        std::mutex mutex; // the ring's consumer side: the rescue thread or the drain, one at a time
        std::deque<std::vector<TraceEvent>> chunks;
    };

    bool allFinished(const TraceSession& s) const;
    void startRescue();
    void stopRescue();
    void rescueLoop(std::shared_ptr<TraceSession> session);
    Aside& aside(std::size_t lane);
    // One lane, at most maxEvents (whole chunks set aside count at once): what was set aside
    // first, then the ring. True when it took everything there was (it stopped short of the limit).
    bool drainLane(std::size_t lane, std::size_t maxEvents, std::size_t* moved);
    // Chunks are used again (a few kept), so that neither thread pays for fresh pages each time.
    std::vector<TraceEvent> spareChunk();
    void returnChunk(std::vector<TraceEvent>&& chunk);

    TraceStore* const m_store;
    QTimer* const m_timer;
    std::shared_ptr<TraceSession> m_session;
    std::size_t m_knownLanes = 0;
    std::size_t m_knownObjects = 0;
    std::size_t m_knownTexts = 0;
    std::size_t m_knownRenames = 0;
    std::size_t m_knownPauseEdges = 0;
    std::vector<bool> m_drainedForGood; // lanes that finished and were drained after that

    mutable std::mutex m_asideMutex; // guards m_aside's growth (the Aside entries stay put)
    std::deque<Aside> m_aside;
    std::atomic<std::size_t> m_asideTotal{0};
    std::atomic<std::size_t> m_asidePeak{0}; // written by the rescue thread only
    std::size_t m_nextLane = 0; // where a budgeted drain that ran out of time goes on
    std::mutex m_spareMutex;
    std::vector<std::vector<TraceEvent>> m_spare;
    std::thread m_rescue;
    std::mutex m_rescueMutex;
    std::condition_variable m_rescueWake;
    bool m_rescueStop = false;
};

} // namespace interleave
