// ChartsPanel (series per lock, queue and GIL, decimated to the plot width, hidden when empty)
// and WaitGraphView (cycle detection shown and named, renders at any size).
#include "chartlinesitem.h"
#include "chartspanel.h"
#include "decimation.h"
#include "statepalette.h"
#include "timemapping.h"
#include "tracestore.h"
#include "waitgraphview.h"

#include <QChart>
#include <QChartView>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSignalSpy>
#include <QElapsedTimer>
#include <QTest>

#include "testdata.h"

#include <algorithm>

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

class TestChartsPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lockAndQueueCharts_data();
    void lockAndQueueCharts();
    void gilChart();
    void timeRangeClipsTheSeries();
    void refreshesCoalesce();
    void hiddenPanelWaitsUntilShown();
    void clearedStoreHidesCharts();
    void followsDarkPalette();
    void waitGraphCycle();
    void waitGraphWithoutCycle();
    void waitGraphEmpty();
    void thousandsOfCountersAreFolded();
    void pausedSpansAreGreyedOut();
    void drawnLinesAreTheDecimation();
    void aSpikeIsDrawn();
    void plotsSitUnderTheTimelinesLanes();
    void linesOfOneKindDifferAndSayWhatTheyAre();
};

namespace {

constexpr std::int64_t Ms = 1000000;


// Lane 0 moves the lock's waiter count through 0..maxWaiters and the queue's depth through
// 0..capacity, `changes` times each, 1 ms apart.
void fillLockAndQueue(TraceStore& store, int changes, int maxWaiters, int capacity)
{
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    store.addObject(1, u"counter_lock"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"jobs"_s, ObjectKind::Queue, capacity);
    std::vector<TraceEvent> events{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (int i = 0; i < changes; ++i) {
        const std::int64_t t = (i + 1) * Ms;
        events.push_back(ev(t, 0, EventKind::LockWait, ThreadState::Running, 1, i % (maxWaiters + 1)));
        events.push_back(ev(t, 0, i % 2 ? EventKind::QueueGet : EventKind::QueuePut, ThreadState::Running, 2,
                            (i * 7) % (capacity + 1)));
    }
    store.append(events.data(), events.size());
    store.finishBatch();
}

// The item drawing a chart's lines (a child of the chart, as its series' items are).
ChartLinesItem* linesOf(QChart* chart)
{
    for (QGraphicsItem* item : chart->childItems()) {
        if (auto* lines = dynamic_cast<ChartLinesItem*>(item))
            return lines;
    }
    return nullptr;
}

QChartView* viewOf(ChartsPanel& panel, ChartsPanel::Chart chart)
{
    for (QChartView* view : panel.findChildren<QChartView*>()) {
        if (view->chart() == panel.chart(chart))
            return view;
    }
    return nullptr;
}

// A laid-out panel: the first refresh lays the charts out and aligns their plots, the second
// decimates to the final plot widths (as the image export does).
void refreshLaidOut(ChartsPanel& panel)
{
    for (int pass = 0; pass < 2; ++pass) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        panel.refreshNow();
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

// Whether a pixel within `radius` of p has exactly `colour` (lines are drawn without antialiasing).
bool colourNear(const QImage& image, QPoint p, QColor colour, int radius)
{
    for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
            const QPoint q = p + QPoint(dx, dy);
            if (image.rect().contains(q) && image.pixelColor(q).rgb() == colour.rgb())
                return true;
        }
    }
    return false;
}

double maxY(const QList<QPointF>& points)
{
    double m = -1e300;
    for (const QPointF& p : points)
        m = std::max(m, p.y());
    return m;
}

} // namespace

void TestChartsPanel::lockAndQueueCharts_data()
{
    QTest::addColumn<int>("changes");
    QTest::newRow("a few changes (exact)") << 20;
    QTest::newRow("many changes (decimated)") << 20000;
}

