// A bounded lock-free single-producer single-consumer ring of TraceEvents.
#pragma once

#include "traceevent.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace interleave {

// One producer (the thread that owns the lane) pushes; one consumer (the collector) drains.
// A full ring drops the new event and counts it: the producer never waits.
class EventRing
{
public:
    explicit EventRing(std::size_t capacity); // rounded up to a power of two

    EventRing(const EventRing&) = delete;
    EventRing& operator=(const EventRing&) = delete;

    // Producer side: claim a slot, fill it in place, publish it. Writing the fields straight
    // into the slot (rather than copying a finished event in) keeps recording near the cost of
    // the clock read. A full ring returns nullptr and counts the drop.
    TraceEvent* claim() noexcept
    {
        const std::uint64_t head = m_head.load(std::memory_order_relaxed);
        if (head - m_cachedTail >= m_capacity) {
            m_cachedTail = m_tail.load(std::memory_order_acquire);
            if (head - m_cachedTail >= m_capacity) {
                m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                return nullptr;
            }
        }
        return &m_buffer[head & m_mask];
    }

    void publish() noexcept
    {
        m_head.store(m_head.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }

    bool push(const TraceEvent& e) noexcept
    {
        TraceEvent* slot = claim();
        if (!slot)
            return false;
        *slot = e;
        publish();
        return true;
    }

    // Consumer side: hands every event pushed so far to fn(const TraceEvent* first, size_t n),
    // in one or two contiguous chunks, then frees their slots. Returns the number drained.
    template<typename Fn>
    std::size_t drain(Fn&& fn)
    {
        const std::uint64_t tail = m_tail.load(std::memory_order_relaxed);
        const std::uint64_t head = m_head.load(std::memory_order_acquire);
        const std::uint64_t n = head - tail;
        if (n == 0)
            return 0;
        const std::uint64_t start = tail & m_mask;
        const std::uint64_t firstChunk = std::min<std::uint64_t>(n, m_capacity - start);
        fn(m_buffer.get() + start, std::size_t(firstChunk));
        if (firstChunk < n)
            fn(m_buffer.get(), std::size_t(n - firstChunk));
        m_tail.store(head, std::memory_order_release);
        return std::size_t(n);
    }

    std::uint64_t dropped() const noexcept { return m_dropped.load(std::memory_order_relaxed); }
    std::uint64_t pushed() const noexcept { return m_head.load(std::memory_order_relaxed); }
    // Events waiting to be drained (exact on the producer's side, a snapshot elsewhere).
    std::size_t backlog() const noexcept
    {
        return std::size_t(m_head.load(std::memory_order_relaxed) - m_tail.load(std::memory_order_relaxed));
    }
    std::size_t capacity() const noexcept { return std::size_t(m_capacity); }

private:
    // Producer-owned line.
    alignas(64) std::atomic<std::uint64_t> m_head{0};
    std::uint64_t m_cachedTail = 0;
    std::atomic<std::uint64_t> m_dropped{0};
    // Consumer-owned line.
    alignas(64) std::atomic<std::uint64_t> m_tail{0};
    // Read-only after construction.
    alignas(64) const std::uint64_t m_capacity;
    const std::uint64_t m_mask;
    struct Free { void operator()(TraceEvent* p) const noexcept { std::free(p); } };
    std::unique_ptr<TraceEvent[], Free> m_buffer;
};

} // namespace interleave
