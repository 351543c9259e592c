// Work a thread can do: real computation with honest Running/Ready accounting, and I/O waits.
#pragma once

#include <cstdint>

namespace interleave {

class RunContext;
class SimGil;

// Computes for `ms` lesson-milliseconds of this thread's CPU time (one core's worth), in short
// slices; the lane recorder sees every few µs, so time off the core is drawn Ready where it
// happened. With a GIL, a pending drop request is honoured between slices. Cancellable.
void cpuWork(RunContext& ctx, double ms, SimGil* gil = nullptr);

// Waits like blocking I/O for `ms` lesson-milliseconds, recorded as Sleeping; releases the GIL
// (when given) for the duration, as CPython does. Cancellable.
void ioWork(RunContext& ctx, double ms, SimGil* gil = nullptr);

// Busy-waits `ns` of wall time. Recorded as whatever state the lane is in.
void spinNs(std::int64_t ns) noexcept;

// Busy-waits `ns` of wall time as Running work (the race window); a preemption in it is drawn
// Ready where it happened (a thread descheduled between its read and its write).
void spinWork(std::int64_t ns) noexcept;

// Iterations of the compute kernel per microsecond of CPU, measured once per process (call it
// before any lane computes: the measurement itself is not observed), or as given.
double kernelIterationsPerUs();
// A worker process takes its parent's figure instead of measuring (5 ms or more of CPU that
// would show as Running before its first task).
void setKernelIterationsPerUs(double perUs);

} // namespace interleave