void TestChartsPanel::lockAndQueueCharts()
{
    QFETCH(int, changes);
    TraceStore store;
    fillLockAndQueue(store, changes, 3, 4);

    ChartsPanel panel;
    panel.resize(900, 700);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.refreshNow();

    QVERIFY(panel.isChartShown(ChartsPanel::LockWaiters));
    QVERIFY(panel.isChartShown(ChartsPanel::QueueDepth));
    QVERIFY(!panel.isChartShown(ChartsPanel::GilAndCores)); // no GIL in this lesson
    QCOMPARE(panel.seriesCount(ChartsPanel::LockWaiters), 1);
    QCOMPARE(panel.seriesCount(ChartsPanel::QueueDepth), 2); // depth and capacity
    QCOMPARE(panel.seriesCount(ChartsPanel::GilAndCores), 0);
    QCOMPARE(panel.seriesName(ChartsPanel::LockWaiters, 0), u"counter_lock"_s);
    QCOMPARE(panel.seriesName(ChartsPanel::QueueDepth, 1), u"capacity"_s);

    for (auto chart : {ChartsPanel::LockWaiters, ChartsPanel::QueueDepth}) {
        const int width = panel.plotWidth(chart);
        QVERIFY2(width > 100 && width <= 900, qPrintable(QString::number(width)));
        const int points = panel.pointsInSeries(chart, 0);
        QVERIFY(points > 1);
        QVERIFY2(points <= 2 * width, qPrintable(u"%1 points for %2 px"_s.arg(points).arg(width)));
    }
    // The extremes survive decimation.
    QCOMPARE(maxY(panel.seriesPoints(ChartsPanel::LockWaiters, 0)), 3.0);
    QCOMPARE(maxY(panel.seriesPoints(ChartsPanel::QueueDepth, 0)), 4.0);

    // The capacity line: flat at the capacity across the whole range.
    const QList<QPointF> capacity = panel.seriesPoints(ChartsPanel::QueueDepth, 1);
    QCOMPARE(capacity.size(), 2);
    QCOMPARE(capacity[0].y(), 4.0);
    QCOMPARE(capacity[1].y(), 4.0);
    QCOMPARE(capacity[0].x(), 0.0);
    QCOMPARE(capacity[1].x(), double(store.endTime()) / 1e9);
    QVERIFY(panel.lastRefreshMs() >= 0);
}

void TestChartsPanel::gilChart()
{
    TraceStore store;
    store.addObject(1, u"GIL"_s, ObjectKind::Gil, 0);
    // Two CPU-bound threads taking turns with the GIL every 5 ms for 200 ms.
    for (std::uint32_t lane = 0; lane < 2; ++lane)
        store.addLane(lane, u"cpu-%1"_s.arg(lane), LaneKind::Thread);
    std::vector<TraceEvent> a{ev(0, 0, EventKind::LaneBegin, ThreadState::WaitingGil)};
    std::vector<TraceEvent> b{ev(0, 1, EventKind::LaneBegin, ThreadState::WaitingGil)};
    for (int slice = 0; slice < 40; ++slice) {
        auto& lane = slice % 2 ? b : a;
        const std::uint32_t id = slice % 2 ? 1 : 0;
        const std::int64_t t = slice * 5 * Ms;
        lane.push_back(ev(t, id, EventKind::GilAcquire, ThreadState::Running, 1, 1, 1));
        lane.push_back(ev(t + 5 * Ms - 1000, id, EventKind::GilRelease, ThreadState::WaitingGil, 1, 1, 1));
    }
    a.push_back(ev(200 * Ms, 0, EventKind::LaneEnd, ThreadState::Running));
    b.push_back(ev(200 * Ms, 1, EventKind::LaneEnd, ThreadState::Running));
    store.append(a.data(), a.size());
    store.append(b.data(), b.size());
    store.finishBatch();

    ChartsPanel panel;
    panel.resize(800, 600);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.refreshNow();

    QVERIFY(!panel.isChartShown(ChartsPanel::LockWaiters));
    QVERIFY(!panel.isChartShown(ChartsPanel::QueueDepth));
    QVERIFY(panel.isChartShown(ChartsPanel::GilAndCores));
    QCOMPARE(panel.seriesCount(ChartsPanel::GilAndCores), 2);
    QCOMPARE(panel.seriesName(ChartsPanel::GilAndCores, 0), u"GIL held"_s);
    QCOMPARE(panel.seriesName(ChartsPanel::GilAndCores, 1), u"threads running"_s);
    const int width = panel.plotWidth(ChartsPanel::GilAndCores);
    for (int s = 0; s < 2; ++s) {
        const QList<QPointF> points = panel.seriesPoints(ChartsPanel::GilAndCores, s);
        QVERIFY(!points.isEmpty());
        QVERIFY(points.size() <= 2 * width);
        for (const QPointF& p : points)
            QVERIFY2(p.y() == 0 || p.y() == 1, qPrintable(QString::number(p.y()))); // one GIL: one runner
    }
    QCOMPARE(maxY(panel.seriesPoints(ChartsPanel::GilAndCores, 0)), 1.0);
    QCOMPARE(maxY(panel.seriesPoints(ChartsPanel::GilAndCores, 1)), 1.0);
}

