// StepGate: one thread steps at a time, chosen while the run is quiet.
#include "stepgate.h"

#include "blockedstate.h"
#include "tracesession.h"

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {
std::optional<std::uint32_t> currentLane()
{
    if (LaneRecorder* rec = LaneRecorder::current())
        return rec->lane();
    return std::nullopt;
}
} // namespace

StepGate::StepGate(RunContext& ctx)
    : m_ctx(ctx)
{
    m_ctx.addWaitable(this);
}

StepGate::~StepGate()
{
    m_ctx.removeWaitable(this);
}

StepGate::Thread* StepGate::find(std::uint32_t lane)
{
    for (const auto& t : m_threads) {
        if (t->lane == lane)
            return t.get();
    }
    return nullptr;
}

void StepGate::join(std::uint32_t lane)
{
    std::lock_guard lock(m_mutex);
    if (find(lane))
        return;
    auto t = std::make_unique<Thread>();
    t->lane = lane;
    t->seen = m_changes;
    m_threads.push_back(std::move(t));
    std::sort(m_threads.begin(), m_threads.end(), [](const auto& a, const auto& b) { return a->lane < b->lane; });
}

void StepGate::leave(std::uint32_t lane)
{
    std::lock_guard lock(m_mutex);
    if (Thread* t = find(lane)) {
        t->state = State::Done;
        t->request = {};
    }
    changedLocked();
}

void StepGate::changed()
{
    std::lock_guard lock(m_mutex);
    changedLocked();
}

void StepGate::changedLocked()
{
    ++m_changes;
    for (const auto& t : m_threads) {
        if (t->state == State::Passive)
            t->state = State::Busy; // it looks again before the run counts as quiet
    }
    m_threadsCv.notify_all();
    m_schedulerCv.notify_all();
}

void StepGate::step(const StepRequest& request)
{
    m_ctx.throwIfStopped();
    const auto lane = currentLane();
    std::unique_lock lock(m_mutex);
    Thread* t = lane ? find(*lane) : nullptr;
    if (m_released || !t)
        return;
    t->request = request;
    t->granted = false;
    t->state = State::Parked;
    changedLocked(); // what it did since its last step is done: passive waiters look again
    lock.unlock();
    {
        // Waiting for its turn: held by the scheduler (the student), as a pause holds it. Not
        // Ready: the kernel has it blocked, not on a run queue, and the lane says what the kernel
        // would.
        BlockedState waiting(ThreadState::Paused);
        lock.lock();
        m_threadsCv.wait(lock, [&] { return t->granted || m_released || m_ctx.stopRequested(); });
        t->state = State::Busy;
        t->granted = false;
        t->seen = m_changes;
        lock.unlock();
    }
    m_ctx.throwIfStopped();
}

void StepGate::waitForChange()
{
    m_ctx.throwIfStopped();
    const auto lane = currentLane();
    std::unique_lock lock(m_mutex);
    Thread* t = lane ? find(*lane) : nullptr;
    if (m_released || !t)
        return;
    if (t->seen != m_changes) {
        t->seen = m_changes; // something changed since it last looked: look again first
        return;
    }
    t->state = State::Passive;
    m_schedulerCv.notify_all();
    m_threadsCv.wait(lock, [&] { return t->state != State::Passive || m_released || m_ctx.stopRequested(); });
    t->state = State::Busy;
    t->seen = m_changes;
    lock.unlock();
    m_ctx.throwIfStopped();
}

bool StepGate::quietLocked() const
{
    return std::all_of(m_threads.begin(), m_threads.end(), [](const auto& t) { return t->state != State::Busy; });
}

StepSnapshot StepGate::snapshotOf(std::unique_lock<std::mutex>& lock) const
{
    StepSnapshot s;
    std::vector<std::function<bool()>> checks;
    s.quiet = quietLocked();
    s.stopped = m_ctx.stopRequested();
    s.steps = std::int64_t(m_schedule.size());
    s.allFinished = std::all_of(m_threads.begin(), m_threads.end(), [](const auto& t) { return t->state == State::Done; });
    for (const auto& t : m_threads) {
        if (t->state != State::Parked)
            continue;
        StepOffer o;
        o.lane = t->lane;
        o.kind = t->request.kind;
        o.text = t->request.text;
        o.detail = t->request.detail;
        o.enabled = !t->granted;
        checks.push_back(o.enabled ? t->request.enabled : std::function<bool()>());
        s.offers.push_back(std::move(o));
    }
    // The predicates run outside the gate's lock: each takes its primitive's own lock, which is
    // held while the run reports a deadlock (taking the context's), which a finishing thread holds
    // while it leaves the gate (taking this one). One order for all three, no cycle. Only
    // meaningful when quiet: then nothing a predicate reads can change under it, and the objects
    // it reads live until the scheduler itself ends the run.
    lock.unlock();
    for (std::size_t i = 0; i < checks.size(); ++i) {
        if (checks[i])
            s.offers[i].enabled = checks[i]();
    }
    lock.lock();
    return s;
}

StepSnapshot StepGate::snapshot()
{
    std::unique_lock lock(m_mutex);
    return snapshotOf(lock);
}

StepSnapshot StepGate::waitQuiet(std::int64_t timeoutNs)
{
    std::unique_lock lock(m_mutex);
    m_schedulerCv.wait_for(lock, std::chrono::nanoseconds(std::max<std::int64_t>(timeoutNs, 0)),
                           [&] { return quietLocked() || m_released || m_ctx.stopRequested() || m_wake; });
    m_wake = false;
    return snapshotOf(lock);
}

bool StepGate::grant(std::uint32_t lane, QString* error)
{
    std::unique_lock lock(m_mutex);
    auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_released)
        return fail(u"the run is no longer in step mode"_s);
    if (!quietLocked())
        return fail(u"a thread is still on its way to its next step"_s);
    Thread* t = find(lane);
    if (!t || t->state != State::Parked || t->granted)
        return fail(t && t->state == State::Done ? u"that thread has finished"_s
                                                 : u"that thread is not waiting for a step"_s);
    if (const std::function<bool()> check = t->request.enabled) {
        // Outside the gate's lock, as in snapshotOf().
        const QString text = t->request.text;
        lock.unlock();
        const bool can = check();
        lock.lock();
        t = find(lane);
        if (m_released || !quietLocked() || !t || t->state != State::Parked || t->granted)
            return fail(u"the run moved on meanwhile"_s);
        if (!can)
            return fail(u"that thread cannot take its step now (%1)"_s.arg(text));
    }
    t->granted = true;
    t->state = State::Busy; // on its way to the next gate
    m_schedule.push_back(lane);
    m_threadsCv.notify_all();
    return true;
}

void StepGate::release()
{
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
    }
    m_threadsCv.notify_all();
    m_schedulerCv.notify_all();
}

bool StepGate::released() const
{
    std::lock_guard lock(m_mutex);
    return m_released;
}

std::vector<std::uint32_t> StepGate::schedule() const
{
    std::lock_guard lock(m_mutex);
    return m_schedule;
}

void StepGate::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_wake = true;
    m_threadsCv.notify_all();
    m_schedulerCv.notify_all();
}

} // namespace interleave
