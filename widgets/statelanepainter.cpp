// StateLanePainter: work bounded by the width however many intervals there are, and every column
// shows a state the lane was in during that column. Zoomed out, the column's colour is read from
// the lane's LaneStateGrid (the state at the grid point nearest the column's middle); zoomed in
// to where a column holds no grid point, it is the state at the column's middle, found by
// galloping search. The columns go to the screen as one drawImage per lane.
#include "statelanepainter.h"

#include "statepalette.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace interleave {

// One lane's row of pixel columns being written.
class ColumnRow
{
public:
    ColumnRow(QRgb* row, int width, const QPalette& pal)
        : m_row(row)
        , m_width(width)
        // Paused is hatched: every fourth and fifth column a shade darker, fixed to the screen so
        // that the stripes stay put while the view scrolls.
        , m_pausedStripe(StatePalette::stateOn(ThreadState::Paused, pal).darker(135).rgba())
    {
        for (int s = 0; s <= ThreadStateCount; ++s)
            m_colours[std::size_t(s)] = StatePalette::stateOn(ThreadState(s), pal).rgba();
    }

    // Columns [c0, c1) in state s.
    void paint(int c0, int c1, ThreadState s)
    {
        c0 = std::max(c0, 0);
        c1 = std::min(c1, m_width);
        const QRgb colour = m_colours[std::size_t(s)];
        if (s == ThreadState::Paused) {
            for (int c = c0; c < c1; ++c)
                m_row[c] = c % 5 >= 3 ? m_pausedStripe : colour;
        } else {
            for (int c = c0; c < c1; ++c)
                m_row[c] = colour;
        }
        if (c1 > c0 && colour != m_last) {
            ++m_runs;
            m_last = colour;
        }
    }
    bool isEmpty(int c) const { return c >= 0 && c < m_width && m_row[c] == 0; }
    int width() const { return m_width; }
    int runs() const { return m_runs; }

private:
    QRgb* const m_row;
    const int m_width;
    const QRgb m_pausedStripe;
    std::array<QRgb, ThreadStateCount + 1> m_colours{};
    int m_runs = 0;
    QRgb m_last = 0;
};

namespace {

// The first column whose middle is at or after x.
int columnAt(double x)
{
    return int(std::ceil(x - 0.5));
}

// The column whose time span [timeAt(c), timeAt(c + 1)) holds t.
int columnOf(const TimeMapping& map, std::int64_t t)
{
    int c = int(std::floor(map.xOf(t)));
    if (map.timeAt(c) > t)
        --c;
    else if (map.timeAt(c + 1) <= t)
        ++c;
    return c;
}

// Each column in the state of the grid point chosen for it (points[c], or NoPoint).
void paintFromGrid(ColumnRow& row, const LaneStateGrid& grid, const std::vector<std::int64_t>& points)
{
    const int w = std::min(row.width(), int(points.size()));
    int runStart = 0;
    std::uint8_t runState = LaneStateGrid::NotAlive;
    for (int c = 0; c < w; ++c) {
        const std::uint8_t s = grid.at(points[std::size_t(c)]);
        if (s != runState) {
            if (runState != LaneStateGrid::NotAlive)
                row.paint(runStart, c, ThreadState(runState));
            runStart = c;
            runState = s;
        }
    }
    if (runState != LaneStateGrid::NotAlive)
        row.paint(runStart, w, ThreadState(runState));
}

} // namespace

bool StateLanePainter::usesGrid(std::int64_t step, const TimeMapping& map)
{
    // A column spans at least nsPerPixel - 1 ns (timeAt truncates): then a grid point is in it.
    return double(step) <= map.nsPerPixel - 2;
}

void StateLanePainter::reset()
{
    m_grids.clear();
}

// The grid point nearest each column's middle, moved inside the column when rounding put it on
// a neighbour; lanes with the same step share them, so this runs about once per frame.
const std::vector<std::int64_t>& StateLanePainter::gridPoints(int shift, const TimeMapping& map)
{
    if (shift == m_pointsShift && map == m_pointsMap)
        return m_points;
    m_pointsShift = shift;
    m_pointsMap = map;
    const int w = std::max(0, int(map.width));
    m_points.resize(std::size_t(w));
    const std::int64_t half = (std::int64_t(1) << shift) / 2;
    std::int64_t lo = map.timeAt(0);
    for (int c = 0; c < w; ++c) {
        const std::int64_t hi = map.timeAt(c + 1);
        std::int64_t k = (map.timeAt(c + 0.5) + half) >> shift;
        if ((k << shift) < lo)
            ++k;
        else if ((k << shift) >= hi)
            --k;
        const bool inside = (k << shift) >= lo && (k << shift) < hi;
        m_points[std::size_t(c)] = inside ? k : NoPoint;
        lo = hi;
    }
    return m_points;
}

