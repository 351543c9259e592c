// Everything one run records: its lanes (one ring each), its traced objects and printed text.
#pragma once

#include "clock.h"
#include "eventring.h"
#include "traceevent.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace interleave {

// The recording side of one lane. Only the thread that owns the lane calls record();
// it is a timestamp and a store into the lane's own ring, nothing more, except after a gap.
//
// Running and Ready come from the kernel's own accounting (DESIGN.md section 3). The thread
// notes the time at every event and, while it computes, at every observe() (every few µs). Any
// stretch between two such times longer than KernelCheckGapNs is a moment the thread may have
// been off its core: there it asks the kernel (its CPU clock and /proc schedstat's run-queue
// wait) how much of the stretch it spent on a CPU, waiting for one, or blocked, and records that
// as Running, Ready or Sleeping at the stretch's end. A preemption shorter than the gap is not
// drawn; anything longer is, within a few µs of where it happened, wherever in the code.
class LaneRecorder
{
public:
    static constexpr std::int64_t KernelCheckGapNs = 20'000; // 20 µs
    static constexpr std::int64_t MinKernelStateNs = 5'000; // shorter Ready/blocked bits are noise

    LaneRecorder(std::uint32_t lane, std::size_t ringCapacity);
    ~LaneRecorder();

    void record(EventKind kind, ThreadState state, std::uint32_t object = 0, std::int64_t value = 0,
                std::uint32_t aux = 0) noexcept
    {
        std::int64_t t = monotonicNs();
        if (t - m_seen > KernelCheckGapNs || kind == EventKind::LaneEnd) [[unlikely]]
            t = kernelCheck(t, kind);
        m_seen = t;
        recordAt(t, kind, state, object, value, aux);
    }

    // For a thread that computes between events: call every few µs of work. After a gap it
    // records what the kernel says the gap was, then the lane's state again.
    void observe() noexcept { observeAt(monotonicNs()); }
    void observeAt(std::int64_t t) noexcept
    {
        if (t - m_seen > KernelCheckGapNs) [[unlikely]] {
            const ThreadState s = m_state;
            t = kernelCheck(t, EventKind::State);
            if (m_state != s)
                recordAt(t, EventKind::State, s);
        }
        m_seen = t;
    }

    // Records an event at a time of its own (a worker process's events, forwarded): no kernel
    // accounting, the time is not this thread's.
    void recordAt(std::int64_t t, EventKind kind, ThreadState state, std::uint32_t object = 0,
                  std::int64_t value = 0, std::uint32_t aux = 0) noexcept
    {
        if (m_heldPending) [[unlikely]]
            writeHeldRun(); // whatever lock holds were held back come first, in the lane's order
        m_state = state;
        write(t, kind, state, object, value, aux, 0);
    }

    // The lane records faster than its events reach the store: it has recorded half a ring's
    // worth or more, and an eighth of a ring waits (in the ring or set aside by the collector).
    // Never at a lesson's usual rates (no lane of any lesson at its defaults records that much),
    // always well before the ring overflows at flood rates.
    bool underPressure() const noexcept
    {
        return m_ring.pushed() >= m_ring.capacity() / 2 && m_ring.unsettled() >= m_ring.capacity() / 8;
    }
    // Far behind: a quarter ring's worth or more waits for the store.
    bool underDeepPressure() const noexcept { return m_ring.unsettled() >= m_ring.capacity() / 4; }

    // A race read or write mark. The first RaceMarksPerLane are recorded (what the store keeps),
    // except under pressure (a burst of marks, 50 M a second, never crowds out what must be kept:
    // lost updates, states, lock hand-offs). Any other mark is only counted (raceMarksThinned())
    // and the lane observed.
    void recordRaceMark(EventKind kind, std::uint32_t object, std::int64_t value) noexcept
    {
        if (m_raceMarks < RaceMarksPerLane && !underPressure()) [[likely]] {
            ++m_raceMarks;
            record(kind, m_state, object, value);
            return;
        }
        bump(m_raceMarksThinned, 1);
        observe();
    }

