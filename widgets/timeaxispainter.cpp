// TimeAxisPainter: ticks on a 1-2-5 step at least 90 px apart.
#include "timeaxispainter.h"

#include "timelineframe.h"

#include <QPainter>

#include <cmath>

namespace interleave {

namespace {

// Calls draw(x, t) for every tick in view, x in widget coordinates.
template<typename Draw>
void forEachTick(const TimelineFrame& f, double step, Draw draw)
{
    const TimeMapping& map = f.map;
    const std::int64_t first = std::int64_t(std::ceil(double(map.t0) / step) * step);
    for (double t = double(first); t <= double(map.t1()); t += step)
        draw(f.gutter + int(std::lround(map.xOf(std::int64_t(t)))), std::int64_t(t));
}

} // namespace

void TimeAxisPainter::paintGrid(QPainter& p, const TimelineFrame& f)
{
    QColor grid = f.palette.color(QPalette::Text);
    grid.setAlpha(40);
    p.setPen(f.palette.color(QPalette::WindowText));
    const int h = f.size.height() - f.axisHeight;
    // A 1-pixel fill, not a line: Qt strokes translucent lines through its general path
    // rasterizer, about 150 us each at this height.
    forEachTick(f, TimeMapping::tickStepNs(f.map.nsPerPixel, MinTickPixels),
                [&](int x, std::int64_t) { p.fillRect(x, f.axisHeight, 1, h, grid); });
}

void TimeAxisPainter::paintAxis(QPainter& p, const TimelineFrame& f)
{
    const QPalette& pal = f.palette;
    p.fillRect(0, 0, f.size.width(), f.axisHeight, pal.color(QPalette::Window));
    const double step = TimeMapping::tickStepNs(f.map.nsPerPixel, MinTickPixels);
    const QFontMetrics fm(f.font);
    p.setPen(pal.color(QPalette::WindowText));
    forEachTick(f, step, [&](int x, std::int64_t t) {
        p.drawLine(x, f.axisHeight - 6, x, f.axisHeight);
        p.drawText(x + 3, fm.ascent() + 4, TimeMapping::formatTime(t, step));
    });
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(0, f.axisHeight - 1, f.size.width(), f.axisHeight - 1);
}

} // namespace interleave
