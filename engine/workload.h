// Work a thread can do: real computation with honest Running/Ready accounting, and I/O waits.
#pragma once

#include <cstdint>

namespace interleave {

class RunContext;
class SimGil;

// Computes for `ms` lesson-milliseconds of this thread's CPU time (one core's worth), in short
// slices. After each slice, wall time the thread did not get on a core is recorded as Ready;
// with a GIL, a pending drop request is honoured between slices. Cancellable.
void cpuWork(RunContext& ctx, double ms, SimGil* gil = nullptr);

// Waits like blocking I/O for `ms` lesson-milliseconds, recorded as Sleeping; releases the GIL
// (when given) for the duration, as CPython does. Cancellable.
void ioWork(RunContext& ctx, double ms, SimGil* gil = nullptr);

// Busy-waits `ns` of wall time. Recorded as whatever state the lane is in.
void spinNs(std::int64_t ns) noexcept;

// Busy-waits `ns` of wall time as Running work, recording as Ready the part the OS kept this
// thread off a core (the race window: a thread descheduled between its read and its write).
void spinWork(std::int64_t ns) noexcept;

// Iterations of the compute kernel per microsecond of CPU, measured once per process.
double kernelIterationsPerUs();

} // namespace interleave
