// Paused is a state of its own: while the run is paused every lane shows Paused (never waiting,
// holding or running), paused time is exactly the time paused, and no rate, fraction or mean
// counts it. Figures stay put while paused and after Stop.
#include "collector.h"
#include "runner.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::ev;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestPause : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storeDrawsPausedOverEveryState();
    void storeWaitsAndMeansExcludeThePause();
    void laneBegunDuringAPauseStartsPaused();
    void contentionPausedAndStopped();
    void contentionCountsThreadsFromTheirStart();
};

void TestPause::storeDrawsPausedOverEveryState()
{
    TraceStore store;
    store.addLane(0, u"a"_s, LaneKind::Thread);
    store.addLane(1, u"b"_s, LaneKind::Thread);
    store.addObject(1, u"lock"_s, ObjectKind::Lock, 0);
    const TraceEvent before[] = {ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                                 ev(100, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0)};
    const TraceEvent b[] = {ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
                            ev(150, 1, EventKind::LockWait, ThreadState::WaitingLock, 1, 1)};
    store.append(before, 2);
    store.append(b, 2);
    store.addPauseEdge(200); // paused from 200 to 700
    store.addPauseEdge(700);
    // Recorded during the pause: a goes to a checkpoint; after it, a releases and b acquires.
    const TraceEvent a2[] = {ev(210, 0, EventKind::State, ThreadState::Paused),
                             ev(720, 0, EventKind::State, ThreadState::Running),
                             ev(800, 0, EventKind::LockRelease, ThreadState::Running, 1, 1),
                             ev(900, 0, EventKind::LaneEnd, ThreadState::Running)};
    const TraceEvent b2[] = {ev(810, 1, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1),
                             ev(900, 1, EventKind::LaneEnd, ThreadState::Running)};
    store.append(a2, 4);
    store.append(b2, 2);
    store.finishBatch();

    for (std::size_t lane = 0; lane < 2; ++lane) {
        const auto totals = store.stateTotals(lane);
        QCOMPARE(totals[std::size_t(ThreadState::Paused)], 500); // exactly the pause
        std::int64_t sum = 0;
        for (const std::int64_t t : totals)
            sum += t;
        QCOMPARE(sum, store.laneWallNs(lane));
        QCOMPARE(store.stateAt(lane, 450), ThreadState::Paused);
    }
    // b waited 150..810 less the pause: 160 ns, not 660.
    QCOMPARE(store.stateAt(1, 199), ThreadState::WaitingLock);
    QCOMPARE(store.stateAt(1, 700), ThreadState::WaitingLock); // waiting again after the pause
    const ObjectData* lock = store.objectById(1);
    QVERIFY(lock);
    QCOMPARE(lock->waitNsTotal, 160);
    // a's hold is cut by the pause: 100..200 and 700..800, 200 ns held in all.
    QCOMPARE(store.lane(0).holds.size(), std::size_t(2));
    QCOMPARE(store.lane(0).holds[0].start, 100);
    QCOMPARE(store.lane(0).holds[0].end, 200);
    QCOMPARE(store.lane(0).holds[1].start, 700);
    QCOMPARE(store.lane(0).holds[1].end, 800);
    QCOMPARE(lock->holdNsTotal, 200 + 90);
}

void TestPause::storeWaitsAndMeansExcludeThePause()
{
    TraceStore store;
    store.addLane(0, u"a"_s, LaneKind::Thread);
    store.addObject(1, u"q"_s, ObjectKind::Queue, 0);
    const TraceEvent e1[] = {ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                             ev(0, 0, EventKind::QueuePut, ThreadState::Running, 1, 4)};
    store.append(e1, 2);
    store.addPauseEdge(100);
    store.addPauseEdge(1100);
    const TraceEvent e2[] = {ev(1200, 0, EventKind::QueueGet, ThreadState::Running, 1, 0),
                             ev(1400, 0, EventKind::QueuePut, ThreadState::Running, 1, 0)};
    store.append(e2, 2);
    store.finishBatch();
    // Depth 4 for 200 ns of running time, 0 for 200: mean 2 (with the pause it would be 3.33).
    QCOMPARE(store.counterMean(*store.objectById(1)), 2.0);
}

void TestPause::laneBegunDuringAPauseStartsPaused()
{
    TraceStore store;
    store.addLane(0, u"a"_s, LaneKind::Thread);
    store.addPauseEdge(100);
    const TraceEvent e1[] = {ev(300, 0, EventKind::LaneBegin, ThreadState::Running)};
    store.append(e1, 1);
    store.addPauseEdge(500);
    const TraceEvent e2[] = {ev(600, 0, EventKind::LaneEnd, ThreadState::Running)};
    store.append(e2, 1);
    store.finishBatch();
    const auto totals = store.stateTotals(0);
    QCOMPARE(totals[std::size_t(ThreadState::Paused)], 200);
    QCOMPARE(totals[std::size_t(ThreadState::Running)], 100);
}

