// P4 and P5 (DESIGN.md section 8): what the live view costs per frame.
//
// P4: TimelineView painting a 1920x1080 frame (offscreen, into an image) of a store with 64 lanes
//     and 1 M state intervals, zoomed out (the whole run) and zoomed in (1/1000 of it): median
//     milliseconds of 30 frames, and the fills issued against the bound lanes x width.
// P5: ChartsPanel refreshing from a store whose lock, queue and GIL counters hold 200 k samples
//     each: median refresh milliseconds, points per series against 2 x plot width; the panel's
//     own paint is reported next to it.
//
// Prints a table per target and one "RESULT" line each, which bench/run.sh gathers.
#include "chartspanel.h"
#include "timelineview.h"
#include "tracestore.h"

#include "testdata.h" // ev(): a hand-made event, shared with the tests

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void result(const char* id, const char* what, double measured, const char* unit, const char* target, bool pass,
            double ratio)
{
    std::printf("RESULT %s | %s | %.3g %s | %s | %.2f | %s\n", id, what, measured, unit, target, ratio,
                pass ? "pass" : "short");
}

// 64 lanes, 1 M intervals in all; lock holds on the way, the GIL's holder as a counter.
void fillTimeline(TraceStore& store, int lanes, int intervalsPerLane)
{
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    std::mt19937 rng(11);
    for (int l = 0; l < lanes; ++l)
        store.addLane(std::uint32_t(l), u"worker-%1"_s.arg(l + 1), LaneKind::Thread);
    std::vector<TraceEvent> batch;
    for (int l = 0; l < lanes; ++l) {
        batch.clear();
        std::int64_t t = 0;
        const auto lane = std::uint32_t(l);
        batch.push_back(ev(t, lane, EventKind::LaneBegin, ThreadState::Running));
        int state = 0;
        for (int i = 1; i < intervalsPerLane; ++i) {
            t += 200 + std::int64_t(rng() % 20'000);
            state = (state + 1 + int(rng() % 5)) % 6; // always a change: one interval each
            batch.push_back(ev(t, lane, EventKind::State, ThreadState(state)));
        }
        t += 1000;
        batch.push_back(ev(t, lane, EventKind::LaneEnd, ThreadState::Running));
        store.append(batch.data(), batch.size());
    }
    store.finishBatch();
}

void fillCounters(TraceStore& store, int samples)
{
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"queue"_s, ObjectKind::Queue, 50);
    store.addObject(3, u"GIL"_s, ObjectKind::Gil, 0);
    std::mt19937 rng(5);
    std::vector<TraceEvent> batch;
    std::int64_t t = 0;
    batch.push_back(ev(t, 0, EventKind::LaneBegin, ThreadState::Running));
    for (int i = 0; i < samples; ++i) {
        t += 1000 + std::int64_t(rng() % 5000);
        batch.push_back(ev(t, 0, EventKind::LockWait, ThreadState::WaitingLock, 1, std::int64_t(rng() % 8)));
        batch.push_back(ev(t + 10, 0, EventKind::QueuePut, ThreadState::Running, 2, std::int64_t(rng() % 50)));
        batch.push_back(ev(t + 20, 0, EventKind::GilAcquire, ThreadState::Running, 3, 0));
        batch.push_back(ev(t + 500, 0, EventKind::GilRelease, ThreadState::Ready, 3, 0));
    }
    batch.push_back(ev(t + 1000, 0, EventKind::LaneEnd, ThreadState::Running));
    store.append(batch.data(), batch.size());
    store.finishBatch();
}

struct Frame
{
    double ms = 0;
    int fills = 0;
};

Frame paintFrames(TimelineView& view, QImage& image, int frames)
{
    std::vector<double> ms;
    int fills = 0;
    for (int i = 0; i < frames; ++i) {
        QElapsedTimer timer;
        timer.start();
        view.render(&image);
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        fills = std::max(fills, view.lastFillCount());
    }
    return {median(ms), fills};
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    // --- P4 -------------------------------------------------------------------------------------
    constexpr int Lanes = 64;
    constexpr int PerLane = 1'000'000 / Lanes;
    TraceStore store;
    fillTimeline(store, Lanes, PerLane);
    std::size_t intervals = 0;
    for (std::size_t l = 0; l < store.laneCount(); ++l)
        intervals += store.lane(l).intervals.size();

    TimelineView view;
    view.setStore(&store);
    view.resize(1920, 1080);
    view.setLaneHeight(10); // 64 lanes fit 1080 px (the view scrolls otherwise)
    QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    view.setFollowLive(false);
    view.zoomToFit();
    const Frame out = paintFrames(view, image, 30);
    const int width = int(view.mapping().width);
    TimeMapping in = view.mapping();
    const std::int64_t middle = in.t0 + in.span() / 2;
    in.nsPerPixel /= 1000;
    in.t0 = middle - in.span() / 2;
    view.setMapping(in);
    const Frame zoomed = paintFrames(view, image, 30);
    const int bound = Lanes * width;

    std::printf("\nP4 timeline frame: 1920x1080, %d lanes, %zu intervals, offscreen raster (median of 30)\n", Lanes,
                intervals);
    std::printf("| view | ms per frame | fills | bound lanes x width |\n|---|---|---|---|\n");
    std::printf("| zoomed out (whole run) | %.2f | %d | %d |\n", out.ms, out.fills, bound);
    std::printf("| zoomed in (1/1000) | %.2f | %d | %d |\n", zoomed.ms, zoomed.fills, bound);
    const double worst = std::max(out.ms, zoomed.ms);
    result("P4", "timeline frame, 64 lanes, 1 M intervals (worst of out/in)", worst, "ms", "<= 8 ms median",
           worst <= 8 && std::max(out.fills, zoomed.fills) <= bound, 8.0 / worst);

    // --- P5 -------------------------------------------------------------------------------------
    constexpr int Samples = 200'000;
    TraceStore counters;
    fillCounters(counters, Samples);
    ChartsPanel charts;
    charts.resize(1920, 300);
    charts.setStore(&counters);
    charts.show();
    app.processEvents();
    QImage chartImage(charts.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> refresh;
    std::vector<double> paint;
    for (int i = 0; i < 20; ++i) {
        charts.refreshNow();
        refresh.push_back(charts.lastRefreshMs());
        QElapsedTimer timer;
        timer.start();
        charts.render(&chartImage);
        paint.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    int maxPoints = 0;
    int plot = 0;
    for (int c = 0; c < ChartsPanel::ChartCount; ++c) {
        const auto chart = ChartsPanel::Chart(c);
        plot = std::max(plot, charts.plotWidth(chart));
        for (int s = 0; s < charts.seriesCount(chart); ++s)
            maxPoints = std::max(maxPoints, charts.pointsInSeries(chart, s));
    }
    const double refreshMs = median(refresh);
    std::printf("\nP5 chart update: lock waiters, queue depth, GIL held, %d samples each (median of 20)\n", Samples);
    std::printf("| what | ms |\n|---|---|\n| refresh (read store, decimate, replace series) | %.2f |\n"
                "| paint of the panel (Qt Charts, for reference) | %.2f |\n",
                refreshMs, median(paint));
    std::printf("points per series: at most %d; plot width %d px (bound 2 x width = %d)\n", maxPoints, plot, 2 * plot);
    result("P5", "chart update (refresh), 200 k samples per counter", refreshMs, "ms", "<= 4 ms; points <= 2 x width",
           refreshMs <= 4 && maxPoints <= 2 * plot, 4.0 / refreshMs);
    return 0;
}
