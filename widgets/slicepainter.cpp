// SlicePainter: slices narrower than a pixel fold into one column; flows are bounded per column.
#include "slicepainter.h"

#include "timelineframe.h"
#include "tracestore.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave {

int SlicePainter::levels(const LaneData& lane)
{
    return std::clamp(lane.sliceDepth, 1, MaxLevels);
}

int SlicePainter::bandTop(const LaneData& lane, int laneHeight)
{
    return lane.begun ? laneHeight / 2 : 0;
}

int SlicePainter::levelHeight(const LaneData& lane, int laneHeight)
{
    return std::max(3, (laneHeight - bandTop(lane, laneHeight)) / levels(lane));
}

QColor SlicePainter::colour(std::uint32_t nameId)
{
    static const QColor colours[] = {
        QColor(0x4E, 0x79, 0xA7), QColor(0xF2, 0x8E, 0x2B), QColor(0x59, 0xA1, 0x4F), QColor(0xB0, 0x7A, 0xA1),
        QColor(0x76, 0xB7, 0xB2), QColor(0xED, 0xC9, 0x48), QColor(0x9C, 0x75, 0x5F), QColor(0xE1, 0x57, 0x59),
        QColor(0x8C, 0xD1, 0x7D), QColor(0xBA, 0xB0, 0xAC),
    };
    const std::uint32_t mixed = nameId * 2654435761u; // Knuth's multiplicative hash
    return colours[(mixed >> 16) % (sizeof(colours) / sizeof(colours[0]))];
}

QColor SlicePainter::neutral(std::uint32_t nameId)
{
    // Greys only: on a lane with states, a call must not look like a state of the legend.
    const std::uint32_t mixed = nameId * 2654435761u;
    const int v = 0x3A + int((mixed >> 16) % 5) * 0x16;
    return QColor(v, v, v);
}

void SlicePainter::paintSlices(QPainter& p, TimelineFrame& f, const LaneData& lane, int y)
{
    if (lane.slices.empty())
        return;
    const TimeMapping& map = f.map;
    const int depthLimit = levels(lane);
    const int rowH = levelHeight(lane, f.laneHeight);
    y += bandTop(lane, f.laneHeight);
    const auto& slices = lane.slices;
    const std::int64_t t1 = map.t1();
    auto byStart = [](const NamedSlice& s, std::int64_t t) { return s.start < t; };
    auto it = std::lower_bound(slices.begin(), slices.end(), map.t0 - lane.maxSliceNs, byStart);
    const QFontMetrics fm(f.font);
    const bool labels = rowH >= fm.height() - 2;
    QString name;
    while (it != slices.end() && it->start <= t1) {
        if (it->end < map.t0 || it->depth >= depthLimit) {
            ++it;
            continue;
        }
        const double x0 = std::max(map.xOf(it->start), 0.0);
        const double x1 = std::min(map.xOf(it->end), map.width);
        const QColor c = lane.begun ? neutral(it->name) : colour(it->name);
        const int ry = y + it->depth * rowH;
        if (x1 - x0 < 1.0) {
            // Narrower than a pixel: one column for everything that starts in it.
            p.fillRect(int(x0), ry, 1, rowH - 1, c);
            ++f.fills;
            it = std::max(it + 1, std::lower_bound(it, slices.end(), map.timeAt(std::floor(x0) + 1), byStart));
            continue;
        }
        const int a = int(std::floor(x0));
        const int w = std::max(1, int(std::ceil(x1)) - a - (x1 - x0 > 3 ? 1 : 0));
        p.fillRect(a, ry, w, rowH - 1, c);
        ++f.fills;
        if (labels && w > 30) {
            name = f.store->text(it->name);
            p.setPen(c.lightnessF() > 0.6 ? Qt::black : Qt::white);
            p.drawText(QRect(a + 3, ry, w - 5, rowH - 1), Qt::AlignVCenter | Qt::AlignLeft,
                       fm.elidedText(name, Qt::ElideRight, w - 5));
        }
        ++it;
    }
}

void SlicePainter::paintFlows(QPainter& p, TimelineFrame& f, const std::vector<TimelineRow>& rows)
{
    if (!f.store || f.store->flows().empty())
        return;
    const TimeMapping& map = f.map;
    std::vector<int> laneY(f.store->laneCount(), -1);
    for (const TimelineRow& row : rows) {
        if (row.lane >= 0)
            laneY[std::size_t(row.lane)] = row.y + f.laneHeight / 2;
    }
    QColor colour = f.palette.color(QPalette::Text);
    colour.setAlpha(140);
    p.setPen(QPen(colour, 1));
    p.setRenderHint(QPainter::Antialiasing, true);
    int drawn = 0;
    for (const FlowArrow& a : f.store->flows()) {
        if (a.t1 < map.t0 || a.t0 > map.t1() || a.lane0 >= laneY.size() || a.lane1 >= laneY.size())
            continue;
        const QPointF from(map.xOf(a.t0), laneY[a.lane0]);
        const QPointF to(map.xOf(a.t1), laneY[a.lane1]);
        p.drawLine(from, to);
        p.drawEllipse(to, 2, 2);
        // Bounded like the fills: beyond a few per pixel column they are noise.
        if (++drawn > int(map.width) * 2)
            break;
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    f.fills += drawn;
}

} // namespace interleave
