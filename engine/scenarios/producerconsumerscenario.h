// Lesson "producer_consumer": queue.Queue, bounded buffers, and the `while not q.empty()` bug.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace interleave {

class TracedQueue;

class ProducerConsumerScenario final : public Scenario
{
public:
    enum Style { Sentinel, Join, EmptyCheck }; // the choices of parameter "consumer_style", in order
    static ScenarioInfo info();

    ProducerConsumerScenario();
    ~ProducerConsumerScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

private:
    static constexpr std::int64_t SentinelItem = -1;

    void producer(RunContext& ctx);
    void consumer(RunContext& ctx, Style style);
    void consume(RunContext& ctx, std::int64_t item);

    std::unique_ptr<TracedQueue> m_queue;
    std::atomic<const TracedQueue*> m_queueView{nullptr}; // for outcome(), from any thread
    std::atomic<bool> m_consumersRetire{false};
    std::atomic<std::int64_t> m_produced{0};
    std::atomic<std::int64_t> m_consumed{0};
    std::atomic<std::int64_t> m_waitNsTotal{0};
    mutable std::mutex m_putTimesMutex;
    std::vector<std::int64_t> m_putTimes; // by item id: when it was put
    std::int64_t m_capacity = 0;
    std::atomic<bool> m_finished{false};
    std::atomic<bool> m_stuck{false};
    std::atomic<int> m_consumersLeft{0};
};

} // namespace interleave
