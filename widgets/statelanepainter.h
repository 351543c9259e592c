// Draws a lane's thread states: one colour per pixel column, a state the lane was in during it.
#pragma once

#include "lanestategrid.h"
#include "timemapping.h"

#include <QImage>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

class QPainter;

namespace interleave {

struct TimelineFrame;
class ColumnRow;

class StateLanePainter
{
public:
    void paint(QPainter& p, TimelineFrame& f, std::size_t lane, int y);
    // Forgets what it learnt of the lanes (the store was cleared or refilled).
    void reset();

    // Whether a frame of `map` reads a lane with this grid step from the grid (else it searches
    // the intervals): when every pixel column holds a grid point.
    static bool usesGrid(std::int64_t step, const TimeMapping& map);
    // For tests: whether the last lane painted was read from its grid (else its intervals).
    bool lastPaintReadGrid() const { return m_readGrid; }

private:
    void paintIntervals(ColumnRow& row, const TimelineFrame& f, std::size_t lane) const;
    const std::vector<std::int64_t>& gridPoints(int shift, const TimeMapping& map);

    // A grid index no grid holds: the column has no grid point inside.
    static constexpr std::int64_t NoPoint = std::numeric_limits<std::int64_t>::min() / 2;

    QImage m_row; // one lane's pixel columns, reused from lane to lane and frame to frame
    std::vector<LaneStateGrid> m_grids; // per store lane, kept up to date as intervals arrive
    std::vector<std::int64_t> m_points;  // per pixel column: its grid point, for this step and mapping
    int m_pointsShift = -1;
    bool m_readGrid = false;
    TimeMapping m_pointsMap;
};

} // namespace interleave
