// TimelineView: the picture shows the states where the trace says; a million intervals cost no
// more paint calls than lanes x width.
#include "statepalette.h"
#include <cmath>
#include "timelineview.h"
#include "timerange.h"
#include "tracestore.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include "paintcounter.h"
#include "testdata.h"

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

class TestTimelineView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyViewShowsTheFirstSeconds();
    void paintsStatesWhereTheTraceSays();
    void levelOfDetailBoundsFills_data();
    void levelOfDetailBoundsFills();
    void zoomAndFollow();
    void markersOnColumnBoundariesEndTheFrame_data();
    void markersOnColumnBoundariesEndTheFrame();
    void longHoldAfterShortOnesInOneColumnIsDrawn();
    void pausedIsHatchedGrey();
    void clickOnALostUpdateExplainsIt();
    void gilHolderColoursAreKeyedAndNoStateColour();

};

// Before a run the axis shows its first seconds at any width (it once showed 0..2000 s: the zoom
// of the view's first, few-pixel width kept as it grew).
void TestTimelineView::emptyViewShowsTheFirstSeconds()
{
    TraceStore store;
    TimelineView view;
    view.setStore(&store);
    for (const int width : {50, 800, 1400}) {
        view.resize(width, 300);
        view.show();
        QCoreApplication::processEvents();
        QCOMPARE(view.mapping().t0, std::int64_t(0));
        QVERIFY2(std::abs(double(view.mapping().t1() - TimeRange::DefaultSpanNs)) < 0.01 * TimeRange::DefaultSpanNs,
                 qPrintable(QString::number(view.mapping().t1())));
    }
}

