// GilLanePainter: the GIL's holds never overlap, so they are searched by start and folded per
// pixel column.
#include "gillanepainter.h"

#include "runpainter.h"
#include "statepalette.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <algorithm>
#include <cmath>

namespace interleave {

std::uint32_t GilLanePainter::gilObject(const TraceStore& store)
{
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        if (store.object(i).kind == ObjectKind::Gil)
            return store.object(i).id;
    }
    return 0;
}

void GilLanePainter::paint(QPainter& p, TimelineFrame& f, int y)
{
    const TimeMapping& map = f.map;
    const ObjectData* o = f.store ? f.store->objectById(gilObject(*f.store)) : nullptr;
    p.fillRect(0, y, int(map.width), f.laneHeight, f.palette.color(QPalette::AlternateBase));
    ++f.fills;
    if (!o)
        return;
    RunPainter runs(p, y, f.laneHeight, f.fills);
    const auto& holds = o->holds;
    auto byStart = [](const HoldInterval& h, std::int64_t t) { return h.start < t; };
    auto it = std::lower_bound(holds.begin(), holds.end(), map.t0, byStart);
    if (it != holds.begin())
        --it;
    const QPalette& pal = f.palette;
    while (it != holds.end() && it->start <= map.t1()) {
        const double x0 = std::max(map.xOf(it->start), 0.0);
        const double x1 = std::min(map.xOf(it->end), map.width);
        if (x1 >= 0)
            runs.add(x0, std::max(x1, x0 + 1), StatePalette::lane(int(it->lane), pal));
        if (x1 - x0 >= 1.0) {
            ++it;
            continue;
        }
        // Skip the rest of this pixel column; the last hold that starts in it may reach beyond
        // (holds do not overlap): draw that one from the column on.
        const auto next = std::max(it + 1, std::lower_bound(it, holds.end(), map.timeAt(std::floor(x0) + 1), byStart));
        const auto last = next - 1;
        if (last != it) {
            const double lx1 = std::min(map.xOf(last->end), map.width);
            if (lx1 > x0 + 1)
                runs.add(x0 + 1, lx1, StatePalette::lane(int(last->lane), pal));
        }
        it = next;
    }
    if (!o->counter.empty() && o->counter.back().value >= 0) {
        const double x0 = std::max(map.xOf(o->counter.back().t), 0.0);
        const double x1 = std::min(map.xOf(f.store->endTime()), map.width);
        if (x1 >= x0)
            runs.add(x0, std::max(x1, x0 + 1), StatePalette::lane(int(o->counter.back().value), pal));
    }
}

} // namespace interleave
