// ClockCalibration: measured (or inherited from the parent process) before main().
#include "clock.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace interleave {

std::string ClockCalibration::toString() const
{
    char text[96];
    std::snprintf(text, sizeof text, "%llu:%lld:%.17g", static_cast<unsigned long long>(tsc0),
                  static_cast<long long>(ns0), nsPerTick);
    return text;
}

std::optional<ClockCalibration> ClockCalibration::fromString(const char* text)
{
    if (!text)
        return std::nullopt;
    unsigned long long tsc0 = 0;
    long long ns0 = 0;
    double scale = 0;
    char tail = 0;
    if (std::sscanf(text, "%llu:%lld:%lg%c", &tsc0, &ns0, &scale, &tail) != 3 || !(scale > 0.01 && scale < 100))
        return std::nullopt;
    ClockCalibration c;
    c.tsc0 = tsc0;
    c.ns0 = ns0;
    c.setScale(scale);
    c.tsc = true;
    return c;
}

namespace {

#if defined(__x86_64__)
bool invariantTsc()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("flags", 0) == 0)
            return line.find(" constant_tsc") != std::string::npos && line.find(" nonstop_tsc") != std::string::npos;
    }
    return false;
}

// One (ns, tsc) pair: the TSC read between two clock reads, from the tightest of a few tries.
std::pair<std::int64_t, std::uint64_t> pairNow()
{
    std::int64_t bestWidth = INT64_MAX;
    std::pair<std::int64_t, std::uint64_t> best{0, 0};
    for (int i = 0; i < 16; ++i) {
        const std::int64_t a = systemMonotonicNs();
        const std::uint64_t t = __rdtsc();
        const std::int64_t b = systemMonotonicNs();
        if (b - a < bestWidth) {
            bestWidth = b - a;
            best = {a + (b - a) / 2, t};
        }
    }
    return best;
}
#endif

ClockCalibration calibrate()
{
    ClockCalibration c;
#if defined(__x86_64__)
    const char* mode = std::getenv("INTERLEAVE_CLOCK");
    if (mode && std::strcmp(mode, "monotonic") == 0)
        return c;
    if (auto inherited = ClockCalibration::fromString(std::getenv(ClockCalibrationEnv)))
        return *inherited;
    if (!invariantTsc())
        return c;
    const auto [ns0, tsc0] = pairNow();
    std::int64_t ns1 = ns0;
    std::uint64_t tsc1 = tsc0;
    while (ns1 - ns0 < 10'000'000) { // 10 ms: the scale is then good to a few parts per million
        const auto p = pairNow();
        ns1 = p.first;
        tsc1 = p.second;
    }
    const double scale = double(ns1 - ns0) / double(tsc1 - tsc0);
    if (!(scale > 0.01 && scale < 100))
        return c; // a TSC that does not tick as it should
    c.tsc0 = tsc0;
    c.ns0 = ns0;
    c.setScale(scale);
    c.tsc = true;
#endif
    return c;
}

} // namespace

ClockCalibration g_clockCalibration = calibrate();

} // namespace interleave