void TestPause::contentionPausedAndStopped()
{
    TraceStore store;
    Runner runner;
    Collector collector(&store);
    QString error;
    QVERIFY(runner.start(u"contention"_s,
                         scenarioValues(u"contention"_s, {u"threads=4"_s, u"locks=1"_s, u"critical_ms=20"_s,
                                                          u"outside_ms=20"_s, u"rounds=0"_s}),
                         1.0, &error));
    collector.setSession(runner.session());
    collector.start(16);
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"ops"_s].toInt() >= 8, 10000);

    runner.setPaused(true);
    collector.drain();
    const std::int64_t pausedAt = store.pauseEdges().empty() ? -1 : store.pauseEdges().back();
    QVERIFY(pausedAt >= 0);
    // Threads settle at their checkpoints (or behind a paused holder); an operation in its last
    // instructions may still complete (a thread the kernel had not run yet), but once none does,
    // no figure moves with the wall clock: the same outcome 400 ms apart. (Before, ops_per_s fell
    // and the wait fraction rose for as long as the pause lasted, so no two readings agreed.)
    QJsonObject before;
    QJsonObject after;
    for (int attempt = 0; attempt < 15 && (before.isEmpty() || before != after); ++attempt) {
        before = runner.outcome();
        QTest::qWait(400);
        after = runner.outcome();
    }
    QCOMPARE(after, before);
    collector.drain();
    // Every lane alive shows Paused now: nobody waits for a lock or holds one while paused.
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const LaneData& l = store.lane(i);
        if (l.begun && !l.ended) {
            QCOMPARE(l.current, ThreadState::Paused);
            for (const LaneData::OpenHold& h : l.openHolds)
                QCOMPARE(h.start, -1);
        }
    }

    runner.setPaused(false);
    collector.drain();
    const std::int64_t resumedAt = store.pauseEdges().back();
    QVERIFY(resumedAt - pausedAt >= 400'000'000);
    const int opsAtResume = runner.outcome()[u"ops"_s].toInt();
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"ops"_s].toInt() > opsAtResume + 2, 10000);
    QVERIFY(runner.stop(u"stopped"_s));
    collector.drain();

    // After Stop, nothing changes with the wall clock.
    const QJsonObject stopped = runner.outcome();
    QTest::qWait(300);
    QCOMPARE(runner.outcome(), stopped);
    const double wait = stopped[u"wait_fraction"_s].toDouble();
    QVERIFY2(wait > 0 && wait < 1, qPrintable(QString::number(wait)));

    // Paused time is exactly the time paused, for each lane alive across the pause, and the
    // states add up to the wall time.
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const LaneData& l = store.lane(i);
        const auto totals = store.stateTotals(i);
        std::int64_t sum = 0;
        for (const std::int64_t t : totals)
            sum += t;
        QCOMPARE(sum, store.laneWallNs(i));
        if (l.begun && l.begin <= pausedAt && l.ended && l.end >= resumedAt)
            QCOMPARE(totals[std::size_t(ThreadState::Paused)], resumedAt - pausedAt);
        // No hold and no lock wait spans the pause.
        for (const HoldInterval& h : l.holds)
            QVERIFY(h.end <= pausedAt || h.start >= resumedAt);
        for (const StateInterval& s : l.intervals) {
            if (s.state != ThreadState::Paused)
                QVERIFY2(s.end <= pausedAt || s.start >= resumedAt, stateLabel(s.state));
        }
    }
}

void TestPause::contentionCountsThreadsFromTheirStart()
{
    // Threads added mid-run count from their own start: the live wait fraction is the trace's
    // (lock waits over the worker lanes' lifetimes), not one that treats them as there from the start.
    TraceStore store;
    Runner runner;
    Collector collector(&store);
    QString error;
    QVERIFY(runner.start(u"contention"_s,
                         scenarioValues(u"contention"_s, {u"threads=2"_s, u"locks=1"_s, u"critical_ms=10"_s,
                                                          u"outside_ms=10"_s, u"rounds=0"_s}),
                         1.0, &error));
    collector.setSession(runner.session());
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"ops"_s].toInt() >= 20, 10000);
    QVERIFY(runner.setParam(u"threads"_s, 6));
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"ops"_s].toInt() >= 60, 10000);
    auto fromTrace = [&] {
        collector.drain();
        std::int64_t alive = 0;
        for (std::size_t i = 0; i < store.laneCount(); ++i) {
            if (store.lane(i).kind != LaneKind::Main)
                alive += store.laneWallNs(i);
        }
        std::int64_t wait = 0;
        for (std::size_t i = 0; i < store.objectCount(); ++i)
            wait += store.object(i).kind == ObjectKind::Lock ? store.object(i).waitNsTotal : 0;
        return alive > 0 ? double(wait) / double(alive) : 0.0;
    };
    const double live = runner.outcome()[u"wait_fraction"_s].toDouble();
    const double traced = fromTrace();
    QVERIFY2(std::abs(live - traced) <= 0.08, qPrintable(u"live %1, from the trace %2"_s.arg(live).arg(traced)));
    QVERIFY(runner.stop(u"stopped"_s));
    const double stopped = runner.outcome()[u"wait_fraction"_s].toDouble();
    const double tracedAtEnd = fromTrace();
    QVERIFY2(std::abs(stopped - tracedAtEnd) <= 0.08,
             qPrintable(u"after Stop %1, from the trace %2"_s.arg(stopped).arg(tracedAtEnd)));
}

QTEST_GUILESS_MAIN(TestPause)
#include "tst_pause.moc"
