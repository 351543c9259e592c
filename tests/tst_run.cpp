// Run, without a window: one object starts a lesson, drains it, describes it, and offers the
// wait-for graph as a value; checked against the recording it made, not against itself.
#include "chromeimport.h"
#include "run.h"
#include "runner.h"
#include "scenario.h"
#include "testdata.h"
#include "tracestore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

const LaneData* laneById(const TraceStore& store, std::uint32_t id)
{
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        if (store.lane(i).id == id)
            return &store.lane(i);
    }
    return nullptr;
}

} // namespace

class TestRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsFinishesAndDescribes();
    void refusedStartChangesNothing();
    void deadlockSnapshotMatchesTheRecording();
    void liveChangesReachTheDescription();
    void holdsARecording();
};

void TestRun::startsFinishesAndDescribes()
{
    Run run;
    QVERIFY(run.isEmpty());
    QSignalSpy finished(&run, &Run::finished);
    QString error;
    QVERIFY2(run.start(u"race"_s, test::scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=2000"_s, u"lock=on"_s, u"window_us=0"_s}), 1.0,
                       &error, 10),
             qPrintable(error));
    QVERIFY(run.isRunning());
    QCOMPARE(run.lesson()->id, u"race"_s);
    QCOMPARE(run.description().ended, u"running"_s);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toString(), u"completed"_s);

    const RunDescription d = run.description();
    QCOMPARE(d.scenario, u"race"_s);
    QCOMPARE(d.params.value(u"threads"_s).toInt(), 3);
    QCOMPARE(d.params.value(u"lock"_s).toBool(), true);
    QCOMPARE(d.ended, u"completed"_s);
    QCOMPARE(d.outcome.value(u"expected"_s).toInteger(), 6000);
    QCOMPARE(d.outcome.value(u"lost_updates"_s).toInteger(), 0);
    QVERIFY(d.wallMs > 0);

    // When finished() arrives the store holds the whole run: main and three workers, all ended,
    // and every increment's write is there (no ring dropped anything at this rate).
    const TraceStore& store = *run.store();
    QCOMPARE(store.laneCount(), std::size_t(4));
    std::int64_t writes = 0;
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        QVERIFY2(store.lane(i).ended, qPrintable(store.lane(i).name));
        for (const Marker& m : store.lane(i).markers)
            writes += m.kind == EventKind::RaceWrite ? 1 : 0;
    }
    QCOMPARE(store.eventsDropped(), std::uint64_t(0));
    QCOMPARE(writes, 6000);
    QVERIFY(double(store.endTime()) / 1e6 <= d.wallMs + 1);

    run.clear();
    QVERIFY(run.isEmpty());
    QCOMPARE(run.store()->laneCount(), std::size_t(0));
    QCOMPARE(run.description().scenario, QString());
}

