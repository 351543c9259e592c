// What the timeline draws is checked against the kernel (DESIGN.md section 3): every lesson, run
// for real, with another process burning a core. No speed thresholds: only invariants that hold
// however busy the machine is.
//   1. In the exported trace, more lanes Running than the machine's cores for at most 2% of the
//      wall time.
//   2. Per worker lane, Running within 10% (+2 ms) of the kernel's on-CPU time for its thread, and
//      Ready within 15% (+5 ms) of the kernel's run-queue wait (schedstat). The CPU a thread uses
//      inside a wait (woken to find the lock taken again) is drawn as the wait: with thousands of
//      lock hand-offs a second that overhead alone reaches 10% (race, window_us=200, busy
//      machine), so the race row holds its lock for 2 ms, as a lesson would.
//   3. With the GIL on, at most one lane Running at any instant (2% slack).
//   4. Each lane's state times add up to its wall time.
#include "chromeimport.h"
#include "chrometrace.h"
#include "collector.h"
#include "runner.h"
#include "summary.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QBuffer>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "testdata.h"

#include <sched.h>

#include <algorithm>

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

namespace {

int machineCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return std::max(1, CPU_COUNT(&set));
    return std::max(1, QThread::idealThreadCount());
}

// Time during which more than `limit` of the given lanes are Running, from their intervals.
std::int64_t timeAbove(const TraceStore& store, int limit, bool (*counted)(const LaneData&))
{
    std::vector<std::pair<std::int64_t, int>> edges;
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const LaneData& l = store.lane(i);
        if (!counted(l))
            continue;
        for (const StateInterval& s : l.intervals) {
            if (s.state == ThreadState::Running) {
                edges.emplace_back(s.start, +1);
                edges.emplace_back(s.end, -1);
            }
        }
    }
    std::sort(edges.begin(), edges.end()); // at one instant, ends (-1) before starts
    std::int64_t above = 0;
    int running = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (i > 0 && running > limit)
            above += edges[i].first - edges[i - 1].first;
        running += edges[i].second;
    }
    return above;
}

bool anyLane(const LaneData&)
{
    return true;
}

// A process that keeps one core busy for as long as it lives.
class CpuHog
{
public:
    CpuHog()
    {
        m_process.start(u"/bin/sh"_s, {u"-c"_s, u"while :; do :; done"_s});
        m_process.waitForStarted(5000);
    }
    ~CpuHog()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
};

} // namespace

class TestKernelStates : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void invariants_data();
    void invariants();
    void kernelFiguresSurviveExportAndImport();
    void machineLoadSeesAnotherProgram();
};

void TestKernelStates::initTestCase()
{
    qputenv("INTERLEAVE_WORKER_EXE", QByteArrayLiteral(INTERLEAVE_EXE));
}

void TestKernelStates::invariants_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("sets");
    QTest::addColumn<double>("speed");
    QTest::addColumn<bool>("hog");
    QTest::addColumn<bool>("underGil");

    const QStringList raceOff{u"threads=4"_s, u"increments=20000"_s, u"lock=off"_s, u"window_us=20"_s};
    QTest::newRow("race, lock off, busy machine") << u"race"_s << raceOff << 1.0 << true << false;
    QTest::newRow("race, lock off") << u"race"_s << raceOff << 1.0 << false << false;
    QTest::newRow("race, lock on, busy machine")
        << u"race"_s << QStringList{u"threads=4"_s, u"increments=150"_s, u"lock=on"_s, u"window_us=2000"_s} << 1.0
        << true << false;
    QTest::newRow("contention, busy machine")
        << u"contention"_s << QStringList{u"threads=4"_s, u"rounds=8"_s, u"critical_ms=20"_s, u"outside_ms=20"_s}
        << 2.0 << true << false;
    const QStringList gil{u"workers=4"_s, u"tasks=8"_s, u"task_ms=100"_s};
    QTest::newRow("gil, cpu threads, busy machine")
        << u"gil"_s << gil + QStringList{u"workload=cpu"_s, u"executor=threads"_s, u"gil=on"_s} << 1.0 << true
        << true;
    QTest::newRow("gil, cpu threads") << u"gil"_s
                                      << gil + QStringList{u"workload=cpu"_s, u"executor=threads"_s, u"gil=on"_s}
                                      << 1.0 << false << true;
    QTest::newRow("gil, mixed threads, busy machine")
        << u"gil"_s << gil + QStringList{u"workload=mixed"_s, u"executor=threads"_s, u"gil=on"_s} << 1.0 << true
        << true;
    QTest::newRow("gil, cpu threads without the GIL, busy machine")
        << u"gil"_s << gil + QStringList{u"workload=cpu"_s, u"executor=threads"_s, u"gil=off"_s} << 1.0 << true
        << false;
    QTest::newRow("gil, cpu processes, busy machine")
        << u"gil"_s << gil + QStringList{u"workload=cpu"_s, u"executor=processes"_s} << 1.0 << true << false;
    QTest::newRow("gil, 16 cpu processes, busy machine")
        << u"gil"_s
        << QStringList{u"workload=cpu"_s, u"executor=processes"_s, u"workers=16"_s, u"tasks=16"_s, u"task_ms=50"_s}
        << 1.0 << true << false;
    QTest::newRow("deadlock, ordered, busy machine")
        << u"deadlock"_s << QStringList{u"strategy=ordered"_s} << 4.0 << true << false;
    QTest::newRow("producer_consumer, busy machine") << u"producer_consumer"_s << QStringList{} << 4.0 << true
                                                     << false;
    QTest::newRow("thread_pool, busy machine") << u"thread_pool"_s << QStringList{} << 4.0 << true << false;
    QTest::newRow("interleaving, busy machine") << u"interleaving"_s << QStringList{} << 4.0 << true << false;
}

