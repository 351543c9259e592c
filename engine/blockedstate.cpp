// BlockedState: record the wait, then the state before it, on every way out of the wait.
#include "blockedstate.h"

#include "tracesession.h"

namespace interleave {

BlockedState::BlockedState(ThreadState state, EventKind kind, std::uint32_t object, std::int64_t value,
                           std::uint32_t aux) noexcept
    : m_recorder(LaneRecorder::current())
    , m_previous(m_recorder ? m_recorder->state() : ThreadState::Running)
{
    if (!m_recorder)
        return;
    // A plain change of state (a sleep, a pause) is recorded only when it is one; an event that
    // names what the thread waits for always is.
    if (kind == EventKind::State && object == 0)
        m_recorder->setState(state);
    else
        m_recorder->record(kind, state, object, value, aux);
}

BlockedState::~BlockedState()
{
    if (m_recorder && !m_resumed)
        m_recorder->setState(m_previous);
}

} // namespace interleave
