// TimeRange: the one visible range that the timeline and the charts both follow (zoom in the
// timeline moves the charts, setting the range moves both, following the live edge and not).
#include "chartspanel.h"
#include "timelineview.h"
#include "timerange.h"
#include "tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

class TestTimeRange : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsTheLiveEdge_data();
    void followsTheLiveEdge();
    void wholeRunGrowsWithTheRun();
    void timelineZoomMovesTheCharts();
    void settingTheRangeMovesBoth();
    void followLiveOnAndOff();
    void loneViewsHaveTheirOwn();
};

namespace {

constexpr std::int64_t Ms = 1'000'000;
constexpr std::int64_t S = 1'000'000'000;

// One lane running from 0 to `end`, a lock whose waiters change every 10 ms.
void fill(TraceStore& store, std::int64_t end)
{
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    std::vector<TraceEvent> events{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (std::int64_t t = 10 * Ms; t < end; t += 10 * Ms)
        events.push_back(ev(t, 0, EventKind::LockWait, ThreadState::Running, 1, int(t / (10 * Ms)) % 3));
    events.push_back(ev(end, 0, EventKind::State, ThreadState::Sleeping));
    store.append(events.data(), events.size());
    store.finishBatch();
}

// A timeline and the charts sharing one range, as the window has them.
struct Views
{
    TraceStore store;
    TimeRange range;
    TimelineView timeline;
    ChartsPanel charts;

    explicit Views(std::int64_t end)
    {
        fill(store, end);
        timeline.resize(900, 200);
        charts.resize(900, 400);
        timeline.setTimeRange(&range);
        charts.setTimeRange(&range);
        timeline.setStore(&store);
        charts.setStore(&store);
    }
    bool chartsShow(std::int64_t t0, std::int64_t t1) const
    {
        return charts.rangeStart() == t0 && charts.rangeEnd() == t1;
    }
};

} // namespace

void TestTimeRange::followsTheLiveEdge_data()
{
    QTest::addColumn<qint64>("liveEnd");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    // A 10 s range: from the start until the run fills 95 % of it, then the edge 5 % inside.
    QTest::newRow("short run: from its start") << qint64(3 * S) << qint64(0) << qint64(10 * S);
    QTest::newRow("just under 95 %") << qint64(9'499 * Ms) << qint64(0) << qint64(10 * S);
    QTest::newRow("longer: edge inside the border") << qint64(20 * S) << qint64(10'500 * Ms) << qint64(20'500 * Ms);
}

void TestTimeRange::followsTheLiveEdge()
{
    QFETCH(qint64, liveEnd);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    TimeRange range;
    range.setRange(0, 10 * S);
    QVERIFY(range.followsLive());
    range.setLiveEnd(liveEnd);
    QCOMPARE(range.start(), start);
    QCOMPARE(range.end(), end);
    QCOMPARE(range.span(), 10 * S);
}

void TestTimeRange::wholeRunGrowsWithTheRun()
{
    TimeRange range;
    range.followWholeRun();
    QVERIFY(range.showsWholeRun());
    QCOMPARE(range.end(), S); // nothing yet: one second of nothing
    range.setLiveEnd(3 * S);
    QCOMPARE(range.start(), 0);
    QCOMPARE(range.end(), 3 * S);
    range.setRange(S, 2 * S); // a chosen range leaves the whole run (still following, as the edge)
    QVERIFY(!range.showsWholeRun());
    QVERIFY(range.followsLive());
}

void TestTimeRange::timelineZoomMovesTheCharts()
{
    Views v(2 * S);
    v.timeline.zoomToFit();
    QVERIFY(!v.charts.isFollowingLive());
    QVERIFY(v.chartsShow(v.timeline.mapping().t0, v.timeline.mapping().t1()));
    const std::int64_t before = v.charts.rangeEnd() - v.charts.rangeStart();

    QSignalSpy changed(&v.range, &TimeRange::changed);
    v.timeline.zoomIn();
    QCOMPARE(changed.count(), 1);
    QVERIFY(v.charts.rangeEnd() - v.charts.rangeStart() < before);
    QVERIFY(v.chartsShow(v.timeline.mapping().t0, v.timeline.mapping().t1()));

    // The charts draw the new range: the capacity-free lock series stays inside it.
    v.charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&v.charts));
    v.charts.refreshNow();
    const QList<QPointF> points = v.charts.seriesPoints(ChartsPanel::LockWaiters, 0);
    QVERIFY(!points.isEmpty());
    for (const QPointF& p : points) {
        QVERIFY(p.x() >= double(v.range.start()) / 1e9 - 1e-9);
        QVERIFY(p.x() <= double(v.range.end()) / 1e9 + 1e-9);
    }
}

