// The shared_data lesson's truths, held against the recording and an independent count: every
// strategy gives the exact total; lock acquisitions go from one per value to one per batch to
// none, and the threads find the lock taken less often as they do.
#include "collector.h"
#include "runner.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestSharedData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyStrategyIsExact_data();
    void everyStrategyIsExact();
    void fewerAcquisitionsFewerContended();
    void stopsWhileThreadsWaitForTheLock();

private:
    struct Run
    {
        QString ended;
        QJsonObject outcome;
        std::shared_ptr<TraceStore> store = std::make_shared<TraceStore>();
    };
    static Run runToEnd(const QStringList& sets);
    static const ObjectData* lock(const TraceStore& store);
};

TestSharedData::Run TestSharedData::runToEnd(const QStringList& sets)
{
    Run run;
    Runner runner;
    Collector collector(run.store.get());
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    if (!runner.start(u"shared_data"_s, scenarioValues(u"shared_data"_s, sets), 4.0, &error))
        qFatal("%s", qPrintable(error));
    collector.setSession(runner.session());
    collector.start(16);
    if (!finished.wait(120'000))
        runner.stop(u"timeout"_s);
    collector.drain();
    run.ended = runner.ended();
    run.outcome = runner.outcome();
    return run;
}

const ObjectData* TestSharedData::lock(const TraceStore& store)
{
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        if (store.object(i).kind == ObjectKind::Lock && store.object(i).name == "total_lock"_L1)
            return &store.object(i);
    }
    return nullptr;
}

void TestSharedData::everyStrategyIsExact_data()
{
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("increments");
    QTest::addColumn<int>("batch");
    QTest::addColumn<qint64>("acquisitions");
    QTest::newRow("shared_lock: one per value") << u"shared_lock"_s << 4 << 20000 << 1000 << qint64(4 * 20000);
    QTest::newRow("shared_lock, one thread") << u"shared_lock"_s << 1 << 5000 << 1000 << qint64(5000);
    QTest::newRow("batched: one per batch") << u"batched"_s << 4 << 20000 << 1000 << qint64(4 * 20);
    QTest::newRow("batched, a partial last batch") << u"batched"_s << 3 << 20001 << 1000 << qint64(3 * 21);
    QTest::newRow("batched, batch beyond increments") << u"batched"_s << 2 << 500 << 1000 << qint64(2);
    QTest::newRow("batched, batch 1 is shared_lock") << u"batched"_s << 2 << 5000 << 1 << qint64(2 * 5000);
    QTest::newRow("local: none, one merge") << u"local"_s << 4 << 20000 << 1000 << qint64(0);
}

void TestSharedData::everyStrategyIsExact()
{
    QFETCH(QString, strategy);
    QFETCH(int, threads);
    QFETCH(int, increments);
    QFETCH(int, batch);
    QFETCH(qint64, acquisitions);
    const Run run = runToEnd({u"strategy="_s + strategy, u"threads=%1"_s.arg(threads),
                              u"increments=%1"_s.arg(increments), u"batch=%1"_s.arg(batch)});
    QCOMPARE(run.ended, u"completed"_s);
    QCOMPARE(run.store->eventsDropped(), 0u);

    // The total, counted here: thread t adds the values 1, 2, ..., 10, 1, 2, ... increments times.
    qint64 perThread = 0;
    for (int k = 0; k < increments; ++k)
        perThread += k % 10 + 1;
    const qint64 expected = perThread * threads;
    QCOMPARE(run.outcome[u"expected"_s].toInteger(), expected);
    QCOMPARE(run.outcome[u"actual"_s].toInteger(), expected);

    // Acquisitions and contention from the recording of total_lock, not from the lesson's word.
    const ObjectData* l = lock(*run.store);
    QVERIFY(l);
    QCOMPARE(l->acquisitions, acquisitions);
    QCOMPARE(run.outcome[u"lock_acquisitions"_s].toInteger(), acquisitions);
    // The lesson counts a lock it found taken; each is a failed try in the trace, and only those
    // can have waited.
    QCOMPARE(run.outcome[u"contended"_s].toInteger(), l->tryFailures);
    QVERIFY(l->contended <= l->tryFailures);
    // One holder at a time.
    for (std::size_t h = 1; h < l->holds.size(); ++h)
        QVERIFY2(l->holds[h - 1].end <= l->holds[h].start, "two holders of total_lock at once");
    // One lane per thread, and main.
    QCOMPARE(run.store->laneCount(), std::size_t(threads + 1));
}

void TestSharedData::fewerAcquisitionsFewerContended()
{
    const QStringList base{u"threads=4"_s, u"increments=50000"_s, u"batch=1000"_s};
    const Run shared = runToEnd(base + QStringList{u"strategy=shared_lock"_s});
    const Run batched = runToEnd(base + QStringList{u"strategy=batched"_s});
    const Run local = runToEnd(base + QStringList{u"strategy=local"_s});
    for (const Run* r : {&shared, &batched, &local}) {
        QCOMPARE(r->ended, u"completed"_s);
        QCOMPARE(r->store->eventsDropped(), 0u);
        QCOMPARE(r->outcome[u"actual"_s].toInteger(), r->outcome[u"expected"_s].toInteger());
    }
    const ObjectData* s = lock(*shared.store);
    const ObjectData* b = lock(*batched.store);
    const ObjectData* l = lock(*local.store);
    QVERIFY(s && b && l);
    qInfo("acquisitions %lld / %lld / %lld, found taken %lld / %lld / %lld, waited %.1f / %.1f / %.1f ms, "
          "wall %.0f / %.0f / %.0f ms (shared_lock / batched / local)",
          (long long)s->acquisitions, (long long)b->acquisitions, (long long)l->acquisitions,
          (long long)s->tryFailures, (long long)b->tryFailures, (long long)l->tryFailures, s->waitNsTotal / 1e6,
          b->waitNsTotal / 1e6, l->waitNsTotal / 1e6, shared.outcome[u"wall_ms"_s].toDouble(),
          batched.outcome[u"wall_ms"_s].toDouble(), local.outcome[u"wall_ms"_s].toDouble());
    QCOMPARE(s->acquisitions, qint64(200000));
    QCOMPARE(b->acquisitions, qint64(200));
    QCOMPARE(l->acquisitions, qint64(0));
    // Four threads taking one lock 200,000 times find it taken, if only when its holder is
    // preempted; 200 visits find it taken far less often; with no lock, never.
    QVERIFY2(s->tryFailures > 0, "four threads took the lock 200,000 times and never found it taken");
    QVERIFY2(s->tryFailures > b->tryFailures,
             qPrintable(u"found taken %1 times with shared_lock, %2 batched"_s.arg(s->tryFailures).arg(b->tryFailures)));
    QVERIFY(b->tryFailures <= b->acquisitions);
    QCOMPARE(l->tryFailures, qint64(0));
    QCOMPARE(l->waitNsTotal, qint64(0));
}

void TestSharedData::stopsWhileThreadsWaitForTheLock()
{
    TraceStore store;
    Collector collector(&store);
    Runner runner;
    QString error;
    QVERIFY2(runner.start(u"shared_data"_s,
                          scenarioValues(u"shared_data"_s, {u"threads=8"_s, u"increments=10000000"_s}), 1.0, &error),
             qPrintable(error));
    collector.setSession(runner.session());
    collector.start(16);
    // Under way: the workers have met at the lock.
    QTRY_VERIFY_WITH_TIMEOUT(lock(store) && lock(store)->contended > 0 && runner.wallMs() > 300, 30'000);
    QVERIFY(runner.isRunning());
    QVERIFY2(runner.stop(u"stopped"_s, 200), "Stop must end every thread within 200 ms");
    collector.drain();
    QCOMPARE(runner.ended(), u"stopped"_s);
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        QVERIFY2(store.lane(i).ended, qPrintable(store.lane(i).name));
        std::int64_t sum = 0;
        for (const std::int64_t ns : store.stateTotals(i))
            sum += ns;
        const std::int64_t wall = store.laneWallNs(i);
        QVERIFY2(std::abs(double(sum - wall)) <= 0.02 * double(wall),
                 qPrintable(u"%1: states %2 ns, wall %3 ns"_s.arg(store.lane(i).name).arg(sum).arg(wall)));
    }
    // Stopped part of the way through.
    const QJsonObject o = runner.outcome();
    QVERIFY(o[u"actual"_s].toInteger() > 0);
    QVERIFY(o[u"actual"_s].toInteger() < o[u"expected"_s].toInteger());
}

QTEST_GUILESS_MAIN(TestSharedData)
#include "tst_shareddata.moc"
