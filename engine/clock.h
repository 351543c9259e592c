// The one clock every thread and worker process records with, plus per-thread CPU time.
#pragma once

#include <cstdint>
#include <ctime>

namespace interleave {

// CLOCK_MONOTONIC is system-wide, so timestamps from worker processes line up with ours.
inline std::int64_t monotonicNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// CPU time consumed by the calling thread; compared with wall time it tells Running from Ready.
inline std::int64_t threadCpuNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace interleave
