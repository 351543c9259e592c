// P4 and P5 (DESIGN.md section 8): what the live view costs per frame.
//
// P4: TimelineView painting a 1920x1080 frame (offscreen, into an image) of a store with 64 lanes
//     and 1 M state intervals, zoomed out (the whole run) and zoomed in (1/1000 of it): median
//     milliseconds of 30 frames, each panned by a fraction of a pixel (as a view following a run
//     moves) so that no frame is the one before; the first frame (the level of detail built from
//     nothing) beside it. Paint calls are counted by rendering the view into a device whose
//     engine counts every call QPainter makes (tests/paintcounter.h), against lanes x width.
// P5: ChartsPanel refreshing from a store whose lock, queue and GIL counters hold 200 k samples
//     each and grow before every refresh (a live run's batch of ~16 ms): median refresh
//     milliseconds, points per series against 2 x plot width, series replaced per refresh; the
//     panel's paint (<= 8 ms) and the decimation alone, one pass vs the pyramid, beside it.
//
// Prints a table per target and one "RESULT" line each, which bench/run.sh gathers.
#include "chartspanel.h"
#include "counterpyramid.h"
#include "decimation.h"
#include "timelineview.h"
#include "tracestore.h"

#include "paintcounter.h" // a paint device counting QPainter's calls, shared with the tests
#include "testdata.h"     // ev(): a hand-made event, shared with the tests

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <vector>

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

namespace {

// This thread's CPU time in ms: beside a wall-clock median on a shared machine, what the work
// itself cost (a busy machine stretches the wall clock, not this).
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

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

// Lock waiters, queue depth and the GIL's holder, `samples` changes each from t on.
void appendCounters(TraceStore& store, std::mt19937& rng, std::int64_t& t, int samples)
{
    std::vector<TraceEvent> batch;
    batch.reserve(std::size_t(samples) * 4);
    for (int i = 0; i < samples; ++i) {
        t += 1000 + std::int64_t(rng() % 5000);
        batch.push_back(ev(t, 0, EventKind::LockWait, ThreadState::WaitingLock, 1, std::int64_t(rng() % 8)));
        batch.push_back(ev(t + 10, 0, EventKind::QueuePut, ThreadState::Running, 2, std::int64_t(rng() % 50)));
        batch.push_back(ev(t + 20, 0, EventKind::GilAcquire, ThreadState::Running, 3, 0));
        batch.push_back(ev(t + 500, 0, EventKind::GilRelease, ThreadState::Ready, 3, 0));
    }
    store.append(batch.data(), batch.size());
    store.finishBatch();
}

void fillCounters(TraceStore& store, std::mt19937& rng, std::int64_t& t, int samples)
{
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"queue"_s, ObjectKind::Queue, 50);
    store.addObject(3, u"GIL"_s, ObjectKind::Gil, 0);
    const TraceEvent begin = ev(t, 0, EventKind::LaneBegin, ThreadState::Running);
    store.append(&begin, 1);
    appendCounters(store, rng, t, samples);
}

struct Frame
{
    double ms = 0;      // median
    double firstMs = 0; // the first frame
    std::int64_t calls = 0;
    std::int64_t primitives = 0;
    std::int64_t images = 0;
};

Frame paintFrames(TimelineView& view, QImage& image, int frames)
{
    Frame f;
    std::vector<double> ms;
    TimeMapping m = view.mapping();
    for (int i = 0; i < frames; ++i) {
        QElapsedTimer timer;
        timer.start();
        view.render(&image);
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        m.t0 += std::int64_t(m.nsPerPixel * 0.37); // the next frame is not this one
        view.setMapping(m);
    }
    f.firstMs = ms.front();
    f.ms = median(ms);
    // What the frame asks of the paint engine: every call counted as QPainter makes it.
    test::CountingPaintDevice device(view.size());
    view.render(&device);
    f.calls = device.counts().calls;
    f.primitives = device.counts().primitives;
    f.images = device.counts().images;
    return f;
}

// P4: a timeline frame.
void benchTimeline()
{
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
    view.setLaneHeight(10); // the smallest lanes; the rest of the 64 are below the fold
    QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);
    view.setFollowLive(false);
    view.zoomToFit();
    const Frame out = paintFrames(view, image, 30);
    const int width = int(view.mapping().width);
    view.zoomToFit();
    TimeMapping in = view.mapping();
    const std::int64_t middle = in.t0 + in.span() / 2;
    in.nsPerPixel /= 1000;
    in.t0 = middle - in.span() / 2;
    view.setMapping(in);
    const Frame zoomed = paintFrames(view, image, 30);
    int onScreen = 0;
    for (int l = 0; l < Lanes; ++l)
        onScreen += view.rect().contains(view.laneBarRect(l)) ? 1 : 0;
    const std::int64_t bound = std::int64_t(onScreen) * width; // lanes drawn x width

    std::printf("\nP4 timeline frame: 1920x1080, %d lanes, %zu intervals, offscreen raster (median of 30 frames, "
                "each panned 0.37 px)\n",
                Lanes, intervals);
    std::printf("lanes on screen: %d of %d (a row is the bar, its holds strip and a gap)\n", onScreen, Lanes);
    std::printf("| view | ms per frame | first frame ms | paint calls | primitives | images | bound lanes on screen x width |\n"
                "|---|---|---|---|---|---|---|\n");
    for (const auto& [name, f] : {std::pair{"zoomed out (whole run)", out}, std::pair{"zoomed in (1/1000)", zoomed}})
        std::printf("| %s | %.2f | %.2f | %lld | %lld | %lld | %lld |\n", name, f.ms, f.firstMs, (long long)f.calls,
                    (long long)f.primitives, (long long)f.images, (long long)bound);
    const double worst = std::max(out.ms, zoomed.ms);
    const std::int64_t primitives = std::max(out.primitives, zoomed.primitives);
    result("P4", "timeline frame, 64 lanes, 1 M intervals (worst of out/in)", worst, "ms",
           "<= 8 ms median; paint primitives <= lanes on screen x width", worst <= 8 && primitives <= bound, 8.0 / worst);
}

