// P2 and P3 (DESIGN.md section 8): the recording pipeline end to end.
//
// P3: the GUI-thread drain, Collector::drain() moving events from every lane's ring into the
//     TraceStore, in ns per event, for a realistic mix (state changes, lock holds, race reads
//     and writes). Median of 7 drains of 8 full rings (2^17 events each).
// P2: sustained recording: 8 threads on this machine's cores record at a paced aggregate rate
//     for --seconds S (default 30) while the collector drains every 16 ms on the main thread,
//     as the window does. Reports events/s actually recorded and drained, and drops.
//
//   bench_pipeline [--seconds S] [--rate EVENTS_PER_S]
//
// Prints a table per target and one "RESULT" line each, which bench/run.sh gathers.
#include "clock.h"
#include "collector.h"
#include "traceevent.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

using namespace interleave;
using namespace Qt::StringLiterals;

namespace {

// One step of a realistic mix; `i` runs over the lane's events.
void recordMix(LaneRecorder& r, std::uint64_t i, std::uint32_t lock, std::uint32_t counter, std::int64_t t)
{
    switch (i % 10) {
    case 0:
        r.recordAt(t, EventKind::State, ThreadState::Ready);
        break;
    case 1:
        r.recordAt(t, EventKind::State, ThreadState::Running);
        break;
    case 2:
        r.recordAt(t, EventKind::LockWait, ThreadState::WaitingLock, lock, 1);
        break;
    case 3:
        r.recordAt(t, EventKind::LockAcquire, ThreadState::Running, lock, 0, 1);
        break;
    case 4:
        r.recordAt(t, EventKind::LockRelease, ThreadState::Running, lock, 0);
        break;
    case 5:
    case 7:
        r.recordAt(t, EventKind::RaceRead, ThreadState::Running, counter, std::int64_t(i));
        break;
    default:
        r.recordAt(t, EventKind::RaceWrite, ThreadState::Running, counter, std::int64_t(i));
        break;
    }
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void result(const char* id, const char* what, double measured, const char* unit, const char* target,
            bool pass, double ratio)
{
    std::printf("RESULT %s | %s | %.3g %s | %s | %.2f | %s\n", id, what, measured, unit, target, ratio,
                pass ? "pass" : "short");
}

double benchDrain()
{
    constexpr int Lanes = 8;
    constexpr std::size_t Ring = std::size_t(1) << 17;
    std::vector<double> nsPerEvent;
    for (int rep = 0; rep < 7; ++rep) {
        auto session = std::make_shared<TraceSession>(Ring);
        TraceStore store;
        Collector collector(&store);
        collector.setSession(session);
        const std::uint32_t lock = session->addObject(u"m"_s, ObjectKind::Lock);
        const std::uint32_t counter = session->addObject(u"counter"_s, ObjectKind::Counter);
        std::vector<LaneRecorder*> lanes;
        for (int l = 0; l < Lanes; ++l)
            lanes.push_back(session->addLane(u"worker-%1"_s.arg(l + 1), LaneKind::Thread));
        collector.drain(); // lanes and objects known
        // Several fills per repetition, so the store is the size of a few seconds of a run.
        std::int64_t t = session->startNs();
        double ns = 0;
        std::size_t events = 0;
        for (int fill = 0; fill < 3; ++fill) {
            for (LaneRecorder* r : lanes) {
                for (std::size_t i = 0; i < Ring - 1; ++i)
                    recordMix(*r, i, lock, counter, t + std::int64_t(i) * 50);
            }
            t += std::int64_t(Ring) * 50;
            QElapsedTimer timer;
            timer.start();
            events += collector.drain();
            ns += double(timer.nsecsElapsed());
        }
        if (session->droppedTotal() != 0)
            std::fprintf(stderr, "bench_pipeline: the drain benchmark dropped events (ring too small?)\n");
        nsPerEvent.push_back(ns / double(events));
    }
    return median(nsPerEvent);
}

struct Sustained
{
    double seconds = 0;
    std::uint64_t recorded = 0;
    std::uint64_t drained = 0;
    std::uint64_t dropped = 0;
};

Sustained benchSustained(double seconds, double rate)
{
    constexpr int Threads = 8;
    auto session = std::make_shared<TraceSession>();
    TraceStore store;
    Collector collector(&store);
    collector.setSession(session);
    const std::uint32_t lock = session->addObject(u"m"_s, ObjectKind::Lock);
    const std::uint32_t counter = session->addObject(u"counter"_s, ObjectKind::Counter);

    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> recorded{0};
    std::vector<std::thread> threads;
    const double perThreadPerMs = rate / Threads / 1000.0;
    for (int n = 0; n < Threads; ++n) {
        LaneRecorder* r = session->addLane(u"worker-%1"_s.arg(n + 1), LaneKind::Thread);
        threads.emplace_back([&, r, id = r->lane()] {
            // Paced: each millisecond this thread records its share, then waits for the next.
            auto next = std::chrono::steady_clock::now();
            std::uint64_t i = 0;
            double owed = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                owed += perThreadPerMs;
                for (; owed >= 1; owed -= 1)
                    recordMix(*r, i++, lock, counter, monotonicNs());
                next += std::chrono::milliseconds(1);
                std::this_thread::sleep_until(next);
            }
            recorded.fetch_add(i);
            session->finishLane(id);
        });
    }

    QElapsedTimer wall;
    wall.start();
    std::uint64_t drained = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        drained += collector.drain();
        if (wall.elapsed() >= qint64(seconds * 1000)) {
            stop.store(true);
            QCoreApplication::quit();
        }
    });
    tick.start(16);
    QCoreApplication::exec();
    for (std::thread& t : threads)
        t.join();
    drained += collector.drain();
    Sustained s;
    s.seconds = double(wall.nsecsElapsed()) / 1e9;
    s.recorded = recorded.load();
    s.drained = drained;
    s.dropped = session->droppedTotal();
    return s;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    double seconds = 30;
    double rate = 2.5e6;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--seconds") == 0)
            seconds = std::max(1.0, std::atof(argv[i + 1]));
        else if (std::strcmp(argv[i], "--rate") == 0)
            rate = std::max(1e3, std::atof(argv[i + 1]));
    }

    const double drainNs = benchDrain();
    std::printf("\nP3 drain into the store (8 lanes x 3 fills of 2^17 events, mix of states, holds, race "
                "reads/writes; median of 7)\n");
    std::printf("  %.1f ns per event (target <= 100)\n", drainNs);
    result("P3", "GUI-thread drain into the store", drainNs, "ns/event", "<= 100 ns/event", drainNs <= 100,
           100.0 / drainNs);

    const Sustained s = benchSustained(seconds, rate);
    const double perSecond = double(s.drained) / s.seconds;
    std::printf("\nP2 sustained recording: 8 threads on %u cores, paced at %.2g events/s, %.1f s, collector "
                "every 16 ms\n",
                std::thread::hardware_concurrency(), rate, s.seconds);
    std::printf("  recorded %llu, drained %llu, dropped %llu: %.2f M events/s\n",
                static_cast<unsigned long long>(s.recorded), static_cast<unsigned long long>(s.drained),
                static_cast<unsigned long long>(s.dropped), perSecond / 1e6);
    result("P2", "sustained recording, 8 threads", perSecond / 1e6, "M events/s", ">= 2 M/s, 0 dropped",
           perSecond >= 2e6 && s.dropped == 0, perSecond / 2e6);
    return s.recorded == s.drained + s.dropped ? 0 : 1;
}
