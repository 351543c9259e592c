// SimGil: take_gil / drop_gil with drop requests and forced switching, as CPython does it.
#include "simgil.h"

#include "blockedstate.h"
#include "tracesession.h"

#include <chrono>
#include <optional>

namespace interleave {

namespace {
std::int64_t currentLaneId()
{
    LaneRecorder* rec = LaneRecorder::current();
    return rec ? std::int64_t(rec->lane()) : -2;
}
} // namespace

SimGil::SimGil(RunContext& ctx, std::function<std::int64_t()> intervalNs, const QString& name)
    : m_ctx(ctx)
    , m_intervalNs(std::move(intervalNs))
    , m_object(ctx.session().addObject(name, ObjectKind::Gil))
{
    m_ctx.addWaitable(this);
}

SimGil::~SimGil()
{
    m_ctx.removeWaitable(this);
}

void SimGil::acquire()
{
    LaneRecorder* rec = LaneRecorder::current();
    const ThreadState before = rec ? rec->state() : ThreadState::Running;
    const std::int64_t me = currentLaneId();
    std::unique_lock lock(m_mutex);
    m_ctx.throwIfStopped();
    std::optional<BlockedState> blocked;
    if (m_holder != -1) {
        ++m_waiters;
        blocked.emplace(ThreadState::WaitingGil, EventKind::GilWait, m_object, m_waiters);
        while (m_holder != -1 && !m_ctx.stopRequested()) {
            const std::uint64_t savedSwitch = m_switchNumber;
            const auto interval = std::chrono::nanoseconds(std::max<std::int64_t>(m_intervalNs(), 1000));
            const bool timedOut = m_cond.wait_for(lock, interval) == std::cv_status::timeout;
            if (timedOut && m_holder != -1 && m_switchNumber == savedSwitch
                && !m_dropRequest.load(std::memory_order_relaxed)) {
                m_dropRequest.store(true, std::memory_order_relaxed);
                if (rec)
                    rec->record(EventKind::GilDropRequest, ThreadState::WaitingGil, m_object, m_waiters);
            }
        }
        --m_waiters;
        m_ctx.throwIfStopped();
        blocked->resume(); // the acquire below records the state to go back to
    }
    m_holder = me;
    ++m_switchNumber;
    m_dropRequest.store(false, std::memory_order_relaxed);
    // After a forced drop the lane already shows the wait; taking the GIL back it runs again.
    if (rec)
        rec->record(EventKind::GilAcquire, before == ThreadState::WaitingGil ? ThreadState::Running : before,
                    m_object, m_waiters, blocked ? 1 : 0);
    lock.unlock();
    m_switchCond.notify_all();
}

void SimGil::drop(bool forced)
{
    LaneRecorder* rec = LaneRecorder::current();
    {
        std::lock_guard lock(m_mutex);
        if (m_holder != currentLaneId())
            return; // not ours: releasing twice is harmless, like a no-op
        m_lastHolder = m_holder;
        m_holder = -1;
        // A forced drop is followed at once by waiting to take it back: record it as such, so
        // that no two lanes ever show Running under the GIL.
        if (rec)
            rec->record(EventKind::GilRelease, forced ? ThreadState::WaitingGil : rec->state(), m_object, m_waiters,
                        forced ? 1 : 0);
    }
    m_cond.notify_one();
}

void SimGil::forcedSwitch()
{
    const std::int64_t me = currentLaneId();
    drop(true);
    {
        // Forced switching: do not race the waiter for the GIL we just dropped.
        std::unique_lock lock(m_mutex);
        if (m_lastHolder == me && m_waiters > 0) {
            m_dropRequest.store(false, std::memory_order_relaxed);
            m_switchCond.wait(lock, [&] {
                return m_lastHolder != me || m_holder != -1 || m_waiters == 0 || m_ctx.stopRequested();
            });
        }
    }
    m_ctx.throwIfStopped();
    acquire();
}

std::int64_t SimGil::switches() const
{
    std::lock_guard lock(m_mutex);
    return std::int64_t(m_switchNumber);
}

std::int64_t SimGil::holder() const
{
    std::lock_guard lock(m_mutex);
    return m_holder;
}

void SimGil::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_cond.notify_all();
    m_switchCond.notify_all();
}

} // namespace interleave
