// BlockedState: the one guard for a lane that waits, as QMutexLocker is the one for locking.
#pragma once

#include "traceevent.h"

#include <cstdint>

namespace interleave {

class LaneRecorder;

// For its scope, the calling thread's lane shows `state` (a lock, GIL or queue wait, a sleep, a
// pause): the constructor records it, with the event and object that say what the thread waits
// for. Leaving the scope records the state the lane had before, however the wait ended: woken,
// timed out, or Cancelled by Stop. A primitive whose own next event carries that state (a lock
// taken, an item put) calls resume() and records that event instead. Does nothing on an
// untraced thread.
class BlockedState
{
public:
    explicit BlockedState(ThreadState state, EventKind kind = EventKind::State, std::uint32_t object = 0,
                          std::int64_t value = 0, std::uint32_t aux = 0) noexcept;
    ~BlockedState();

    BlockedState(const BlockedState&) = delete;
    BlockedState& operator=(const BlockedState&) = delete;

    // The state the lane had before it blocked.
    ThreadState previous() const noexcept { return m_previous; }
    // The wait is over and the caller's next event records previous(): nothing left to restore.
    ThreadState resume() noexcept
    {
        m_resumed = true;
        return m_previous;
    }

private:
    LaneRecorder* const m_recorder;
    const ThreadState m_previous;
    bool m_resumed = false;
};

} // namespace interleave
