// Lesson "gil": under a GIL, CPU-bound threads take turns and do not speed up, I/O-bound threads
// do, and processes and sub-interpreters (each with its own GIL) run in parallel, as do threads of
// the free-threaded build.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <memory>

namespace interleave {

class SimGil;

class GilScenario final : public Scenario
{
public:
    enum Workload { Cpu, Io, Mixed }; // the choices of parameter "workload", in order
    static ScenarioInfo info();

    GilScenario();
    ~GilScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    // Takes tasks until none is left; computing takes cpuScale x its ms (the free-threaded build).
    void threadWorker(RunContext& ctx, Workload workload, double taskMs, int tasks, double cpuScale);

    std::unique_ptr<SimGil> m_gil;
    std::atomic<SimGil*> m_gilView{nullptr};
    std::atomic<int> m_nextTask{0};
    std::atomic<int> m_tasksDone{0};
    std::atomic<std::int64_t> m_startNs{0};
    std::atomic<std::int64_t> m_endNs{0};
    std::atomic<double> m_workMs{0}; // real ms of work submitted (task_ms x tasks / speed)
    std::atomic<double> m_taskRealMs{0}; // real ms of one task
};

} // namespace interleave
