// Turns a step-function counter (queue depth, lock waiters, GIL holder) into a chart polyline of
// at most about two points per pixel column, so a chart update costs the same at any history size.
#pragma once

#include "tracestore.h"

#include <QList>
#include <QPointF>

#include <cstdint>
#include <vector>

namespace interleave {

// samples: sorted by t; each value holds until the next sample (a step function).
// [t0, t1]: the visible time range in ns; the value in force at t0 starts the line (when no sample
// is at or before t0, the line starts at the first sample in range).
// columns: pixel columns of the plot (values < 1 count as 1).
// nsPerUnit: x = t / nsPerUnit (1e9: seconds since the session start).
//
// When the range holds no more samples than columns, the result is the exact step polyline:
// (t_i, previous value), (t_i, new value) per change, ending at (t1, last value); samples that do
// not change the value add nothing. Otherwise each pixel column keeps the minimum and maximum of
// the values in force during it (placed at its first change, ordered to continue from the previous
// column), and flat runs keep only their two ends. Either way the result has at most
// 2 * columns + 2 points.
// The first ns of pixel column c (0 <= c <= columns) of [t0, t1]: column c covers
// [decimationColumnStart(c), decimationColumnStart(c + 1)). Exposed so tests bucket time the same way.
std::int64_t decimationColumnStart(std::int64_t t0, std::int64_t t1, int columns, int c);

QList<QPointF> decimateStep(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                            int columns, double nsPerUnit);

} // namespace interleave
