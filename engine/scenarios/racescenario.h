// Lesson "race": counter += 1 is read-modify-write; without a lock updates get lost.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace interleave {

class TracedMutex;
struct Worker;

class RaceScenario final : public Scenario
{
public:
    static ScenarioInfo info();

    RaceScenario();
    ~RaceScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void worker(RunContext& ctx, const Worker& me);

    // The race is a logical one on an atomic (relaxed load, window, relaxed exchange), so the
    // program has no undefined behaviour while updates still get lost.
    std::atomic<std::int64_t> m_counter{0};
    std::atomic<std::int64_t> m_increments{0};
    std::uint32_t m_counterObject = 0;
    std::unique_ptr<TracedMutex> m_lock;
};

} // namespace interleave