void TestChartsPanel::timeRangeClipsTheSeries()
{
    TraceStore store;
    fillLockAndQueue(store, 2000, 2, 3);
    ChartsPanel panel;
    panel.resize(800, 600);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.isFollowingLive());
    panel.setTimeRange(500 * Ms, 700 * Ms);
    QVERIFY(!panel.isFollowingLive());
    panel.refreshNow();
    for (const QPointF& p : panel.seriesPoints(ChartsPanel::QueueDepth, 0))
        QVERIFY(p.x() >= 0.5 && p.x() <= 0.7);
    const QList<QPointF> capacity = panel.seriesPoints(ChartsPanel::QueueDepth, 1);
    QCOMPARE(capacity.first().x(), 0.5);
    QCOMPARE(capacity.last().x(), 0.7);

    panel.followLive();
    panel.refreshNow();
    QCOMPARE(panel.seriesPoints(ChartsPanel::QueueDepth, 1).last().x(), double(store.endTime()) / 1e9);
}

void TestChartsPanel::refreshesCoalesce()
{
    TraceStore store;
    fillLockAndQueue(store, 100, 2, 3);
    ChartsPanel panel;
    panel.resize(600, 500);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.refreshNow();

    QSignalSpy spy(&panel, &ChartsPanel::refreshed);
    for (int i = 0; i < 10; ++i)
        panel.refresh();
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 1);
    // Ten more batches arrive in one event-loop pass: still one refresh.
    for (int i = 0; i < 10; ++i) {
        const TraceEvent e = ev((200 + i) * Ms, 0, EventKind::QueuePut, ThreadState::Running, 2, 1);
        store.append(&e, 1);
        store.finishBatch();
    }
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(panel.seriesPoints(ChartsPanel::QueueDepth, 1).last().x(), 0.209);
}

void TestChartsPanel::hiddenPanelWaitsUntilShown()
{
    TraceStore store;
    ChartsPanel panel;
    panel.resize(600, 500);
    panel.setStore(&store);
    QSignalSpy spy(&panel, &ChartsPanel::refreshed);
    fillLockAndQueue(store, 10, 1, 2); // appended() -> refresh(), but nobody looks
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 0);
    panel.show();
    QVERIFY(spy.wait(5000));
    QVERIFY(panel.isChartShown(ChartsPanel::QueueDepth));
}

void TestChartsPanel::clearedStoreHidesCharts()
{
    TraceStore store;
    fillLockAndQueue(store, 10, 1, 2);
    ChartsPanel panel;
    panel.setStore(&store);
    panel.refreshNow();
    QVERIFY(panel.isChartShown(ChartsPanel::LockWaiters));
    store.clear();
    panel.refreshNow();
    for (auto chart : {ChartsPanel::LockWaiters, ChartsPanel::QueueDepth, ChartsPanel::GilAndCores}) {
        QVERIFY(!panel.isChartShown(chart));
        QCOMPARE(panel.seriesCount(chart), 0);
    }
    panel.setStore(nullptr);
    panel.refreshNow();
}

void TestChartsPanel::followsDarkPalette()
{
    ChartsPanel panel;
    QPalette dark = panel.palette();
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::WindowText, Qt::white);
    panel.setPalette(dark);
    QCOMPARE(panel.chart(ChartsPanel::QueueDepth)->theme(), QChart::ChartThemeDark);
    QPalette light = panel.palette();
    light.setColor(QPalette::Window, QColor(0xf0, 0xf0, 0xf0));
    light.setColor(QPalette::WindowText, Qt::black);
    panel.setPalette(light);
    QCOMPARE(panel.chart(ChartsPanel::QueueDepth)->theme(), QChart::ChartThemeLight);
}

