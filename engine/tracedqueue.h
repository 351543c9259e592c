// A blocking FIFO with Python queue.Queue semantics, traced and cancellable.
#pragma once

#include "runcontext.h"

#include <QString>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace interleave {

// put/get block like queue.Queue (maxsize 0 = unbounded); task_done/join count unfinished
// work. Every blocking call throws Cancelled when Stop is requested.
class TracedQueue final : public Waitable
{
public:
    TracedQueue(RunContext& ctx, const QString& name, std::int64_t maxsize = 0);
    ~TracedQueue() override;

    // Blocks while full. With block == false or a timeout that passes, returns false (Full).
    void put(std::int64_t item) { put(item, true, -1); }
    bool put(std::int64_t item, bool block, std::int64_t timeoutNs);
    // Blocks while empty. With block == false or a timeout that passes, returns nullopt (Empty).
    std::int64_t get() { return *get(true, -1); }
    std::optional<std::int64_t> get(bool block, std::int64_t timeoutNs);

    bool empty() const;
    bool full() const;
    std::int64_t qsize() const;
    std::int64_t maxsize() const;

    // Throws std::logic_error when called more times than items were put, like Python's ValueError.
    void taskDone();
    // Blocks until every item put has been marked done.
    void join();
    std::int64_t unfinishedTasks() const;

    // Statistics kept by the queue itself (the trace has them too).
    std::int64_t maxDepthSeen() const;
    double meanDepth() const; // time-weighted, since the queue was made

    std::uint32_t objectId() const noexcept { return m_object; }
    void wakeAll() override;

private:
    bool isFull() const { return m_maxsize > 0 && std::int64_t(m_items.size()) >= m_maxsize; }
    void depthChanging(); // call under m_mutex before the depth changes

    RunContext& m_ctx;
    const std::uint32_t m_object;
    const QString m_name;
    mutable std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::condition_variable m_allDone;
    std::deque<std::int64_t> m_items;
    std::int64_t m_maxsize;
    std::int64_t m_unfinished = 0;
    std::int64_t m_maxDepth = 0;
    const std::int64_t m_createdNs;
    std::int64_t m_lastChangeNs;
    double m_depthArea = 0; // sum of depth x ns
};

} // namespace interleave
