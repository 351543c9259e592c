// A mutex that records wait, acquire and release, and whose lock wait is cancellable.
#pragma once

#include "runcontext.h"

#include <QString>

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace interleave {

// Owner-tracked, non-recursive. lock() throws Cancelled when Stop is requested while waiting.
class TracedMutex final : public Waitable
{
public:
    TracedMutex(RunContext& ctx, const QString& name);
    ~TracedMutex() override;

    void lock();
    bool tryLock();
    void unlock();

    std::uint32_t objectId() const noexcept { return m_object; }
    int waiters() const;
    // The lane holding it, or -1.
    std::int64_t owner() const;

    void wakeAll() override;

private:
    RunContext& m_ctx;
    const std::uint32_t m_object;
    const QString m_name;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::int64_t m_owner = -1;
    std::int64_t m_lastHolder = -1; // the lane that took it last (a run of its holds may fold)
    int m_waiters = 0;
};

// RAII for TracedMutex (std::lock_guard needs lowercase lock/unlock, which we have, but this
// reads better at the call site and skips the lock when `enabled` is false).
class TracedLocker
{
public:
    explicit TracedLocker(TracedMutex& m, bool enabled = true)
        : m_mutex(enabled ? &m : nullptr)
    {
        if (m_mutex)
            m_mutex->lock();
    }
    ~TracedLocker()
    {
        if (m_mutex)
            m_mutex->unlock();
    }
    TracedLocker(const TracedLocker&) = delete;
    TracedLocker& operator=(const TracedLocker&) = delete;

private:
    TracedMutex* m_mutex;
};

} // namespace interleave