    // Lock holds at flood rates. Under pressure, a hold taken without waiting and shorter than
    // FoldHoldNs is held back, and a run of such holds of one lock, with nobody else holding it in
    // between, no gap over FoldGapNs and no longer than FoldSpanNs, is recorded as one folded
    // release (EventFlags::FoldedHolds) carrying their span, exact number, summed hold time and the
    // threads waiting at its first acquisition (a single hold: one event, not two). Other threads
    // may be waiting meanwhile (woken at every release, they find the lock taken again before they
    // run: on two cores, the usual case in a flood), but every hand-off stays exact: a run's last
    // hold, when a thread was waiting at its release, is recorded as itself, acquisition and
    // release, after the fold of the rest (it may be the hold a waiter took the lock from; the next
    // event of the lane tells, too late to unfold). Any other event of the lane records what was
    // held back first. At ordinary rates every hold is recorded as it happens.
    //
    // Deep in arrears (underDeepPressure: the drain has not taken a quarter ring's worth), the
    // limits are a hundred times wider, so that what a lane records no longer grows with its
    // rate nor with how slowly it runs (sanitizers, a loaded machine): a run then ends at a
    // hand-off, a preemption (the kernel check records it), any other event, or 10 ms.
    static constexpr std::int64_t FoldHoldNs = 10'000;
    static constexpr std::int64_t FoldGapNs = 10'000;
    static constexpr std::int64_t FoldSpanNs = 100'000;
    static constexpr std::int64_t DeepFoldScale = 100;
    static constexpr std::int64_t MaxFoldedHolds = 1'000'000; // within the packed count's range
    // The caller took the lock without waiting; `waiters`: threads waiting for it (woken, not yet
    // back); `sameHolder`: nobody else held it since this lane's last hold of it.
    void acquireUncontended(std::uint32_t object, std::int64_t waiters, bool sameHolder) noexcept;
    // The caller releases the lock; `waiters`: threads waiting for it now. Returns true when the
    // hold was folded (nothing to record), false when the caller records the release.
    bool releaseFolded(std::uint32_t object, std::int64_t waiters) noexcept;

    // Records a State event only when the state really changes (but looks at the kernel after a
    // gap either way: a thread woken from a wait may have waited for a core).
    void setState(ThreadState s) noexcept
    {
        if (s != m_state)
            record(EventKind::State, s);
        else
            observe();
    }

    // Off for a lane whose thread only forwards another process's events.
    void setKernelAccounting(bool on) noexcept { m_kernelOn = on; }

    // What this lane left out by rule (read by the collector from any thread).
    std::uint64_t raceMarksThinned() const noexcept { return m_raceMarksThinned.load(std::memory_order_relaxed); }
    std::uint64_t holdsFolded() const noexcept { return m_holdsFolded.load(std::memory_order_relaxed); }

    ThreadState state() const noexcept { return m_state; }
    std::uint32_t lane() const noexcept { return m_lane; }
    EventRing& ring() noexcept { return m_ring; }
    const EventRing& ring() const noexcept { return m_ring; }

    // The recorder of the calling thread, or nullptr when the thread is not traced.
    static LaneRecorder* current() noexcept { return t_current; }
    static void setCurrent(LaneRecorder* r) noexcept { t_current = r; }

private:
    struct KernelPoint
    {
        std::int64_t t = 0;
        std::int64_t cpu = 0;   // the thread's CPU clock
        std::int64_t ready = -1; // schedstat's run-queue wait; -1 when the kernel does not say
    };
    // Records what the kernel says of the stretch since m_seen; `kind` is the event about to be
    // recorded. Returns the time to record it at (the reading's, at or after t).
    std::int64_t kernelCheck(std::int64_t t, EventKind kind) noexcept;
    KernelPoint kernelNow() noexcept;
    void write(std::int64_t t, EventKind kind, ThreadState state, std::uint32_t object, std::int64_t value,
               std::uint32_t aux, std::uint8_t flags) noexcept
    {
        TraceEvent* e = m_ring.claim();
        if (!e)
            return;
        e->t = t;
        e->value = value;
        e->lane = m_lane;
        e->object = object;
        e->kind = kind;
        e->state = state;
        e->flags = flags;
        e->aux = aux;
        m_ring.publish();
    }
    // The producer is the only writer: a plain add, published for the collector's reads.
    static void bump(std::atomic<std::uint64_t>& n, std::uint64_t by) noexcept
    {
        n.store(n.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    }
    void writeHeldRun() noexcept; // the folded run, then a held-back acquire, into the ring
    void openSchedstat() noexcept;            // for the calling thread, once
    std::int64_t readRunQueueWait() noexcept; // schedstat's, ns; -1 when the kernel does not say

    const std::uint32_t m_lane;
    ThreadState m_state = ThreadState::Idle;
    std::int64_t m_seen = INT64_MIN / 2; // last time this thread was seen on its core
    bool m_kernelOn = true;
    bool m_kernelStarted = false;
    int m_schedstatFd = -1;
    int m_schedstatTid = 0;
    KernelPoint m_check; // the last kernel reading
    KernelPoint m_base;  // at the lane's beginning
    EventRing m_ring;
    std::int64_t m_raceMarks = 0;
    std::atomic<std::uint64_t> m_raceMarksThinned{0};
    std::atomic<std::uint64_t> m_holdsFolded{0};
    // Lock holds held back (see acquireUncontended): a run of finished holds and an open one.
    struct HeldRun
    {
        std::uint32_t object = 0;
        std::int64_t first = 0;        // the first hold's acquisition
        std::int64_t firstWaiters = 0; // threads waiting then
        std::int64_t count = 0;        // 0: no run
        std::int64_t heldNs = 0;
        // The last hold, kept exact: recorded as itself when a thread waited at its release.
        std::int64_t lastStart = 0;
        std::int64_t lastEnd = 0;
        std::int64_t lastStartWaiters = 0;
        std::int64_t lastEndWaiters = 0;
        std::int64_t previousEnd = 0; // the release before the last one
    };
    HeldRun m_run;
    std::uint32_t m_openObject = 0; // an acquisition not recorded yet (0: none)
    std::int64_t m_openAt = 0;
    std::int64_t m_openWaiters = 0;
    std::int64_t m_foldScale = 1; // DeepFoldScale while deep in arrears (set at each acquisition)
    bool m_heldPending = false; // m_run.count > 0 || m_openObject != 0
    static thread_local LaneRecorder* t_current;
};

struct LaneInfo
{
    std::uint32_t id = 0;
    QString name;
    LaneKind kind = LaneKind::Thread;
    std::unique_ptr<LaneRecorder> recorder;
    std::atomic<bool> finished{false}; // set (release) after the lane's last record
};

struct ObjectInfo
{
    std::uint32_t id = 0; // 1-based; 0 means "no object"
    QString name;
    ObjectKind kind = ObjectKind::Lock;
    std::int64_t capacity = 0; // queues: 0 = unbounded
};

// Of [a, b), the time covered by pauses given as alternating begin / end times.
std::int64_t pausedNsIn(const std::vector<std::int64_t>& edges, std::int64_t a, std::int64_t b);

class TraceSession
{
public:
    // 8 MiB a lane when full; a lane's pages are touched only as far as it records (a lesson at its
    // defaults stays within the first half).
    static constexpr std::size_t DefaultRingCapacity = std::size_t(1) << 18;

