// Names for the enums of traceevent.h.
#include "traceevent.h"

namespace interleave {

const char* stateKey(ThreadState s)
{
    switch (s) {
    case ThreadState::Running: return "running";
    case ThreadState::Ready: return "ready";
    case ThreadState::Sleeping: return "sleeping";
    case ThreadState::WaitingLock: return "waiting_lock";
    case ThreadState::WaitingGil: return "waiting_gil";
    case ThreadState::BlockedQueue: return "blocked_queue";
    case ThreadState::Idle: return "idle";
    case ThreadState::Paused: return "paused";
    case ThreadState::Count: break;
    }
    return "unknown";
}

const char* stateLabel(ThreadState s)
{
    switch (s) {
    case ThreadState::Running: return "Running";
    case ThreadState::Ready: return "Ready";
    case ThreadState::Sleeping: return "Sleeping";
    case ThreadState::WaitingLock: return "Waiting for lock";
    case ThreadState::WaitingGil: return "Waiting for GIL";
    case ThreadState::BlockedQueue: return "Blocked on queue";
    case ThreadState::Idle: return "Idle";
    case ThreadState::Paused: return "Paused";
    case ThreadState::Count: break;
    }
    return "Unknown";
}

const char* laneKindKey(LaneKind k)
{
    switch (k) {
    case LaneKind::Thread: return "thread";
    case LaneKind::Pool: return "pool";
    case LaneKind::Process: return "process";
    case LaneKind::Main: return "main";
    }
    return "thread";
}

} // namespace interleave
