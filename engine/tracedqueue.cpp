// TracedQueue: events are recorded under the queue's mutex, so recorded depths are exact.
#include "tracedqueue.h"

#include "blockedstate.h"
#include "tracesession.h"

#include <chrono>
#include <stdexcept>

namespace interleave {

namespace {

// Waits on cv until pred() or Stop or the timeout (< 0: none). Returns pred().
template<typename Pred>
bool waitCancellable(RunContext& ctx, std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                     std::int64_t timeoutNs, Pred pred)
{
    auto done = [&] { return pred() || ctx.stopRequested(); };
    if (timeoutNs < 0)
        cv.wait(lock, done);
    else
        cv.wait_for(lock, std::chrono::nanoseconds(timeoutNs), done);
    if (ctx.stopRequested())
        throw Cancelled{};
    return pred();
}

} // namespace

TracedQueue::TracedQueue(RunContext& ctx, const QString& name, std::int64_t maxsize)
    : m_ctx(ctx)
    , m_object(ctx.session().addObject(name, ObjectKind::Queue, std::max<std::int64_t>(maxsize, 0)))
    , m_name(name)
    , m_maxsize(std::max<std::int64_t>(maxsize, 0))
    , m_createdNs(monotonicNs())
    , m_lastChangeNs(m_createdNs)
{
    m_ctx.addWaitable(this);
}

TracedQueue::~TracedQueue()
{
    m_ctx.removeWaitable(this);
}

bool TracedQueue::put(std::int64_t item, bool block, std::int64_t timeoutNs)
{
    // Step mode: a blocking put waits for its turn until there is room (it never blocks then);
    // one that may give up (no block, a timeout) can always be taken, and gives up when full.
    if (m_ctx.stepping()) {
        const bool waits = block && timeoutNs < 0;
        m_ctx.step(QStringLiteral("put"), QStringLiteral("put into ") + m_name,
                   item >= 0 ? QStringLiteral("item = %1").arg(item) : QStringLiteral("item = None"),
                   waits ? std::function<bool()>([this] { return !full(); }) : std::function<bool()>());
        if (!waits)
            block = false;
    }
    LaneRecorder* rec = LaneRecorder::current();
    const ThreadState before = rec ? rec->state() : ThreadState::Running;
    std::unique_lock lock(m_mutex);
    m_ctx.throwIfStopped();
    std::optional<BlockedState> blocked;
    if (isFull()) {
        if (!block)
            return false;
        blocked.emplace(ThreadState::BlockedQueue, EventKind::QueueBlock, m_object, std::int64_t(m_items.size()), 1);
        if (!waitCancellable(m_ctx, m_notFull, lock, timeoutNs, [this] { return !isFull(); }))
            return false;
        blocked->resume(); // the put records the state to go back to
    }
    depthChanging();
    m_items.push_back(item);
    m_maxDepth = std::max(m_maxDepth, std::int64_t(m_items.size()));
    ++m_unfinished;
    if (rec)
        rec->record(EventKind::QueuePut, before, m_object, std::int64_t(m_items.size()),
                    std::uint32_t(item));
    lock.unlock();
    m_notEmpty.notify_one();
    return true;
}

std::optional<std::int64_t> TracedQueue::get(bool block, std::int64_t timeoutNs)
{
    if (m_ctx.stepping()) {
        const bool waits = block && timeoutNs < 0;
        m_ctx.step(QStringLiteral("get"), QStringLiteral("get from ") + m_name, {},
                   waits ? std::function<bool()>([this] { return !empty(); }) : std::function<bool()>());
        if (!waits)
            block = false;
    }
    LaneRecorder* rec = LaneRecorder::current();
    const ThreadState before = rec ? rec->state() : ThreadState::Running;
    std::unique_lock lock(m_mutex);
    m_ctx.throwIfStopped();
    std::optional<BlockedState> blocked;
    if (m_items.empty()) {
        if (!block)
            return std::nullopt;
        blocked.emplace(ThreadState::BlockedQueue, EventKind::QueueBlock, m_object, 0, 0);
        if (!waitCancellable(m_ctx, m_notEmpty, lock, timeoutNs, [this] { return !m_items.empty(); }))
            return std::nullopt;
        blocked->resume(); // the get records the state to go back to
    }
    const std::int64_t item = m_items.front();
    depthChanging();
    m_items.pop_front();
    if (rec)
        rec->record(EventKind::QueueGet, before, m_object, std::int64_t(m_items.size()),
                    std::uint32_t(item));
    lock.unlock();
    m_notFull.notify_one();
    return item;
}

void TracedQueue::depthChanging()
{
    const std::int64_t now = monotonicNs();
    m_depthArea += double(m_items.size()) * double(now - m_lastChangeNs);
    m_lastChangeNs = now;
}

std::int64_t TracedQueue::maxDepthSeen() const
{
    std::lock_guard lock(m_mutex);
    return m_maxDepth;
}

double TracedQueue::meanDepth() const
{
    std::lock_guard lock(m_mutex);
    const std::int64_t now = monotonicNs();
    const double area = m_depthArea + double(m_items.size()) * double(now - m_lastChangeNs);
    return now > m_createdNs ? area / double(now - m_createdNs) : 0.0;
}

bool TracedQueue::empty() const
{
    std::lock_guard lock(m_mutex);
    return m_items.empty();
}

bool TracedQueue::full() const
{
    std::lock_guard lock(m_mutex);
    return isFull();
}

std::int64_t TracedQueue::qsize() const
{
    std::lock_guard lock(m_mutex);
    return std::int64_t(m_items.size());
}

std::int64_t TracedQueue::maxsize() const
{
    std::lock_guard lock(m_mutex);
    return m_maxsize;
}

void TracedQueue::taskDone()
{
    LaneRecorder* rec = LaneRecorder::current();
    std::unique_lock lock(m_mutex);
    if (m_unfinished <= 0)
        throw std::logic_error("task_done() called too many times");
    --m_unfinished;
    if (rec)
        rec->record(EventKind::QueueTaskDone, rec->state(), m_object, m_unfinished);
    if (m_unfinished == 0) {
        lock.unlock();
        m_allDone.notify_all();
    }
}

void TracedQueue::join()
{
    if (m_ctx.stepping()) {
        m_ctx.waitUntil([this] { return unfinishedTasks() == 0; }, ThreadState::BlockedQueue);
        return;
    }
    std::unique_lock lock(m_mutex);
    if (m_unfinished == 0)
        return;
    BlockedState blocked(ThreadState::BlockedQueue, EventKind::State, m_object);
    waitCancellable(m_ctx, m_allDone, lock, -1, [this] { return m_unfinished == 0; });
}

std::int64_t TracedQueue::unfinishedTasks() const
{
    std::lock_guard lock(m_mutex);
    return m_unfinished;
}

void TracedQueue::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_notEmpty.notify_all();
    m_notFull.notify_all();
    m_allDone.notify_all();
}

} // namespace interleave
