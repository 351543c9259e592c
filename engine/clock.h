// The one clock every thread and worker process records with, plus per-thread CPU time.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace interleave {

// CLOCK_MONOTONIC: system-wide, so every process agrees on it.
inline std::int64_t systemMonotonicNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// How TSC ticks map to CLOCK_MONOTONIC nanoseconds: ns = ns0 + (tsc - tsc0) * nsPerTick.
struct ClockCalibration
{
    std::uint64_t tsc0 = 0;
    std::int64_t ns0 = 0;
    double nsPerTick = 0;
    std::int64_t nsPerTickQ32 = 0; // nsPerTick in 32.32 fixed point: what monotonicNs() multiplies by
    bool tsc = false; // false: monotonicNs() is systemMonotonicNs()

    void setScale(double scale)
    {
        nsPerTick = scale;
        nsPerTickQ32 = std::int64_t(scale * 4294967296.0 + 0.5);
    }

    // "tsc0:ns0:nsPerTick", handed to worker processes so that they convert exactly as we do.
    std::string toString() const;
    static std::optional<ClockCalibration> fromString(const char* text);
};

// Set once before main() (clock.cpp) and only read afterwards. On x86-64 with an invariant TSC
// (constant_tsc and nonstop_tsc in /proc/cpuinfo) the scale is measured against CLOCK_MONOTONIC
// for 10 ms; INTERLEAVE_CLOCK=monotonic turns the TSC off; a worker process takes its parent's
// calibration from INTERLEAVE_CLOCK_CALIBRATION.
extern ClockCalibration g_clockCalibration;
inline constexpr char ClockCalibrationEnv[] = "INTERLEAVE_CLOCK_CALIBRATION";

// Nanoseconds on the session's clock (CLOCK_MONOTONIC's scale and origin). With the TSC one read
// is ~10 ns instead of ~24 ns for clock_gettime (DESIGN.md P1). The read is not serialising: it
// may move a few ns against neighbouring instructions, far below what the timeline resolves.
inline std::int64_t monotonicNs() noexcept
{
#if defined(__x86_64__)
    if (g_clockCalibration.tsc) {
        // An integer multiply (a 128-bit product, shifted) rather than two conversions to and from
        // double: half the latency. Its rounding (2^-32 ns per tick) is far below the calibration's.
        __extension__ using Wide = __int128;
        const auto ticks = std::int64_t(__rdtsc() - g_clockCalibration.tsc0);
        return g_clockCalibration.ns0 + std::int64_t((Wide(ticks) * g_clockCalibration.nsPerTickQ32) >> 32);
    }
#endif
    return systemMonotonicNs();
}

// CPU time consumed by the calling thread; compared with wall time it tells Running from Ready.
inline std::int64_t threadCpuNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace interleave
