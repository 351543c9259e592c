// Headless mode: the same Runner, Collector and TraceStore as the window, driven by a
// QCoreApplication event loop; Ctrl+C stops the run cleanly and still writes the summary.
#include "headlessrun.h"

#include "chrometrace.h"
#include "collector.h"
#include "commandline.h"
#include "runner.h"
#include "summary.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

std::atomic<bool> g_interrupted{false};

void onSignal(int)
{
    g_interrupted.store(true);
}

void printErr(const QString& line)
{
    std::fprintf(stderr, "interleave: %s\n", line.toLocal8Bit().constData());
}

} // namespace

int runHeadless(const Options& options)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(options.scenario);
    if (!entry) {
        printErr(u"unknown scenario '%1'"_s.arg(options.scenario));
        return 2;
    }

    // Open the output first: a path we cannot write is bad input, found before any work.
    std::unique_ptr<QSaveFile> summaryFile;
    const bool summaryToStdout = options.summaryOut == "-"_L1;
    if (!options.summaryOut.isEmpty() && !summaryToStdout) {
        summaryFile = std::make_unique<QSaveFile>(options.summaryOut);
        if (!summaryFile->open(QIODevice::WriteOnly)) {
            printErr(u"cannot write --summary-out '%1': %2"_s.arg(options.summaryOut, summaryFile->errorString()));
            return 2;
        }
    }

    std::unique_ptr<QSaveFile> traceFile;
    if (!options.traceOut.isEmpty()) {
        traceFile = std::make_unique<QSaveFile>(options.traceOut);
        if (!traceFile->open(QIODevice::WriteOnly)) {
            printErr(u"cannot write --trace-out '%1': %2"_s.arg(options.traceOut, traceFile->errorString()));
            return 2;
        }
    }

    TraceStore store;
    Collector collector(&store);
    Runner runner;

    QString error;
    if (!runner.start(options.scenario, options.values, options.speed, &error)) {
        printErr(error);
        return 2;
    }
    collector.setSession(runner.session());
    collector.start(10);

    // Console lines appear as the threads print them, unless stdout carries the JSON.
    std::size_t printed = 0;
    auto flushConsole = [&] {
        if (summaryToStdout || !runner.context())
            return;
        const auto lines = runner.context()->console();
        for (; printed < lines.size(); ++printed)
            std::fprintf(stdout, "%s\n", lines[printed].text.toLocal8Bit().constData());
        std::fflush(stdout);
    };
    QObject::connect(&store, &TraceStore::appended, &runner, flushConsole);

    QTimer durationCap;
    durationCap.setSingleShot(true);
    QObject::connect(&durationCap, &QTimer::timeout, &runner, [&] { runner.stop(u"duration"_s); });
    durationCap.start(int(std::min(options.durationS * 1000.0, 2e9)));

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer signalPoll;
    QObject::connect(&signalPoll, &QTimer::timeout, &runner, [&] {
        if (g_interrupted.load())
            runner.stop(u"stopped"_s);
    });
    signalPoll.start(50);

    int exitCode = 0;
    QObject::connect(&runner, &Runner::finished, &runner, [&](const QString& ended) {
        collector.stop();
        collector.drain();
        flushConsole();
        RunDescription run;
        run.scenario = options.scenario;
        run.params = entry->info.schema.valuesJson(runner.paramValues());
        run.wallMs = runner.wallMs();
        run.ended = ended;
        run.outcome = runner.outcome();
        const QJsonObject summary = buildSummary(store, run);
        const QByteArray json = QJsonDocument(summary).toJson(QJsonDocument::Indented);
        if (summaryToStdout) {
            std::fwrite(json.constData(), 1, std::size_t(json.size()), stdout);
            std::fflush(stdout);
        } else if (summaryFile) {
            if (summaryFile->write(json) != json.size() || !summaryFile->commit()) {
                printErr(u"cannot write --summary-out '%1': %2"_s.arg(options.summaryOut, summaryFile->errorString()));
                exitCode = 1;
            }
        } else {
            const QByteArray outcome = QJsonDocument(run.outcome).toJson(QJsonDocument::Compact);
            std::fprintf(stdout, "%s ended: %s after %.1f ms; outcome %s\n", options.scenario.toUtf8().constData(),
                         ended.toUtf8().constData(), run.wallMs, outcome.constData());
        }
        if (traceFile) {
            ChromeTraceInfo info;
            info.processName = u"interleave: %1"_s.arg(options.scenario);
            info.scenario = options.scenario;
            if (!writeChromeTrace(store, info, *traceFile) || !traceFile->commit()) {
                printErr(u"cannot write --trace-out '%1': %2"_s.arg(options.traceOut, traceFile->errorString()));
                exitCode = 1;
            }
        }
        if (ended == "failed"_L1) {
            printErr(u"the run failed: %1"_s.arg(runner.failure()));
            exitCode = 1;
        }
        if (store.eventsDropped() > 0)
            printErr(u"%1 events were dropped (recording rings were full); the trace has gaps"_s.arg(
                store.eventsDropped()));
        QCoreApplication::exit(exitCode);
    });

    const int loopResult = QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    return loopResult;
}

} // namespace interleave
