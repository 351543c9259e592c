// P7 (DESIGN.md section 8): memory over a long run at full event rate stays bounded by the
// history cap, and stops growing once the cap is full.
//
// The contention lesson with no work inside or outside the lock (rounds=0: until stopped) is the
// densest real run: every operation is a lock wait, acquire and release on 4 threads. The
// collector drains it every 16 ms into a TraceStore with the default cap, as the window does.
// Resident memory is sampled every second, and events dropped are counted: memory held flat
// by dropping events would be no result. The first aging does not make the store full:
// intervals reach their cap in a second, lock holds (folded into runs) in a minute or two, and a
// vector that doubles leaves its old block with glibc (resident, not returned). So the capacity of
// every capped vector is sampled too, and "full" is the last time any of them grew: from then on
// resident memory must be flat. The store itself is bounded by the peak's test.
//
//   bench_memory [--seconds S]      default 600 (10 minutes)
#include "hugepagemalloc.h"
#include "run.h"
#include "scenario.h"
#include "tracestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include <unistd.h>

using namespace interleave;
using namespace Qt::StringLiterals;

namespace {

double rssMb()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() > 1 ? double(fields[1].toLongLong()) * double(sysconf(_SC_PAGESIZE)) / 1e6 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    interleave::restartWithHugePageMalloc(argv); // the heap as the app has it
    QCoreApplication app(argc, argv);
    double seconds = 600;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--seconds") == 0)
            seconds = std::max(5.0, std::atof(argv[i + 1]));
    }

    const ScenarioEntry* entry = ScenarioRegistry::instance().find(u"contention"_s);
    std::vector<double> values = entry->info.schema.defaults();
    for (const QString& s : {u"threads=4"_s, u"critical_ms=0"_s, u"outside_ms=0"_s, u"rounds=0"_s}) {
        QString error;
        entry->info.schema.applyAssignment(s, values, &error);
    }
    Run run; // drained every 16 ms, as the window does
    const TraceStore& store = *run.store();
    QString error;
    const double before = rssMb();
    if (!run.start(u"contention"_s, values, 1.0, &error, 16)) {
        std::fprintf(stderr, "bench_memory: %s\n", qPrintable(error));
        return 1;
    }

    struct Sample
    {
        double s;
        double mb;
        std::uint64_t events;
        std::uint64_t aged;
        std::uint64_t dropped;
        std::size_t behind; // recorded, not yet in the store (in the rings or set aside)
        double capacityMb;  // what the capped vectors have allocated
    };
    auto capacityMb = [&] {
        double bytes = 0;
        for (std::size_t i = 0; i < store.laneCount(); ++i) {
            const LaneData& l = store.lane(i);
            bytes += double(l.intervals.capacity() * sizeof(StateInterval) + l.holds.capacity() * sizeof(HoldInterval)
                            + l.markers.capacity() * sizeof(Marker));
        }
        for (std::size_t i = 0; i < store.objectCount(); ++i) {
            const ObjectData& o = store.object(i);
            bytes += double(o.holds.capacity() * sizeof(HoldInterval) + o.counter.capacity() * sizeof(CounterSample));
        }
        return bytes / 1e6;
    };
    std::vector<Sample> samples;
    QElapsedTimer clock;
    clock.start();
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        samples.push_back({double(clock.elapsed()) / 1000.0, rssMb(), store.eventsRecorded(), store.agedOut(),
                           store.eventsDropped(), run.eventsBehind(), capacityMb()});
        if (clock.elapsed() >= qint64(seconds * 1000))
            QCoreApplication::quit();
    });
    sampler.start(1000);
    QCoreApplication::exec();
    run.stop(u"stopped"_s);

    const HistoryCap& cap = store.historyCap();
    // What the cap allows: intervals, holds and markers per lane, holds and samples per object.
    const std::size_t lanes = std::max<std::size_t>(1, store.laneCount());
    auto share = [&](std::size_t total) { return std::max(total / lanes, cap.minPerLane); };
    const double laneBytes = double(share(cap.intervals) * sizeof(StateInterval) + share(cap.laneHolds) * sizeof(HoldInterval)
                                    + share(cap.markers) * sizeof(Marker)) * 1.25;
    const double objectBytes = double(cap.holdsPerObject * sizeof(HoldInterval) + cap.samplesPerObject * sizeof(CounterSample))
        * 1.25;
    const double boundMb = (double(store.laneCount()) * laneBytes + double(store.objectCount()) * objectBytes) / 1e6;

    std::printf("\nP7 memory at full event rate: contention lesson, 4 threads, no work in or out of the lock, "
                "%.0f s, RSS sampled every second\n",
                seconds);
    std::printf("| t (s) | RSS (MB) | events recorded | events dropped | detail aged out | waiting to be drained |\n"
                "|---|---|---|---|---|---|\n");
    const std::size_t n = samples.size();
    for (std::size_t i : {std::size_t(0), n / 4, n / 2, 3 * n / 4, n - 1}) {
        if (i < n)
            std::printf("| %.0f | %.1f | %llu | %llu | %llu | %zu |\n", samples[i].s, samples[i].mb,
                        static_cast<unsigned long long>(samples[i].events),
                        static_cast<unsigned long long>(samples[i].dropped),
                        static_cast<unsigned long long>(samples[i].aged), samples[i].behind);
    }
    // Once the store is full (every capped vector at its final capacity, which the first aging
    // precedes), memory must stop growing: compare the peaks of the two halves after it.
    std::size_t filled = n;
    for (std::size_t i = 0; i < n; ++i) {
        if (samples[i].aged > 0 && samples[i].capacityMb == samples.back().capacityMb) {
            filled = i;
            break;
        }
    }
    std::size_t firstAging = 0;
    while (firstAging + 1 < n && samples[firstAging].aged == 0)
        ++firstAging;
    const double rate = n > 1 ? double(samples.back().events) / samples.back().s : 0;
    std::printf("rate %.2f M events/s; RSS before the run %.1f MB; cap bound for %zu lanes and %zu objects %.0f MB\n",
                rate / 1e6, before, store.laneCount(), store.objectCount(), boundMb);
    if (filled + 4 >= n) {
        std::printf("the store was still growing toward its cap after %.0f s (its vectors: %.1f MB allocated): run "
                    "longer (--seconds) to see the plateau\n",
                    seconds, samples.empty() ? 0.0 : samples.back().capacityMb);
        std::printf("RESULT P7 | memory at full rate, %.0f s | %.0f MB peak | bounded by the cap, flat once full | - | "
                    "not reached\n",
                    seconds, samples.empty() ? 0 : samples.back().mb);
        return 0;
    }
    double peakAfterFill = 0;
    double peakEnd = 0;
    for (std::size_t i = filled; i < n; ++i) {
        if (i < filled + (n - filled) / 2)
            peakAfterFill = std::max(peakAfterFill, samples[i].mb);
        else
            peakEnd = std::max(peakEnd, samples[i].mb);
    }
    const double growth = peakEnd - peakAfterFill;
    // Vectors keep spare capacity (up to 2x while growing): allowed is the cap's bytes x 1.5 + 50 MB.
    const double allowedMb = before + boundMb * 1.5 + 50;
    // Memory held flat by dropping events would be no result: drops must be none.
    const std::uint64_t dropped = store.eventsDropped();
    const bool pass = peakEnd <= allowedMb && growth <= std::max(10.0, 0.05 * peakAfterFill) && dropped == 0;
    std::printf("first aging at %.0f s, the store full (its vectors' capacity final, %.1f MB) at %.0f s; peak RSS in "
                "the first half after that %.1f MB, in the second half %.1f MB (growth %.1f MB); the rescue thread held "
                "at most %.1f MB aside\n",
                samples[firstAging].s, samples.back().capacityMb, samples[filled].s, peakAfterFill, peakEnd, growth,
                double(run.setAsidePeak() * sizeof(TraceEvent)) / 1e6);
    std::printf("RESULT P7 | memory at full rate, %.0f s: peak, growth once the store is full, events dropped | %.0f MB, "
                "+%.1f MB, %llu dropped | <= %.0f MB (cap %.0f MB), no growth, 0 dropped | %.2f | %s\n",
                seconds, peakEnd, growth, static_cast<unsigned long long>(dropped), allowedMb, boundMb,
                allowedMb / std::max(peakEnd, 1.0), pass ? "pass" : "short");
    return 0;
}
