// P2 and P3 (DESIGN.md section 8): the recording pipeline end to end.
//
// P3: the GUI-thread drain, Collector::drain() moving events from every lane's ring into the
//     TraceStore, in ns per event, for a realistic mix (state changes, lock holds, race reads
//     and writes). Median of 7 drains of 8 full rings (2^17 events each).
// P2: the highest sustained rate with nothing dropped: 8 threads on this machine's cores record
//     at a paced aggregate rate while the collector drains every 16 ms on the main thread, as the
//     window does. The rate is searched (doubling, then bisecting; short trials), then held for
//     --seconds S (default 30) to confirm; beside it, what the 8 threads alone produce flat out
//     with no store behind them, and the first as a fraction of the second.
//
//   bench_pipeline [--seconds S]
//
// Prints a table per target and one "RESULT" line each, which bench/run.sh gathers.
#include "clock.h"
#include "collector.h"
#include "hugepagemalloc.h"
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
    double rate() const { return double(drained) / seconds; }
};

constexpr int Threads = 8;

// What the recording threads alone produce on these cores: Threads threads record the mix flat out
// (clock read included) and each empties its own ring every 2^15 events, throwing the events away.
// No store, no collector: the ceiling any drain can be measured against.
double producerCeiling(double seconds)
{
    auto session = std::make_shared<TraceSession>();
    const std::uint32_t lock = session->addObject(u"m"_s, ObjectKind::Lock);
    const std::uint32_t counter = session->addObject(u"counter"_s, ObjectKind::Counter);
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> recorded{0};
    std::vector<std::thread> threads;
    for (int n = 0; n < Threads; ++n) {
        LaneRecorder* r = session->addLane(u"worker-%1"_s.arg(n + 1), LaneKind::Thread);
        threads.emplace_back([&, r] {
            std::uint64_t i = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                for (int k = 0; k < (1 << 15); ++k, ++i)
                    recordMix(*r, i, lock, counter, monotonicNs());
                r->ring().drain([](const TraceEvent*, std::size_t) {});
            }
            recorded.fetch_add(i);
        });
    }
    QElapsedTimer wall;
    wall.start();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop.store(true);
    for (std::thread& t : threads)
        t.join();
    const double s = double(wall.nsecsElapsed()) / 1e9;
    if (session->droppedTotal() != 0)
        std::fprintf(stderr, "bench_pipeline: the producer ceiling dropped events\n");
    return double(recorded.load()) / s;
}

// Threads threads record at a paced aggregate `rate` for `seconds` while the main thread's 16 ms
// timer drains into a TraceStore, as the window does.
Sustained sustainedAt(double seconds, double rate)
{
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
            // Paced: every millisecond this thread records what it owes by then (its share of the
            // rate times the time since it began), so a late wake-up is caught up, not lost.
            const auto begin = std::chrono::steady_clock::now();
            auto next = begin;
            std::uint64_t i = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
                for (const auto owed = std::uint64_t(ms * perThreadPerMs); i < owed;)
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
    if (s.recorded != s.drained + s.dropped)
        std::fprintf(stderr, "bench_pipeline: recorded %llu != drained %llu + dropped %llu\n",
                     static_cast<unsigned long long>(s.recorded), static_cast<unsigned long long>(s.drained),
                     static_cast<unsigned long long>(s.dropped));
    return s;
}

// A trial holds the rate when nothing dropped and the threads really produced it (within 5%: on a
// busy machine a paced thread can fall behind, and then the rate tried was not the rate drained).
bool holds(const Sustained& s, double rate)
{
    return s.dropped == 0 && s.recorded == s.drained && s.rate() >= 0.95 * rate;
}

void printTrial(const char* what, double rate, const Sustained& s)
{
    std::printf("  %-8s paced %6.2f M/s: drained %6.2f M/s, dropped %llu%s\n", what, rate / 1e6, s.rate() / 1e6,
                static_cast<unsigned long long>(s.dropped), holds(s, rate) ? "" : "  (does not hold)");
}

// The highest paced rate that holds: doubling from 1 M/s until a trial fails, then halving the
// interval four times; then `seconds` at that rate to confirm (stepping down 10% while it fails).
// Nothing is assumed: the figure is what the confirming run drained per second, and it is 0 when
// no rate held.
Sustained highestRate(double trialSeconds, double seconds, double ceiling, double* paced)
{
    double good = 0;
    double bad = 0;
    for (double rate = 1e6; rate <= 2 * ceiling; rate *= 2) {
        const Sustained s = sustainedAt(trialSeconds, rate);
        printTrial("search", rate, s);
        if (!holds(s, rate)) {
            bad = rate;
            break;
        }
        good = rate;
    }
    if (bad == 0)
        bad = good * 2;
    for (int step = 0; step < 4 && good > 0; ++step) {
        const double rate = (good + bad) / 2;
        const Sustained s = sustainedAt(trialSeconds, rate);
        printTrial("bisect", rate, s);
        (holds(s, rate) ? good : bad) = rate;
    }
    Sustained confirmed;
    for (double rate = good; rate > 0 && rate >= good * 0.7; rate *= 0.9) {
        confirmed = sustainedAt(seconds, rate);
        printTrial("confirm", rate, confirmed);
        *paced = rate;
        if (holds(confirmed, rate))
            return confirmed;
    }
    *paced = 0;
    return confirmed;
}

} // namespace

int main(int argc, char** argv)
{
    interleave::restartWithHugePageMalloc(argv); // the heap as the app has it
    QCoreApplication app(argc, argv);
    double seconds = 30;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--seconds") == 0)
            seconds = std::max(1.0, std::atof(argv[i + 1]));
    }

    const double drainNs = benchDrain();
    std::printf("\nP3 drain into the store (8 lanes x 3 fills of 2^17 events, mix of states, holds, race "
                "reads/writes; median of 7)\n");
    std::printf("  %.1f ns per event (target <= 100)\n", drainNs);
    result("P3", "GUI-thread drain into the store", drainNs, "ns/event", "<= 100 ns/event", drainNs <= 100,
           100.0 / drainNs);

    const double ceiling = producerCeiling(std::min(seconds, 5.0));
    std::printf("\nP2 sustained recording: %d threads on %u cores, the collector draining every 16 ms into the "
                "store on the main thread\n",
                Threads, std::thread::hardware_concurrency());
    std::printf("  the recording threads alone (flat out, each emptying its own ring, no store): %.2f M events/s\n",
                ceiling / 1e6);
    double paced = 0;
    const Sustained s = highestRate(std::min(seconds, 3.0), seconds, ceiling, &paced);
    const bool ok = paced > 0 && s.dropped == 0;
    const double perSecond = ok ? s.rate() : 0;
    std::printf("  highest rate held with 0 dropped: %.2f M events/s for %.1f s = %.0f%% of what the threads alone "
                "produce\n",
                perSecond / 1e6, s.seconds, 100 * perSecond / ceiling);
    result("P2", "highest sustained rate with 0 dropped, 8 threads (unpaced search)", perSecond / 1e6,
           "M events/s", ">= 2 M/s, 0 dropped", perSecond >= 2e6, perSecond / 2e6);
    std::printf("RESULT P2c | P2 as a fraction of the recording threads alone (%.1f M/s) | %.0f %% | (no target; "
                "for comparison) | - | info\n",
                ceiling / 1e6, 100 * perSecond / ceiling);
    return s.recorded == s.drained + s.dropped ? 0 : 1;
}
