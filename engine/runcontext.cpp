// RunContext: cancellation, pause, live parameters, interruptible sleep, thread spawning.
#include "runcontext.h"

#include "blockedstate.h"
#include "functionthread.h"
#include "stepgate.h"
#include "tracesession.h"
#include "workerpriority.h"

#include <QDeadlineTimer>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

using namespace Qt::StringLiterals;

namespace interleave {

RunContext::RunContext(std::shared_ptr<TraceSession> session, ParamSchema schema,
                       std::vector<double> values, double speed)
    : m_session(std::move(session))
    , m_schema(std::move(schema))
    , m_values(new std::atomic<double>[std::size_t(std::max(m_schema.size(), 1))])
{
    values.resize(std::size_t(m_schema.size()));
    for (int i = 0; i < m_schema.size(); ++i)
        m_values[std::size_t(i)].store(values[std::size_t(i)], std::memory_order_relaxed);
    setSpeed(speed);
}

RunContext::~RunContext()
{
    requestStop();
    joinAllThreads(-1);
}

void RunContext::requestStop()
{
    const std::int64_t now = monotonicNs();
    std::int64_t expected = 0;
    m_stopNs.compare_exchange_strong(expected, now); // the first Stop is when the run stopped
    m_session->setPausedAt(false, now); // a pause ends when the run does
    m_stop.store(true, std::memory_order_release);
    std::vector<Waitable*> waitables;
    {
        std::lock_guard lock(m_mutex);
        waitables = m_waitables;
    }
    m_cv.notify_all();
    // Each primitive takes its own mutex before notifying, so a waiter either saw the flag
    // before it slept or is woken now.
    for (Waitable* w : waitables)
        w->wakeAll();
}

void RunContext::setPaused(bool paused)
{
    {
        std::lock_guard lock(m_mutex);
        if (stopRequested())
            return;
        m_session->setPausedAt(paused, monotonicNs());
        m_paused.store(paused, std::memory_order_release);
    }
    m_cv.notify_all();
}

void RunContext::checkpoint()
{
    throwIfStopped();
    if (!paused())
        return;
    BlockedState blocked(ThreadState::Paused);
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return !paused() || stopRequested(); });
    }
    throwIfStopped();
}

void RunContext::addWaitable(Waitable* w)
{
    std::lock_guard lock(m_mutex);
    m_waitables.push_back(w);
}

void RunContext::removeWaitable(Waitable* w)
{
    std::lock_guard lock(m_mutex);
    std::erase(m_waitables, w);
}

std::int64_t RunContext::nowOrStopNs() const noexcept
{
    const std::int64_t stopped = m_stopNs.load(std::memory_order_acquire);
    return stopped > 0 ? stopped : monotonicNs();
}

std::int64_t RunContext::activeNs(std::int64_t from, std::int64_t to) const
{
    if (to <= from)
        return 0;
    return (to - from) - m_session->pausedNsBetween(from, to);
}

double RunContext::param(int index) const noexcept
{
    if (index < 0 || index >= m_schema.size())
        return 0;
    return m_values[std::size_t(index)].load(std::memory_order_relaxed);
}

void RunContext::setParam(int index, double value) noexcept
{
    if (index < 0 || index >= m_schema.size())
        return;
    m_values[std::size_t(index)].store(value, std::memory_order_relaxed);
    // Wake controllers so a change takes effect at once.
    {
        std::lock_guard lock(m_mutex);
        m_paramGeneration.fetch_add(1, std::memory_order_relaxed);
    }
    m_cv.notify_all();
}

std::vector<double> RunContext::paramValues() const
{
    std::vector<double> v(std::size_t(m_schema.size()));
    for (int i = 0; i < m_schema.size(); ++i)
        v[std::size_t(i)] = param(i);
    return v;
}

void RunContext::setSpeed(double speed) noexcept
{
    if (!std::isfinite(speed) || speed <= 0)
        speed = 1.0;
    m_speed.store(std::clamp(speed, 0.01, 1000.0), std::memory_order_relaxed);
}

std::int64_t RunContext::scaledNs(double ms) const noexcept
{
    return std::int64_t(std::llround(std::max(ms, 0.0) * 1e6 / speed()));
}

void RunContext::sleepMs(double ms, ThreadState as)
{
    sleepNs(scaledNs(ms), as);
}

StepGate& RunContext::enableStepMode()
{
    if (!m_gate)
        m_gate = std::make_unique<StepGate>(*this);
    return *m_gate;
}

bool RunContext::stepping() const
{
    return m_gate && !m_gate->released();
}

void RunContext::step(const QString& kind, const QString& text, const QString& detail, std::function<bool()> enabled)
{
    if (m_gate)
        m_gate->step(StepRequest{kind, text, detail, std::move(enabled)});
}

void RunContext::sleepStep(double ms, const QString& kind, const QString& text, ThreadState as)
{
    if (stepping())
        step(kind, text);
    else
        sleepMs(ms, as);
}

void RunContext::sleepNs(std::int64_t ns, ThreadState as)
{
    throwIfStopped();
    if (stepping())
        return; // time does not pass between steps
    BlockedState blocked(as);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(ns);
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait_until(lock, deadline, [&] {
            return stopRequested() || std::chrono::steady_clock::now() >= deadline;
        });
    }
    throwIfStopped();
}