void StateLanePainter::paintIntervals(ColumnRow& row, const TimelineFrame& f, std::size_t laneIndex) const
{
    const TimeMapping& map = f.map;
    const auto& iv = f.store->lane(laneIndex).intervals;
    auto [i, stop] = f.store->intervalRange(laneIndex, map.t0, map.t1() + 1);
    while (i < stop) {
        const StateInterval& a = iv[i];
        const int c0 = columnAt(map.xOf(a.start));
        const int c1 = columnAt(map.xOf(a.end));
        if (c1 > c0) {
            row.paint(c0, c1, a.state);
            ++i;
            continue;
        }
        // No column middle inside: jump to the interval that holds the next middle.
        const std::int64_t middle = map.timeAt(c0 + 0.5);
        // Galloping: the next middle is usually a few intervals ahead, so probe 1, 2, 4... first.
        std::size_t lo = i + 1;
        std::size_t step = 1;
        while (lo + step < stop && iv[lo + step].end <= middle) {
            lo += step;
            step *= 2;
        }
        const auto next = std::lower_bound(iv.begin() + std::ptrdiff_t(lo),
                                           iv.begin() + std::ptrdiff_t(std::min(lo + step + 1, stop)), middle,
                                           [](const StateInterval& s, std::int64_t t) { return s.end <= t; });
        const std::size_t j = std::size_t(next - iv.begin());
        if (j >= stop || iv[j].start > middle) {
            // A gap or the end of the lane at that middle: still show that it was alive, in the
            // column that holds the interval's last instant.
            const int c = columnOf(map, a.end - 1);
            if (row.isEmpty(c))
                row.paint(c, c + 1, a.state);
            i = std::max(i + 1, j);
        } else {
            i = j;
        }
    }
}

void StateLanePainter::paint(QPainter& p, TimelineFrame& f, std::size_t laneIndex, int y)
{
    const LaneData& lane = f.store->lane(laneIndex);
    if (!lane.begun)
        return;
    const TimeMapping& map = f.map;
    const auto& iv = lane.intervals;
    const int w = int(map.width);
    // As tall as the bar, so that drawing it is a plain blit (a scaled 1-pixel row sends Qt's
    // raster engine to its threaded scaler, which costs more than it saves here).
    if (m_row.width() != std::max(1, w) || m_row.height() != f.laneHeight)
        m_row = QImage(std::max(1, w), f.laneHeight, QImage::Format_ARGB32_Premultiplied);
    auto* pixels = reinterpret_cast<QRgb*>(m_row.scanLine(0));
    std::fill(pixels, pixels + m_row.width(), QRgb(0));
    ColumnRow row(pixels, w, f.palette);

    if (m_grids.size() < f.store->laneCount())
        m_grids.resize(f.store->laneCount());
    LaneStateGrid& grid = m_grids[laneIndex];
    grid.update(lane); // only what arrived since the last frame
    m_readGrid = grid.points() > 0 && usesGrid(grid.step(), map);
    if (m_readGrid)
        paintFromGrid(row, grid, gridPoints(grid.stepShift(), map));
    else
        paintIntervals(row, f, laneIndex);

    // A lane's first and last instants, and where its open interval begins, may fall between
    // column middles (or grid points): their columns still show it was alive.
    const auto inView = [&map](std::int64_t t) { return t >= map.t0 && t < map.t1(); };
    const auto fillIfEmpty = [&](std::int64_t t, ThreadState s) {
        const int c = columnOf(map, t);
        if (inView(t) && row.isEmpty(c))
            row.paint(c, c + 1, s);
    };
    if (!iv.empty()) {
        fillIfEmpty(iv.front().start, iv.front().state);
        fillIfEmpty(iv.back().end - 1, iv.back().state);
    }
    if (!lane.ended && f.store->endTime() > lane.currentStart) {
        const int c0 = columnAt(map.xOf(lane.currentStart));
        const int c1 = columnAt(map.xOf(f.store->endTime()));
        if (c1 > c0) {
            row.paint(c0, c1, lane.current);
        } else {
            // Shorter than a column: shown where it is, at the live edge.
            const std::int64_t t = std::max(lane.currentStart, f.store->endTime() - 1);
            if (inView(t))
                row.paint(columnOf(map, t), columnOf(map, t) + 1, lane.current);
        }
        fillIfEmpty(lane.currentStart, lane.current);
    }
    if (row.runs() == 0)
        return;
    const std::size_t bytes = std::size_t(m_row.width()) * sizeof(QRgb);
    for (int line = 1; line < m_row.height(); ++line)
        std::memcpy(m_row.scanLine(line), pixels, bytes);
    p.drawImage(QPoint(0, y), m_row);
    f.fills += row.runs();
}

} // namespace interleave
