// The cost of deciding Running and Ready from the kernel's accounting (DESIGN.md section 3),
// next to the physical floor (one rdtsc) and to a peer: what a sampler thread would pay to read
// one thread's /proc stat file (the other way to learn a thread's state), all in this run.
//
//   bench_kernelstates [rounds]      (default 7; each figure is the median of the rounds)
//
// The recorder asks the kernel only after a gap of 20 µs in what its thread was seen doing, so
// the hot path (record(), observe()) costs one more comparison; the check itself is a CPU-clock
// read and a pread of /proc/self/task/<tid>/schedstat (twice: the second read tells whether a
// preemption landed inside the first). Printed: ns per operation and the ratios.
#include "clock.h"
#include "tracesession.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

using namespace interleave;

namespace {

volatile std::uint64_t g_sink = 0;

// ns per call of body(), over `n` calls; the median of `rounds` such measurements.
double perCall(int rounds, int n, const std::function<void()>& body, const std::function<void()>& between = {})
{
    std::vector<double> v;
    for (int r = 0; r < rounds; ++r) {
        if (between)
            between();
        const std::int64_t t0 = systemMonotonicNs();
        for (int i = 0; i < n; ++i)
            body();
        v.push_back(double(systemMonotonicNs() - t0) / n);
    }
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void spinNsHere(std::int64_t ns)
{
    const std::int64_t end = monotonicNs() + ns;
    while (monotonicNs() < end) {
    }
}

} // namespace

int main(int argc, char** argv)
{
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    LaneRecorder rec(0, std::size_t(1) << 20);
    rec.record(EventKind::LaneBegin, ThreadState::Running); // starts its kernel accounting
    auto drain = [&] { rec.ring().drain([](const TraceEvent*, std::size_t) {}); };
    // Touch the whole ring once, so that no figure pays first-touch page faults.
    for (std::size_t k = 0; k < rec.ring().capacity(); ++k)
        rec.recordAt(0, EventKind::State, ThreadState::Running);
    drain();

#if defined(__x86_64__)
    const double rdtsc = perCall(rounds, 1'000'000, [] { g_sink = g_sink + __rdtsc(); });
#else
    const double rdtsc = perCall(rounds, 1'000'000, [] { g_sink = g_sink + std::uint64_t(monotonicNs()); });
#endif
    const double clockRead = perCall(rounds, 1'000'000, [] { g_sink = g_sink + std::uint64_t(monotonicNs()); });
    const double record = perCall(rounds, 200'000, [&] { rec.record(EventKind::State, ThreadState::Running); }, drain);
    const double observe = perCall(rounds, 1'000'000, [&] { rec.observe(); });
    const double cpuClock = perCall(rounds, 100'000, [] { g_sink = g_sink + std::uint64_t(threadCpuNs()); });

    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", int(::syscall(SYS_gettid)));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    char buffer[256];
    const double schedstat = fd >= 0 ? perCall(rounds, 20'000, [&] { g_sink = g_sink + std::uint64_t(::pread(fd, buffer, sizeof buffer, 0)); }) : -1;
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", int(::syscall(SYS_gettid)));
    const double peerStat = perCall(rounds, 20'000, [&] {
        const int f = ::open(path, O_RDONLY | O_CLOEXEC);
        g_sink = g_sink + std::uint64_t(::read(f, buffer, sizeof buffer));
        ::close(f);
    });

    // A record after a gap: the kernel check plus the record. The gap itself is not timed.
    std::vector<double> checks;
    for (int r = 0; r < rounds; ++r) {
        drain();
        std::vector<double> one;
        for (int i = 0; i < 2000; ++i) {
            spinNsHere(LaneRecorder::KernelCheckGapNs + 5'000);
            const std::int64_t t0 = systemMonotonicNs();
            rec.record(EventKind::State, ThreadState::Running);
            one.push_back(double(systemMonotonicNs() - t0));
        }
        std::sort(one.begin(), one.end());
        checks.push_back(one[one.size() / 2]);
    }
    std::sort(checks.begin(), checks.end());
    const double check = checks[checks.size() / 2];
    const double worstShare = check / double(LaneRecorder::KernelCheckGapNs + check);

    std::printf("ns per operation (median of %d rounds)\n", rounds);
    std::printf("  rdtsc (the floor)                          %8.1f\n", rdtsc);
    std::printf("  monotonicNs() (TSC, scaled)                %8.1f\n", clockRead);
    std::printf("  record(), no gap                           %8.1f   %.2f x rdtsc\n", record, record / rdtsc);
    std::printf("  observe(), no gap                          %8.1f   %.2f x rdtsc\n", observe, observe / rdtsc);
    std::printf("  CPU clock (CLOCK_THREAD_CPUTIME_ID)        %8.1f\n", cpuClock);
    std::printf("  pread schedstat                            %8.1f\n", schedstat);
    std::printf("  record() after a gap (the kernel check)    %8.1f   %.1f x record()\n", check, check / record);
    std::printf("  peer: open+read+close /proc/<tid>/stat     %8.1f   (one thread, one sample of a sampler)\n", peerStat);
    std::printf("worst case: a check after every 20 us gap costs %.1f%% of the thread's time;\n"
                "a 1 kHz sampler of 16 threads would read %d files a second: %.1f%% of a core\n",
                100 * worstShare, 16 * 1000, 100 * 16 * 1000 * peerStat / 1e9);
    std::printf("RESULT K1 | kernel check after a gap (CPU clock + schedstat), vs one record() | %.2f us | (no target; for comparison) | %.1f x | info\n",
                check / 1000, check / record);
    std::printf("RESULT K2 | record() hot path with the gap test, vs one rdtsc | %.1f ns | (no target; P1 holds the target) | %.2f x | info\n",
                record, record / rdtsc);
    if (fd >= 0)
        ::close(fd);
    return 0;
}
