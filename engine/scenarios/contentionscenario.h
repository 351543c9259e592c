// Lesson "contention": one hot lock serialises the threads; striped locks let them overlap.
#pragma once

#include "../scenario.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace interleave {

class TracedMutex;
struct Worker;

class ContentionScenario final : public Scenario
{
public:
    static constexpr int MaxLocks = 16;
    static ScenarioInfo info();

    ContentionScenario();
    ~ContentionScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void worker(RunContext& ctx, const Worker& me);
    TracedMutex& lockFor(RunContext& ctx, int stripe);

    // Locks are made the first time a stripe is used, so the lock count can grow while running
    // and unused stripes do not clutter the statistics.
    std::mutex m_locksMutex;
    std::vector<std::unique_ptr<TracedMutex>> m_owned;
    std::array<std::atomic<TracedMutex*>, MaxLocks> m_locks{};
    std::atomic<std::int64_t> m_ops{0};
    std::atomic<std::int64_t> m_waitNs{0};
    std::atomic<std::int64_t> m_threadNs{0}; // lifetime of finished workers, less pauses
    mutable std::mutex m_bornMutex;
    std::vector<std::int64_t> m_born; // start times of the workers alive
    std::atomic<std::int64_t> m_startNs{0};
    std::atomic<std::int64_t> m_endNs{0};
};

} // namespace interleave
