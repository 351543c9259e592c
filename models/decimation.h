// Turns a step-function counter (queue depth, lock waiters, GIL holder) into a chart polyline of
// at most about two points per pixel column, so a chart update costs the same at any history size.
#pragma once

#include "tracestore.h"

#include <QList>
#include <QPointF>

#include <algorithm>
#include <cstdint>
#include <functional>
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

// One pass over the samples in range: the reference every faster decimation must equal
// (CounterPyramid::decimate does, reading a min/max pyramid instead).
QList<QPointF> decimateStep(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                            int columns, double nsPerUnit);

namespace decimation {

// What one pixel column contributes, gathered by a ColumnScan.
struct Column
{
    std::int64_t firstChange = -1; // time of the first sample in the column; -1: none
    double lo = 0;
    double hi = 0;
    double current = 0; // the value in force at the column's end
};

// Collects points, dropping a repeat of the last one.
class PointSink
{
public:
    PointSink(QList<QPointF>& out, double nsPerUnit)
        : m_out(out)
        , m_nsPerUnit(nsPerUnit)
    {
    }
    void push(std::int64_t t, double value)
    {
        // Several samples at one instant would repeat the same point.
        if (m_any && t == m_lastT && value == m_lastValue)
            return;
        m_out.append(QPointF(double(t) / m_nsPerUnit, value));
        m_any = true;
        m_lastT = t;
        m_lastValue = value;
    }

private:
    QList<QPointF>& m_out;
    double m_nsPerUnit = 1.0;
    bool m_any = false;
    std::int64_t m_lastT = 0;
    double m_lastValue = 0;
};

void dropFlatMiddles(QList<QPointF>& points);
void decimateColumns(PointSink& sink, std::int64_t t0, std::int64_t t1, std::int64_t start, double current,
                     int columns, const std::function<void(std::int64_t colEnd, Column&)>& scan);

// decimateStep's contract, with value(i) the value of sample i (a transform of samples[i].value)
// and scan(colEnd, column) taking in the samples before colEnd that the last call left.
template <class Value, class Scan>
QList<QPointF> decimateStepBy(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                              int columns, double nsPerUnit, Value value, Scan makeScan)
{
    QList<QPointF> out;
    if (samples.empty() || t1 < t0 || !(nsPerUnit > 0))
        return out;
    columns = std::max(columns, 1);
    const auto after = [](std::int64_t t, const CounterSample& s) { return t < s.t; };
    // [i, end): the samples that change the value inside (t0, t1].
    std::size_t i = std::size_t(std::upper_bound(samples.begin(), samples.end(), t0, after) - samples.begin());
    const std::size_t end =
        std::size_t(std::upper_bound(samples.begin() + std::ptrdiff_t(i), samples.end(), t1, after) - samples.begin());
    std::int64_t start = t0;
    double current = 0;
    if (i > 0) {
        current = value(i - 1); // in force at t0
    } else {
        if (i == end)
            return out; // nothing known before t1
        start = samples[i].t; // the counter did not exist at t0: start where it begins
        current = value(i);
        ++i;
    }

    PointSink sink(out, nsPerUnit);
    if (end - i <= std::size_t(columns)) {
        out.reserve(qsizetype(2 * (end - i) + 2));
        sink.push(start, current);
        for (; i != end; ++i) {
            const double v = value(i);
            if (v == current)
                continue;
            sink.push(samples[i].t, current);
            sink.push(samples[i].t, v);
            current = v;
        }
        sink.push(t1, current);
        return out;
    }
    out.reserve(qsizetype(2 * columns + 2));
    decimateColumns(sink, t0, t1, start, current, columns, makeScan(i, end));
    dropFlatMiddles(out);
    return out;
}

} // namespace decimation

} // namespace interleave
