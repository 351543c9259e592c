// The recorded event (a 32-byte POD) and the vocabulary of states, kinds and objects.
#pragma once

#include <cstdint>

namespace interleave {

// What a lane is doing. The order is the legend's order; Count is not a state.
enum class ThreadState : std::uint8_t {
    Running,
    Ready,
    Sleeping,
    WaitingLock,
    WaitingGil,
    BlockedQueue,
    Idle,
    Paused, // the user paused the run: not waiting for anything, not holding, not running
    Count
};
constexpr int ThreadStateCount = int(ThreadState::Count);

const char* stateKey(ThreadState s);   // "running", "waiting_lock", ... (summary JSON keys)
const char* stateLabel(ThreadState s); // "Running", "Waiting for lock", ... (for people)

enum class EventKind : std::uint16_t {
    LaneBegin,    // the thread started; state = its first state
    LaneEnd,      // the thread finished; closes its last interval
    State,        // plain state change (Running, Ready, Sleeping, Idle)
    LockWait,     // object = lock; value = waiters including this one
    LockAcquire,  // object = lock; value = waiters left; aux = 1 when it had to wait
    LockRelease,  // object = lock; value = waiters
    LockTryFail,  // object = lock; a try-lock that found it taken
    GilWait,      // object = GIL; value = waiters including this one
    GilAcquire,   // object = GIL; value = waiters left; aux = 1 when it had to wait
    GilRelease,   // object = GIL; value = waiters; aux = 1 when forced by a drop request
    GilDropRequest, // object = GIL; a waiter timed out and asked the holder to drop it
    QueueBlock,   // object = queue; value = depth; aux = 0 blocked in get, 1 blocked in put
    QueuePut,     // object = queue; value = depth after the put; aux = item id (low bits)
    QueueGet,     // object = queue; value = depth after the get; aux = item id (low bits)
    QueueTaskDone, // object = queue; value = unfinished tasks left
    RaceRead,     // object = counter; value = the value read
    RaceWrite,    // object = counter; value = the value written
    LostUpdate,   // object = counter; value = how many updates this write overwrote
    Print,        // value = text id in the session's text table
    Marker,       // aux = MarkerType; value, object as the type says
    Counter,      // object; value = new counter value
    KernelTimes,  // at the lane's end, the kernel's figures since its beginning: value = ns;
                  // aux = 0 on a CPU (the thread's CPU clock), 1 waiting for one (schedstat)
    Call,         // a function call that returned (a traced Python program's, --calls): t = its
                  // return, value = its start (ns, as t), object = text id of its name, aux = depth
    Count
};

enum class MarkerType : std::uint32_t {
    Note,
    Deadlock,       // this lane's wait closed a cycle in the wait-for graph; object = the lock it waits for
    TaskStart,      // value = task id (thread pool lanes)
    TaskEnd,        // value = task id
    ProcessStarted, // a worker process began running (after its start-up cost)
    InterpreterStarting, // a sub-interpreter's start-up began (gil lesson, executor interpreters)
    InterpreterReady,    // its start-up ended: from here the worker runs tasks
    TaskNamed,      // a task began, known by name: value = text id (a traced Python program's pool task)
};

enum class LaneKind : std::uint8_t { Thread, Pool, Process, Main };
const char* laneKindKey(LaneKind k); // "thread", "pool", "process", "main"

enum class ObjectKind : std::uint8_t { Lock, Queue, Gil, Counter };

// TraceEvent::flags.
namespace EventFlags {
// On a LockRelease: a run of short holds of one lock by one lane, each taken without waiting,
// with nobody else holding it in between, recorded as this one event (level of detail at flood
// rates): t = the last release, aux = ns from the first acquisition to t, value =
// packFolded(holds, summed hold time in ns, threads waiting for the lock at the first
// acquisition). No LockAcquire precedes it. Bits: hold time 0-31, holds 32-51, waiters 52-62.
constexpr std::uint8_t FoldedHolds = 1;
constexpr std::int64_t MaxFoldedWaiters = (std::int64_t(1) << 11) - 1;
constexpr std::int64_t packFolded(std::int64_t holds, std::int64_t heldNs, std::int64_t waiters = 0)
{
    return (waiters << 52) | (holds << 32) | heldNs;
}
constexpr std::int64_t foldedHolds(std::int64_t value) { return (value >> 32) & 0xFFFFF; }
constexpr std::int64_t foldedHeldNs(std::int64_t value) { return value & 0xFFFFFFFF; }
constexpr std::int64_t foldedWaiters(std::int64_t value) { return value >> 52; }
}

// Race read/write marks (two per increment) a lane records; beyond them it only counts them.
constexpr std::int64_t RaceMarksPerLane = 200'000;

struct TraceEvent
{
    std::int64_t t = 0;       // ns on the monotonic clock (absolute)
    std::int64_t value = 0;   // meaning depends on kind
    std::uint32_t lane = 0;
    std::uint32_t object = 0; // 0 = none
    EventKind kind = EventKind::State;
    ThreadState state = ThreadState::Running; // the lane's state after this event
    std::uint8_t flags = 0;
    std::uint32_t aux = 0;

    friend bool operator==(const TraceEvent&, const TraceEvent&) = default;
};
static_assert(sizeof(TraceEvent) == 32, "keep the event small: it is copied once per record");

} // namespace interleave
