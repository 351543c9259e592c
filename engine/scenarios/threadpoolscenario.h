// Lesson "thread_pool": a pool reuses a few threads and bounds concurrency; one thread per task
// pays for a thread each time and runs everything at once.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <memory>
#include <mutex>

class QThreadPool;

namespace interleave {

class ThreadPoolScenario final : public Scenario
{
public:
    static ScenarioInfo info();

    ThreadPoolScenario();
    ~ThreadPoolScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    void runTask(RunContext& ctx, int task, std::int64_t submittedNs, double ms);
    void poolDepthChanged(int delta);

    std::unique_ptr<QThreadPool> m_pool;
    std::uint32_t m_pendingObject = 0;
    std::mutex m_depthMutex;
    int m_pending = 0;
    std::atomic<int> m_tasksDone{0};
    std::atomic<int> m_running{0};
    std::atomic<int> m_maxRunning{0};
    std::atomic<int> m_threadsCreated{0};
    std::atomic<std::int64_t> m_queueWaitNs{0};
    std::atomic<std::int64_t> m_runNs{0};
    std::atomic<std::int64_t> m_startNs{0};
    std::atomic<std::int64_t> m_endNs{0};
    std::atomic<int> m_poolSize{0};
    std::atomic<std::uint64_t> m_poolGeneration{0};
};

} // namespace interleave