    explicit TraceSession(std::size_t ringCapacity = DefaultRingCapacity);
    ~TraceSession();

    // Registration is rare (a thread start, a lock's construction) and takes a mutex.
    LaneRecorder* addLane(const QString& name, LaneKind kind);
    void finishLane(std::uint32_t lane);
    // A lane's better name, learnt after it began (a spawned Python child says its own name once
    // it starts its work). The collector hands renames to the store in order.
    void renameLane(std::uint32_t lane, const QString& name);
    std::vector<std::pair<std::uint32_t, QString>> renamesSince(std::size_t from) const;
    std::uint32_t addObject(const QString& name, ObjectKind kind, std::int64_t capacity = 0);
    // Texts, one id space: a printed line (addText) or a label a marker names (addLabel: a task's
    // name), which is never a line of the program's output.
    std::uint32_t addText(const QString& text);
    std::uint32_t addLabel(const QString& text);

    QString text(std::uint32_t id) const;
    std::size_t textCount() const;
    std::size_t printedCount() const;            // the printed lines, in order
    QString printed(std::size_t index) const;
    std::int64_t startNs() const noexcept { return m_startNs; }

    // For the collector: a stable pointer per lane (lanes live as long as the session).
    std::size_t laneCount() const;
    LaneInfo* lane(std::size_t index) const;
    std::vector<ObjectInfo> objects(std::size_t from = 0) const;

    std::uint64_t droppedTotal() const;
    // Left out by rule, summed over the lanes (LaneRecorder::raceMarksThinned, holdsFolded).
    struct Thinned
    {
        std::uint64_t raceMarks = 0;
        std::uint64_t holdsFolded = 0;
    };
    Thinned thinnedTotal() const;

    // Pause and resume on the session's clock: entries alternately begin and end a pause. Only a
    // change is kept (pausing a paused run adds nothing).
    void setPausedAt(bool paused, std::int64_t t);
    std::vector<std::int64_t> pauseEdges(std::size_t from = 0) const;
    // Of [a, b), the time the run was paused (a pause still open counts up to b).
    std::int64_t pausedNsBetween(std::int64_t a, std::int64_t b) const;

private:
    const std::int64_t m_startNs;
    const std::size_t m_ringCapacity;
    mutable std::mutex m_mutex;
    std::deque<std::unique_ptr<LaneInfo>> m_lanes;
    std::vector<ObjectInfo> m_objects;
    std::vector<QString> m_texts;
    std::vector<std::uint32_t> m_printed; // ids of the texts that are printed lines
    std::vector<std::pair<std::uint32_t, QString>> m_renames; // (lane, new name), in order
    std::vector<std::int64_t> m_pauseEdges;
};

} // namespace interleave
