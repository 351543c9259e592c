// Stop ends every worker within 200 ms from every blocking state, and no thread is left.
#include "processworker.h"
#include "runner.h"
#include "simgil.h"
#include "testdata.h"
#include "testutil.h"
#include "tracedmutex.h"
#include "tracedqueue.h"
#include "workload.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

#include <unistd.h>

using namespace interleave;
using namespace interleave::test;
using namespace Qt::StringLiterals;

class TestStop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fromEveryBlockingState();
    void fromPause();
    void fromAWorkerProcess();
    void runnerStopsRunningScenarios_data();
    void runnerStopsRunningScenarios();
    void runnerStopsAHeldDeadlock();
    void runnerStopsAPoolWithIdleThreads();
    void runnerCompletesAndReportsOnce();
};

namespace {

// Processes whose parent is this one (running, or exited and not yet reaped).
int childProcesses()
{
    const QByteArray self = QByteArray::number(qint64(getpid()));
    int children = 0;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& pid : entries) {
        QFile f(u"/proc/"_s + pid + u"/stat"_s);
        if (!pid.front().isDigit() || !f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const qsizetype close = stat.lastIndexOf(')'); // "pid (comm) state ppid ..."
        if (close >= 0 && stat.mid(close + 2).split(' ').value(1) == self)
            ++children;
    }
    return children;
}

} // namespace

void TestStop::initTestCase()
{
    // Worker processes are the real program.
    qputenv("INTERLEAVE_WORKER_EXE", QByteArrayLiteral(INTERLEAVE_EXE));
}

void TestStop::fromEveryBlockingState()
{
    Harness h;
    auto& queue = h.make<TracedQueue>(u"q"_s, 0);
    auto& full = h.make<TracedQueue>(u"full"_s, 1);
    auto& mutex = h.make<TracedMutex>(u"m"_s);
    auto& left = h.make<TracedMutex>(u"left"_s);
    auto& right = h.make<TracedMutex>(u"right"_s);
    auto& gil = h.make<SimGil>([] { return std::int64_t(5'000'000); });
    std::atomic<bool> holding{false};
    std::atomic<int> seated{0};
    h.ctx->spawn(u"blocked-get"_s, LaneKind::Thread, [&] { queue.get(); });
    h.ctx->spawn(u"blocked-put"_s, LaneKind::Thread, [&] {
        full.put(1);
        full.put(2); // the queue holds one item
    });
    // Two threads that take two locks in opposite orders: a deadlock, detected, never resolved.
    auto philosopher = [&](TracedMutex& first, TracedMutex& second) {
        first.lock();
        ++seated;
        while (seated.load() < 2)
            h.ctx->checkpoint();
        second.lock();
    };
    h.ctx->spawn(u"deadlock-a"_s, LaneKind::Thread, [&] { philosopher(left, right); });
    h.ctx->spawn(u"deadlock-b"_s, LaneKind::Thread, [&] { philosopher(right, left); });
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
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"blocked-put"_s), ThreadState::BlockedQueue, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(h.ctx->deadlocked(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"deadlock-a"_s), ThreadState::WaitingLock, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"deadlock-b"_s), ThreadState::WaitingLock, 5000);
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
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"stepper"_s), ThreadState::Paused, 5000);
    const int frozen = steps.load();
    QCOMPARE(h.currentState(u"stepper"_s), ThreadState::Paused);
    QCOMPARE(steps.load(), frozen); // paused at a checkpoint: no progress
    h.ctx->requestStop();
    QVERIFY(h.ctx->joinAllThreads(200));
}

