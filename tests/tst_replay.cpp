// Replay: a store cut at a playhead shows what the full recording shows up to it, and nothing
// after; figures "so far" are counted from the recording by brute force; ending a replay puts the
// whole run back exactly.
#include "replay.h"
#include "run.h"
#include "summary.h"
#include "testdata.h"
#include "tracestore.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace interleave;
using interleave::test::ev;

namespace {

// worker-1 holds the lock 1-3 ms while worker-2 waits 2-3 ms; worker-2 holds it 3-5 ms.
void fillKnownRun(TraceStore& store)
{
    constexpr std::uint32_t Lock = 1;
    store.addLane(1, u"worker-1"_s, LaneKind::Thread);
    store.addLane(2, u"worker-2"_s, LaneKind::Thread);
    store.addObject(Lock, u"lock"_s, ObjectKind::Lock, 0);
    const std::vector<TraceEvent> events{
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(500'000, 2, EventKind::LaneBegin, ThreadState::Running),
        ev(1'000'000, 1, EventKind::LockAcquire, ThreadState::Running, Lock, 0, 0),
        ev(2'000'000, 2, EventKind::LockWait, ThreadState::WaitingLock, Lock, 1),
        ev(3'000'000, 1, EventKind::LockRelease, ThreadState::Running, Lock, 1),
        ev(3'000'000, 2, EventKind::LockAcquire, ThreadState::Running, Lock, 0, 1),
        ev(3'500'000, 1, EventKind::State, ThreadState::Sleeping),
        ev(4'000'000, 1, EventKind::LaneEnd, ThreadState::Sleeping),
        ev(5'000'000, 2, EventKind::LockRelease, ThreadState::Running, Lock, 0),
        ev(6'000'000, 2, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(events.data(), events.size());
    store.advanceTo(6'000'000);
    store.finishBatch();
}

QByteArray summaryOf(const TraceStore& store)
{
    return QJsonDocument(buildSummary(store, RunDescription{})).toJson(QJsonDocument::Compact);
}

} // namespace

class TestReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cutShowsTheStateAsItWas();
    void cutAtTheEndIsTheWholeRun();
    void statesBeforeThePlayheadMatchTheRecording();
    void lostSoFarIsCountedFromTheRecording();
    void nextEventOnALane();
    void endPutsTheWholeRunBack();
    void playingReachesTheEndAndStops();
    void aNewRunEndsTheReplay();
};

void TestReplay::cutShowsTheStateAsItWas()
{
    TraceStore full;
    fillKnownRun(full);
    TraceStore at;
    at.adopt(contentsUpTo(full, 2'500'000));
    QCOMPARE(at.endTime(), 2'500'000);
    // worker-1 holds the lock, worker-2 waits for it: both open, as a live store would have them.
    const LaneData& w1 = at.lane(1);
    const LaneData& w2 = at.lane(2);
    QVERIFY(w1.begun && !w1.ended);
    QCOMPARE(w1.openHolds.size(), std::size_t(1));
    QCOMPARE(w1.openHolds.front().start, 1'000'000);
    QCOMPARE(w2.current, ThreadState::WaitingLock);
    QCOMPARE(w2.currentStart, 2'000'000);
    QCOMPARE(at.stateAt(2, 2'400'000), ThreadState::WaitingLock);
    QCOMPARE(at.stateAt(1, 2'400'000), ThreadState::Running);
    QCOMPARE(at.stateTotals(2)[std::size_t(ThreadState::WaitingLock)], 500'000);
    // The lock: one acquisition so far, nobody has waited one out yet.
    const ObjectData* lock = at.objectById(1);
    QCOMPARE(lock->acquisitions, 1);
    QCOMPARE(lock->contended, 0);
    // Before worker-2 began, it has no bar.
    TraceStore early;
    early.adopt(contentsUpTo(full, 400'000));
    QVERIFY(!early.lane(2).begun);
    QCOMPARE(early.stateAt(1, 100'000), ThreadState::Running);
}

void TestReplay::cutAtTheEndIsTheWholeRun()
{
    TraceStore full;
    fillKnownRun(full);
    TraceStore at;
    at.adopt(contentsUpTo(full, full.endTime()));
    QCOMPARE(summaryOf(at), summaryOf(full));
    for (std::size_t i = 0; i < full.laneCount(); ++i) {
        QCOMPARE(at.lane(i).intervals, full.lane(i).intervals);
        QCOMPARE(at.lane(i).holds, full.lane(i).holds);
    }
}

// A real run: at several playheads, every lane's state at every earlier moment is the recording's,
// and the time per state adds up to the time each lane was alive up to the playhead.
void TestReplay::statesBeforeThePlayheadMatchTheRecording()
{
    Run run;
    QSignalSpy finished(&run, &Run::finished);
    QString error;
    QVERIFY2(run.start(u"race"_s,
                       test::scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=300"_s, u"lock=on"_s,
                                                        u"window_us=100"_s}),
                       1.0, &error, 10),
             qPrintable(error));
    QVERIFY(finished.wait(60'000));
    const TraceStore& full = *run.store();
    const std::int64_t end = full.endTime();
    for (int k = 1; k <= 7; ++k) {
        const std::int64_t t = end * k / 8;
        TraceStore at;
        at.adopt(contentsUpTo(full, t));
        QCOMPARE(at.laneCount(), full.laneCount());
        for (std::size_t i = 0; i < full.laneCount(); ++i) {
            for (int s = 0; s < 50; ++s) {
                const std::int64_t probe = t * s / 50;
                QCOMPARE(at.stateAt(i, probe), full.stateAt(i, probe));
            }
            const LaneData& l = at.lane(i);
            if (!l.begun)
                continue;
            std::int64_t sum = 0;
            for (std::int64_t ns : at.stateTotals(i))
                sum += ns;
            QCOMPARE(sum, (l.ended ? l.end : t) - l.begin);
        }
        // Acquisitions so far: the holds the recording began by t, counted one by one.
        const ObjectData* lock = nullptr;
        for (std::size_t o = 0; o < full.objectCount(); ++o)
            if (full.object(o).kind == ObjectKind::Lock)
                lock = &full.object(o);
        QVERIFY(lock);
        std::int64_t began = 0;
        for (const HoldInterval& h : lock->holds)
            began += h.start <= t ? 1 : 0;
        QCOMPARE(at.objectById(lock->id)->acquisitions, began);
    }
}

void TestReplay::lostSoFarIsCountedFromTheRecording()
{
    Run run;
    QSignalSpy finished(&run, &Run::finished);
    QString error;
    QVERIFY(run.start(u"race"_s,
                      test::scenarioValues(u"race"_s, {u"threads=4"_s, u"increments=300"_s, u"window_us=200"_s}), 1.0,
                      &error, 10));
    QVERIFY(finished.wait(60'000));
    const TraceStore& full = *run.store();
    const std::int64_t lostInAll = run.description().outcome.value(u"lost_updates"_s).toInteger();
    QVERIFY(lostInAll > 0);
    for (int k = 0; k <= 4; ++k) {
        const std::int64_t t = full.endTime() * k / 4;
        TraceStore at;
        at.adopt(contentsUpTo(full, t));
        std::int64_t expected = 0;
        for (std::size_t i = 0; i < full.laneCount(); ++i)
            for (const Marker& m : full.lane(i).markers)
                if (m.kind == EventKind::LostUpdate && m.t <= t)
                    expected += m.value;
        const ReplayFigures f = replayFigures(at);
        QCOMPARE(f.lostSoFar, expected);
        QVERIFY(replaySentence(f, replayFigures(full), t, full.endTime()).contains(u" lost so far"_s));
        if (k == 4)
            QCOMPARE(f.lostSoFar, lostInAll);
    }
}

void TestReplay::nextEventOnALane()
{
    TraceStore full;
    fillKnownRun(full);
    // worker-1 (index 1): acquires at 1 ms, releases at 3 ms, sleeps at 3.5 ms, ends at 4 ms.
    QCOMPARE(nextEventOnLane(full, 1, 0), 1'000'000);
    QCOMPARE(nextEventOnLane(full, 1, 1'000'000), 3'000'000);
    QCOMPARE(nextEventOnLane(full, 1, 3'000'000), 3'500'000);
    QCOMPARE(nextEventOnLane(full, 1, 3'500'000), 4'000'000);
    QCOMPARE(nextEventOnLane(full, 1, 4'000'000), -1);
    // worker-2: begins at 0.5 ms, waits at 2 ms.
    QCOMPARE(nextEventOnLane(full, 2, 0), 500'000);
    QCOMPARE(nextEventOnLane(full, 2, 500'000), 2'000'000);
}

void TestReplay::endPutsTheWholeRunBack()
{
    TraceStore store;
    fillKnownRun(store);
    const QByteArray before = summaryOf(store);
    Replay replay(&store);
    QSignalSpy refilled(&store, &TraceStore::refilled);
    QSignalSpy cleared(&store, &TraceStore::cleared);
    QVERIFY(replay.begin());
    replay.seek(2'500'000);
    QCOMPARE(store.endTime(), 2'500'000);
    QVERIFY(summaryOf(store) != before);
    QVERIFY(replay.stepLane(1)); // worker-1's next event: the release at 3 ms
    QCOMPARE(replay.playhead(), 3'000'000);
    replay.end();
    QVERIFY(!replay.isActive());
    QCOMPARE(summaryOf(store), before);
    QCOMPARE(store.endTime(), 6'000'000);
    QCOMPARE(cleared.count(), 0); // the views keep their range: the same session, refilled
    QCOMPARE(refilled.count(), 3);
}

void TestReplay::playingReachesTheEndAndStops()
{
    TraceStore store;
    fillKnownRun(store); // 6 ms: at 0.05x it takes 120 ms of wall time
    Replay replay(&store);
    QVERIFY(replay.begin());
    replay.setSpeed(0.01); // clamped
    QCOMPARE(replay.speed(), Replay::MinSpeed);
    QSignalSpy playing(&replay, &Replay::playingChanged);
    QSignalSpy moved(&replay, &Replay::playheadChanged);
    replay.play(); // at the end: starts again from 0
    QCOMPARE(replay.playhead(), 0);
    QVERIFY(replay.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!replay.isPlaying(), 20'000);
    QCOMPARE(replay.playhead(), 6'000'000);
    QCOMPARE(playing.count(), 2);
    QVERIFY(moved.count() >= 3); // it moved in steps, not in one jump
    std::int64_t previous = -1;
    for (const auto& args : moved) {
        const auto t = args.first().value<std::int64_t>();
        QVERIFY(t >= previous);
        previous = t;
    }
}

void TestReplay::aNewRunEndsTheReplay()
{
    TraceStore store;
    fillKnownRun(store);
    Replay replay(&store);
    QSignalSpy active(&replay, &Replay::activeChanged);
    QVERIFY(replay.begin());
    replay.seek(1'000'000);
    store.clear(); // what a new run does first
    QVERIFY(!replay.isActive());
    QCOMPARE(active.count(), 2);
    QVERIFY(!replay.begin()); // nothing to replay in an empty store
}

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
