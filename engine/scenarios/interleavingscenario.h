// Lesson "interleaving": threads that print and sleep take turns.
#pragma once

#include "../scenario.h"

#include <random>

namespace interleave {

class InterleavingScenario final : public Scenario
{
public:
    static ScenarioInfo info();

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void worker(RunContext& ctx, int index, const std::atomic<bool>& retire);

    int m_threadsParam = -1;
    int m_stepsParam = -1;
    int m_sleepParam = -1;
    int m_jitterParam = -1;
};

} // namespace interleave
