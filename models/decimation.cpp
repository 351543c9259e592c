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

namespace {

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

} // namespace

QList<QPointF> decimateStep(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                            int columns, double nsPerUnit)
{
    QList<QPointF> out;
    if (samples.empty() || t1 < t0 || !(nsPerUnit > 0))
        return out;
    columns = std::max(columns, 1);

    // [it, end): the samples that change the value inside (t0, t1].
    auto it = std::upper_bound(samples.begin(), samples.end(), t0,
                               [](std::int64_t t, const CounterSample& s) { return t < s.t; });
    const auto end = std::upper_bound(it, samples.end(), t1,
                                      [](std::int64_t t, const CounterSample& s) { return t < s.t; });
    std::int64_t start = t0;
    double current = 0;
    if (it != samples.begin()) {
        current = std::prev(it)->value; // in force at t0
    } else {
        if (it == end)
            return out; // nothing known before t1
        start = it->t;  // the counter did not exist at t0: start where it begins
        current = it->value;
        ++it;
    }

    PointSink sink(out, nsPerUnit);
    const std::size_t inRange = std::size_t(end - it);
    if (inRange <= std::size_t(columns)) {
        out.reserve(qsizetype(2 * inRange + 2));
        sink.push(start, current);
        for (; it != end; ++it) {
            if (it->value == current)
                continue;
            sink.push(it->t, current);
            sink.push(it->t, it->value);
            current = it->value;
        }
        sink.push(t1, current);
        return out;
    }

    out.reserve(qsizetype(2 * columns + 2));
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
        double lo = current;
        double hi = current;
        std::int64_t firstChange = -1;
        for (; it != end && it->t < colEnd; ++it) {
            if (firstChange < 0)
                firstChange = it->t;
            lo = std::min(lo, it->value);
            hi = std::max(hi, it->value);
            current = it->value;
        }
        if (lo == hi) {
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
        if (std::abs(entering - lo) <= std::abs(hi - entering)) {
            sink.push(firstChange, lo);
            sink.push(firstChange, hi);
        } else {
            sink.push(firstChange, hi);
            sink.push(firstChange, lo);
        }
    }
    if (flatOpen)
        sink.push(flatEnd, current);
    sink.push(t1, current);
    dropFlatMiddles(out);
    return out;
}

} // namespace interleave
