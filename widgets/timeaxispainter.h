// Draws the timeline's time axis: tick labels on top, and the grid lines behind the lanes.
#pragma once

class QPainter;

namespace interleave {

struct TimelineFrame;

struct TimeAxisPainter
{
    // Ticks are at least this far apart (the charts under the timeline use the same rule).
    static constexpr double MinTickPixels = 90;

    // Grid lines through the lane area, drawn first.
    static void paintGrid(QPainter& p, const TimelineFrame& f);
    // The axis band with its ticks and labels, drawn last.
    static void paintAxis(QPainter& p, const TimelineFrame& f);
};

} // namespace interleave
