// Lesson "shared_data": the less threads share, the less they lock. One total, updated under a
// lock per value, per batch of values, or summed per thread and merged once at the end.
#pragma once

#include "../scenario.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace interleave {

class TracedMutex;
struct Worker;

class SharedDataScenario final : public Scenario
{
public:
    enum Strategy { SharedLock, Batched, Local }; // the choices of parameter "strategy", in order
    static ScenarioInfo info();

    SharedDataScenario();
    ~SharedDataScenario() override;

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;

    // The k-th value (0-based) each thread adds: small numbers, so the total reads aloud.
    static std::int64_t valueAt(std::int64_t k) { return k % 10 + 1; }
    // The sum of the first n values: what one thread adds in all.
    static std::int64_t sumOfValues(std::int64_t n);

private:
    void worker(RunContext& ctx, const Worker& me);
    // Adds `amount` to the shared total under the lock (the addition takes addNs), counting a
    // lock found taken as contended.
    void addUnderLock(std::int64_t amount, std::int64_t addNs);

    // Read by outcome() from any thread, so atomics; the total itself is only ever changed
    // under m_lock (a relaxed load and store: the lock, not the atomic, keeps it right).
    std::atomic<std::int64_t> m_total{0};
    std::atomic<std::int64_t> m_expected{0};
    std::atomic<std::int64_t> m_acquisitions{0};
    std::atomic<std::int64_t> m_contended{0};
    std::atomic<std::int64_t> m_startNs{0};
    std::atomic<std::int64_t> m_endNs{0};
    std::atomic<bool> m_merged{false};
    std::unique_ptr<std::atomic<std::int64_t>[]> m_partials; // strategy local: one per thread
    std::int64_t m_increments = 0;
    std::int64_t m_batch = 1;
    Strategy m_strategy = SharedLock;
    std::unique_ptr<TracedMutex> m_lock;
};

} // namespace interleave
