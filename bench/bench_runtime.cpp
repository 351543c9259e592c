// P6 and P8 (DESIGN.md section 8): whole-program behaviour of real runs.
//
// P6: GUI tick lateness. A 16 ms precise timer on the main thread does what the window does per
//     frame: drain the rings into the store and paint a 1600x900 timeline (offscreen) while the
//     gil lesson runs 16 CPU-bound worker threads (gil off: all of them compete for the cores).
//     Lateness = how long after its due time each tick started; p50 and p99 over --seconds.
// P8: Stop latency from each blocking state: every lesson in a state where its threads block
//     (deadlocked, waiting on a full queue, sleeping, waiting for locks or the GIL, computing,
//     worker processes), 3 times each; the time runner.stop() takes until every thread is joined,
//     and the process's thread count afterwards against the count before.
//
//   bench_runtime [--seconds S] [--lateness-only]
#include "collector.h"
#include "hugepagemalloc.h"
#include "runner.h"
#include "scenario.h"
#include "timelineview.h"
#include "tracestore.h"

#include "testdata.h" // scenarioValues(), shared with the tests

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

namespace {

std::int64_t threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int threadCount()
{
    return int(QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

void result(const char* id, const char* what, double measured, const char* unit, const char* target, bool pass,
            double ratio)
{
    std::printf("RESULT %s | %s | %.3g %s | %s | %.2f | %s\n", id, what, measured, unit, target, ratio,
                pass ? "pass" : "short");
}

// Runs the event loop until `done` or `ms` passed; false on timeout.
template<typename F>
bool waitFor(F done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return true;
}

void benchLateness(double seconds)
{
    TraceStore store;
    Collector collector(&store);
    Runner runner;
    QString error;
    const auto values = scenarioValues(u"gil"_s, {u"workload=cpu"_s, u"gil=off"_s, u"workers=16"_s, u"tasks=1000"_s,
                                             u"task_ms=200"_s});
    if (!runner.start(u"gil"_s, values, 1.0, &error)) {
        std::fprintf(stderr, "bench_runtime: %s\n", qPrintable(error));
        return;
    }
    collector.setSession(runner.session());
    TimelineView view;
    view.setStore(&store);
    view.resize(1600, 900);
    QImage frame(1600, 900, QImage::Format_ARGB32_Premultiplied);

    // Lateness is counted per frame that was due, not per tick that fired: a tick that comes g ms
    // after the one before served the frame due 16 ms after it (late by g - 16) and every frame
    // due after that one in the gap was missed, late by the time until this tick came.
    std::vector<double> lateness;
    std::vector<double> work;
    std::vector<double> workCpu;
    QElapsedTimer clock;
    clock.start();
    qint64 previous = 0;
    int fired = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double gapMs = double(now - previous) / 1e6;
        previous = now;
        ++fired;
        lateness.push_back(std::max(0.0, gapMs - 16));
        for (double late = gapMs - 32; late >= 0; late -= 16)
            lateness.push_back(late);
        const std::int64_t cpu0 = threadCpuNs();
        collector.drainFor(Collector::TimedDrainBudgetNs); // as the window's timer does
        view.render(&frame);
        work.push_back(double(clock.nsecsElapsed() - now) / 1e6);
        workCpu.push_back(double(threadCpuNs() - cpu0) / 1e6);
        if (clock.elapsed() > qint64(seconds * 1000))
            QCoreApplication::quit();
    });
    tick.start(16);
    QCoreApplication::exec();
    runner.stop(u"stopped"_s, 2000);
    collector.drain();

    // The workers' Ready time as drawn against the kernel's own count (schedstat's run-queue wait,
    // read at each lane's end): the frame's share must not hide what the workers waited.
    double drawnReady = 0;
    double kernelReady = 0;
    int workers = 0;
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const LaneData& l = store.lane(i);
        if (l.kernelReadyNs < 0 || !l.ended)
            continue;
        ++workers;
        drawnReady += double(l.stateNs[std::size_t(ThreadState::Ready)]) / 1e6;
        kernelReady += double(l.kernelReadyNs) / 1e6;
    }

