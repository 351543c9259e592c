// Lesson "pipeline": load the next batches while the model trains on this one. Loaders fill a
// bounded queue (the prefetch depth); one trainer takes batches and computes.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace interleave {

class SimGil;
class TracedQueue;
struct Worker;

class PipelineScenario final : public Scenario
{
public:
    enum Executor { Threads, Processes }; // the choices of parameter "loader_executor", in order
    enum LoadKind { Io, Cpu };            // the choices of parameter "load_kind", in order
    static ScenarioInfo info();

    PipelineScenario();
    ~PipelineScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void loader(RunContext& ctx, const Worker& me);
    // Loads one batch on the calling thread (a loader, or the trainer when nothing prefetches).
    void loadHere(RunContext& ctx, SimGil* gil);
    void trainer(RunContext& ctx);
    // One batch's cost one after another, at the settings and speed it ran with.
    void addSequential(RunContext& ctx, bool load);

    std::unique_ptr<SimGil> m_gil;
    std::unique_ptr<TracedQueue> m_queue; // none when prefetch is 0
    int m_batches = 0;
    LoadKind m_loadKind = Io;
    Executor m_executor = Threads;
    std::atomic<int> m_nextBatch{0};
    std::atomic<int> m_trained{0};
    std::atomic<std::int64_t> m_startNs{0};
    std::atomic<std::int64_t> m_endNs{0};
    std::atomic<std::int64_t> m_idleNs{0};       // the trainer waiting for data (or loading it)
    std::atomic<std::int64_t> m_sequentialNs{0}; // load + train of each batch, one after another
};

} // namespace interleave