void TestStop::fromAWorkerProcess()
{
    QCOMPARE(childProcesses(), 0);
    Harness h;
    std::atomic<bool> done{false};
    h.ctx->spawn(u"process"_s, LaneKind::Process, [&] {
        ProcessTask task;
        task.tasks = 30'000; // ten minutes of CPU work in the child, shipped back every 20 ms
        task.taskMs = 20;
        runInWorkerProcess(*h.ctx, task);
        done.store(true);
    });
    // The child runs: it started and streams its events (Running or Ready) back.
    QTRY_COMPARE_WITH_TIMEOUT(childProcesses(), 1, 10'000);
    QTRY_VERIFY2_WITH_TIMEOUT(h.currentState(u"process"_s) == ThreadState::Running
                                  || h.currentState(u"process"_s) == ThreadState::Ready,
                              qPrintable(u"state %1"_s.arg(int(h.currentState(u"process"_s)))), 10'000);
    h.ctx->requestStop();
    QVERIFY2(h.ctx->joinAllThreads(200), "the thread driving a worker process must be gone within 200 ms of Stop");
    QVERIFY(!done.load());
    QCOMPARE(childProcesses(), 0); // killed and reaped
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
    QTest::newRow("contention, long critical sections") << u"contention"_s
                                                        << QStringList{u"threads=6"_s, u"critical_ms=2000"_s};
    QTest::newRow("producers blocked on a full queue")
        << u"producer_consumer"_s << QStringList{u"producers=3"_s, u"capacity=1"_s, u"produce_ms=0"_s, u"consume_ms=5000"_s};
    QTest::newRow("gil, cpu threads") << u"gil"_s << QStringList{u"workload=cpu"_s, u"task_ms=10000"_s};
    QTest::newRow("gil, worker processes") << u"gil"_s << QStringList{u"executor=processes"_s, u"workers=2"_s,
                                                                       u"task_ms=10000"_s};
    QTest::newRow("thread pool, long tasks") << u"thread_pool"_s << QStringList{u"pool_size=3"_s, u"task_ms=10000"_s};
    QTest::newRow("thread per task") << u"thread_pool"_s
                                     << QStringList{u"mode=thread_per_task"_s, u"tasks=8"_s, u"task_ms=10000"_s};
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
    // Let the workers get going before stopping them (pool threads have lanes, not spawned workers).
    QTRY_VERIFY_WITH_TIMEOUT(runner.session()->laneCount() >= 3, 5000);
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
    QTRY_COMPARE_WITH_TIMEOUT(childProcesses(), 0, 5000); // a worker process is killed and reaped
}

void TestStop::runnerStopsAHeldDeadlock()
{
    // The window keeps a deadlock on screen until Stop; Stop then ends it like any other state.
    Runner runner;
    runner.setStopOnDeadlock(false);
    QSignalSpy detected(&runner, &Runner::deadlockDetected);
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY(runner.start(u"deadlock"_s, interleave::test::scenarioValues(u"deadlock"_s, {u"strategy=naive"_s}), 10.0,
                         &error));
    QVERIFY(detected.wait(20'000));
    QVERIFY(runner.isRunning());
    QVERIFY(runner.context()->liveWorkers() > 0);
    QVERIFY2(runner.stop(u"stopped"_s, 200), "Stop must end a deadlock within 200 ms");
    QCOMPARE(runner.ended(), u"deadlock"_s);
    QCOMPARE(runner.context()->liveWorkers(), 0);
    QCOMPARE(finished.count(), 1);
}

void TestStop::runnerStopsAPoolWithIdleThreads()
{
    // Four tasks of 0..1000 ms (random jitter) on four pool threads: once the first is done, its
    // thread waits in the pool for work that never comes, while the others still run.
    Runner runner;
    QString error;
    QVERIFY(runner.start(u"thread_pool"_s,
                         interleave::test::scenarioValues(u"thread_pool"_s, {u"pool_size=4"_s, u"tasks=4"_s, u"task_ms=0"_s,
                                                                             u"task_jitter_ms=1000"_s}),
                         1.0, &error));
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"tasks"_s].toInt() >= 1 || !runner.isRunning(), 10'000);
    if (!runner.isRunning() || runner.outcome()[u"tasks"_s].toInt() == 4)
        QSKIP("every task finished before Stop (a very busy machine): no idle pool thread to stop");
    QVERIFY2(runner.stop(u"stopped"_s, 200), "Stop must end idle pool threads within 200 ms");
    QCOMPARE(runner.ended(), u"stopped"_s);
}

void TestStop::runnerCompletesAndReportsOnce()
{
    Runner runner;
    QSignalSpy finished(&runner, &Runner::finished);
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(u"interleaving"_s);
    std::vector<double> values = entry->info.schema.defaults();
    values[std::size_t(entry->info.schema.indexOf(u"sleep_ms"_s))] = 10;
    values[std::size_t(entry->info.schema.indexOf(u"steps"_s))] = 5;
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