    const double p50 = percentile(lateness, 0.5);
    const double p99 = percentile(lateness, 0.99);
    std::printf("\nP6 GUI tick lateness: 16 CPU-bound threads (gil lesson, gil off) on %d cores, a 16 ms tick draining "
                "and painting a 1600x900 timeline, %.0f s, %zu ticks\n",
                QThread::idealThreadCount(), seconds, std::size_t(fired));
    std::printf("  %d ticks fired of %zu frames due (%zu missed, each counted as late by the wait for the next tick)\n",
                fired, lateness.size(), lateness.size() - std::size_t(fired));
    std::printf("  lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms; work per tick p50 %.2f ms, p99 %.2f ms wall, "
                "p50 %.2f ms, p99 %.2f ms on the CPU\n",
                p50, p99, percentile(lateness, 1.0), percentile(work, 0.5), percentile(work, 0.99),
                percentile(workCpu, 0.5), percentile(workCpu, 0.99));
    std::printf("  the workers' Ready time: drawn %.0f ms, the kernel's run-queue wait %.0f ms (%d lanes): %.0f%%\n",
                drawnReady, kernelReady, workers, kernelReady > 0 ? 100 * drawnReady / kernelReady : 0.0);
    const bool readyTrue = workers > 0 && kernelReady > 0 && std::abs(drawnReady - kernelReady) <= 0.1 * kernelReady;
    result("P6", "GUI tick lateness p99 (missed ticks counted), 16 CPU-bound workers; their Ready drawn within 10% of "
                 "the kernel's",
           p99, "ms", "p99 <= 20 ms", p99 <= 20 && readyTrue, 20.0 / std::max(p99, 0.01));
}

void benchStop()
{
    struct Case
    {
        const char* name;
        QString scenario;
        QStringList sets;
        bool keepDeadlock = false;
    };
    const std::vector<Case> cases{
        {"deadlocked philosophers", u"deadlock"_s, {u"strategy=naive"_s, u"pickup_delay_ms=50"_s}, true},
        {"producers blocked on a full queue", u"producer_consumer"_s,
         {u"capacity=1"_s, u"producers=4"_s, u"consume_ms=5000"_s, u"items=1000"_s}},
        {"long sleeps", u"interleaving"_s, {u"threads=8"_s, u"sleep_ms=10000"_s, u"steps=100"_s}},
        {"lock waits (coarse lock)", u"contention"_s, {u"threads=8"_s, u"critical_ms=500"_s, u"rounds=0"_s}},
        {"GIL waits (cpu threads)", u"gil"_s, {u"workers=8"_s, u"tasks=1000"_s, u"task_ms=1000"_s}},
        {"CPU work (gil off)", u"gil"_s, {u"gil=off"_s, u"workers=8"_s, u"tasks=1000"_s, u"task_ms=1000"_s}},
        {"worker processes", u"gil"_s, {u"executor=processes"_s, u"workers=4"_s, u"tasks=100"_s, u"task_ms=1000"_s}},
        {"thread pool waiting", u"thread_pool"_s, {u"tasks=1000"_s, u"task_ms=5000"_s}},
        {"race flood", u"race"_s, {u"increments=10000000"_s, u"threads=8"_s, u"window_us=0"_s}},
    };
    std::printf("\nP8 Stop latency from each blocking state (3 runs each; threads counted in /proc/self/task)\n");
    std::printf("| state | max ms | threads before / after |\n|---|---|---|\n");
    double worst = 0;
    bool allBack = true;
    for (const Case& c : cases) {
        double maxMs = 0;
        int before = 0;
        int after = 0;
        for (int rep = 0; rep < 3; ++rep) {
            TraceStore store;
            Collector collector(&store);
            before = threadCount();
            Runner runner;
            runner.setStopOnDeadlock(!c.keepDeadlock);
            QString error;
            if (!runner.start(c.scenario, scenarioValues(c.scenario, c.sets), 1.0, &error)) {
                std::fprintf(stderr, "bench_runtime: %s\n", qPrintable(error));
                continue;
            }
            collector.setSession(runner.session());
            collector.start(16);
            // Into the blocking state: the workers started and ran for a while.
            waitFor([&] { return store.laneCount() >= 3 && runner.wallMs() > 400; }, 10'000);
            QElapsedTimer t;
            t.start();
            const bool stopped = runner.stop(u"stopped"_s, 2000);
            const double ms = double(t.nsecsElapsed()) / 1e6;
            maxMs = std::max(maxMs, stopped ? ms : 2000.0);
            collector.stop();
            waitFor([&] { return threadCount() <= before; }, 200);
            after = threadCount();
        }
        allBack = allBack && after <= before;
        worst = std::max(worst, maxMs);
        std::printf("| %s | %.1f | %d / %d |\n", c.name, maxMs, before, after);
    }
    result("P8", "Stop from any blocking state (worst)", worst, "ms", "<= 200 ms, no thread left",
           worst <= 200 && allBack, 200.0 / std::max(worst, 0.01));
}

} // namespace

int main(int argc, char** argv)
{
    interleave::restartWithHugePageMalloc(argv); // the heap as the app has it
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    double seconds = 10;
    bool stop = true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = std::max(1.0, std::atof(argv[++i]));
        else if (std::strcmp(argv[i], "--lateness-only") == 0)
            stop = false;
    }
    if (stop)
        benchStop();
    benchLateness(seconds);
    return 0;
}
