// Time <-> x mapping for the timeline, with zoom around a point, pan and fit. A plain value type:
// no widget, so it is tested with data-driven rows.
#pragma once

#include <QString>

#include <cstdint>

namespace interleave {

struct TimeMapping
{
    static constexpr double MinNsPerPixel = 10;          // 10 ns per pixel: deepest zoom
    static constexpr double MaxNsPerPixel = 1e10;        // 10 s per pixel: widest

    std::int64_t t0 = 0;       // time (ns since session start) at x = 0 of the lane area
    double nsPerPixel = 1e6;   // zoom level
    double width = 1000;       // pixels of the lane area

    double xOf(std::int64_t t) const { return double(t - t0) / nsPerPixel; }
    std::int64_t timeAt(double x) const { return t0 + std::int64_t(x * nsPerPixel); }
    std::int64_t t1() const { return timeAt(width); }
    std::int64_t span() const { return t1() - t0; }

    // Zooms by `factor` (> 1 zooms in) keeping the time under x where it is.
    void zoomAround(double x, double factor);
    void panByPixels(double dx) { t0 -= std::int64_t(dx * nsPerPixel); }
    // Shows [a, b] across the width (a small margin on the right).
    void fit(std::int64_t a, std::int64_t b);
    // Keeps the span, moves the right edge to `end` (follow live).
    void showEndAt(std::int64_t end) { t0 = end - std::int64_t(width * nsPerPixel); }

    friend bool operator==(const TimeMapping&, const TimeMapping&) = default;

    // A 1-2-5 step of at least minPixels on screen, in ns.
    static double tickStepNs(double nsPerPixel, double minPixels);
    // "250 ms", "1.5 s", "40 µs": precise enough for the step.
    static QString formatTime(std::int64_t ns, double stepNs);
    static QString formatDuration(std::int64_t ns);
};

} // namespace interleave
