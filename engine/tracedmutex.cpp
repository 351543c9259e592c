// TracedMutex: a logical lock over std::mutex + condition variable so waits can be cancelled.
// Events are recorded while the internal mutex is held, so their order is the lock's order.
#include "tracedmutex.h"

#include "blockedstate.h"
#include "tracesession.h"

namespace interleave {

namespace {
std::int64_t currentLaneId()
{
    LaneRecorder* rec = LaneRecorder::current();
    return rec ? std::int64_t(rec->lane()) : -2; // -2: an untraced thread
}
} // namespace

TracedMutex::TracedMutex(RunContext& ctx, const QString& name)
    : m_ctx(ctx)
    , m_object(ctx.session().addObject(name, ObjectKind::Lock))
    , m_name(name)
{
    m_ctx.addWaitable(this);
}

TracedMutex::~TracedMutex()
{
    m_ctx.removeWaitable(this);
}

void TracedMutex::lock()
{
    // Step mode: the acquire is a step, taken only while nobody holds the lock, so it never
    // blocks; with the gate released (no step could be taken) it blocks for real.
    if (m_ctx.stepping())
        m_ctx.step(QStringLiteral("acquire"), QStringLiteral("acquire ") + m_name, {}, [this] { return owner() == -1; });
    LaneRecorder* rec = LaneRecorder::current();
    const std::int64_t me = currentLaneId();
    std::unique_lock lock(m_mutex);
    WaitForGraph& graph = m_ctx.waitGraph();
    if (m_owner == -1) {
        m_owner = me;
        const bool sameHolder = m_lastHolder == me;
        m_lastHolder = me;
        if (me >= 0)
            graph.setOwner(m_object, me);
        if (rec)
            rec->acquireUncontended(m_object, m_waiters, sameHolder);
        return;
    }
    m_ctx.throwIfStopped();
    ++m_waiters;
    BlockedState blocked(ThreadState::WaitingLock, EventKind::LockWait, m_object, m_waiters);
    if (me >= 0 && graph.setWaiting(std::uint32_t(me), m_object))
        m_ctx.reportDeadlock(m_object); // and keep waiting: a deadlock is what the lesson shows
    m_cv.wait(lock, [&] { return m_owner == -1 || m_ctx.stopRequested(); });
    --m_waiters;
    if (me >= 0)
        graph.clearWaiting(std::uint32_t(me));
    if (m_owner != -1) // woken by Stop
        throw Cancelled{};
    m_owner = me;
    m_lastHolder = me;
    if (me >= 0)
        graph.setOwner(m_object, me);
    const ThreadState before = blocked.resume();
    if (rec)
        rec->record(EventKind::LockAcquire, before, m_object, m_waiters, 1);
}

bool TracedMutex::tryLock()
{
    if (m_ctx.stepping())
        m_ctx.step(QStringLiteral("try_acquire"), QStringLiteral("try to acquire ") + m_name);
    LaneRecorder* rec = LaneRecorder::current();
    std::lock_guard lock(m_mutex);
    if (m_owner != -1) {
        if (rec)
            rec->record(EventKind::LockTryFail, rec->state(), m_object, m_waiters);
        return false;
    }
    m_owner = currentLaneId();
    m_lastHolder = m_owner;
    if (m_owner >= 0)
        m_ctx.waitGraph().setOwner(m_object, m_owner);
    if (rec)
        rec->record(EventKind::LockAcquire, rec->state(), m_object, m_waiters, 0);
    return true;
}

void TracedMutex::unlock()
{
    if (m_ctx.stepping()) {
        // unlock() runs in destructors (TracedLocker), also while Cancelled unwinds: it must not
        // throw. Stopped while waiting for its turn, the lock is released at once; the thread
        // meets Stop at its next step.
        try {
            if (!m_ctx.stopRequested())
                m_ctx.step(QStringLiteral("release"), QStringLiteral("release ") + m_name);
        } catch (const Cancelled&) {
        }
    }
    LaneRecorder* rec = LaneRecorder::current();
    {
        std::lock_guard lock(m_mutex);
        if (m_owner >= 0)
            m_ctx.waitGraph().setOwner(m_object, -1);
        m_owner = -1;
        if (rec && !rec->releaseFolded(m_object, m_waiters))
            rec->record(EventKind::LockRelease, rec->state(), m_object, m_waiters);
        if (m_waiters == 0)
            return;
    }
    m_cv.notify_one();
}

int TracedMutex::waiters() const
{
    std::lock_guard lock(m_mutex);
    return m_waiters;
}

std::int64_t TracedMutex::owner() const
{
    std::lock_guard lock(m_mutex);
    return m_owner;
}

void TracedMutex::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_cv.notify_all();
}

} // namespace interleave
