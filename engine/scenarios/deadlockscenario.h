// Lesson "deadlock": dining philosophers; lock ordering or try-lock avoids the cycle.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <memory>
#include <vector>

namespace interleave {

class TracedMutex;

class DeadlockScenario final : public Scenario
{
public:
    enum Strategy { Naive, Ordered, TryLock }; // the choices of parameter "strategy", in order
    static ScenarioInfo info();

    DeadlockScenario();
    ~DeadlockScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void philosopher(RunContext& ctx, int index);

    std::vector<std::unique_ptr<TracedMutex>> m_forks;
    std::unique_ptr<std::atomic<int>[]> m_meals;
    std::atomic<int> m_count{0}; // published after m_meals exists: outcome() may run any time
    std::atomic<std::int64_t> m_startNs{0};
    std::atomic<int> m_seated{0}; // philosophers at the table; the first thought starts when all are
};

} // namespace interleave
