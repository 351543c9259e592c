// Explanations of marks: for hand-made recordings with a known interleaving, the exact story and
// sentence; for real runs, every example checked against the recorded reads, writes, waits and
// puts, and against what the engine says by another route (its wait-for graph, its queue size).
#include "explanations.h"
#include "run.h"
#include "testdata.h"
#include "tracestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace Qt::StringLiterals;
using namespace interleave;
using interleave::test::ev;

namespace {

constexpr std::uint32_t Counter = 1;

const LaneData* laneNamed(const TraceStore& store, const QString& name)
{
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        if (store.lane(i).name == name)
            return &store.lane(i);
    return nullptr;
}

// A recorded race mark of this kind and value on the lane at the time the summary gives (ms
// rounded to 3 decimals).
bool recorded(const TraceStore& store, const QString& thread, EventKind kind, std::int64_t value, double atMs)
{
    const LaneData* l = laneNamed(store, thread);
    if (!l)
        return false;
    return std::any_of(l->markers.begin(), l->markers.end(), [&](const Marker& m) {
        return m.kind == kind && m.value == value && std::abs(double(m.t) / 1e6 - atMs) <= 0.0006;
    });
}

RunDescription runToEnd(Run& run, const QString& lesson, const QStringList& sets, double speed = 1.0)
{
    QSignalSpy finished(&run, &Run::finished);
    QString error;
    if (!run.start(lesson, test::scenarioValues(lesson, sets), speed, &error, 10))
        qFatal("%s", qPrintable(error));
    if (!finished.wait(120'000))
        qFatal("the %s run did not end", qPrintable(lesson));
    return run.description();
}

} // namespace

class TestExplanations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lostUpdateOfAKnownInterleaving();
    void lostUpdateOverSeveralWrites();
    void lockHandOffOfAKnownInterleaving();
    void gilHandOffWithADropRequest();
    void deadlockOfAKnownInterleaving();
    void lostExamplesMatchTheRecordedReadsAndWrites();
    void cycleStepsMatchTheEnginesWaitForGraph();
    void strandedItemsMatchTheQueue();
};

// worker-1 and worker-2 both read 41; worker-1 writes 42, then worker-2 writes 42 over it.
void TestExplanations::lostUpdateOfAKnownInterleaving()
{
    TraceStore store;
    store.addLane(1, u"worker-1"_s, LaneKind::Thread);
    store.addLane(2, u"worker-2"_s, LaneKind::Thread);
    store.addObject(Counter, u"counter"_s, ObjectKind::Counter, 0);
    const std::vector<TraceEvent> events{
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 2, EventKind::LaneBegin, ThreadState::Running),
        ev(1'204'000'000, 1, EventKind::RaceRead, ThreadState::Running, Counter, 41),
        ev(1'205'000'000, 2, EventKind::RaceRead, ThreadState::Running, Counter, 41),
        ev(1'206'000'000, 1, EventKind::RaceWrite, ThreadState::Running, Counter, 42),
        ev(1'207'000'000, 2, EventKind::RaceWrite, ThreadState::Running, Counter, 42),
        ev(1'207'000'000, 2, EventKind::LostUpdate, ThreadState::Running, Counter, 1),
        ev(2'000'000'000, 1, EventKind::LaneEnd, ThreadState::Running),
        ev(2'000'000'000, 2, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(events.data(), events.size());
    store.advanceTo(2'000'000'000);
    store.finishBatch();

    const auto examples = lostUpdateExamples(store, 20);
    QCOMPARE(examples.size(), std::size_t(1));
    const LostUpdateExample& e = examples.front();
    QCOMPARE(e.lost, 1);
    QCOMPARE(e.writer.lane, 2u);
    QCOMPARE(e.writer.read, 41);
    QCOMPARE(e.writer.readT, 1'205'000'000);
    QCOMPARE(e.writer.wrote, 42);
    QVERIFY(e.overwrittenKnown);
    QCOMPARE(e.overwritten.lane, 1u);
    QCOMPARE(e.overwritten.readT, 1'204'000'000);
    QCOMPARE(e.overwritten.writeT, 1'206'000'000);
    QCOMPARE(explain(store, e).sentence,
             u"worker-1 read 41 at 1.2040 s, worker-2 read 41 at 1.2050 s, worker-1 wrote 42 at 1.2060 s, "
             "worker-2 wrote 42 at 1.2070 s: worker-2 wrote over worker-1's update: one update lost."_s);
    QCOMPARE(explain(store, e).events.size(), std::size_t(5));

    const auto clicked = lostUpdateAt(store, 2, 1'207'100'000);
    QVERIFY(clicked);
    QCOMPARE(clicked->writer.readT, e.writer.readT);

    const QJsonObject keys = explanationKeys(store, QJsonObject{{u"lost_updates"_s, 1}});
    const QJsonArray lost = keys.value(u"lost_examples"_s).toArray();
    QCOMPARE(lost.size(), 1);
    const QJsonObject one = lost.first().toObject();
    QCOMPARE(one.value(u"writer"_s).toObject().value(u"thread"_s).toString(), u"worker-2"_s);
    QCOMPARE(one.value(u"writer"_s).toObject().value(u"read_ms"_s).toDouble(), 1205.0);
    QCOMPARE(one.value(u"overwritten"_s).toObject().value(u"wrote"_s).toInteger(), 42);
    QCOMPARE(one.value(u"overwritten"_s).toObject().value(u"write_ms"_s).toDouble(), 1206.0);
    QVERIFY(!keys.contains(u"cycle_steps"_s));
    QVERIFY(!keys.contains(u"stranded_items"_s));
}

// worker-3 read 10, then workers 1 and 2 made it 11 and 12, then worker-3 wrote 11 over 12.
void TestExplanations::lostUpdateOverSeveralWrites()
{
    TraceStore store;
    for (std::uint32_t l = 1; l <= 3; ++l)
        store.addLane(l, u"worker-%1"_s.arg(l), LaneKind::Thread);
    store.addObject(Counter, u"counter"_s, ObjectKind::Counter, 0);
    const std::vector<TraceEvent> events{
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 2, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 3, EventKind::LaneBegin, ThreadState::Running),
        ev(1000, 3, EventKind::RaceRead, ThreadState::Running, Counter, 10),
        ev(2000, 1, EventKind::RaceRead, ThreadState::Running, Counter, 10),
        ev(3000, 1, EventKind::RaceWrite, ThreadState::Running, Counter, 11),
        ev(4000, 2, EventKind::RaceRead, ThreadState::Running, Counter, 11),
        ev(5000, 2, EventKind::RaceWrite, ThreadState::Running, Counter, 12),
        ev(6000, 3, EventKind::RaceWrite, ThreadState::Running, Counter, 11),
        ev(6000, 3, EventKind::LostUpdate, ThreadState::Running, Counter, 2),
    };
    store.append(events.data(), events.size());
    store.advanceTo(7000);
    store.finishBatch();

    const auto examples = lostUpdateExamples(store, 20);
    QCOMPARE(examples.size(), std::size_t(1));
    QCOMPARE(examples[0].lost, 2);
    QCOMPARE(examples[0].writer.lane, 3u);
    QVERIFY(examples[0].overwrittenKnown);
    QCOMPARE(examples[0].overwritten.lane, 2u); // the write just before, of 12
    QCOMPARE(examples[0].overwritten.wrote, 12);
    QCOMPARE(explain(store, examples[0]).sentence,
             u"worker-3 read 10 at 0.001 ms, worker-2 read 11 at 0.004 ms, worker-2 wrote 12 at 0.005 ms, "
             "worker-3 wrote 11 at 0.006 ms: worker-3 wrote 11 over 12 (worker-2's write and every update since "
             "worker-3 read): 2 updates lost."_s);
}

void TestExplanations::lockHandOffOfAKnownInterleaving()
{
    constexpr std::uint32_t Lock = 1;
    TraceStore store;
    store.addLane(1, u"worker-1"_s, LaneKind::Thread);
    store.addLane(2, u"worker-2"_s, LaneKind::Thread);
    store.addObject(Lock, u"counter_lock"_s, ObjectKind::Lock, 0);
    const std::vector<TraceEvent> events{
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 2, EventKind::LaneBegin, ThreadState::Running),
        ev(1'000'000, 1, EventKind::LockAcquire, ThreadState::Running, Lock, 0, 0),
        ev(2'000'000, 2, EventKind::LockWait, ThreadState::WaitingLock, Lock, 1),
        ev(14'000'000, 1, EventKind::LockRelease, ThreadState::Running, Lock, 1),
        ev(14'100'000, 2, EventKind::LockAcquire, ThreadState::Running, Lock, 0, 1),
        ev(20'000'000, 2, EventKind::LockRelease, ThreadState::Running, Lock, 0),
    };
    store.append(events.data(), events.size());
    store.advanceTo(30'000'000);
    store.finishBatch();

    // A click on the wait, on the hold it ended in, or before the wait: the same hand-off, or none.
    QVERIFY(!handOffAt(store, 2, 1'500'000));
    QVERIFY(!handOffAt(store, 1, 5'000'000)); // worker-1 never waited
    for (std::int64_t t : {2'000'000, 8'000'000, 15'000'000}) {
        const auto h = handOffAt(store, 2, t);
        QVERIFY(h);
        QCOMPARE(h->waitStart, 2'000'000);
        QCOMPARE(h->acquired, 14'100'000);
        QVERIFY(h->holderKnown);
        QCOMPARE(h->holder, 1u);
        QCOMPARE(h->heldSince, 1'000'000);
        QCOMPARE(h->released, 14'000'000);
        QVERIFY(!h->dropRequested);
    }
    QCOMPARE(explain(store, *handOffAt(store, 2, 8'000'000)).sentence,
             u"worker-2 asked for counter_lock at 2.000 ms; worker-1 held it from 1.000 ms; worker-1 released it "
             "at 14.000 ms; worker-2 took it at 14.100 ms, after waiting 12.1 ms."_s);
}

void TestExplanations::gilHandOffWithADropRequest()
{
    constexpr std::uint32_t Gil = 1;
    TraceStore store;
    store.addLane(1, u"worker-1"_s, LaneKind::Thread);
    store.addLane(2, u"worker-2"_s, LaneKind::Thread);
    store.addObject(Gil, u"GIL"_s, ObjectKind::Gil, 0);
    const std::vector<TraceEvent> events{
        ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(0, 2, EventKind::LaneBegin, ThreadState::Ready),
        ev(0, 1, EventKind::GilAcquire, ThreadState::Running, Gil, 0, 0),
        ev(1'000'000, 2, EventKind::GilWait, ThreadState::WaitingGil, Gil, 1),
        ev(6'000'000, 2, EventKind::GilDropRequest, ThreadState::WaitingGil, Gil),
        ev(6'200'000, 1, EventKind::GilRelease, ThreadState::WaitingGil, Gil, 1, 1),
        ev(6'300'000, 2, EventKind::GilAcquire, ThreadState::Running, Gil, 0, 1),
    };
    store.append(events.data(), events.size());
    store.advanceTo(10'000'000);
    store.finishBatch();
    const auto h = handOffAt(store, 2, 3'000'000);
    QVERIFY(h);
    QVERIFY(h->dropRequested);
    QCOMPARE(h->dropRequestT, 6'000'000);
    QCOMPARE(h->holder, 1u);
    const Explanation x = explain(store, *h);
    QCOMPARE(x.title, u"GIL hand-off"_s);
    QCOMPARE(x.sentence,
             u"worker-2 asked for GIL at 1.000 ms; worker-1 held it from 0.000 ms; after 5.0 ms worker-2 asked it to "
             "drop the GIL (at 6.000 ms); worker-1 dropped it at 6.200 ms; worker-2 took it at 6.300 ms, after waiting "
             "5.3 ms."_s);
}

// Three philosophers take their left forks, then each waits for the next one's.
void TestExplanations::deadlockOfAKnownInterleaving()
{
    TraceStore store;
    for (std::uint32_t l = 1; l <= 3; ++l) {
        store.addLane(l, u"philosopher-%1"_s.arg(l), LaneKind::Thread);
        store.addObject(l, u"fork-%1"_s.arg(l), ObjectKind::Lock, 0);
    }
    std::vector<TraceEvent> events;
    for (std::uint32_t l = 1; l <= 3; ++l) {
        events.push_back(ev(0, l, EventKind::LaneBegin, ThreadState::Running));
        events.push_back(ev(std::int64_t(l) * 1'000'000, l, EventKind::LockAcquire, ThreadState::Running, l, 0, 0));
    }
    // Waits in the order 2, 3, 1: philosopher-1's closes the cycle.
    events.push_back(ev(10'000'000, 2, EventKind::LockWait, ThreadState::WaitingLock, 3, 1));
    events.push_back(ev(11'000'000, 3, EventKind::LockWait, ThreadState::WaitingLock, 1, 1));
    events.push_back(ev(12'000'000, 1, EventKind::LockWait, ThreadState::WaitingLock, 2, 1));
    TraceEvent mark = ev(12'500'000, 1, EventKind::Marker, ThreadState::WaitingLock);
    mark.aux = std::uint32_t(MarkerType::Deadlock);
    events.push_back(mark);
    // Stopped afterwards: the lanes end, their holds close.
    for (std::uint32_t l = 1; l <= 3; ++l)
        events.push_back(ev(20'000'000, l, EventKind::LaneEnd, ThreadState::WaitingLock));
    store.append(events.data(), events.size());
    store.advanceTo(20'000'000);
    store.finishBatch();

    const auto cycle = deadlockCycle(store);
    QCOMPARE(cycle.size(), std::size_t(3));
    QCOMPARE(cycle[0].lane, 2u);
    QCOMPARE(cycle[0].holds, 2u);
    QCOMPARE(cycle[0].waitsFor, 3u);
    QCOMPARE(cycle[0].heldBy, 3u);
    QCOMPARE(cycle[0].waitsSince, 10'000'000);
    QCOMPARE(cycle[2].lane, 1u);
    QCOMPARE(cycle[2].heldSince, 1'000'000);
    QCOMPARE(explain(store, cycle).sentence,
             u"philosopher-2 took fork-2 at 2.000 ms, then waited for fork-3 from 10.000 ms (held by philosopher-3); "
             "philosopher-3 took fork-3 at 3.000 ms, then waited for fork-1 from 11.000 ms (held by philosopher-1); "
             "philosopher-1 took fork-1 at 1.000 ms, then waited for fork-2 from 12.000 ms (held by philosopher-2). "
             "The last wait closed the circle: each waits for a lock the next one holds, so none can go on."_s);
    // Before the last wait there was no cycle.
    QVERIFY(deadlockCycle(store, 11'500'000).empty());
    const QJsonObject keys = explanationKeys(store, QJsonObject{{u"deadlock"_s, true}});
    QCOMPARE(keys.value(u"cycle_steps"_s).toArray().size(), 3);
    QCOMPARE(keys.value(u"cycle_steps"_s).toArray().first().toObject().value(u"held_by"_s).toString(),
             u"philosopher-3"_s);
}

// A real race: every example's reads and writes are in the recording, with its values and times.
void TestExplanations::lostExamplesMatchTheRecordedReadsAndWrites()
{
    Run run;
    const RunDescription d = runToEnd(run, u"race"_s, {u"threads=4"_s, u"increments=400"_s, u"window_us=200"_s});
    QCOMPARE(d.ended, u"completed"_s);
    const std::int64_t lostUpdates = d.outcome.value(u"lost_updates"_s).toInteger();
    QVERIFY2(lostUpdates > 0, "four threads with a 200 us window between read and write lost nothing");
    const QJsonArray examples = d.outcome.value(u"lost_examples"_s).toArray();
    QVERIFY(!examples.isEmpty());
    QVERIFY(examples.size() <= 20);
    const TraceStore& store = *run.store();
    std::int64_t lostMarks = 0;
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        for (const Marker& m : store.lane(i).markers)
            lostMarks += m.kind == EventKind::LostUpdate && m.value > 0 ? 1 : 0;
    QCOMPARE(qsizetype(examples.size()), qsizetype(std::min<std::int64_t>(lostMarks, 20)));
    double previousMs = -1;
    for (const QJsonValue& v : examples) {
        const QJsonObject e = v.toObject();
        const QJsonObject w = e.value(u"writer"_s).toObject();
        const std::int64_t lost = e.value(u"lost"_s).toInteger();
        QVERIFY(lost >= 1);
        QVERIFY(recorded(store, w.value(u"thread"_s).toString(), EventKind::RaceRead, w.value(u"read"_s).toInteger(),
                         w.value(u"read_ms"_s).toDouble()));
        QVERIFY(recorded(store, w.value(u"thread"_s).toString(), EventKind::RaceWrite,
                         w.value(u"wrote"_s).toInteger(), w.value(u"write_ms"_s).toDouble()));
        QCOMPARE(w.value(u"wrote"_s).toInteger(), w.value(u"read"_s).toInteger() + 1);
        QVERIFY(w.value(u"read_ms"_s).toDouble() <= w.value(u"write_ms"_s).toDouble());
        QVERIFY(w.value(u"write_ms"_s).toDouble() >= previousMs); // in time order
        previousMs = w.value(u"write_ms"_s).toDouble();
        QVERIFY(e.value(u"sentence"_s).toString().contains(w.value(u"thread"_s).toString()));
        if (!e.contains(u"overwritten"_s))
            continue;
        const QJsonObject o = e.value(u"overwritten"_s).toObject();
        QVERIFY(o.value(u"thread"_s).toString() != w.value(u"thread"_s).toString());
        QVERIFY(recorded(store, o.value(u"thread"_s).toString(), EventKind::RaceRead, o.value(u"read"_s).toInteger(),
                         o.value(u"read_ms"_s).toDouble()));
        QVERIFY(recorded(store, o.value(u"thread"_s).toString(), EventKind::RaceWrite,
                         o.value(u"wrote"_s).toInteger(), o.value(u"write_ms"_s).toDouble()));
        // The overwritten write put the value the writer's write replaced, after the writer read.
        QCOMPARE(o.value(u"wrote"_s).toInteger(), w.value(u"read"_s).toInteger() + lost);
        QCOMPARE(o.value(u"wrote"_s).toInteger(), o.value(u"read"_s).toInteger() + 1);
        QVERIFY(o.value(u"write_ms"_s).toDouble() >= w.value(u"read_ms"_s).toDouble());
    }
}

// The deadlock's steps come from the recorded waits and holds; the engine found the cycle in its
// own wait-for graph as the locks were taken. Both must name the same philosophers.
void TestExplanations::cycleStepsMatchTheEnginesWaitForGraph()
{
    Run run;
    const RunDescription d = runToEnd(run, u"deadlock"_s,
                                      {u"philosophers=4"_s, u"think_ms=0"_s, u"pickup_delay_ms=100"_s,
                                       u"strategy=naive"_s});
    QCOMPARE(d.ended, u"deadlock"_s);
    const QJsonArray steps = d.outcome.value(u"cycle_steps"_s).toArray();
    QCOMPARE(steps.size(), 4);
    std::set<QString> fromSteps;
    std::set<QString> fromEngine;
    for (const QJsonValue& v : d.outcome.value(u"cycle"_s).toArray())
        if (v.toString().startsWith(u"philosopher-"_s))
            fromEngine.insert(v.toString());
    double previous = -1;
    for (const QJsonValue& v : steps) {
        const QJsonObject s = v.toObject();
        fromSteps.insert(s.value(u"thread"_s).toString());
        QVERIFY(s.value(u"waits_since_ms"_s).toDouble() >= previous);
        previous = s.value(u"waits_since_ms"_s).toDouble();
        QVERIFY(s.value(u"held_since_ms"_s).toDouble() <= s.value(u"waits_since_ms"_s).toDouble());
        // The lane that holds what this one waits for is the one whose step says it holds it.
        const auto holder = std::find_if(steps.begin(), steps.end(), [&](const QJsonValue& other) {
            return other.toObject().value(u"thread"_s) == s.value(u"held_by"_s);
        });
        QVERIFY(holder != steps.end());
        QCOMPARE(holder->toObject().value(u"holds"_s).toString(), s.value(u"waits_for"_s).toString());
    }
    QCOMPARE(fromSteps, fromEngine);
    QVERIFY(d.outcome.value(u"cycle_sentence"_s).toString().contains(u"closed the circle"_s));
}

// empty_check consumers quit on an empty queue that is refilled after: the stranded items are
// the queue's size at the end (the engine's count), each put after the consumers had quit.
void TestExplanations::strandedItemsMatchTheQueue()
{
    Run run;
    // An item takes 200 ms of CPU to make and none to handle: a consumer that finds the queue
    // empty after the first would have to be kept off the CPU for 200 ms to see the second.
    const RunDescription d = runToEnd(run, u"producer_consumer"_s,
                                      {u"consumer_style=empty_check"_s, u"items=3"_s, u"produce_ms=200"_s,
                                       u"consume_ms=0"_s},
                                      2.0);
    const std::int64_t stranded = d.outcome.value(u"stranded"_s).toInteger();
    QVERIFY2(stranded > 0, qPrintable(u"consumers with nothing to do between items left nothing in the queue: "_s
                                      + QString::fromUtf8(QJsonDocument(d.outcome).toJson(QJsonDocument::Compact))));
    const QJsonArray items = d.outcome.value(u"stranded_items"_s).toArray();
    QCOMPARE(qsizetype(items.size()), qsizetype(std::min<std::int64_t>(stranded, 20)));
    for (const QJsonValue& v : items) {
        const QJsonObject item = v.toObject();
        const double putMs = item.value(u"put_ms"_s).toDouble();
        const QJsonArray quit = item.value(u"consumers_quit_before"_s).toArray();
        QVERIFY(!quit.isEmpty());
        for (const QJsonValue& q : quit) {
            QVERIFY(q.toObject().value(u"quit_ms"_s).toDouble() <= putMs);
            const LaneData* consumer = laneNamed(*run.store(), q.toObject().value(u"thread"_s).toString());
            QVERIFY(consumer && consumer->ended);
        }
        // The put is in the recording, by the lane named, and no get of that item follows.
        const LaneData* producer = laneNamed(*run.store(), item.value(u"put_by"_s).toString());
        QVERIFY(producer);
        QVERIFY(std::any_of(producer->markers.begin(), producer->markers.end(), [&](const Marker& m) {
            return m.kind == EventKind::QueuePut && std::int64_t(m.aux) == item.value(u"item"_s).toInteger()
                   && std::abs(double(m.t) / 1e6 - putMs) <= 0.0006;
        }));
    }
}

QTEST_GUILESS_MAIN(TestExplanations)
#include "tst_explanations.moc"