void TestKernelStates::invariants()
{
    QFETCH(QString, scenario);
    QFETCH(QStringList, sets);
    QFETCH(double, speed);
    QFETCH(bool, hog);
    QFETCH(bool, underGil);

    std::unique_ptr<CpuHog> cpuHog(hog ? new CpuHog : nullptr);
    TraceStore live;
    Runner runner;
    Collector collector(&live);
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY2(runner.start(scenario, scenarioValues(scenario, sets), speed, &error), qPrintable(error));
    collector.setSession(runner.session());
    collector.start(16);
    if (!finished.wait(8000)) // open-ended lessons are stopped: the invariants hold at any point
        runner.stop(u"duration"_s);
    collector.drain();
    cpuHog.reset();

    // 1. Through the exported trace, as Perfetto would read it.
    RunDescription run{scenario, {}, runner.wallMs(), runner.ended(), runner.outcome(), {}, {}};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeChromeTrace(live, ChromeTraceInfo{u"interleave"_s, run}, buffer));
    const QByteArray bytes = buffer.data();
    auto imported = importChromeTraceData(std::string_view(bytes.constData(), std::size_t(bytes.size())), &error);
    QVERIFY2(imported, qPrintable(error));
    TraceStore store;
    store.adopt(std::move(imported->contents));
    const std::int64_t wall = store.endTime();
    QVERIFY(wall > 0);
    const int cores = machineCores();
    const std::int64_t overCores = timeAbove(store, cores, anyLane);
    qInfo("%s: %.1f ms, more lanes Running than %d cores for %.3f%% of it", qPrintable(scenario), double(wall) / 1e6,
          cores, 100.0 * double(overCores) / double(wall));
    QVERIFY2(double(overCores) <= 0.02 * double(wall),
             qPrintable(u"more lanes Running than cores for %1 ms of %2"_s.arg(double(overCores) / 1e6).arg(double(wall) / 1e6)));

    // 3. Under the GIL, one lane Running at a time (the main thread included: it holds the GIL
    //    while it starts the workers, as Python's does).
    if (underGil) {
        const std::int64_t twoRunning = timeAbove(store, 1, anyLane);
        QVERIFY2(double(twoRunning) <= 0.02 * double(wall),
                 qPrintable(u"two lanes Running under the GIL for %1 ms"_s.arg(double(twoRunning) / 1e6)));
    }

    // 2 and 4, lane by lane, on the live store (the imported one must agree: see below).
    int checked = 0;
    for (std::size_t i = 0; i < live.laneCount(); ++i) {
        const LaneData& l = live.lane(i);
        const auto totals = live.stateTotals(i);
        std::int64_t sum = 0;
        for (const std::int64_t t : totals)
            sum += t;
        QCOMPARE(sum, live.laneWallNs(i));
        if (l.kind == LaneKind::Main || l.kernelRunningNs < 0)
            continue;
        const auto ours = [&](ThreadState s) { return double(totals[std::size_t(s)]) / 1e6; };
        const double running = ours(ThreadState::Running);
        const double kernelRunning = double(l.kernelRunningNs) / 1e6;
        QVERIFY2(std::abs(running - kernelRunning) <= 0.10 * kernelRunning + 2.0,
                 qPrintable(u"%1: Running %2 ms, the kernel says %3 ms on a CPU"_s.arg(l.name).arg(running).arg(kernelRunning)));
        if (l.kernelReadyNs >= 0) {
            const double ready = ours(ThreadState::Ready);
            const double kernelReady = double(l.kernelReadyNs) / 1e6;
            QVERIFY2(std::abs(ready - kernelReady) <= 0.15 * kernelReady + 5.0,
                     qPrintable(u"%1: Ready %2 ms, the kernel says %3 ms on a run queue"_s.arg(l.name).arg(ready).arg(kernelReady)));
        }
        ++checked;
    }
    QVERIFY2(checked > 0, "no worker lane had the kernel's figures");
}

