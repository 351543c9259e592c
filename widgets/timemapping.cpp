// TimeMapping: zoom, pan, fit and axis labels.
#include "timemapping.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

void TimeMapping::zoomAround(double x, double factor)
{
    if (!(factor > 0))
        return;
    const std::int64_t anchor = timeAt(x);
    nsPerPixel = std::clamp(nsPerPixel / factor, MinNsPerPixel, MaxNsPerPixel);
    t0 = anchor - std::int64_t(x * nsPerPixel);
}

void TimeMapping::fit(std::int64_t a, std::int64_t b)
{
    if (b <= a)
        b = a + 1'000'000; // an empty trace still shows 1 ms
    const double usable = std::max(width * 0.97, 1.0);
    nsPerPixel = std::clamp(double(b - a) / usable, MinNsPerPixel, MaxNsPerPixel);
    t0 = a;
}

double TimeMapping::tickStepNs(double nsPerPixel, double minPixels)
{
    const double raw = std::max(nsPerPixel * minPixels, 1.0);
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * decade >= raw)
            return m * decade;
    }
    return 10 * decade;
}

QString TimeMapping::formatTime(std::int64_t ns, double stepNs)
{
    const double a = std::abs(double(ns));
    struct Unit
    {
        double ns;
        const char16_t* name;
    };
    const Unit unit = a >= 1e9 || stepNs >= 1e9 ? Unit{1e9, u"s"}
        : a >= 1e6 || stepNs >= 1e6             ? Unit{1e6, u"ms"}
        : a >= 1e3 || stepNs >= 1e3             ? Unit{1e3, u"µs"}
                                                : Unit{1, u"ns"};
    // Enough decimals that neighbouring ticks differ.
    int decimals = 0;
    while (decimals < 6 && stepNs / unit.ns * std::pow(10.0, decimals) < 0.999)
        ++decimals;
    return u"%1 %2"_s.arg(double(ns) / unit.ns, 0, 'f', decimals).arg(QString::fromUtf16(unit.name));
}

QString TimeMapping::formatDuration(std::int64_t ns)
{
    const double a = std::abs(double(ns));
    if (a >= 1e9)
        return u"%1 s"_s.arg(double(ns) / 1e9, 0, 'f', a >= 10e9 ? 1 : 3);
    if (a >= 1e6)
        return u"%1 ms"_s.arg(double(ns) / 1e6, 0, 'f', a >= 100e6 ? 0 : 2);
    if (a >= 1e3)
        return u"%1 µs"_s.arg(double(ns) / 1e3, 0, 'f', a >= 100e3 ? 0 : 1);
    return u"%1 ns"_s.arg(ns);
}

} // namespace interleave
