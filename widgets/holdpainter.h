// Draws a lane's lock holds: the yellow strip under its state bar.
#pragma once

class QPainter;

namespace interleave {

struct LaneData;
struct TimelineFrame;

struct HoldPainter
{
    // y: the top of the lane's state bar; the strip goes under it.
    static void paint(QPainter& p, TimelineFrame& f, const LaneData& lane, int y);
};

} // namespace interleave