void TestKernelStates::kernelFiguresSurviveExportAndImport()
{
    TraceStore live;
    Runner runner;
    Collector collector(&live);
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY(runner.start(u"race"_s, scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=2000"_s, u"window_us=0"_s}), 1.0, &error));
    collector.setSession(runner.session());
    collector.start(16);
    QVERIFY(finished.wait(20000));
    collector.drain();
    RunDescription run{u"race"_s, {}, runner.wallMs(), runner.ended(), runner.outcome(), {}, {}};
    QVERIFY(runner.machineLoad());
    run.machine = runner.machineLoad()->toJson();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeChromeTrace(live, ChromeTraceInfo{u"interleave"_s, run}, buffer));
    auto imported = importChromeTraceData(std::string_view(buffer.data().constData(), std::size_t(buffer.data().size())), &error);
    QVERIFY2(imported, qPrintable(error));
    TraceStore back;
    back.adopt(std::move(imported->contents));
    const QJsonArray a = buildSummary(live, run)[u"threads"_s].toArray();
    const QJsonArray b = buildSummary(back, run)[u"threads"_s].toArray();
    QCOMPARE(a.size(), b.size());
    int withKernel = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].toObject()[u"kernel_ms"_s], a[i].toObject()[u"kernel_ms"_s]);
        withKernel += a[i].toObject().contains(u"kernel_ms"_s) ? 1 : 0;
    }
    QCOMPARE(withKernel, int(a.size())); // main and both workers
    QCOMPARE(buildSummary(back, imported->run)[u"machine"_s], buildSummary(live, run)[u"machine"_s]);
}

void TestKernelStates::machineLoadSeesAnotherProgram()
{
    // A CPU hog during a run: the machine figures say that other programs took about a core,
    // and what the run used agrees with its threads' own CPU clocks.
    CpuHog hog;
    TraceStore live;
    Runner runner;
    Collector collector(&live);
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY(runner.start(u"gil"_s,
                         scenarioValues(u"gil"_s, {u"workload=cpu"_s, u"workers=2"_s, u"tasks=8"_s, u"task_ms=100"_s}),
                         1.0, &error));
    collector.setSession(runner.session());
    collector.start(16);
    QVERIFY(finished.wait(30'000));
    collector.drain();
    const auto machine = runner.machineLoad();
    QVERIFY(machine);
    QCOMPARE(machine->cores, machineCores());
    double lanesOnCpuMs = 0;
    for (std::size_t i = 0; i < live.laneCount(); ++i)
        lanesOnCpuMs += std::max<double>(0, double(live.lane(i).kernelRunningNs) / 1e6);
    const double lanesCores = lanesOnCpuMs / machine->wallMs;
    qInfo("cores %d, this run %.2f (its threads' clocks: %.2f), other programs %.2f", machine->cores,
          machine->ownCores, lanesCores, machine->othersCores);
    QVERIFY2(machine->othersCores >= 0.5, qPrintable(machine->sentence()));
    QVERIFY(machine->busy());
    QVERIFY(machine->ownCores >= lanesCores - 0.1); // the process is its threads and a little more
    QVERIFY(machine->ownCores <= lanesCores + 0.35);
    QVERIFY(machine->sentence().startsWith(u"other programs used "_s));
}

QTEST_GUILESS_MAIN(TestKernelStates)
#include "tst_kernelstates.moc"
