// decimateStep: min/max per pixel column of a step-function counter, exact when it is small.
#include "decimation.h"

#include <algorithm>
#include <cmath>

namespace interleave {

std::int64_t decimationColumnStart(std::int64_t t0, std::int64_t t1, int columns, int c)
{
    if (columns < 1 || c <= 0)
        return t0;
    if (c >= columns)
        return t1;
    // ceil(span * c / columns) without overflow or floating point: span = q * columns + r, and
    // c * r < columns^2 fits easily.
    const std::int64_t span = t1 - t0;
    const std::int64_t q = span / columns;
    const std::int64_t r = span % columns;
    return t0 + q * c + (r * c + columns - 1) / columns;
}

namespace decimation {

// A point between two of the same height adds nothing to a line series.
void dropFlatMiddles(QList<QPointF>& points)
{
    if (points.size() < 3)
        return;
    qsizetype kept = 1;
    for (qsizetype i = 1; i + 1 < points.size(); ++i) {
        if (points[kept - 1].y() == points[i].y() && points[i].y() == points[i + 1].y())
            continue;
        points[kept++] = points[i];
    }
    points[kept++] = points.last();
    points.resize(kept);
}

void decimateColumns(PointSink& sink, std::int64_t t0, std::int64_t t1, std::int64_t start, double current,
                     int columns, const std::function<void(std::int64_t colEnd, Column&)>& scan)
{
    sink.push(start, current);
    bool flatOpen = false; // a run of columns with one value, whose first point is already out
    std::int64_t flatEnd = start;
    int c = 0;
    while (decimationColumnStart(t0, t1, columns, c + 1) <= start && c + 1 < columns)
        ++c;
    for (; c < columns; ++c) {
        const std::int64_t colStart = std::max(decimationColumnStart(t0, t1, columns, c), start);
        // The last column also takes a sample at exactly t1.
        const std::int64_t colEnd = c + 1 < columns ? decimationColumnStart(t0, t1, columns, c + 1) : t1 + 1;
        const double entering = current;
        Column col{-1, current, current, current};
        scan(colEnd, col);
        current = col.current;
        if (col.lo == col.hi) {
            if (!flatOpen) {
                sink.push(colStart, current);
                flatOpen = true;
            }
            flatEnd = std::min(colEnd - 1, t1);
            continue;
        }
        if (flatOpen) {
            sink.push(flatEnd, entering);
            flatOpen = false;
        }
        // Nearer extreme first, so the line continues from the left with the shortest jump.
        if (std::abs(entering - col.lo) <= std::abs(col.hi - entering)) {
            sink.push(col.firstChange, col.lo);
            sink.push(col.firstChange, col.hi);
        } else {
            sink.push(col.firstChange, col.hi);
            sink.push(col.firstChange, col.lo);
        }
    }
    if (flatOpen)
        sink.push(flatEnd, current);
    sink.push(t1, current);
}

} // namespace decimation

QList<QPointF> decimateStep(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                            int columns, double nsPerUnit)
{
    const auto value = [&samples](std::size_t i) { return samples[i].value; };
    const auto linear = [&samples](std::size_t first, std::size_t end) {
        return [&samples, i = first, end](std::int64_t colEnd, decimation::Column& col) mutable {
            for (; i != end && samples[i].t < colEnd; ++i) {
                if (col.firstChange < 0)
                    col.firstChange = samples[i].t;
                col.lo = std::min(col.lo, samples[i].value);
                col.hi = std::max(col.hi, samples[i].value);
                col.current = samples[i].value;
            }
        };
    };
    return decimation::decimateStepBy(samples, t0, t1, columns, nsPerUnit, value, linear);
}

} // namespace interleave
