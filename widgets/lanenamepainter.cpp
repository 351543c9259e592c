// LaneNamePainter: names elided in the middle, so "worker-1" and "worker-12" stay apart.
#include "lanenamepainter.h"

#include "statepalette.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <QPainter>

using namespace Qt::StringLiterals;

namespace interleave {

void LaneNamePainter::paint(QPainter& p, const TimelineFrame& f, const std::vector<TimelineRow>& rows)
{
    const QPalette& pal = f.palette;
    const int h = f.size.height() - f.axisHeight;
    p.fillRect(0, f.axisHeight, f.gutter, h, pal.color(QPalette::Window));
    p.setClipRect(0, f.axisHeight, f.gutter, h);
    const QFontMetrics fm(f.font);
    for (const TimelineRow& row : rows) {
        QString name = u"GIL"_s;
        QColor colour = pal.color(QPalette::WindowText);
        if (row.lane >= 0) {
            const LaneData& lane = f.store->lane(std::size_t(row.lane));
            name = lane.name;
            if (lane.ended)
                colour = pal.color(QPalette::PlaceholderText);
        }
        const int baseline = row.y + (f.laneHeight + fm.ascent() - fm.descent()) / 2;
        int room = f.gutter - 12;
        if (f.laneKey && row.lane >= 0) {
            // The colour this thread has on the GIL lane, as a swatch by its name.
            const int side = std::max(6, fm.ascent() * 2 / 3);
            const QRect swatch(f.gutter - side - 8, row.y + (f.laneHeight - side) / 2, side, side);
            p.fillRect(swatch, StatePalette::lane(int(f.store->lane(std::size_t(row.lane)).id), pal));
            room -= side + 6;
        }
        p.setPen(colour);
        p.drawText(8, baseline, fm.elidedText(name, Qt::ElideMiddle, room));
    }
    p.setClipping(false);
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(f.gutter - 1, f.axisHeight, f.gutter - 1, f.size.height());
}

} // namespace interleave