void TestTimelineView::paintsStatesWhereTheTraceSays()
{
    TraceStore store;
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addLane(1, u"worker-2"_s, LaneKind::Thread);
    // worker-1: Running 0-1 s, Sleeping 1-2 s; worker-2: Waiting for lock 0-1 s, Ready 1-2 s.
    const std::vector<TraceEvent> a{ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                                    ev(1'000'000'000, 0, EventKind::State, ThreadState::Sleeping),
                                    ev(2'000'000'000, 0, EventKind::LaneEnd, ThreadState::Sleeping)};
    const std::vector<TraceEvent> b{ev(0, 1, EventKind::LaneBegin, ThreadState::WaitingLock),
                                    ev(1'000'000'000, 1, EventKind::State, ThreadState::Ready),
                                    ev(2'000'000'000, 1, EventKind::LaneEnd, ThreadState::Ready)};
    store.append(a.data(), a.size());
    store.append(b.data(), b.size());
    store.finishBatch();

    TimelineView view;
    view.resize(1000, 300);
    view.setStore(&store);
    store.finishBatch();
    view.zoomToFit();
    const QImage image = view.grab().toImage();

    auto colourAt = [&](int lane, std::int64_t t) {
        const QRect bar = view.laneBarRect(lane);
        const int x = bar.left() + int(view.mapping().xOf(t));
        return image.pixelColor(x, bar.center().y());
    };
    QCOMPARE(colourAt(0, 500'000'000), StatePalette::state(ThreadState::Running));
    QCOMPARE(colourAt(0, 1'500'000'000), StatePalette::state(ThreadState::Sleeping));
    QCOMPARE(colourAt(1, 500'000'000), StatePalette::state(ThreadState::WaitingLock));
    QCOMPARE(colourAt(1, 1'500'000'000), StatePalette::state(ThreadState::Ready));
}

void TestTimelineView::levelOfDetailBoundsFills_data()
{
    QTest::addColumn<double>("zoom"); // 1 = the whole trace, > 1 zoomed in around the middle
    QTest::newRow("zoomed out") << 1.0;
    QTest::newRow("zoomed in 100x") << 100.0;
    QTest::newRow("zoomed in 10000x") << 10000.0;
}

void TestTimelineView::levelOfDetailBoundsFills()
{
    QFETCH(double, zoom);
    constexpr int Lanes = 16;
    constexpr int PerLane = 1'000'000 / Lanes;
    TraceStore store;
    std::vector<TraceEvent> events;
    events.reserve(PerLane + 2);
    for (int l = 0; l < Lanes; ++l) {
        store.addLane(std::uint32_t(l), u"lane-%1"_s.arg(l), LaneKind::Thread);
        events.clear();
        events.push_back(ev(0, std::uint32_t(l), EventKind::LaneBegin, ThreadState::Running));
        for (int i = 1; i < PerLane; ++i) {
            const auto s = ThreadState(i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : 3); // Running, Ready, Waiting
            events.push_back(ev(std::int64_t(i) * 1000 + l, std::uint32_t(l), EventKind::State, s));
        }
        events.push_back(ev(std::int64_t(PerLane) * 1000 + 10, std::uint32_t(l), EventKind::LaneEnd, ThreadState::Running));
        store.append(events.data(), events.size());
    }
    store.finishBatch();
    std::size_t intervals = 0;
    for (int l = 0; l < Lanes; ++l)
        intervals += store.lane(std::size_t(l)).intervals.size();
    QVERIFY(intervals >= 990'000);

    TimelineView view;
    view.resize(1200, Lanes * 40 + 60);
    view.setStore(&store);
    view.zoomToFit();
    if (zoom > 1) {
        TimeMapping m = view.mapping();
        m.zoomAround(m.width / 2, zoom);
        view.setMapping(m);
    }
    const int width = int(view.mapping().width);
    // Every call the frame makes of the paint engine, counted where QPainter hands it over:
    // lanes x width bounds them (a fill per interval would be a million).
    test::CountingPaintDevice device(view.size());
    view.render(&device);
    const auto& counts = device.counts();
    QVERIFY2(counts.primitives <= Lanes * width,
             qPrintable(u"%1 paint primitives for %2 lanes x %3 px"_s.arg(counts.primitives).arg(Lanes).arg(width)));
    QVERIFY(counts.images >= Lanes); // it did draw every lane (a row image each)
    QVERIFY(view.lastFillCount() >= Lanes);
}

void TestTimelineView::zoomAndFollow()
{
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    const std::vector<TraceEvent> e{ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                                    ev(20'000'000'000, 0, EventKind::State, ThreadState::Sleeping)};
    store.append(e.data(), e.size());
    TimelineView view;
    view.resize(800, 200);
    view.setStore(&store);
    store.finishBatch();
    // Following: the live edge (20 s) is in view.
    QVERIFY(view.followLive());
    QVERIFY(view.mapping().t0 <= 20'000'000'000 && view.mapping().t1() >= 20'000'000'000);
    // Zooming in keeps following; zoom to fit stops following and shows everything.
    const double before = view.mapping().nsPerPixel;
    view.zoomIn();
    QVERIFY(view.mapping().nsPerPixel < before);
    view.zoomToFit();
    QVERIFY(!view.followLive());
    QCOMPARE(view.mapping().t0, 0);
    QVERIFY(view.mapping().t1() >= 20'000'000'000);
}

void TestTimelineView::markersOnColumnBoundariesEndTheFrame_data()
{
    QTest::addColumn<double>("nsPerPixel");
    // Scales where timeAt(column + 1) rounds onto a marker's own time.
    QTest::newRow("250 + epsilon") << 250.00000000001;
    QTest::newRow("333.33") << 1000.0 / 3.0;
    QTest::newRow("0.1 ms + epsilon") << 100000.0000001;
}

void TestTimelineView::markersOnColumnBoundariesEndTheFrame()
{
    QFETCH(double, nsPerPixel);
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    std::vector<TraceEvent> e{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (int k = 1; k <= 5000; ++k) {
        TraceEvent m = ev(std::int64_t(k) * 1000, 0, EventKind::LostUpdate, ThreadState::Running);
        m.value = 1;
        e.push_back(m);
    }
    e.push_back(ev(6'000'000, 0, EventKind::LaneEnd, ThreadState::Running));
    store.append(e.data(), e.size());
    TimelineView view;
    view.resize(900, 150);
    view.setStore(&store);
    store.finishBatch();
    TimeMapping m = view.mapping();
    m.t0 = 0;
    m.nsPerPixel = nsPerPixel;
    view.setMapping(m);
    view.grab(); // returns: every marker column advances the scan
    QVERIFY(view.lastFillCount() > 0);
}

void TestTimelineView::longHoldAfterShortOnesInOneColumnIsDrawn()
{
    // Race with the lock on: thousands of µs-long holds, then one that lasts (its thread was
    // preempted holding the lock). All start in the first pixel column; the long one must show.
    TraceStore store;
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addObject(1, u"counter_lock"_s, ObjectKind::Lock, 0);
    std::vector<TraceEvent> e{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (int k = 0; k < 2000; ++k) {
        e.push_back(ev(k * 400, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0));
        e.push_back(ev(k * 400 + 200, 0, EventKind::LockRelease, ThreadState::Running, 1, 0));
    }
    e.push_back(ev(900'000, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0));
    e.push_back(ev(1'500'000'000, 0, EventKind::LockRelease, ThreadState::Running, 1, 0));
    e.push_back(ev(2'000'000'000, 0, EventKind::LaneEnd, ThreadState::Running));
    store.append(e.data(), e.size());
    store.finishBatch();

    TimelineView view;
    view.resize(1000, 300);
    view.setStore(&store);
    view.zoomToFit();
    const QImage image = view.grab().toImage();
    const QRect bar = view.laneBarRect(0);
    const int y = bar.bottom() + 3; // inside the hold strip under the bar
    for (const std::int64_t t : {100'000'000LL, 750'000'000LL, 1'400'000'000LL}) {
        const int x = bar.left() + int(view.mapping().xOf(t));
        QCOMPARE(image.pixelColor(x, y), StatePalette::hold());
    }
    const int after = bar.left() + int(view.mapping().xOf(1'800'000'000));
    QVERIFY(image.pixelColor(after, y) != StatePalette::hold());
}

void TestTimelineView::pausedIsHatchedGrey()
{
    TraceStore store;
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    const TraceEvent a[] = {ev(0, 0, EventKind::LaneBegin, ThreadState::WaitingLock, 1, 1)};
    store.append(a, 1);
    store.addPauseEdge(500'000'000);
    store.addPauseEdge(1'500'000'000);
    const TraceEvent b[] = {ev(2'000'000'000, 0, EventKind::LaneEnd, ThreadState::WaitingLock)};
    store.append(b, 1);
    store.finishBatch();
    TimelineView view;
    view.resize(1000, 300);
    view.setStore(&store);
    view.zoomToFit();
    const QImage image = view.grab().toImage();
    const QRect bar = view.laneBarRect(0);
    const QColor paused = StatePalette::state(ThreadState::Paused);
    int plain = 0;
    int stripes = 0;
    for (std::int64_t t = 600'000'000; t < 1'400'000'000; t += 10'000'000) {
        const QColor c = image.pixelColor(bar.left() + int(view.mapping().xOf(t)), bar.center().y());
        QVERIFY2(c != StatePalette::state(ThreadState::WaitingLock), "waiting drawn while paused");
        (c == paused ? plain : stripes) += 1;
    }
    QVERIFY(plain > 0);
    QVERIFY(stripes > 0); // hatched: two shades
    QCOMPARE(image.pixelColor(bar.left() + int(view.mapping().xOf(250'000'000)), bar.center().y()),
             StatePalette::state(ThreadState::WaitingLock));
}

// A click on the lost-update mark: the story under the timeline, the events it names ringed on
// their lanes; a click on nothing or Esc takes it away.
void TestTimelineView::clickOnALostUpdateExplainsIt()
{
    constexpr std::uint32_t Counter = 1;
    TraceStore store;
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addLane(1, u"worker-2"_s, LaneKind::Thread);
    store.addObject(Counter, u"counter"_s, ObjectKind::Counter, 0);
    const std::vector<TraceEvent> events{
        ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(200'000'000, 0, EventKind::RaceRead, ThreadState::Running, Counter, 41),
        ev(400'000'000, 1, EventKind::RaceRead, ThreadState::Running, Counter, 41),
        ev(600'000'000, 0, EventKind::RaceWrite, ThreadState::Running, Counter, 42),
        ev(800'000'000, 1, EventKind::RaceWrite, ThreadState::Running, Counter, 42),
        ev(800'000'000, 1, EventKind::LostUpdate, ThreadState::Running, Counter, 1),
        ev(1'000'000'000, 0, EventKind::LaneEnd, ThreadState::Running),
        ev(1'000'000'000, 1, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(events.data(), events.size());
    store.advanceTo(1'000'000'000);
    store.finishBatch();

    TimelineView view;
    view.resize(1000, 300);
    view.setStore(&store);
    view.zoomToFit();
    QSignalSpy changed(&view, &TimelineView::explanationChanged);
    const QRect bar = view.laneBarRect(1); // worker-2
    const QPoint mark(bar.left() + int(view.mapping().xOf(800'000'000)) + 2, bar.center().y());
    QTest::mouseClick(&view, Qt::LeftButton, {}, mark);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toString(), u"Lost update"_s);
    QVERIFY(changed.first().at(1).toString().startsWith(u"worker-1 read 41 at 200.000 ms, worker-2 read 41"_s));
    QCOMPARE(view.explanation().events.size(), std::size_t(5));

    // The ring is drawn where worker-1 read 41 (amber, no state has it), and nowhere near before.
    const QImage image = view.grab().toImage();
    auto amberNear = [&](int lane, std::int64_t t) {
        const QRect b = view.laneBarRect(lane);
        const int cx = b.left() + int(view.mapping().xOf(t));
        for (int dx = -14; dx <= 14; ++dx)
            for (int dy = -14; dy <= 14; ++dy) {
                const QColor c = image.pixelColor(cx + dx, b.center().y() + dy);
                if (c.red() > 230 && c.green() > 150 && c.green() < 200 && c.blue() < 60)
                    return true;
            }
        return false;
    };
    QVERIFY(amberNear(0, 200'000'000));
    QVERIFY(amberNear(1, 400'000'000));
    QVERIFY(!amberNear(0, 100'000'000));

    QTest::keyClick(&view, Qt::Key_Escape);
    QCOMPARE(changed.count(), 2);
    QVERIFY(view.explanation().isEmpty());
    // A click on a plain running stretch explains nothing and shows nothing.
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(bar.left() + int(view.mapping().xOf(100'000'000)), bar.center().y()));
    QVERIFY(view.explanation().isEmpty());
    QCOMPARE(changed.count(), 2);
}

// The GIL lane colours a stretch by who holds the GIL: none of those colours is a state's (or the
// hold's, or the lost-update red), and each thread's colour is shown by its name as the key.
void TestTimelineView::gilHolderColoursAreKeyedAndNoStateColour()
{
    const QPalette light;
    auto distance = [](QColor a, QColor b) {
        return std::hypot(a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue());
    };
    std::vector<QColor> meaningful{StatePalette::hold(), StatePalette::lostUpdate()};
    for (int s = 0; s < ThreadStateCount; ++s)
        meaningful.push_back(StatePalette::state(ThreadState(s)));
    meaningful.push_back(QColor(0x55, 0x55, 0x55)); // idle on a dark background
    for (int lane = 0; lane < 8; ++lane)
        for (const QColor& c : meaningful)
            QVERIFY2(distance(StatePalette::lane(lane, light), c) >= 60,
                     qPrintable(u"lane %1 %2 is too close to %3"_s.arg(lane).arg(StatePalette::lane(lane, light).name(), c.name())));

    TraceStore store;
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addLane(1, u"worker-2"_s, LaneKind::Thread);
    const std::vector<TraceEvent> events{ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                                         ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
                                         ev(1'000'000'000, 0, EventKind::LaneEnd, ThreadState::Running),
                                         ev(1'000'000'000, 1, EventKind::LaneEnd, ThreadState::Running)};
    store.append(events.data(), events.size());
    store.finishBatch();
    TimelineView view;
    view.resize(800, 200);
    view.setStore(&store);
    view.setShowGilLane(true);
    view.zoomToFit();
    const QImage image = view.grab().toImage();
    for (int lane = 0; lane < 2; ++lane) {
        const QRect bar = view.laneBarRect(lane);
        bool keyed = false;
        for (int x = 0; x < view.laneAreaLeft() && !keyed; ++x)
            keyed = image.pixelColor(x, bar.center().y()) == StatePalette::lane(lane, view.palette());
        QVERIFY2(keyed, qPrintable(u"no key by lane %1's name"_s.arg(lane)));
    }
}

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"

