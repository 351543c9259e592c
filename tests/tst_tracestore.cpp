// TraceStore: intervals, holds, counters and statistics derived from hand-made event streams.
#include "tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

class TestTraceStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void intervalsFromStateChanges();
    void intervalRange_data();
    void intervalRange();
    void lockStatisticsAndHolds();
    void interleavedLanesStaySorted_data();
    void interleavedLanesStaySorted();
    void foldedHoldsCountOneByOne();
    void historyCapKeepsStatisticsExact();
    void eventsBeforeTheirObjectIsAnnounced();
    void queueDepthMean();
    void appendedOncePerBatch();
    void timeNeverRunsBackwardsInALane();
    void raceMarkersAreCappedButCounted();
};

namespace {

// One lane: Running 0-10, Sleeping 10-30, Running 30-35, Waiting for lock 35-50, Running 50-60.
std::vector<TraceEvent> sampleLane()
{
    return {
        ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(10, 0, EventKind::State, ThreadState::Sleeping),
        ev(30, 0, EventKind::State, ThreadState::Running),
        ev(35, 0, EventKind::LockWait, ThreadState::WaitingLock, 1, 1),
        ev(50, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1),
        ev(55, 0, EventKind::LockRelease, ThreadState::Running, 1, 0),
        ev(60, 0, EventKind::LaneEnd, ThreadState::Running),
    };
}
} // namespace

void TestTraceStore::intervalsFromStateChanges()
{
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    store.addObject(1, u"m"_s, ObjectKind::Lock, 0);
    const auto events = sampleLane();
    store.append(events.data(), events.size());
    const LaneData& l = store.lane(0);
    const std::vector<StateInterval> expected{
        {0, 10, ThreadState::Running, 0},
        {10, 30, ThreadState::Sleeping, 0},
        {30, 35, ThreadState::Running, 0},
        {35, 50, ThreadState::WaitingLock, 1},
        {50, 60, ThreadState::Running, 0},
    };
    QCOMPARE(l.intervals, expected);
    QVERIFY(l.ended);
    QCOMPARE(store.laneWallNs(0), 60);
    const auto totals = store.stateTotals(0);
    QCOMPARE(totals[std::size_t(ThreadState::Running)], 25);
    QCOMPARE(totals[std::size_t(ThreadState::Sleeping)], 20);
    QCOMPARE(totals[std::size_t(ThreadState::WaitingLock)], 15);
    QCOMPARE(store.stateAt(0, 12), ThreadState::Sleeping);
    QCOMPARE(store.stateAt(0, 35), ThreadState::WaitingLock);
    QCOMPARE(store.stateAt(0, 60), ThreadState::Count); // ended
    QCOMPARE(store.stateAt(0, -1), ThreadState::Count); // not begun
}

void TestTraceStore::intervalRange_data()
{
    QTest::addColumn<qint64>("t0");
    QTest::addColumn<qint64>("t1");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::newRow("all") << qint64(-100) << qint64(1000) << 0 << 5;
    QTest::newRow("inside one") << qint64(12) << qint64(20) << 1 << 2;
    QTest::newRow("edge start") << qint64(10) << qint64(11) << 1 << 2;
    QTest::newRow("edge end excluded") << qint64(0) << qint64(10) << 0 << 1;
    QTest::newRow("spanning") << qint64(5) << qint64(40) << 0 << 4;
    QTest::newRow("before") << qint64(-10) << qint64(0) << 0 << 0;
    QTest::newRow("after") << qint64(60) << qint64(70) << 5 << 5;
}

void TestTraceStore::intervalRange()
{
    QFETCH(qint64, t0);
    QFETCH(qint64, t1);
    QFETCH(int, first);
    QFETCH(int, last);
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    const auto events = sampleLane();
    store.append(events.data(), events.size());
    const auto [f, l] = store.intervalRange(0, t0, t1);
    QCOMPARE(int(f), first);
    QCOMPARE(int(l), last);
}

