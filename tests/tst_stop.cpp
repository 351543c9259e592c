// Stop ends every worker within 200 ms from every blocking state, and no thread is left.
#include "runner.h"
#include "simgil.h"
#include "testutil.h"
#include "tracedmutex.h"
#include "tracedqueue.h"
#include "workload.h"

#include <QSignalSpy>
#include <QTest>

using namespace interleave;
using namespace interleave::test;
using namespace Qt::StringLiterals;

class TestStop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromEveryBlockingState();
    void fromPause();
    void runnerStopsRunningScenarios_data();
    void runnerStopsRunningScenarios();
    void runnerCompletesAndReportsOnce();
};

void TestStop::fromEveryBlockingState()
{
    Harness h;
    auto& queue = h.make<TracedQueue>(u"q"_s, 0);
    auto& mutex = h.make<TracedMutex>(u"m"_s);
    auto& gil = h.make<SimGil>([] { return std::int64_t(5'000'000); });
    std::atomic<bool> holding{false};
    h.ctx->spawn(u"blocked-get"_s, LaneKind::Thread, [&] { queue.get(); });
    h.ctx->spawn(u"long-sleep"_s, LaneKind::Thread, [&] { h.ctx->sleepMs(600'000); });
    h.ctx->spawn(u"holder"_s, LaneKind::Thread, [&] {
        mutex.lock();
        gil.acquire();
        holding.store(true);
        h.ctx->sleepMs(600'000); // sleeps holding both
    });
    QTRY_VERIFY_WITH_TIMEOUT(holding.load(), 5000);
    h.ctx->spawn(u"lock-wait"_s, LaneKind::Thread, [&] { mutex.lock(); });
    h.ctx->spawn(u"gil-wait"_s, LaneKind::Thread, [&] { gil.acquire(); });
    h.ctx->spawn(u"cpu"_s, LaneKind::Thread, [&] { cpuWork(*h.ctx, 600'000); });

    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"blocked-get"_s), ThreadState::BlockedQueue, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"long-sleep"_s), ThreadState::Sleeping, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"lock-wait"_s), ThreadState::WaitingLock, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"gil-wait"_s), ThreadState::WaitingGil, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(h.currentState(u"cpu"_s) == ThreadState::Running
                                 || h.currentState(u"cpu"_s) == ThreadState::Ready, 5000);

    h.ctx->requestStop();
    QVERIFY2(h.ctx->joinAllThreads(200), "every worker must be gone within 200 ms of Stop");
    QCOMPARE(h.ctx->liveWorkers(), 0);
    h.drain();
    for (std::size_t i = 0; i < h.store.laneCount(); ++i)
        QVERIFY2(h.store.lane(i).ended, qPrintable(h.store.lane(i).name));
}

void TestStop::fromPause()
{
    Harness h;
    std::atomic<int> steps{0};
    h.ctx->spawn(u"stepper"_s, LaneKind::Thread, [&] {
        for (;;) {
            h.ctx->checkpoint();
            ++steps;
            h.ctx->sleepMs(1);
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(steps.load() > 3, 5000);
    h.ctx->setPaused(true);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"stepper"_s), ThreadState::Idle, 5000);
    const int frozen = steps.load();
    QCOMPARE(h.currentState(u"stepper"_s), ThreadState::Idle);
    QCOMPARE(steps.load(), frozen); // paused at a checkpoint: no progress
    h.ctx->requestStop();
    QVERIFY(h.ctx->joinAllThreads(200));
}

void TestStop::runnerStopsRunningScenarios_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("sets");
    QTest::newRow("race, lock on, long") << u"race"_s
                                         << QStringList{u"threads=8"_s, u"increments=10000000"_s, u"lock=on"_s,
                                                        u"window_us=50"_s};
    QTest::newRow("race, lock off") << u"race"_s << QStringList{u"increments=10000000"_s, u"window_us=10"_s};
    QTest::newRow("interleaving, long sleeps") << u"interleaving"_s
                                               << QStringList{u"threads=8"_s, u"sleep_ms=10000"_s};
}

void TestStop::runnerStopsRunningScenarios()
{
    QFETCH(QString, scenario);
    QFETCH(QStringList, sets);
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(scenario);
    QVERIFY(entry);
    std::vector<double> values = entry->info.schema.defaults();
    for (const QString& s : sets) {
        QString error;
        QVERIFY2(entry->info.schema.applyAssignment(s, values, &error), qPrintable(error));
    }
    Runner runner;
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY2(runner.start(scenario, values, 1.0, &error), qPrintable(error));
    // Let the workers get going before stopping them.
    QTRY_VERIFY_WITH_TIMEOUT(runner.context()->liveWorkers() >= 2, 5000);
    QVERIFY2(runner.stop(u"stopped"_s, 200), "Stop must join every thread within 200 ms");
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().first().toString(), u"stopped"_s);
    QCOMPARE(runner.ended(), u"stopped"_s);
    QVERIFY(!runner.isRunning());
    QCOMPARE(runner.context()->liveWorkers(), 0);
    // The main thread posted its completion report before it was joined; delivering it must
    // not produce a second finished().
    QCoreApplication::sendPostedEvents();
    QCOMPARE(finished.count(), 1);
}

void TestStop::runnerCompletesAndReportsOnce()
{
    Runner runner;
    QSignalSpy finished(&runner, &Runner::finished);
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(u"interleaving"_s);
    std::vector<double> values = entry->info.schema.defaults();
    values[std::size_t(entry->info.schema.indexOf(u"sleep_ms"_s))] = 10;
    QString error;
    QVERIFY(runner.start(u"interleaving"_s, values, 1.0, &error));
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(runner.ended(), u"completed"_s);
    QCOMPARE(runner.outcome()[u"lines"_s].toInt(), 10);
    // Stop after completion is a no-op.
    QVERIFY(runner.stop());
    QCOMPARE(finished.count(), 1);
}

QTEST_GUILESS_MAIN(TestStop)
#include "tst_stop.moc"
