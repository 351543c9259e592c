// A simulated Python GIL that follows CPython's (3.2+) switching: a waiter that has waited a
// switch interval asks the holder to drop it; the holder drops it at its next slice boundary
// and does not take it back until another thread has had it.
#pragma once

#include "runcontext.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace interleave {

class SimGil final : public Waitable
{
public:
    // intervalNs is read at every wait, so the switch interval can change while running.
    SimGil(RunContext& ctx, std::function<std::int64_t()> intervalNs, const QString& name = QStringLiteral("GIL"));
    ~SimGil() override;

    void acquire();
    void release() { drop(false); }
    // Called between slices of work while holding the GIL: honours a pending drop request.
    void yieldIfRequested()
    {
        if (m_dropRequest.load(std::memory_order_relaxed))
            forcedSwitch();
    }

    bool dropRequested() const noexcept { return m_dropRequest.load(std::memory_order_relaxed); }
    std::int64_t switches() const;
    std::int64_t holder() const; // lane id or -1
    std::uint32_t objectId() const noexcept { return m_object; }

    void wakeAll() override;

private:
    void drop(bool forced);
    void forcedSwitch();

    RunContext& m_ctx;
    const std::function<std::int64_t()> m_intervalNs;
    const std::uint32_t m_object;
    mutable std::mutex m_mutex;
    std::condition_variable m_cond;       // the GIL was released
    std::condition_variable m_switchCond; // someone else took it (forced switching)
    std::atomic<bool> m_dropRequest{false};
    std::int64_t m_holder = -1;
    std::int64_t m_lastHolder = -1;
    std::uint64_t m_switchNumber = 0;
    int m_waiters = 0;
};

// Releases the GIL for a scope (blocking I/O in CPython does the same), taking it back after.
class GilReleased
{
public:
    explicit GilReleased(SimGil* gil)
        : m_gil(gil)
    {
        if (m_gil)
            m_gil->release();
    }
    ~GilReleased() noexcept(false)
    {
        // Re-acquiring may throw Cancelled; never while already unwinding.
        if (m_gil && std::uncaught_exceptions() == 0)
            m_gil->acquire();
    }
    GilReleased(const GilReleased&) = delete;
    GilReleased& operator=(const GilReleased&) = delete;

private:
    SimGil* m_gil;
};

} // namespace interleave
