// Draws a lane's markers: lost updates, deadlocks, task starts, prints, queue puts and gets, races.
#pragma once

class QPainter;

namespace interleave {

struct LaneData;
struct TimelineFrame;

struct MarkerPainter
{
    // At most one marker per pixel column: the most meaningful among the first few in it.
    static void paint(QPainter& p, TimelineFrame& f, const LaneData& lane, int y);
};

} // namespace interleave