void RunContext::waitUntil(const std::function<bool()>& ready, ThreadState as)
{
    throwIfStopped();
    if (ready())
        return;
    BlockedState blocked(as);
    while (stepping()) {
        m_gate->waitForChange();
        if (ready())
            return;
    }
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return stopRequested() || ready(); });
    }
    throwIfStopped();
}

void RunContext::notifyWaiters()
{
    // Taking the lock orders the caller's change before any waiter's next check of it.
    { std::lock_guard lock(m_mutex); }
    m_cv.notify_all();
    if (m_gate)
        m_gate->changed();
}

void RunContext::runAsLane(LaneRecorder* rec, const std::function<void()>& body)
{
    LaneRecorder::setCurrent(rec);
    rec->record(EventKind::LaneBegin, ThreadState::Running);
    try {
        body();
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {
        std::lock_guard lock(m_mutex);
        if (m_failure.isEmpty())
            m_failure = QString::fromLocal8Bit(e.what());
    }
    rec->record(EventKind::LaneEnd, rec->state());
    m_session->finishLane(rec->lane());
    LaneRecorder::setCurrent(nullptr);
}

std::uint32_t RunContext::spawn(const QString& name, LaneKind kind, std::function<void()> body)
{
    throwIfStopped();
    LaneRecorder* rec = m_session->addLane(name, kind);
    if (m_gate)
        m_gate->join(rec->lane()); // before it runs: the scheduler waits for its first step
    QThread* thread = new FunctionThread([this, rec, body = std::move(body)] {
        lowerCurrentThreadPriority();
        runAsLane(rec, body);
        workerExited(rec->lane());
    });
    thread->setObjectName(name);
    {
        std::lock_guard lock(m_mutex);
        m_threads.emplace_back(thread);
        ++m_live;
        ++m_started;
    }
    thread->start();
    return rec->lane();
}

void RunContext::workerExited(std::uint32_t lane)
{
    // Notify under the lock: the moment it is released, the context may be destroyed.
    std::lock_guard lock(m_mutex);
    --m_live;
    m_cv.notify_all();
    if (m_gate)
        m_gate->leave(lane); // only now: a joining main thread sees it gone when it looks again
}

int RunContext::liveWorkers() const
{
    std::lock_guard lock(m_mutex);
    return m_live;
}

int RunContext::startedWorkers() const
{
    std::lock_guard lock(m_mutex);
    return m_started;
}

void RunContext::joinWorkers()
{
    while (stepping() && liveWorkers() > 0 && !deadlocked())
        m_gate->waitForChange();
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return m_live == 0 || stopRequested() || deadlocked(); });
    lock.unlock();
    throwIfStopped();
}

void RunContext::waitForWorkerChange(std::int64_t timeoutNs)
{
    if (stepping()) {
        m_gate->waitForChange(); // the next step, whenever the scheduler grants it
        return;
    }
    std::unique_lock lock(m_mutex);
    const int live = m_live;
    const std::uint64_t generation = m_paramGeneration.load(std::memory_order_relaxed);
    m_cv.wait_for(lock, std::chrono::nanoseconds(timeoutNs), [&] {
        return m_live != live || stopRequested() || deadlocked()
            || m_paramGeneration.load(std::memory_order_relaxed) != generation;
    });
    lock.unlock();
    throwIfStopped();
}

bool RunContext::joinAllThreads(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever)
                                          : QDeadlineTimer(timeoutMs));
    // Threads may still be spawning more threads, so loop until the list stops growing.
    std::size_t joined = 0;
    for (;;) {
        QThread* next = nullptr;
        {
            std::lock_guard lock(m_mutex);
            if (joined == m_threads.size())
                return true;
            next = m_threads[joined].get();
        }
        if (!next->wait(deadline))
            return false;
        ++joined;
    }
}

void RunContext::reportDeadlock(std::uint32_t lockObject)
{
    // The mark carries the lock this lane waits for: the lane goes on waiting for it, and an event
    // in a waiting state names what is waited for (the store would read object 0 as "nothing").
    if (LaneRecorder* rec = LaneRecorder::current())
        rec->record(EventKind::Marker, rec->state(), lockObject, 0, std::uint32_t(MarkerType::Deadlock));
    {
        std::lock_guard lock(m_mutex);
        m_deadlocked.store(true, std::memory_order_release);
    }
    m_cv.notify_all();
}

void RunContext::print(const QString& line)
{
    LaneRecorder* rec = LaneRecorder::current();
    std::uint32_t id = 0;
    std::int64_t t = 0;
    ThreadState state = ThreadState::Running;
    {
        std::lock_guard lock(m_mutex);
        // The line is stamped here, so the kernel is asked here too: a wait for this lock, or a
        // preemption, before the stamp is drawn where it happened (a check at the next event
        // would place it after the stamp, and the lane's Running would cover it).
        if (rec) {
            rec->observe();
            state = rec->state();
        }
        t = monotonicNs();
        // Under the same lock, so the session's texts are in the order of their stamps: they
        // are the console, and the one copy of it.
        id = m_session->addText(line);
    }
    if (rec)
        rec->recordAt(t, EventKind::Print, state, 0, id);
}

QString RunContext::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

} // namespace interleave