void TestChartsPanel::waitGraphCycle()
{
    // philosopher-1 holds fork-1 and waits for fork-2; philosopher-2 holds fork-2, waits for fork-1.
    WaitSnapshot snap;
    snap.edges = {{1, 1, false}, {1, 2, true}, {2, 2, false}, {2, 1, true}};
    snap.cycleLanes = {1, 2};
    snap.cycleLocks = {2, 1};
    snap.laneNames = {{1, u"philosopher-1"_s}, {2, u"philosopher-2"_s}};
    snap.lockNames = {{1, u"fork-1"_s}, {2, u"fork-2"_s}};
    WaitGraphView view;
    view.resize(640, 480);
    view.setGraph(snap);
    QVERIFY(view.hasCycle());
    QCOMPARE(view.cycleNames(),
             (QStringList{u"philosopher-1"_s, u"fork-2"_s, u"philosopher-2"_s, u"fork-1"_s}));
    QVERIFY2(view.caption().startsWith(u"Deadlock: philosopher-1 waits for fork-2, held by philosopher-2"_s),
             qPrintable(view.caption()));
    QCOMPARE(view.threadCount(), 2);
    QCOMPARE(view.lockCount(), 2);
    QCOMPARE(view.edgeCount(), 4);

    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    // The cycle is drawn in the deadlock red.
    const QColor red = StatePalette::deadlock();
    int redPixels = 0;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            redPixels += image.pixelColor(x, y) == red ? 1 : 0;
    }
    QVERIFY2(redPixels > 50, qPrintable(QString::number(redPixels)));

    // Tiny sizes must not crash or divide by zero.
    view.resize(40, 30);
    QVERIFY(!view.grab().toImage().isNull());
}

void TestChartsPanel::waitGraphWithoutCycle()
{
    WaitSnapshot snap;
    snap.edges = {{3, 7, false}, {4, 7, true}, {5, 7, true}};
    snap.laneNames = {{3, u"worker-3"_s}, {4, u"worker-4"_s}, {5, u"worker-5"_s}};
    snap.lockNames = {{7, u"counter_lock"_s}};
    WaitGraphView view;
    view.resize(500, 400);
    view.setGraph(snap);
    QVERIFY(!view.hasCycle());
    QVERIFY(view.cycleNames().isEmpty());
    QVERIFY(view.caption().isEmpty());
    QCOMPARE(view.threadCount(), 3);
    QCOMPARE(view.lockCount(), 1);
    QVERIFY(!view.grab().toImage().isNull());
}

void TestChartsPanel::waitGraphEmpty()
{
    WaitGraphView view;
    view.resize(400, 300);
    view.setGraph(WaitSnapshot{});
    QVERIFY(!view.hasCycle());
    QCOMPARE(view.threadCount(), 0);
    QVERIFY(!view.grab().toImage().isNull());
    // A cycle, then a clear: back to the calm hint.
    WaitSnapshot cycle; // names left out: the view names them by id
    cycle.edges = {{0, 1, false}, {0, 1, true}};
    cycle.cycleLanes = {0};
    cycle.cycleLocks = {1};
    view.setGraph(cycle);
    QVERIFY(view.hasCycle());
    QVERIFY(!view.grab().toImage().isNull());
    view.clear();
    QVERIFY(!view.hasCycle());
}

