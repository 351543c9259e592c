// Workloads: a real compute kernel sliced so Ready time (CPU time < wall time) can be derived.
#include "workload.h"

#include "clock.h"
#include "runcontext.h"
#include "simgil.h"
#include "tracesession.h"

#include <algorithm>
#include <atomic>

namespace interleave {

namespace {

constexpr std::int64_t SliceTargetNs = 250'000;    // one slice of compute, about 0.25 ms
constexpr std::int64_t ReadyThresholdNs = 20'000;  // below this, scheduling noise, not Ready

std::atomic<std::uint64_t> g_sink{0}; // keeps the kernel's result observable

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

double kernelIterationsPerUs()
{
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

namespace {
// Records the wall time of [w0, w1) that was not CPU time as Ready, at the end of the span.
void accountReady(LaneRecorder* rec, std::int64_t w0, std::int64_t w1, std::int64_t cpu) noexcept
{
    const std::int64_t stolen = (w1 - w0) - cpu;
    if (!rec || stolen <= ReadyThresholdNs)
        return;
    // Where in the span the OS took the core away is unknown; spans are short, so putting the
    // Ready part at the end is off by at most one span.
    const ThreadState s = rec->state();
    rec->recordAt(w0 + cpu, EventKind::State, ThreadState::Ready);
    rec->recordAt(w1, EventKind::State, s);
}
} // namespace

void spinWork(std::int64_t ns) noexcept
{
    if (ns <= 0)
        return;
    const std::int64_t c0 = threadCpuNs();
    const std::int64_t w0 = monotonicNs();
    const std::int64_t end = w0 + ns;
    std::int64_t w1 = w0;
    while (w1 < end)
        w1 = monotonicNs();
    accountReady(LaneRecorder::current(), w0, w1, threadCpuNs() - c0);
}

void cpuWork(RunContext& ctx, double ms, SimGil* gil)
{
    LaneRecorder* rec = LaneRecorder::current();
    const std::int64_t target = ctx.scaledNs(ms);
    const auto sliceIterations = std::uint64_t(kernelIterationsPerUs() * double(SliceTargetNs) / 1000.0);
    std::uint64_t x = 0x9E3779B97F4A7C15ULL ^ std::uint64_t(target);
    std::int64_t used = 0;
    if (rec)
        rec->setState(ThreadState::Running);
    while (used < target) {
        ctx.checkpoint();
        const std::int64_t w0 = monotonicNs();
        const std::int64_t c0 = threadCpuNs();
        const std::int64_t left = target - used;
        const std::uint64_t iterations = left < SliceTargetNs
            ? std::max<std::uint64_t>(1, std::uint64_t(double(sliceIterations) * double(left) / SliceTargetNs))
            : sliceIterations;
        x = kernel(iterations, x);
        const std::int64_t c1 = threadCpuNs();
        const std::int64_t w1 = monotonicNs();
        const std::int64_t cpu = c1 - c0;
        used += std::max<std::int64_t>(cpu, 1);
        accountReady(rec, w0, w1, cpu);
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
