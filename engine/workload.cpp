// Workloads: a real compute kernel that looks at the clock every few µs (so that a preemption is
// seen where it happens), and I/O waits.
#include "workload.h"

#include "clock.h"
#include "runcontext.h"
#include "simgil.h"
#include "tracesession.h"

#include <algorithm>
#include <atomic>

namespace interleave {

namespace {

constexpr std::int64_t SliceTargetNs = 250'000; // one slice of compute, about 0.25 ms, then the CPU clock
constexpr std::int64_t ChunkNs = 2'000;          // between two looks at the wall clock

std::atomic<std::uint64_t> g_sink{0}; // keeps the kernel's result observable
std::atomic<double> g_givenRate{0};    // a worker process's kernel rate, from its parent

std::uint64_t kernel(std::uint64_t iterations, std::uint64_t x) noexcept
{
    // xorshift64*: cheap, serial, and the compiler cannot fold it away.
    for (std::uint64_t i = 0; i < iterations; ++i) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x *= 0x2545F4914F6CDD1DULL;
    }
    return x;
}

} // namespace

void setKernelIterationsPerUs(double perUs)
{
    g_givenRate.store(perUs, std::memory_order_relaxed);
}

double kernelIterationsPerUs()
{
    if (const double given = g_givenRate.load(std::memory_order_relaxed); given > 0)
        return given;
    static const double perUs = [] {
        std::uint64_t iterations = 20'000;
        for (;;) {
            const std::int64_t c0 = threadCpuNs();
            g_sink.fetch_add(kernel(iterations, 88172645463325252ULL), std::memory_order_relaxed);
            const std::int64_t used = threadCpuNs() - c0;
            if (used >= 5'000'000 || iterations > (1ULL << 34))
                return std::max(1.0, double(iterations) / (double(used) / 1000.0));
            iterations *= 4;
        }
    }();
    return perUs;
}

void spinWork(std::int64_t ns) noexcept
{
    if (ns <= 0)
        return;
    LaneRecorder* rec = LaneRecorder::current();
    const std::int64_t end = monotonicNs() + ns;
    for (std::int64_t now = monotonicNs(); now < end; now = monotonicNs()) {
        if (rec)
            rec->observeAt(now); // a preemption in the window is drawn Ready where it happened
    }
}

void cpuWork(RunContext& ctx, double ms, SimGil* gil)
{
    if (ctx.stepping())
        return; // between two steps no time passes
    LaneRecorder* rec = LaneRecorder::current();
    const std::int64_t target = ctx.scaledNs(ms);
    const auto sliceIterations = std::uint64_t(kernelIterationsPerUs() * double(SliceTargetNs) / 1000.0);
    const auto chunkIterations = std::max<std::uint64_t>(1, std::uint64_t(kernelIterationsPerUs() * double(ChunkNs) / 1000.0));
    std::uint64_t x = 0x9E3779B97F4A7C15ULL ^ std::uint64_t(target);
    std::int64_t used = 0;
    if (rec)
        rec->setState(ThreadState::Running);
    while (used < target) {
        ctx.checkpoint();
        const std::int64_t c0 = threadCpuNs();
        const std::int64_t left = target - used;
        const std::uint64_t iterations = left < SliceTargetNs
            ? std::max<std::uint64_t>(1, std::uint64_t(double(sliceIterations) * double(left) / SliceTargetNs))
            : sliceIterations;
        // In chunks of a few µs, each followed by a look at the clock: the recorder draws any
        // preemption as Ready where it happened (LaneRecorder::observe).
        for (std::uint64_t done = 0; done < iterations; done += chunkIterations) {
            x = kernel(std::min(chunkIterations, iterations - done), x);
            if (rec)
                rec->observe();
        }
        const std::int64_t cpu = threadCpuNs() - c0;
        used += std::max<std::int64_t>(cpu, 1);
        if (gil)
            gil->yieldIfRequested();
    }
    g_sink.fetch_add(x, std::memory_order_relaxed);
}

void ioWork(RunContext& ctx, double ms, SimGil* gil)
{
    GilReleased released(gil);
    ctx.sleepMs(ms, ThreadState::Sleeping);
}

void spinNs(std::int64_t ns) noexcept
{
    if (ns <= 0)
        return;
    const std::int64_t end = monotonicNs() + ns;
    while (monotonicNs() < end) {
    }
}

} // namespace interleave