// P5: a chart refresh and the panel's paint.
void benchCharts(QApplication& app)
{
    constexpr int Samples = 200'000;
    constexpr int PerFrame = 4'000; // ~16 ms of a busy lock, queue and GIL
    TraceStore counters;
    std::mt19937 rng(5);
    std::int64_t t = 0;
    fillCounters(counters, rng, t, Samples);
    ChartsPanel charts;
    charts.resize(1920, 300);
    charts.setStore(&counters);
    charts.show();
    app.processEvents();
    charts.refreshNow(); // lays the charts out; its pyramids are built from nothing
    const double firstRefresh = charts.lastRefreshMs();
    QImage chartImage(charts.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> refresh;
    std::vector<double> refreshCpu;
    std::vector<double> paint;
    std::vector<double> paintCpu;
    int minReplaced = 1 << 30;
    for (int i = 0; i < 20; ++i) {
        appendCounters(counters, rng, t, PerFrame); // a live run's next batch: every series moves
        const double cpu0 = threadCpuMs();
        charts.refreshNow();
        refreshCpu.push_back(threadCpuMs() - cpu0);
        refresh.push_back(charts.lastRefreshMs());
        minReplaced = std::min(minReplaced, charts.lastSeriesReplaced());
        QElapsedTimer timer;
        timer.start();
        const double paintCpu0 = threadCpuMs();
        charts.render(&chartImage);
        paint.push_back(double(timer.nsecsElapsed()) / 1e6);
        paintCpu.push_back(threadCpuMs() - paintCpu0);
    }
    int maxPoints = 0;
    int plot = 0;
    for (int c = 0; c < ChartsPanel::ChartCount; ++c) {
        const auto chart = ChartsPanel::Chart(c);
        plot = std::max(plot, charts.plotWidth(chart));
        for (int s = 0; s < charts.seriesCount(chart); ++s)
            maxPoints = std::max(maxPoints, charts.pointsInSeries(chart, s));
    }
    // The decimation alone, the lock's counter over the whole run: one pass (before) and the
    // pyramid brought up to date after one batch (now), on the same data and columns.
    const ObjectData& lock = *counters.objectById(1);
    std::vector<double> onePass;
    std::vector<double> viaPyramid;
    CounterPyramid pyramid;
    pyramid.update(lock.counter, lock.agedSamples);
    bool same = true;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer timer;
        timer.start();
        const QList<QPointF> a = decimateStep(lock.counter, 0, counters.endTime(), plot, 1e9);
        onePass.push_back(double(timer.nsecsElapsed()) / 1e6);
        timer.restart();
        pyramid.update(lock.counter, lock.agedSamples);
        const QList<QPointF> b = pyramid.decimate(lock.counter, 0, counters.endTime(), plot, 1e9);
        viaPyramid.push_back(double(timer.nsecsElapsed()) / 1e6);
        same = same && a == b;
    }
    const double refreshMs = median(refresh);
    const double paintMs = median(paint);
    std::printf("\nP5 chart update: lock waiters, queue depth, GIL held, %d samples each, +%d per refresh "
                "(median of 20)\n",
                Samples, PerFrame);
    std::printf("| what | ms |\n|---|---|\n| refresh (read store, decimate, hand the lines over) | %.2f |\n"
                "| refresh, this thread's CPU time | %.2f |\n"
                "| first refresh (pyramids built from nothing) | %.2f |\n"
                "| paint of the panel | %.2f |\n"
                "| paint, this thread's CPU time | %.2f |\n"
                "| decimation of one counter, one pass over all samples | %.3f |\n"
                "| decimation of one counter, pyramid (update + decimate) | %.3f |\n",
                refreshMs, median(refreshCpu), firstRefresh, paintMs, median(paintCpu), median(onePass), median(viaPyramid));
    std::printf("points per series: at most %d; plot width %d px (bound 2 x width = %d); series replaced per "
                "refresh: at least %d; pyramid == one pass: %s\n",
                maxPoints, plot, 2 * plot, minReplaced, same ? "yes" : "NO");
    result("P5", "chart update (refresh), 200 k samples per counter", refreshMs, "ms", "<= 4 ms; points <= 2 x width",
           refreshMs <= 4 && maxPoints <= 2 * plot && same, 4.0 / refreshMs);
    result("P5p", "chart panel paint, 200 k samples per counter", paintMs, "ms", "<= 8 ms median", paintMs <= 8,
           8.0 / paintMs);
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);

    // "bench_view P5" runs one target (for a profiler); no argument: both.
    const QStringList only = app.arguments().mid(1);
    if (only.isEmpty() || only.contains(u"P4"_s))
        benchTimeline();
    if (only.isEmpty() || only.contains(u"P5"_s))
        benchCharts(app);
    return 0;
}
