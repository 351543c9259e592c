// HoldPainter: holds narrower than a pixel fold into the column they start in.
#include "holdpainter.h"

#include "runpainter.h"
#include "statepalette.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <algorithm>
#include <cmath>

namespace interleave {

void HoldPainter::paint(QPainter& p, TimelineFrame& f, const LaneData& lane, int y)
{
    constexpr std::ptrdiff_t NestedHoldsLookBack = 8;
    const TimeMapping& map = f.map;
    const QColor colour = StatePalette::hold();
    RunPainter runs(p, y + f.laneHeight + 1, f.holdHeight, f.fills);
    const auto& holds = lane.holds;
    const std::int64_t t1 = map.t1();
    auto byStart = [](const HoldInterval& h, std::int64_t t) { return h.start < t; };
    auto it = std::lower_bound(holds.begin(), holds.end(), map.t0 - lane.maxHoldNs, byStart);
    while (it != holds.end() && it->start <= t1) {
        if (it->end < map.t0) {
            ++it;
            continue;
        }
        const double x0 = std::max(map.xOf(it->start), 0.0);
        double x1 = std::min(map.xOf(it->end), map.width);
        if (x1 - x0 >= 1.0) {
            runs.add(x0, x1, colour);
            ++it;
            continue;
        }
        // Skip the rest of this pixel column, but not a long hold that starts in it after short
        // ones: a lane's holds do not overlap unless nested (a few deep), so a hold that reaches
        // beyond the column is among the last few that start in it.
        const auto next = std::max(it + 1, std::lower_bound(it, holds.end(), map.timeAt(std::floor(x0) + 1), byStart));
        for (auto back = next; back != it + 1 && next - back < NestedHoldsLookBack;) {
            --back;
            x1 = std::max(x1, std::min(map.xOf(back->end), map.width));
        }
        runs.add(x0, std::max(x1, x0 + 1), colour);
        it = next;
    }
    for (const auto& open : lane.openHolds) {
        if (open.start < 0)
            continue; // the run is paused: no hold is drawn through a pause
        const double x0 = std::max(map.xOf(open.start), 0.0);
        const double x1 = std::min(map.xOf(f.store->endTime()), map.width);
        if (x1 >= x0)
            runs.add(x0, std::max(x1, x0 + 1), colour);
    }
}

} // namespace interleave