void TestChartsPanel::thousandsOfCountersAreFolded()
{
    // An imported trace with 10,000 counters: the window took over two minutes to close (Qt
    // Charts tearing down 10,000 series and legend markers). A chart now draws a bounded number
    // and says how many it left out; building and closing are quick.
    TraceContents c;
    for (int i = 0; i < 10'000; ++i) {
        ObjectData o;
        o.id = std::uint32_t(i + 1);
        o.name = u"counter %1"_s.arg(i);
        o.kind = ObjectKind::Counter;
        o.counter = {{0, 1.0}, {1000, 2.0}};
        c.objects.push_back(std::move(o));
    }
    LaneData lane;
    lane.id = 0;
    lane.name = u"t"_s;
    lane.begun = lane.ended = true;
    lane.end = 1000;
    c.lanes.push_back(lane);
    c.endTime = 1000;
    TraceStore store;
    store.adopt(std::move(c));
    QElapsedTimer timer;
    timer.start();
    {
        ChartsPanel panel;
        panel.resize(900, 700);
        panel.setStore(&store);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refreshNow();
        QCOMPARE(panel.seriesCount(ChartsPanel::QueueDepth), int(ChartsPanel::MaxSeriesPerChart));
        QCOMPARE(panel.foldedSeries(), std::size_t(10'000) - ChartsPanel::MaxSeriesPerChart);
    }
    qInfo("10,000 counters: panel built, drawn and closed in %lld ms", timer.elapsed());
}

void TestChartsPanel::pausedSpansAreGreyedOut()
{
    // Paused from 1 s to 2 s of a 4 s run: the lock chart gets one grey band over that quarter.
    TraceStore store;
    store.addLane(0, u"w"_s, LaneKind::Thread);
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    const std::vector<TraceEvent> a{ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                                    ev(500'000'000, 0, EventKind::LockWait, ThreadState::WaitingLock, 1, 1)};
    store.append(a.data(), a.size());
    store.addPauseEdge(1'000'000'000);
    store.addPauseEdge(2'000'000'000);
    const std::vector<TraceEvent> b{ev(4'000'000'000, 0, EventKind::LaneEnd, ThreadState::WaitingLock)};
    store.append(b.data(), b.size());
    store.finishBatch();

    ChartsPanel panel;
    panel.resize(900, 700);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.refreshNow();
    const auto bands = panel.pausedBands(ChartsPanel::LockWaiters);
    QCOMPARE(bands.size(), std::size_t(1));
    const double width = bands[0].second - bands[0].first;
    const double start = bands[0].first;
    QVERIFY(width > 0);
    // A quarter of the run's width, starting a quarter in (the plot starts at 0 s).
    const auto bandsAgain = panel.pausedBands(ChartsPanel::LockWaiters);
    QCOMPARE(bandsAgain.size(), std::size_t(1));
    QVERIFY2(start > width * 0.9 - 40 && start < width * 1.1 + 80, qPrintable(u"%1 %2"_s.arg(start).arg(width)));
    QVERIFY(panel.pausedBands(ChartsPanel::QueueDepth).empty());
}

void TestChartsPanel::drawnLinesAreTheDecimation()
{
    // The lines are no longer Qt Charts' series: check that what is drawn is the decimation (every
    // column's minimum and maximum, by the one-pass reference), placed where Qt Charts would place
    // it on the same axes, in the legend's colour.
    TraceStore store;
    fillLockAndQueue(store, 20000, 3, 4);
    ChartsPanel panel;
    panel.resize(900, 700);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    refreshLaidOut(panel);

    for (auto c : {ChartsPanel::LockWaiters, ChartsPanel::QueueDepth}) {
        QChart* chart = panel.chart(c);
        ChartLinesItem* lines = linesOf(chart);
        QVERIFY(lines);
        QCOMPARE(lines->lineCount(), panel.seriesCount(c));
        const QList<QAbstractSeries*> series = chart->series();
        QCOMPARE(series.size(), panel.seriesCount(c));
        for (int i = 0; i < lines->lineCount(); ++i) {
            auto* legendSeries = qobject_cast<QLineSeries*>(series[i]);
            QVERIFY(legendSeries);
            QCOMPARE(legendSeries->count(), 0); // Qt Charts lays out nothing
            QCOMPARE(lines->pen(i), legendSeries->pen()); // the legend's colour, width, dashes
            const QList<QPointF> points = lines->points(i);
            const QPolygonF drawn = lines->polyline(i);
            QCOMPARE(drawn.size(), points.size());
            for (qsizetype k = 0; k < points.size(); ++k) {
                const QPointF expected = chart->mapToPosition(points[k], legendSeries);
                QVERIFY2(std::abs(drawn[k].x() - expected.x()) < 1e-6 && std::abs(drawn[k].y() - expected.y()) < 1e-6,
                         qPrintable(u"point %1: drawn at (%2, %3), Qt Charts maps it to (%4, %5)"_s.arg(k)
                                        .arg(drawn[k].x())
                                        .arg(drawn[k].y())
                                        .arg(expected.x())
                                        .arg(expected.y())));
            }
        }
    }
    // The lock's line is the decimation of its counter, one column per 2 px of plot.
    const ObjectData& lock = *store.objectById(1);
    const int columns = (panel.plotWidth(ChartsPanel::LockWaiters) - 2) / 2;
    const QList<QPointF> reference = decimateStep(lock.counter, 0, store.endTime(), columns, 1e9);
    QVERIFY(reference.size() > 100);
    QCOMPARE(panel.seriesPoints(ChartsPanel::LockWaiters, 0), reference);

    // The legend still names both of the queue chart's lines.
    const QList<QLegendMarker*> markers = panel.chart(ChartsPanel::QueueDepth)->legend()->markers();
    QCOMPARE(markers.size(), 2);
    QCOMPARE(markers[0]->label(), u"depth"_s);
    QCOMPARE(markers[1]->label(), u"capacity"_s);

    // And the pixels: every point of the lock's line has the line's colour on screen.
    QChartView* view = viewOf(panel, ChartsPanel::LockWaiters);
    QVERIFY(view);
    const QImage image = view->grab().toImage();
    const QColor colour = linesOf(view->chart())->pen(0).color();
    const QPolygonF drawn = linesOf(view->chart())->polyline(0);
    int missing = 0;
    for (const QPointF& p : drawn)
        missing += colourNear(image, view->mapFromScene(view->chart()->mapToScene(p)), colour, 1) ? 0 : 1;
    QVERIFY2(missing == 0, qPrintable(u"%1 of %2 points not drawn"_s.arg(missing).arg(drawn.size())));
}

void TestChartsPanel::aSpikeIsDrawn()
{
    // One lock waiter on and off 20,000 times, and once, for 1 us, five: far narrower than a pixel,
    // it must still reach 5 on screen.
    TraceStore store;
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    std::vector<TraceEvent> events{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    const std::int64_t spikeAt = 12'345 * Ms + Ms / 2;
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t t = (i + 1) * Ms;
        events.push_back(ev(t, 0, EventKind::LockWait, ThreadState::Running, 1, i % 2));
        if (t + Ms > spikeAt && t < spikeAt) {
            events.push_back(ev(spikeAt, 0, EventKind::LockWait, ThreadState::Running, 1, 5));
            events.push_back(ev(spikeAt + 1000, 0, EventKind::LockWait, ThreadState::Running, 1, i % 2));
        }
    }
    store.append(events.data(), events.size());
    store.finishBatch();

    ChartsPanel panel;
    panel.resize(900, 400);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    refreshLaidOut(panel);
    QCOMPARE(maxY(panel.seriesPoints(ChartsPanel::LockWaiters, 0)), 5.0);

    QChartView* view = viewOf(panel, ChartsPanel::LockWaiters);
    QVERIFY(view);
    QChart* chart = view->chart();
    const QImage image = view->grab().toImage();
    const QColor colour = linesOf(chart)->pen(0).color();
    QAbstractSeries* series = chart->series().value(0);
    const QPoint spike = view->mapFromScene(chart->mapToScene(chart->mapToPosition(QPointF(spikeAt / 1e9, 5), series)));
    const QPoint one = view->mapFromScene(chart->mapToScene(chart->mapToPosition(QPointF(spikeAt / 1e9, 1), series)));
    QVERIFY(spike.y() < one.y() - 10); // far enough apart to tell
    // The highest pixel of the line's colour: the spike's top, at the spike's time.
    QPoint top(-1, image.height());
    for (int y = 0; y < image.height() && top.x() < 0; ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixelColor(x, y).rgb() == colour.rgb()) {
                top = QPoint(x, y);
                break;
            }
        }
    }
    QVERIFY2(std::abs(top.y() - spike.y()) <= 2 && std::abs(top.x() - spike.x()) <= 3,
             qPrintable(u"highest line pixel at (%1, %2), the spike maps to (%3, %4)"_s.arg(top.x())
                            .arg(top.y())
                            .arg(spike.x())
                            .arg(spike.y())));
}

// The charts under the timeline: their plots in the timeline's lane column, ticks at the step the
// timeline takes for the same nanoseconds per pixel with its labels, and one cursor line.
void TestChartsPanel::plotsSitUnderTheTimelinesLanes()
{
    TraceStore store;
    fillLockAndQueue(store, 4000, 3, 4); // 4 s
    ChartsPanel panel;
    panel.resize(1000, 500);
    panel.setStore(&store);
    panel.setPlotColumn(180, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setTimeRange(0, 3'500'000'000);
    refreshLaidOut(panel);
    for (auto chart : {ChartsPanel::LockWaiters, ChartsPanel::QueueDepth}) {
        const QRectF plot = panel.chart(chart)->plotArea();
        QVERIFY2(std::abs(plot.left() - 180) <= 1 && std::abs(plot.width() - 700) <= 1,
                 qPrintable(u"plot %1..%2"_s.arg(plot.left()).arg(plot.right())));
        // 3.5 s over 700 px: 5 ms a pixel, ticks at least 90 px apart: every 0.5 s, written as
        // the timeline writes them.
        QStringList expected;
        QList<double> gridXs;
        for (std::int64_t t = 0; t <= 3'500'000'000; t += 500'000'000) {
            expected << TimeMapping::formatTime(t, 5e8);
            gridXs << plot.left() + double(t) / 3.5e9 * plot.width();
        }
        QCOMPARE(panel.timeLabels(chart), expected);
        // A grid line at every tick, drawn by the panel; Qt's own grid is off (its ticks only map).
        const QList<double> drawn = panel.timeGridXs(chart);
        QCOMPARE(drawn.size(), gridXs.size());
        for (qsizetype i = 0; i < drawn.size(); ++i)
            QVERIFY2(std::abs(drawn[i] - gridXs[i]) <= 0.5, qPrintable(u"grid line %1 at %2, tick at %3"_s.arg(i).arg(drawn[i]).arg(gridXs[i])));
        QVERIFY(!panel.chart(chart)->axes(Qt::Horizontal).constFirst()->isGridLineVisible());
    }
    panel.setCursorTime(1'000'000'000);
    QVERIFY(panel.cursorShown(ChartsPanel::LockWaiters));
    QVERIFY(!panel.cursorShown(ChartsPanel::GilAndCores)); // no GIL chart in this lesson
    panel.setCursorTime(-1);
    QVERIFY(!panel.cursorShown(ChartsPanel::LockWaiters));
    // Zoomed in, the labels follow the timeline's units.
    panel.setTimeRange(1'000'000'000, 1'007'000'000);
    refreshLaidOut(panel);
    QCOMPARE(panel.timeLabels(ChartsPanel::LockWaiters).first(), TimeMapping::formatTime(1'000'000'000, 1e6));
}

// Two locks' waiters in one chart: different dashes as well as shades, each named at its end.
void TestChartsPanel::linesOfOneKindDifferAndSayWhatTheyAre()
{
    TraceStore store;
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    store.addObject(1, u"left"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"right"_s, ObjectKind::Lock, 0);
    std::vector<TraceEvent> events{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (int i = 0; i < 20; ++i) { // a change every 50 ms: flat stretches tens of pixels long
        events.push_back(ev((i + 1) * 50 * Ms, 0, EventKind::LockWait, ThreadState::Running, 1, i % 3));
        events.push_back(ev((i + 1) * 50 * Ms, 0, EventKind::LockWait, ThreadState::Running, 2, 1 + i % 2));
    }
    store.append(events.data(), events.size());
    store.finishBatch();
    ChartsPanel panel;
    panel.resize(900, 500);
    panel.setStore(&store);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    refreshLaidOut(panel);
    ChartLinesItem* lines = linesOf(panel.chart(ChartsPanel::LockWaiters));
    QVERIFY(lines);
    QCOMPARE(lines->lineCount(), 2);
    QVERIFY(lines->pen(0).color() != lines->pen(1).color());
    const auto legendPen = [&](int i) {
        return qobject_cast<QLineSeries*>(panel.chart(ChartsPanel::LockWaiters)->series().at(i))->pen();
    };
    QCOMPARE(legendPen(0).style(), Qt::SolidLine);
    QCOMPARE(legendPen(1).style(), Qt::CustomDashLine);
    // The dashed one is drawn with gaps: along its flat stretches some pixels of its row stay empty.
    const QImage image = viewOf(panel, ChartsPanel::LockWaiters)->grab().toImage();
    const QPolygonF dashed = lines->polyline(1);
    int on = 0;
    int off = 0;
    for (qsizetype i = 1; i < dashed.size(); ++i) {
        if (dashed[i].y() != dashed[i - 1].y() || dashed[i].x() - dashed[i - 1].x() < 12)
            continue;
        for (int x = int(dashed[i - 1].x()) + 2; x < int(dashed[i].x()) - 2; ++x)
            (image.pixelColor(x, int(dashed[i].y())).rgb() == lines->pen(1).color().rgb() ? on : off) += 1;
    }
    QVERIFY2(on > 0 && off > 0, qPrintable(u"%1 pixels on, %2 off"_s.arg(on).arg(off)));
}

QTEST_MAIN(TestChartsPanel)
#include "tst_chartspanel.moc"
