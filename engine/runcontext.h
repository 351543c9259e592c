// What a running scenario's threads share: stop and pause, live parameters, speed, sleeping,
// spawning worker threads and printing. Every wait in here is cancellable.
#pragma once

#include "params.h"
#include "traceevent.h"
#include "waitforgraph.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

class QThread;

namespace interleave {

class TraceSession;
class LaneRecorder;
class StepGate;

// Thrown by every blocking operation once Stop was requested; caught where the thread began.
struct Cancelled
{
};

// A primitive that can block threads registers here so Stop can wake its waiters.
class Waitable
{
public:
    virtual ~Waitable() = default;
    virtual void wakeAll() = 0;
};

class RunContext
{
public:
    RunContext(std::shared_ptr<TraceSession> session, ParamSchema schema, std::vector<double> values,
               double speed = 1.0);
    ~RunContext(); // joins every thread it started

    RunContext(const RunContext&) = delete;
    RunContext& operator=(const RunContext&) = delete;

    TraceSession& session() const { return *m_session; }
    const ParamSchema& schema() const { return m_schema; }

    // --- stop and pause -------------------------------------------------------------------
    bool stopRequested() const noexcept { return m_stop.load(std::memory_order_acquire); }
    void requestStop();
    void setPaused(bool paused);
    bool paused() const noexcept { return m_paused.load(std::memory_order_acquire); }
    // Throws Cancelled after Stop; blocks (as Idle) while paused. Call at every step.
    void checkpoint();
    void throwIfStopped() const
    {
        if (stopRequested())
            throw Cancelled{};
    }

    // The time now, or when Stop was requested: figures computed after a run stopped stay put.
    std::int64_t nowOrStopNs() const noexcept;
    // Wall time of [from, to) less the time the run was paused: what every rate divides by.
    std::int64_t activeNs(std::int64_t from, std::int64_t to) const;

    void addWaitable(Waitable* w);
    void removeWaitable(Waitable* w);

    // --- live parameters and speed ---------------------------------------------------------
    // A parameter's value now: read it at every step, and a live change takes effect there.
    template<typename T>
    T value(Param<T> p) const noexcept
    {
        const double v = param(p.index);
        if constexpr (std::is_same_v<T, bool>)
            return v != 0;
        else if constexpr (std::is_same_v<T, double>)
            return v;
        else
            return T(std::lround(v)); // an int, or a choice's enum
    }
    double param(int index) const noexcept; // by place in the schema (0 when out of range)
    void setParam(int index, double value) noexcept;
    std::vector<double> paramValues() const;

    double speed() const noexcept { return m_speed.load(std::memory_order_relaxed); }
    void setSpeed(double speed) noexcept;
    // A duration of the lesson (in ms at speed 1) as ns of real time at the current speed.
    std::int64_t scaledNs(double ms) const noexcept;

    // --- waiting ---------------------------------------------------------------------------
    // Sleeps (interruptibly) for `ms` lesson milliseconds, recorded as `as` on this lane.
    void sleepMs(double ms, ThreadState as = ThreadState::Sleeping);
    void sleepNs(std::int64_t ns, ThreadState as = ThreadState::Sleeping);
    // Waits (interruptibly), recorded as `as`, until `ready()` holds. Whoever makes it hold calls
    // notifyWaiters() afterwards; `ready` is checked under the context's lock, so no wake-up is lost.
    void waitUntil(const std::function<bool()>& ready, ThreadState as);
    void notifyWaiters();

    // --- threads -----------------------------------------------------------------------------
    // Starts a traced QThread running body(). The lane opens as Running and closes when body
    // returns or throws Cancelled. Returns the lane id.
    std::uint32_t spawn(const QString& name, LaneKind kind, std::function<void()> body);
    // Runs body() on the calling thread as a traced lane (used for the scenario's main thread).
    void runAsLane(LaneRecorder* recorder, const std::function<void()>& body);
    int liveWorkers() const;
    int startedWorkers() const;
    // Waits until no spawned worker is alive (Cancelled on Stop).
    void joinWorkers();
    // Waits until the set of live workers changes or `ms` lesson milliseconds pass.
    void waitForWorkerChange(std::int64_t timeoutNs);
    // Joins every QThread started here, up to the deadline; true when all are gone.
    bool joinAllThreads(int timeoutMs);

    // --- deadlock detection -------------------------------------------------------------------
    WaitForGraph& waitGraph() { return m_graph; }
    const WaitForGraph& waitGraph() const { return m_graph; }
    // Called by a primitive whose wait closed a cycle: marks it on the caller's lane and wakes
    // the scenario's main thread, which ends the run.
    void reportDeadlock(std::uint32_t lockObject);
    bool deadlocked() const noexcept { return m_deadlocked.load(std::memory_order_acquire); }

    // --- step mode (stepgate.h) ------------------------------------------------------------------
    // Before the run starts: every thread it starts takes part in step mode.
    StepGate& enableStepMode();
    StepGate* stepGate() const { return m_gate.get(); }
    // In step mode and the gate not released: threads stop before each step, time does not pass
    // (sleeps and computing are skipped), passive waits wait for the next change.
    bool stepping() const;
    // A step of the lesson: parks the calling thread until the scheduler grants it (step mode), or
    // does nothing. `enabled`, when given, says whether the step can be taken now.
    void step(const QString& kind, const QString& text, const QString& detail = {},
              std::function<bool()> enabled = {});
    // Sleeps, or in step mode takes one step of the given kind instead ("think", "eat").
    void sleepStep(double ms, const QString& kind, const QString& text, ThreadState as = ThreadState::Sleeping);

    // --- output ------------------------------------------------------------------------------
    // A console line from the calling thread: a Print event on its lane whose text is the
    // session's next (TraceSession::text(), in the order printed; the store's console()).
    void print(const QString& line);
    // An error message from a worker that threw something other than Cancelled.
    QString failure() const;

private:
    void workerExited(std::uint32_t lane);

    std::shared_ptr<TraceSession> m_session;
    const ParamSchema m_schema;
    std::unique_ptr<std::atomic<double>[]> m_values;
    std::atomic<double> m_speed{1.0};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::atomic<std::int64_t> m_stopNs{0};
    std::atomic<bool> m_deadlocked{false};
    std::atomic<std::uint64_t> m_paramGeneration{0};
    WaitForGraph m_graph;

    mutable std::mutex m_mutex; // guards everything below
    std::condition_variable m_cv; // stop, pause, sleep, worker exit
    std::vector<Waitable*> m_waitables;
    std::vector<std::unique_ptr<QThread>> m_threads;
    int m_live = 0;
    int m_started = 0;
    QString m_failure;
    // Last: destroyed first, while the mutex it unregisters through is still there.
    std::unique_ptr<StepGate> m_gate;
};

} // namespace interleave