void TestTraceStore::lockStatisticsAndHolds()
{
    TraceStore store;
    store.addLane(0, u"a"_s, LaneKind::Thread);
    store.addLane(1, u"b"_s, LaneKind::Thread);
    store.addObject(1, u"m"_s, ObjectKind::Lock, 0);
    const std::vector<TraceEvent> a{
        ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(5, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0),
        ev(20, 0, EventKind::LockRelease, ThreadState::Running, 1, 1),
        ev(30, 0, EventKind::LaneEnd, ThreadState::Running),
    };
    const std::vector<TraceEvent> b{
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(8, 1, EventKind::LockWait, ThreadState::WaitingLock, 1, 1),
        ev(20, 1, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1),
        ev(26, 1, EventKind::LockRelease, ThreadState::Running, 1, 0),
        ev(30, 1, EventKind::LaneEnd, ThreadState::Running),
    };
    // Lane b arrives first: the store must still keep the lock's holds sorted.
    store.append(b.data(), b.size());
    store.append(a.data(), a.size());
    const ObjectData* m = store.objectById(1);
    QCOMPARE(m->acquisitions, 2);
    QCOMPARE(m->contended, 1);
    QCOMPARE(m->waitNsTotal, 12);
    QCOMPARE(m->waitNsMax, 12);
    QCOMPARE(m->holdNsTotal, 15 + 6);
    QCOMPARE(m->holds.size(), std::size_t(2));
    QCOMPARE(m->holds[0], (HoldInterval{5, 20, 1, 0}));
    QCOMPARE(m->holds[1], (HoldInterval{20, 26, 1, 1, 12})); // b waited 12 ns for it
    // Waiters counter, sorted by time: a took it (0), b waits (1), b took it (0).
    const std::vector<CounterSample> waiters{{5, 0}, {8, 1}, {20, 0}};
    QCOMPARE(m->counter, waiters);
}

