// Step mode: the lesson's threads stay real threads, but each stops before its next traced
// operation (read, write, acquire, put, get, the empty() check, think, eat...) at a gate that a
// scheduler opens for one thread at a time. The scheduler is a student clicking a lane, a
// schedule replayed (--schedule), a seeded random choice (--seed) or the explorer.
//
// Determinism: the scheduler only chooses when the run is quiet, i.e. every taking-part thread is
// parked at the gate, finished, or waiting passively (a main thread joining, a philosopher waiting
// for the table to fill) with nothing changed since it last looked. Whatever a thread does
// between two gates depends only on the steps granted so far, so a schedule replays exactly.
#pragma once

#include "runcontext.h"

#include <QString>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace interleave {

// What a thread is about to do, as it asks for its turn.
struct StepRequest
{
    QString kind;   // read, write, acquire, try_acquire, release, put, get, empty, print, sleep, think, eat
    QString text;   // "read counter", "acquire fork-2"
    QString detail; // the thread's locals that matter, e.g. "seen = 41"
    // May this step be taken now? Evaluated by the scheduler while every other thread is parked
    // (so what it reads stands still). Empty: always.
    std::function<bool()> enabled;
};

// One thread's place at the gate, as the scheduler sees it.
struct StepOffer
{
    std::uint32_t lane = 0;
    QString kind;
    QString text;
    QString detail;
    bool enabled = false;
};

struct StepSnapshot
{
    bool quiet = false;       // every thread is parked, finished or passively waiting
    bool allFinished = false; // nothing left to step (the run may still be ending)
    bool stopped = false;     // Stop was requested
    std::vector<StepOffer> offers; // by lane
    std::int64_t steps = 0;
};

class StepGate final : public Waitable
{
public:
    explicit StepGate(RunContext& ctx);
    ~StepGate() override;

    // --- the lesson's threads ------------------------------------------------------------------
    // A thread that takes steps (registered by the thread that starts it, before it runs).
    void join(std::uint32_t lane);
    void leave(std::uint32_t lane);
    // Parks the calling thread until the scheduler grants it this step. Throws Cancelled on Stop.
    // A thread that did not join, or a gate released, passes at once.
    void step(const StepRequest& request);
    // A passive wait: returns at once when anything changed since the calling thread last looked,
    // otherwise waits until something changes (a step taken, a thread parked or finished, a
    // notify). The caller re-checks its condition and comes back.
    void waitForChange();
    // Something changed that passive waiters may care about.
    void changed();

    // --- the scheduler ---------------------------------------------------------------------------
    // Waits up to timeoutNs for the run to be quiet; the snapshot says whether it got there.
    StepSnapshot waitQuiet(std::int64_t timeoutNs);
    StepSnapshot snapshot();
    // Lets `lane` take its step. False (with *error) when the run is not quiet, the lane is not
    // parked or its step is not enabled.
    bool grant(std::uint32_t lane, QString* error = nullptr);
    // Opens the gate for good: every thread runs freely from now on (used when no step is enabled,
    // so the real primitives show what happens: the wait-for graph finds the deadlock).
    void release();
    bool released() const;
    // The lanes granted so far, in order.
    std::vector<std::uint32_t> schedule() const;

    void wakeAll() override;

private:
    enum class State { Busy, Parked, Passive, Done };
    struct Thread
    {
        std::uint32_t lane = 0;
        State state = State::Busy;
        bool granted = false;
        std::uint64_t seen = 0; // the change count when it last looked
        StepRequest request;
    };
    Thread* find(std::uint32_t lane);
    bool quietLocked() const;
    StepSnapshot snapshotOf(std::unique_lock<std::mutex>& lock) const;
    void changedLocked();

    RunContext& m_ctx;
    mutable std::mutex m_mutex;
    std::condition_variable m_threadsCv;   // parked and passive threads
    std::condition_variable m_schedulerCv; // the scheduler waiting for quiet
    std::vector<std::unique_ptr<Thread>> m_threads; // by lane; a parked thread keeps its pointer
    std::vector<std::uint32_t> m_schedule;
    std::uint64_t m_changes = 0;
    bool m_released = false;
    bool m_wake = false; // wakeAll() while the scheduler waits
};

} // namespace interleave
