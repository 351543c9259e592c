// Draws the timeline's gutter: each row's lane name left of its bar (greyed once the lane ended).
#pragma once

#include <vector>

class QPainter;

namespace interleave {

struct TimelineFrame;
struct TimelineRow;

struct LaneNamePainter
{
    static void paint(QPainter& p, const TimelineFrame& f, const std::vector<TimelineRow>& rows);
};

} // namespace interleave
