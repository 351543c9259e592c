// CounterPyramid: blocks of BlockSize samples at the bottom, halving upwards; a range's minimum
// and maximum are read from O(log n) nodes plus at most two partial blocks.
#include "counterpyramid.h"

#include "decimation.h"

#include <algorithm>
#include <limits>

namespace interleave {

namespace {

std::size_t countAtOrBefore(const std::vector<CounterSample>& samples, std::int64_t t)
{
    return std::size_t(std::upper_bound(samples.begin(), samples.end(), t,
                                        [](std::int64_t x, const CounterSample& s) { return x < s.t; })
                       - samples.begin());
}

} // namespace

CounterPyramid::CounterPyramid(Transform transform)
    : m_transform(transform)
{
}

void CounterPyramid::reset()
{
    m_levels.clear();
    m_lastT.clear();
    m_upTo.clear();
    m_aged = 0;
    m_size = 0;
    m_built = 0;
}

// Samples are only ever inserted (or aged out, which update() checks first): block b is unchanged
// exactly when as many samples as before are at or before its last time, for an insertion at or
// before that time would have added one. That holds for a prefix of the blocks.
std::size_t CounterPyramid::validBlocks(const std::vector<CounterSample>& samples) const
{
    std::size_t lo = 0;
    std::size_t hi = m_lastT.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (countAtOrBefore(samples, m_lastT[mid]) == m_upTo[mid])
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void CounterPyramid::update(const std::vector<CounterSample>& samples, std::int64_t agedSamples)
{
    std::size_t keep = 0;
    if (agedSamples == m_aged && samples.size() >= m_size)
        keep = validBlocks(samples);
    m_aged = agedSamples;
    m_size = samples.size();

    const std::size_t blocks = samples.size() / BlockSize;
    m_lastT.resize(keep);
    m_upTo.resize(keep);
    if (m_levels.empty())
        m_levels.emplace_back();
    m_levels[0].resize(keep);
    for (std::size_t b = keep; b < blocks; ++b) {
        const std::size_t first = b * BlockSize;
        MinMax m{value(samples[first].value), value(samples[first].value)};
        for (std::size_t i = first + 1; i < first + BlockSize; ++i) {
            const double v = value(samples[i].value);
            m.lo = std::min(m.lo, v);
            m.hi = std::max(m.hi, v);
        }
        m_levels[0].push_back(m);
        const std::int64_t last = samples[first + BlockSize - 1].t;
        std::size_t upTo = first + BlockSize;
        while (upTo < samples.size() && samples[upTo].t == last)
            ++upTo;
        m_lastT.push_back(last);
        m_upTo.push_back(upTo);
    }
    m_built = blocks - std::min(keep, blocks);

    // Upper levels: node k of level L is rebuilt when it covers a rebuilt block.
    std::size_t level = 1;
    for (std::size_t size = blocks / 2; size > 0; size /= 2, ++level) {
        if (m_levels.size() <= level)
            m_levels.emplace_back();
        std::vector<MinMax>& up = m_levels[level];
        const std::vector<MinMax>& down = m_levels[level - 1];
        const std::size_t from = std::min(keep >> level, size);
        up.resize(size);
        for (std::size_t k = from; k < size; ++k)
            up[k] = {std::min(down[2 * k].lo, down[2 * k + 1].lo), std::max(down[2 * k].hi, down[2 * k + 1].hi)};
    }
    m_levels.resize(std::max<std::size_t>(level, 1));
}

std::pair<double, double> CounterPyramid::minMax(const std::vector<CounterSample>& samples, std::size_t i,
                                                 std::size_t j) const
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    const auto take = [&](double v) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };
    std::size_t bi = (i + BlockSize - 1) / BlockSize;
    std::size_t bj = std::min(j / BlockSize, m_lastT.size());
    if (bi >= bj) {
        for (std::size_t k = i; k < j; ++k)
            take(value(samples[k].value));
        return {lo, hi};
    }
    for (std::size_t k = i; k < bi * BlockSize; ++k)
        take(value(samples[k].value));
    for (std::size_t k = bj * BlockSize; k < j; ++k)
        take(value(samples[k].value));
    for (std::size_t level = 0; bi < bj; ++level, bi /= 2, bj /= 2) {
        const std::vector<MinMax>& nodes = m_levels[level];
        if (bi & 1) {
            take(nodes[bi].lo);
            take(nodes[bi].hi);
            ++bi;
        }
        if (bj & 1) {
            --bj;
            take(nodes[bj].lo);
            take(nodes[bj].hi);
        }
    }
    return {lo, hi};
}

QList<QPointF> CounterPyramid::decimate(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                                        int columns, double nsPerUnit) const
{
    const auto valueAt = [this, &samples](std::size_t i) { return value(samples[i].value); };
    const auto pyramid = [this, &samples](std::size_t first, std::size_t end) {
        return [this, &samples, i = first, end](std::int64_t colEnd, decimation::Column& col) mutable {
            if (i == end || samples[i].t >= colEnd)
                return;
            // Gallop to the first sample at or after colEnd: columns hold similar numbers of
            // samples, so the cost is the log of one column's, not of the whole range.
            std::size_t lo = i + 1;
            std::size_t step = 1;
            while (lo + step <= end && samples[lo + step - 1].t < colEnd) {
                lo += step;
                step *= 2;
            }
            const std::size_t hi = std::min(end, lo + step - 1);
            const std::size_t j = std::size_t(
                std::lower_bound(samples.begin() + std::ptrdiff_t(lo), samples.begin() + std::ptrdiff_t(hi), colEnd,
                                 [](const CounterSample& s, std::int64_t t) { return s.t < t; })
                - samples.begin());
            col.firstChange = samples[i].t;
            const auto [mn, mx] = minMax(samples, i, j);
            col.lo = std::min(col.lo, mn);
            col.hi = std::max(col.hi, mx);
            col.current = value(samples[j - 1].value);
            i = j;
        };
    };
    return decimation::decimateStepBy(samples, t0, t1, columns, nsPerUnit, valueAt, pyramid);
}

} // namespace interleave
