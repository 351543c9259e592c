// Headless exploration: explore() on this thread, progress on a terminal's stderr, one document.
#include "headlessexplore.h"

#include "clock.h"
#include "commandline.h"
#include "explorer.h"
#include "interrupts.h"
#include "outputfile.h"
#include "scenario.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <optional>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace interleave {

int runHeadlessExplore(const Options& o)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(o.scenario);
    if (!entry) {
        printErr(u"unknown scenario '%1'"_s.arg(o.scenario));
        return 2;
    }
    const bool toStdout = o.summaryOut == "-"_L1;
    std::unique_ptr<QFileDevice> file;
    if (!o.summaryOut.isEmpty() && !toStdout && !(file = openOutput(o.summaryOut, "--summary-out")))
        return 2;
    std::optional<InterruptGuard> interrupts(std::in_place);

    ExploreOptions options;
    options.maxSchedules = o.maxSchedules;
    options.preemptionBound = o.preemptions;
    options.maxSeconds = o.durationS; // --duration caps the search as it caps a run (default 10 s)
    const bool tty = ::isatty(2) == 1;
    std::int64_t lastReport = monotonicNs();
    options.progress = [&](std::int64_t schedules) {
        if (tty && monotonicNs() - lastReport > 1'000'000'000) {
            lastReport = monotonicNs();
            std::fprintf(stderr, "\rinterleave: %lld schedules explored...", static_cast<long long>(schedules));
            std::fflush(stderr);
        }
        return !InterruptGuard::requested();
    };
    const ExploreResult result = explore(o.scenario, o.values, options);
    if (tty)
        std::fprintf(stderr, "\r\033[K");
    interrupts.reset(); // Ctrl+C while the output is written kills, as it would anywhere
    if (!result.error.isEmpty()) {
        printErr(u"--explore: %1"_s.arg(result.error));
        return 1;
    }
    const QJsonObject doc{{u"schema"_s, u"interleave.explore/1"_s},
                          {u"scenario"_s, o.scenario},
                          {u"params"_s, entry->info.schema.valuesJson(o.values)},
                          {u"explore"_s, result.toJson(o.preemptions, o.maxSchedules)}};
    if (o.summaryOut.isEmpty()) {
        std::printf("%s: %lld schedules%s in %.0f ms\n", o.scenario.toUtf8().constData(),
                    static_cast<long long>(result.schedules),
                    result.complete ? (o.preemptions ? " (every one within the preemption bound)" : " (every one)")
                    : result.outOfTime ? " (--duration reached before the end)"
                                       : " (stopped before the end)",
                    result.wallMs);
        for (const ExploredOutcome& e : result.outcomes) {
            std::printf("  %-32s %10lld%s\n", e.key.toUtf8().constData(), static_cast<long long>(e.count),
                        e.alarming ? qPrintable(u"   shortest: --schedule "_s + scheduleText(e.shortest)) : "");
        }
        if (result.left > 0)
            std::printf("  %s: at least %lld more schedules not run\n", result.outOfTime ? "out of time" : "cap reached",
                        static_cast<long long>(result.left));
        if (result.cut > 0)
            std::printf("  %lld schedules cut at %lld steps (the lesson can go on for ever: a livelock)\n",
                        static_cast<long long>(result.cut), static_cast<long long>(ExploreOptions().maxSteps));
        return 0;
    }
    const QByteArray bytes = QJsonDocument(doc).toJson(QJsonDocument::Indented);
    if (toStdout)
        return writeStdout(bytes, "--summary-out") ? 0 : 1;
    return commitOutput(*file, bytes, "--summary-out", o.summaryOut) ? 0 : 1;
}

} // namespace interleave
