// P1, in instructions: records N events on one lane (draining the ring with a plain loop every
// 2^15 events) and exits. bench/run.sh runs it under callgrind for two values of N; the
// difference of the two instruction counts divided by the difference of N is the cost of one
// record() (clock read included), free of start-up and of machine load.
//
//   bench_instructions N [--no-clock]
#include "traceevent.h"
#include "tracesession.h"

#include <QString>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace interleave;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_instructions N [--no-clock]\n");
        return 2;
    }
    const long long n = std::atoll(argv[1]);
    const bool noClock = argc > 2 && std::strcmp(argv[2], "--no-clock") == 0;
    TraceSession session(std::size_t(1) << 16);
    LaneRecorder* rec = session.addLane(QStringLiteral("worker"), LaneKind::Thread);
    std::uint64_t drained = 0;
    for (long long i = 0; i < n; ++i) {
        if (noClock)
            rec->recordAt(i, EventKind::State, ThreadState::Running, 1, i);
        else
            rec->record(EventKind::State, ThreadState::Running, 1, i);
        if ((i & 0x7fff) == 0x7fff)
            drained += rec->ring().drain([](const TraceEvent*, std::size_t) {});
    }
    drained += rec->ring().drain([](const TraceEvent*, std::size_t) {});
    std::printf("%llu events recorded, %llu dropped\n", static_cast<unsigned long long>(drained),
                static_cast<unsigned long long>(session.droppedTotal()));
    return session.droppedTotal() == 0 ? 0 : 1;
}
