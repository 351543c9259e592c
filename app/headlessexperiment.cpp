// Headless experiments: --repeat N and --sweep key=from..to[:step], each a real run one after
// another on one Run, every outcome kept; progress on stderr, the result as one JSON document.
#include "headlessexperiment.h"

#include "commandline.h"
#include "experimentrunner.h"
#include "experiments.h"
#include "interrupts.h"
#include "outputfile.h"
#include "run.h"
#include "scenario.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cmath>
#include <optional>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// "lost_updates 8,200..9,100 (median 8,650)" for the console: the lesson's first figures.
QString briefly(const QJsonObject& distribution)
{
    QStringList parts;
    const QJsonObject figures = distribution.value(u"outcome"_s).toObject();
    for (auto it = figures.begin(); it != figures.end() && parts.size() < 3; ++it) {
        const QJsonObject s = it.value().toObject();
        parts << u"%1 %2..%3 (median %4)"_s.arg(it.key())
                     .arg(s.value(u"min"_s).toDouble())
                     .arg(s.value(u"max"_s).toDouble())
                     .arg(s.value(u"median"_s).toDouble());
    }
    return parts.join(u"; "_s);
}

} // namespace

int runHeadlessExperiment(const Options& o)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(o.scenario);
    if (!entry) {
        printErr(u"unknown scenario '%1'"_s.arg(o.scenario));
        return 2;
    }
    // The output first: a path that cannot be written is found before any run.
    const bool toStdout = o.summaryOut == "-"_L1;
    std::unique_ptr<QFileDevice> file;
    if (!o.summaryOut.isEmpty() && !toStdout && !(file = openOutput(o.summaryOut, "--summary-out")))
        return 2;
    std::optional<InterruptGuard> interrupts(std::in_place);

    const int sweepIndex = o.sweepKey.isEmpty() ? -1 : entry->info.schema.indexOf(o.sweepKey);
    ExperimentPlan plan;
    plan.lesson = o.scenario;
    plan.sweepKey = o.sweepKey;
    plan.repeat = o.repeat;
    plan.speed = o.speed;
    plan.maxSecondsPerRun = o.durationS;
    plan.keepBytes = 0; // headless keeps the outcomes, not the recordings
    for (const double x : sweepIndex < 0 ? std::vector<double>{NAN} : o.sweepValues) {
        ExperimentPoint point{QString(), x, o.values};
        if (sweepIndex >= 0)
            point.values[std::size_t(sweepIndex)] = x;
        plan.points.push_back(point);
    }
    Run run; // ends at a detected deadlock, as every headless run
    ExperimentRunner runner(&run);
    QEventLoop loop;
    QObject::connect(&runner, &ExperimentRunner::finished, &loop, &QEventLoop::quit);
    QObject::connect(&runner, &ExperimentRunner::runDone, &loop, [&](int index) {
        const ExperimentRun& r = runner.runs()[std::size_t(index)];
        const double x = plan.points[std::size_t(r.point)].x;
        printErr(u"run %1 of %2%3: %4 after %5 ms"_s.arg(index + 1)
                .arg(plan.total())
                .arg(sweepIndex >= 0 ? u" (%1 = %2)"_s.arg(o.sweepKey, entry->info.schema.at(sweepIndex).valueText(x))
                                     : QString())
                .arg(r.outcome.ended)
                .arg(std::llround(r.outcome.wallMs)));
    });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (InterruptGuard::requested())
            runner.stop();
    });
    poll.start(50);
    QString error;
    if (!runner.start(plan, &error)) {
        printErr(error);
        return 2;
    }
    loop.exec();
    if (!runner.failure().isEmpty()) {
        printErr(runner.failure());
        return 2;
    }
    const bool stopped = !runner.isComplete();

    QJsonArray table;
    std::vector<std::pair<double, double>> speedups;
    for (std::size_t p = 0; p < plan.points.size() && sweepIndex >= 0; ++p) {
        const std::vector<RunOutcome> runs = runner.outcomesOf(int(p));
        if (runs.empty())
            break;
        const double point = plan.points[p].x;
        QJsonArray runsJson;
        for (const RunOutcome& r : runs)
            runsJson.append(r.toJson());
        const QJsonObject distribution = distributionOf(runs);
        table.append(QJsonObject{{u"value"_s, entry->info.schema.at(sweepIndex).toJson(point)},
                                 {u"runs"_s, runsJson},
                                 {u"distribution"_s, distribution}});
        const QJsonObject speedup = distribution.value(u"outcome"_s).toObject().value(u"speedup"_s).toObject();
        if (!speedup.isEmpty())
            speedups.emplace_back(point, speedup.value(u"median"_s).toDouble());
        if (!toStdout && !file)
            std::fprintf(stdout, "%s = %s: %s\n", qPrintable(o.sweepKey),
                         qPrintable(entry->info.schema.at(sweepIndex).valueText(point)), qPrintable(briefly(distribution)));
    }
    const std::vector<RunOutcome> all = runner.allOutcomes();
    interrupts.reset();

    QJsonObject result{{u"schema"_s, u"interleave.experiment/1"_s},
                       {u"scenario"_s, o.scenario},
                       {u"params"_s, entry->info.schema.valuesJson(o.values)},
                       {u"speed"_s, o.speed},
                       {u"repeat"_s, o.repeat},
                       {u"complete"_s, !stopped}};
    if (sweepIndex >= 0) {
        QJsonArray values;
        for (double v : o.sweepValues)
            values.append(entry->info.schema.at(sweepIndex).toJson(v));
        result.insert(u"sweep"_s, QJsonObject{{u"key"_s, o.sweepKey}, {u"values"_s, values}});
        result.insert(u"table"_s, table);
        // A sweep of a worker count against the speedup it gave: Amdahl's law fitted to the medians.
        if (const auto fit = fitAmdahl(speedups)) {
            QJsonArray ideal;
            for (const auto& [n, s] : speedups)
                ideal.append(QJsonObject{{u"workers"_s, n}, {u"ideal"_s, n}, {u"fitted"_s, round3(fit->predict(n))}});
            result.insert(u"fit"_s, QJsonObject{{u"model"_s, u"amdahl"_s},
                                                {u"of"_s, u"speedup (median of each value)"_s},
                                                {u"serial_fraction"_s, round3(fit->serialFraction)},
                                                {u"rms_error"_s, round3(fit->rmsError)},
                                                {u"points"_s, ideal}});
            if (!toStdout && !file)
                std::fprintf(stdout, "Amdahl's law: serial fraction %.3f (rms error %.3f)\n", fit->serialFraction,
                             fit->rmsError);
        }
    } else {
        QJsonArray runsJson;
        for (const RunOutcome& r : all)
            runsJson.append(r.toJson());
        result.insert(u"runs"_s, runsJson);
        result.insert(u"distribution"_s, distributionOf(all));
        if (!toStdout && !file)
            std::fprintf(stdout, "%d runs of %s: %s\n", int(all.size()), qPrintable(o.scenario),
                         qPrintable(briefly(distributionOf(all))));
    }
    const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Indented);
    if (toStdout)
        return writeStdout(json, "--summary-out") ? 0 : 1;
    if (file)
        return commitOutput(*file, json, "--summary-out", o.summaryOut) ? 0 : 1;
    return 0;
}

} // namespace interleave
