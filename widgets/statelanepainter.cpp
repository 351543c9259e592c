// StateLanePainter: work bounded by the width however many intervals there are. Runs narrower
// than a pixel fold into one column (the state at its middle), the next column's interval is
// found by galloping search, and the columns go to the screen as one drawImage per lane.
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

namespace {

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
    int runs() const { return m_runs; }

private:
    QRgb* const m_row;
    const int m_width;
    const QRgb m_pausedStripe;
    std::array<QRgb, ThreadStateCount + 1> m_colours{};
    int m_runs = 0;
    QRgb m_last = 0;
};

// The first column whose middle is at or after x.
int columnAt(double x)
{
    return int(std::ceil(x - 0.5));
}

} // namespace

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
            // A gap or the end of the lane at that middle: still show that it was alive here.
            if (row.isEmpty(c0))
                row.paint(c0, c0 + 1, a.state);
            i = std::max(i + 1, j);
        } else {
            i = j;
        }
    }
    if (!lane.ended && f.store->endTime() > lane.currentStart) {
        const int c0 = columnAt(map.xOf(lane.currentStart));
        const int c1 = std::max(columnAt(map.xOf(f.store->endTime())), c0 + 1);
        row.paint(c0, c1, lane.current);
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