void TestTimeRange::settingTheRangeMovesBoth()
{
    Views v(2 * S);
    QSignalSpy viewChanged(&v.timeline, &TimelineView::viewChanged);
    v.range.setFollowLive(false);
    v.range.setRange(500 * Ms, 700 * Ms);
    QVERIFY(v.chartsShow(500 * Ms, 700 * Ms));
    QCOMPARE(v.timeline.mapping().t0, 500 * Ms);
    QVERIFY(std::abs(v.timeline.mapping().t1() - 700 * Ms) <= std::int64_t(v.timeline.mapping().nsPerPixel));
    QVERIFY(!viewChanged.isEmpty());
    QCOMPARE(viewChanged.last().at(0).value<std::int64_t>(), 500 * Ms);
    QCOMPARE(viewChanged.last().at(1).value<std::int64_t>(), 700 * Ms);

    // And the charts' own setter moves the timeline.
    v.charts.setTimeRange(S, 1500 * Ms);
    QCOMPARE(v.timeline.mapping().t0, S);
    QVERIFY(std::abs(v.timeline.mapping().t1() - 1500 * Ms) <= std::int64_t(v.timeline.mapping().nsPerPixel));
}

void TestTimeRange::followLiveOnAndOff()
{
    Views v(20 * S);
    QVERIFY(v.range.followsLive());
    QVERIFY(v.timeline.followLive());
    QVERIFY(v.charts.isFollowingLive());
    // Following: the live edge (20 s) is in both views.
    QVERIFY(v.range.start() <= 20 * S && v.range.end() >= 20 * S);
    QVERIFY(v.chartsShow(v.timeline.mapping().t0, v.timeline.mapping().t1()));

    QSignalSpy follow(&v.timeline, &TimelineView::followLiveChanged);
    v.timeline.setFollowLive(false);
    QCOMPARE(follow.count(), 1);
    QVERIFY(!v.range.followsLive());
    QVERIFY(!v.charts.isFollowingLive());
    // Not following: new data leaves the range where it is.
    const std::int64_t start = v.range.start();
    const TraceEvent later = ev(40 * S, 0, EventKind::State, ThreadState::Running);
    v.store.append(&later, 1);
    v.store.finishBatch();
    QCOMPARE(v.range.start(), start);

    // Following again: both jump to the edge, 40 s.
    v.timeline.setFollowLive(true);
    QCOMPARE(follow.count(), 2);
    QVERIFY(v.charts.isFollowingLive());
    QVERIFY(v.range.start() <= 40 * S && v.range.end() >= 40 * S);
    QVERIFY(v.chartsShow(v.timeline.mapping().t0, v.timeline.mapping().t1()));

    // The charts' "whole run" is followed by the timeline as well.
    v.charts.followLive();
    QVERIFY(v.range.showsWholeRun());
    QCOMPARE(v.timeline.mapping().t0, 0);
    QVERIFY(std::abs(v.timeline.mapping().t1() - 40 * S) <= std::int64_t(v.timeline.mapping().nsPerPixel));
}

void TestTimeRange::loneViewsHaveTheirOwn()
{
    TraceStore store;
    fill(store, 2 * S);
    TimelineView timeline;
    ChartsPanel charts;
    timeline.setStore(&store);
    charts.setStore(&store);
    QVERIFY(timeline.timeRange() != charts.timeRange());
    timeline.zoomToFit();
    QVERIFY(charts.isFollowingLive()); // untouched: its own range follows the whole run
    QCOMPARE(charts.rangeStart(), 0);
    QCOMPARE(charts.rangeEnd(), 2 * S);
}

QTEST_MAIN(TestTimeRange)
#include "tst_timerange.moc"
