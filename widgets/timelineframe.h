// What the timeline's painters share for one frame: the store, the time mapping, the colours, the
// geometry, and the count of fill operations issued.
#pragma once

#include "timemapping.h"

#include <QFont>
#include <QPalette>
#include <QSize>

namespace interleave {

class TraceStore;

// One row of the timeline: a store lane, or the GIL lane (lane -1) on top.
struct TimelineRow
{
    int y = 0; // top of the state bar, in widget coordinates
    int lane = -1;
};

struct TimelineFrame
{
    const TraceStore* store = nullptr; // null: no store yet (only the GIL lane may show)
    const TimeMapping& map;
    const QPalette& palette;
    const QFont& font;
    QSize size;          // the whole widget
    int gutter = 150;    // lane names left of the lane area
    int axisHeight = 26; // the time axis above it
    int laneHeight = 22; // the state bar
    int holdHeight = 5;  // the lock-hold strip under it
    int fills = 0;       // fill operations issued: the frame's cost
    bool laneKey = false; // a swatch of each lane's own colour by its name (the GIL lane's key)
};

} // namespace interleave
