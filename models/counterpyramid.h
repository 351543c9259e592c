// A min/max pyramid over one counter's samples, brought up to date incrementally, so a chart
// decimates a counter in about columns x log(samples) instead of one pass over all of them.
#pragma once

#include "tracestore.h"

#include <QList>
#include <QPointF>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace interleave {

class CounterPyramid
{
public:
    // How a sample's value is charted (the GIL's holder lane becomes "held": 1 or 0); null: as is.
    using Transform = double (*)(double);
    explicit CounterPyramid(Transform transform = nullptr);

    // Brings the pyramid up to date with samples, which may have changed since the last call only
    // as a TraceStore changes a counter: samples inserted in time order (anywhere, usually near
    // the end), the oldest removed (agedSamples counts them; any change to it rebuilds). Only the
    // blocks at and after the first insertion are rebuilt; that first insertion is found from the
    // samples themselves (a binary search over the blocks), so updates may be skipped at will.
    void update(const std::vector<CounterSample>& samples, std::int64_t agedSamples);
    void reset();

    // decimateStep(transformed samples, t0, t1, columns, nsPerUnit), point for point; samples
    // must be what update() saw last.
    QList<QPointF> decimate(const std::vector<CounterSample>& samples, std::int64_t t0, std::int64_t t1,
                            int columns, double nsPerUnit) const;

    // The least and greatest charted value of samples [i, j) (i < j).
    std::pair<double, double> minMax(const std::vector<CounterSample>& samples, std::size_t i, std::size_t j) const;

    double value(double raw) const { return m_transform ? m_transform(raw) : raw; }
    static constexpr std::size_t BlockSize = 8;
    std::size_t blocks() const { return m_lastT.size(); }
    // Blocks the last update() had to build (all of them after a reset or ageing out).
    std::size_t blocksBuilt() const { return m_built; }

private:
    struct MinMax
    {
        double lo = 0;
        double hi = 0;
    };
    std::size_t validBlocks(const std::vector<CounterSample>& samples) const;

    Transform m_transform = nullptr;
    // m_levels[0][b]: samples [b * BlockSize, (b + 1) * BlockSize); m_levels[L][k]: blocks
    // [k * 2^L, (k + 1) * 2^L). Only whole blocks and nodes are kept.
    std::vector<std::vector<MinMax>> m_levels;
    std::vector<std::int64_t> m_lastT;  // per block: the time of its last sample
    std::vector<std::size_t> m_upTo;    // per block: how many samples were at or before that time
    std::int64_t m_aged = 0;
    std::size_t m_size = 0;
    std::size_t m_built = 0;
};

} // namespace interleave
