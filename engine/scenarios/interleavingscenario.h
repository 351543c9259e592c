// Lesson "interleaving": threads that print and sleep take turns.
#pragma once

#include "../scenario.h"

#include <mutex>

namespace interleave {

struct Worker;

class InterleavingScenario final : public Scenario
{
public:
    static ScenarioInfo info();

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void worker(RunContext& ctx, const Worker& me);

    mutable std::mutex m_linesMutex; // guards the three below
    qint64 m_lines = 0;
    qint64 m_switches = 0;
    int m_lastIndex = -1; // the worker that printed the last line
};

} // namespace interleave
