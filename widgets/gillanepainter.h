// Draws the GIL lane: who holds the GIL, a colour per holding thread, over a free background.
#pragma once

#include <cstdint>

class QPainter;

namespace interleave {

class TraceStore;
struct TimelineFrame;

struct GilLanePainter
{
    static void paint(QPainter& p, TimelineFrame& f, int y);
    // The GIL's object id, or 0 when the run has none.
    static std::uint32_t gilObject(const TraceStore& store);
};

} // namespace interleave
