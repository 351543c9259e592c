// Draws what imported traces bring: named slices nested in the lane's bar, and flow arrows
// between lanes.
#pragma once

#include <QColor>

#include <cstdint>
#include <vector>

class QPainter;

namespace interleave {

struct LaneData;
struct TimelineFrame;
struct TimelineRow;

struct SlicePainter
{
    // Up to MaxLevels nesting levels share the bar; deeper ones show in the tooltip.
    static constexpr int MaxLevels = 4;

    static void paintSlices(QPainter& p, TimelineFrame& f, const LaneData& lane, int y);
    static void paintFlows(QPainter& p, TimelineFrame& f, const std::vector<TimelineRow>& rows);

    // The nesting levels drawn for a lane, where they begin below the lane's top and the height of
    // each. A lane with states of its own (a traced program's calls) keeps its upper half for
    // them and draws its slices in the lower half; an imported trace's slices fill the bar.
    static int levels(const LaneData& lane);
    static int bandTop(const LaneData& lane, int laneHeight);
    static int levelHeight(const LaneData& lane, int laneHeight);
    // A calm colour per name (its text id: cheap, stable within a file).
    static QColor colour(std::uint32_t nameId);
    // The same for calls drawn over a lane's states: greys, never a state's colour.
    static QColor neutral(std::uint32_t nameId);
};

} // namespace interleave