void TestTraceStore::queueDepthMean()
{
    TraceStore store;
    store.addLane(0, u"p"_s, LaneKind::Thread);
    store.addObject(1, u"q"_s, ObjectKind::Queue, 5);
    const std::vector<TraceEvent> e{
        ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 0, EventKind::QueuePut, ThreadState::Running, 1, 1),
        ev(10, 0, EventKind::QueuePut, ThreadState::Running, 1, 2),
        ev(20, 0, EventKind::QueueGet, ThreadState::Running, 1, 1),
        ev(40, 0, EventKind::QueueGet, ThreadState::Running, 1, 0),
        ev(40, 0, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(e.data(), e.size());
    const ObjectData* q = store.objectById(1);
    QCOMPARE(q->puts, 2);
    QCOMPARE(q->gets, 2);
    QCOMPARE(q->maxDepth, 2);
    // depth 1 for 10, 2 for 10, 1 for 20: (10 + 20 + 20) / 40
    QCOMPARE(store.counterMean(*q), 50.0 / 40.0);
    QCOMPARE(store.lane(0).markers.size(), std::size_t(4));
}

void TestTraceStore::appendedOncePerBatch()
{
    TraceStore store;
    QSignalSpy spy(&store, &TraceStore::appended);
    store.addLane(0, u"t"_s, LaneKind::Thread);
    const auto events = sampleLane();
    for (const TraceEvent& e : events)
        store.append(&e, 1);
    QCOMPARE(spy.count(), 0);
    store.finishBatch();
    QCOMPARE(spy.count(), 1);
    store.finishBatch(); // nothing new: no signal
    QCOMPARE(spy.count(), 1);
    QCOMPARE(store.eventsRecorded(), std::uint64_t(events.size()));
}

void TestTraceStore::timeNeverRunsBackwardsInALane()
{
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    const std::vector<TraceEvent> e{
        ev(100, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(90, 0, EventKind::State, ThreadState::Ready), // a clock glitch
        ev(120, 0, EventKind::State, ThreadState::Running),
        ev(130, 0, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(e.data(), e.size());
    const LaneData& l = store.lane(0);
    for (std::size_t i = 0; i < l.intervals.size(); ++i) {
        QVERIFY(l.intervals[i].start < l.intervals[i].end);
        if (i > 0)
            QVERIFY(l.intervals[i - 1].end <= l.intervals[i].start);
    }
    QCOMPARE(store.laneWallNs(0), 30);
}

void TestTraceStore::raceMarkersAreCappedButCounted()
{
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    const std::int64_t reads = TraceStore::RaceMarkerCap + 500;
    std::vector<TraceEvent> e{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (std::int64_t i = 1; i <= reads; ++i)
        e.push_back(ev(i, 0, EventKind::RaceRead, ThreadState::Running, 1, i));
    e.push_back(ev(reads + 1, 0, EventKind::LostUpdate, ThreadState::Running, 1, 3));
    store.append(e.data(), e.size());
    QCOMPARE(store.markersCapped(), 500u);
    const auto& markers = store.lane(0).markers;
    QCOMPARE(std::int64_t(markers.size()), TraceStore::RaceMarkerCap + 1);
    QCOMPARE(markers.back().kind, EventKind::LostUpdate); // lost updates are always kept
    QCOMPARE(store.eventsRecorded(), std::uint64_t(e.size()));
}

// A run of uncontended holds recorded as one folded release: drawn as one hold over its span,
// counted hold by hold, held for the sum the lane measured.
void TestTraceStore::foldedHoldsCountOneByOne()
{
    TraceStore store;
    store.addLane(0, u"t"_s, LaneKind::Thread);
    store.addObject(1, u"m"_s, ObjectKind::Lock, 0);
    TraceEvent folded = ev(1000, 0, EventKind::LockRelease, ThreadState::Running, 1,
                           EventFlags::packFolded(5, 150), 400);
    folded.flags = EventFlags::FoldedHolds;
    const std::vector<TraceEvent> e{
        ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(100, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0),
        ev(300, 0, EventKind::LockRelease, ThreadState::Running, 1, 0),
        folded,
        ev(2000, 0, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(e.data(), e.size());
    const ObjectData* m = store.objectById(1);
    QCOMPARE(m->acquisitions, std::int64_t(6));
    QCOMPARE(m->contended, std::int64_t(0));
    QCOMPARE(m->holdNsTotal, std::int64_t(200 + 150));
    QCOMPARE(m->holds.size(), std::size_t(2));
    QCOMPARE(m->holds[1], (HoldInterval{600, 1000, 1, 0, -1}));
    QCOMPARE(store.lane(0).holds.size(), std::size_t(2));
}

// Lanes drained one after another overlap in time: the objects' holds and counter samples must
// still end up in time order, exactly as if inserted one by one.
void TestTraceStore::interleavedLanesStaySorted_data()
{
    QTest::addColumn<bool>("deferred");
    QTest::newRow("merged per append") << false;
    QTest::newRow("merged per batch (appendDeferred, as the collector)") << true;
}

void TestTraceStore::interleavedLanesStaySorted()
{
    QFETCH(bool, deferred);
    TraceStore store;
    store.addObject(1, u"m"_s, ObjectKind::Lock, 0);
    constexpr int Lanes = 6;
    std::vector<std::vector<TraceEvent>> perLane(Lanes);
    quint32 seed = 12345;
    auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    for (std::uint32_t l = 0; l < Lanes; ++l) {
        store.addLane(l, u"t%1"_s.arg(l), LaneKind::Thread);
        std::int64_t t = 0;
        perLane[l].push_back(ev(t, l, EventKind::LaneBegin, ThreadState::Running));
        for (int i = 0; i < 300; ++i) {
            t += 1 + std::int64_t(next() % 50);
            perLane[l].push_back(ev(t, l, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0));
            t += 1 + std::int64_t(next() % 50);
            perLane[l].push_back(ev(t, l, EventKind::LockRelease, ThreadState::Running, 1, 0));
        }
    }
    // Several batches: each lane's next slice, lanes in turn (as the collector drains).
    for (std::size_t from = 0; from < perLane[0].size(); from += 97) {
        for (const auto& events : perLane) {
            const std::size_t n = std::min<std::size_t>(97, events.size() - from);
            if (deferred)
                store.appendDeferred(events.data() + from, n);
            else
                store.append(events.data() + from, n);
        }
        store.finishBatch();
    }
    const ObjectData* m = store.objectById(1);
    QCOMPARE(m->holds.size(), std::size_t(Lanes * 300));
    QCOMPARE(m->counter.size(), std::size_t(Lanes * 300));
    QVERIFY(std::is_sorted(m->holds.begin(), m->holds.end(),
                           [](const HoldInterval& a, const HoldInterval& b) { return a.start < b.start; }));
    QVERIFY(std::is_sorted(m->counter.begin(), m->counter.end(),
                           [](const CounterSample& a, const CounterSample& b) { return a.t < b.t; }));
    std::int64_t total = 0;
    for (const HoldInterval& h : m->holds)
        total += h.end - h.start;
    QCOMPARE(total, m->holdNsTotal);
}

// Beyond the cap old detail ages out, but every statistic stays what it would have been.
void TestTraceStore::historyCapKeepsStatisticsExact()
{
    TraceStore capped;
    TraceStore full;
    HistoryCap cap;
    cap.intervals = 100;
    cap.laneHolds = 40;
    cap.markers = 40;
    cap.minPerLane = 10;
    cap.holdsPerObject = 40;
    cap.samplesPerObject = 60;
    capped.setHistoryCap(cap);
    for (TraceStore* s : {&capped, &full}) {
        s->addLane(0, u"a"_s, LaneKind::Thread);
        s->addObject(1, u"m"_s, ObjectKind::Lock, 0);
        s->addObject(2, u"q"_s, ObjectKind::Queue, 10);
    }
    std::int64_t t = 0;
    std::vector<TraceEvent> events{ev(t, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (int i = 0; i < 2000; ++i) {
        events.push_back(ev(t += 7, 0, EventKind::LockWait, ThreadState::WaitingLock, 1, 1));
        events.push_back(ev(t += 3 + i % 5, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1));
        events.push_back(ev(t += 11, 0, EventKind::QueuePut, ThreadState::Running, 2, i % 7, std::uint32_t(i)));
        events.push_back(ev(t += 5, 0, EventKind::LockRelease, ThreadState::Sleeping, 1, 0));
        if (events.size() > 500) { // several batches, as the collector drains
            for (TraceStore* s : {&capped, &full}) {
                s->append(events.data(), events.size());
                s->finishBatch();
            }
            events.clear();
        }
    }
    events.push_back(ev(t += 9, 0, EventKind::LaneEnd, ThreadState::Running));
    for (TraceStore* s : {&capped, &full}) {
        s->append(events.data(), events.size());
        s->finishBatch();
    }

    QVERIFY(capped.lane(0).intervals.size() <= 125);
    QVERIFY(capped.objectById(1)->counter.size() <= 75);
    QVERIFY(capped.historyStart() > 0);
    QVERIFY(capped.agedOut() > 0);
    QCOMPARE(full.historyStart(), 0);
    QCOMPARE(capped.stateTotals(0), full.stateTotals(0));
    QCOMPARE(capped.laneWallNs(0), full.laneWallNs(0));
    for (std::uint32_t id : {1u, 2u}) {
        const ObjectData* a = capped.objectById(id);
        const ObjectData* b = full.objectById(id);
        QCOMPARE(a->acquisitions, b->acquisitions);
        QCOMPARE(a->waitNsTotal, b->waitNsTotal);
        QCOMPARE(a->holdNsTotal, b->holdNsTotal);
        QCOMPARE(a->puts, b->puts);
        QCOMPARE(a->maxDepth, b->maxDepth);
        QVERIFY(std::abs(capped.counterMean(*a) - full.counterMean(*b)) < 1e-9);
    }
    // What is kept is the newest, still in order.
    QCOMPARE(capped.lane(0).intervals.back(), full.lane(0).intervals.back());
}

// A lane's events can reach the store before the collector has announced their objects (found
// by tst_stress under ASan: an object made by the resize for a later id had id 0).
void TestTraceStore::eventsBeforeTheirObjectIsAnnounced()
{
    TraceStore store;
    store.addLane(0, u"a"_s, LaneKind::Thread);
    const std::vector<TraceEvent> events{
        ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(5, 0, EventKind::LockAcquire, ThreadState::Running, 5, 0, 0),
        ev(6, 0, EventKind::LockAcquire, ThreadState::Running, 3, 0, 0),
        ev(8, 0, EventKind::LockRelease, ThreadState::Running, 3, 0),
        ev(9, 0, EventKind::LockRelease, ThreadState::Running, 5, 0),
    };
    store.append(events.data(), events.size());
    store.finishBatch();
    for (std::uint32_t id : {3u, 5u}) {
        const ObjectData* o = store.objectById(id);
        QVERIFY(o);
        QCOMPARE(o->id, id);
        QCOMPARE(o->holds.size(), std::size_t(1));
        QCOMPARE(o->acquisitions, 1);
    }
    store.addObject(3, u"m"_s, ObjectKind::Lock, 0); // announced late: the name arrives
    QCOMPARE(store.objectById(3)->name, u"m"_s);
    QCOMPARE(store.objectById(3)->holds.size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestTraceStore)
#include "tst_tracestore.moc"