void TestRun::refusedStartChangesNothing()
{
    Run run;
    QString error;
    QVERIFY(!run.start(u"rase"_s, {}, 1.0, &error));
    QVERIFY2(error.contains(u"rase"_s), qPrintable(error));
    QVERIFY(run.isEmpty());

    QSignalSpy finished(&run, &Run::finished);
    QVERIFY(run.start(u"interleaving"_s, test::scenarioValues(u"interleaving"_s, {}), 4.0, &error, 10));
    QVERIFY(finished.wait(30000));
    const RunDescription before = run.description();
    const std::size_t lanes = run.store()->laneCount();
    std::vector<double> bad = test::scenarioValues(u"race"_s, {});
    bad[0] = 1e9; // threads far out of range
    QVERIFY(!run.start(u"race"_s, bad, 1.0, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(run.description().scenario, before.scenario);
    QCOMPARE(run.description().outcome, before.outcome);
    QCOMPARE(run.store()->laneCount(), lanes);
}

void TestRun::deadlockSnapshotMatchesTheRecording()
{
    Run run;
    run.setStopOnDeadlock(false);
    QSignalSpy deadlock(&run, &Run::deadlockDetected);
    QSignalSpy finished(&run, &Run::finished);
    QString error;
    // Every philosopher takes the left fork, then waits long enough for all others to take theirs.
    QVERIFY(run.start(u"deadlock"_s,
                      test::scenarioValues(u"deadlock"_s, {u"philosophers=3"_s, u"think_ms=0"_s, u"pickup_delay_ms=200"_s,
                                                u"strategy=naive"_s}),
                      1.0, &error, 10));
    QVERIFY(deadlock.wait(30000));
    QVERIFY(run.isRunning());

    const WaitSnapshot snap = run.waitSnapshot();
    QVERIFY(snap.hasCycle());
    QCOMPARE(snap.cycleLanes.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        const std::uint32_t lane = snap.cycleLanes[i];
        const std::uint32_t lock = snap.cycleLocks[i];
        const std::uint32_t holder = snap.cycleLanes[(i + 1) % 3];
        QVERIFY(snap.laneName(lane).startsWith(u"philosopher-"_s));
        QVERIFY(snap.lockName(lock).startsWith(u"fork-"_s));
        const auto has = [&](const WaitSnapshot::Edge& e) {
            return std::find(snap.edges.begin(), snap.edges.end(), e) != snap.edges.end();
        };
        QVERIFY(has({lane, lock, true}));
        QVERIFY(has({holder, lock, false}));
    }

    // The recording says the same independently: each lane of the cycle is, at its last event,
    // waiting for the very lock the snapshot names, and that lock's name is the snapshot's.
    QString seen;
    const auto recordedAsTheSnapshot = [&] {
        seen.clear();
        bool all = true;
        for (std::size_t i = 0; i < 3; ++i) {
            const LaneData* l = laneById(*run.store(), snap.cycleLanes[i]);
            if (l)
                seen += u"%1: state %2, object %3 (the snapshot: lock %4); "_s.arg(l->name).arg(int(l->current))
                            .arg(l->currentObject).arg(snap.cycleLocks[i]);
            all = all && l && l->current == ThreadState::WaitingLock && l->currentObject == snap.cycleLocks[i];
        }
        return all;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(recordedAsTheSnapshot(), qPrintable(seen), 10000);
    for (std::size_t i = 0; i < 3; ++i) {
        const LaneData* l = laneById(*run.store(), snap.cycleLanes[i]);
        QCOMPARE(l->name, snap.laneName(snap.cycleLanes[i]));
        const ObjectData* o = run.store()->objectById(snap.cycleLocks[i]);
        QVERIFY(o);
        QCOMPARE(o->name, snap.lockName(snap.cycleLocks[i]));
    }

    QVERIFY(run.stop());
    QVERIFY(finished.count() == 1 || finished.wait(10000));
    QCOMPARE(finished.first().first().toString(), u"deadlock"_s);
    QCOMPARE(run.description().ended, u"deadlock"_s);
    QCOMPARE(run.description().outcome.value(u"deadlock"_s).toBool(), true);
    // After Stop the waiters are gone; the snapshot still shows the cycle as it formed.
    const WaitSnapshot after = run.waitSnapshot();
    QCOMPARE(after.cycleLanes, snap.cycleLanes);
    QCOMPARE(after.edges.size(), std::size_t(6));
}

void TestRun::liveChangesReachTheDescription()
{
    Run run;
    QSignalSpy finished(&run, &Run::finished);
    QString error;
    QVERIFY(run.start(u"contention"_s, test::scenarioValues(u"contention"_s, {}), 1.0, &error, 10));
    const ScenarioInfo* info = run.lesson();
    int liveIndex = -1;
    for (int i = 0; i < info->schema.size() && liveIndex < 0; ++i) {
        const ParamSpec& p = info->schema.at(i);
        if (p.live && p.type == ParamSpec::Type::Int && p.max > p.min)
            liveIndex = i;
    }
    QVERIFY(liveIndex >= 0);
    const ParamSpec& spec = info->schema.at(liveIndex);
    const double value = spec.defaultValue == spec.min ? spec.min + 1 : spec.min;
    QVERIFY2(run.setParam(spec.key, value, &error), qPrintable(error));
    QCOMPARE(run.description().params.value(spec.key).toDouble(), value);
    QVERIFY(!run.setParam(u"no_such_setting"_s, 1, &error));
    QVERIFY(run.stop());
    QVERIFY(finished.count() == 1 || finished.wait(10000));
    QCOMPARE(run.description().ended, u"stopped"_s);
    QCOMPARE(run.description().params.value(spec.key).toDouble(), value);
}

void TestRun::holdsARecording()
{
    Run run;
    ImportedTrace imported;
    imported.run.scenario = u"race"_s;
    imported.run.ended = u"completed"_s;
    imported.run.wallMs = 12.5;
    imported.run.outcome = QJsonObject{{u"lost_updates"_s, 7}};
    imported.ownFormat = true;
    run.adopt(std::move(imported));
    QVERIFY(run.isRecording());
    QVERIFY(!run.isEmpty());
    QVERIFY(!run.isRunning());
    QCOMPARE(run.lesson(), nullptr);
    QCOMPARE(run.description().outcome.value(u"lost_updates"_s).toInt(), 7);
    QCOMPARE(run.description().wallMs, 12.5);
    QVERIFY(!run.waitSnapshot().hasCycle());
    run.clear();
    QVERIFY(run.isEmpty());
    QCOMPARE(run.description().scenario, QString());
}

QTEST_GUILESS_MAIN(TestRun)
#include "tst_run.moc"
