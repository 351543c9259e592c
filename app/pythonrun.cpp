// Headless --python: the same Run as the window, on a QCoreApplication event loop; Ctrl+C stops
// the program (and every process it started) and still writes what was recorded.
#include "pythonrun.h"

#include "chrometrace.h"
#include "commandline.h"
#include "interrupts.h"
#include "outputfile.h"
#include "pythonprogram.h"
#include "run.h"
#include "summary.h"
#include "tracestore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace interleave {

PythonProgramSpec pythonSpecFrom(const Options& options)
{
    PythonProgramSpec spec;
    spec.script = options.python;
    spec.args = options.pythonArgs;
    spec.calls = options.pythonCalls;
    return spec;
}

int runHeadlessPython(const Options& options)
{
    const PythonProgramSpec spec = pythonSpecFrom(options);
    QString error;
    if (!checkPythonProgram(spec, &error)) {
        printErr(error);
        return 2;
    }
    const bool summaryToStdout = options.summaryOut == "-"_L1;
    std::unique_ptr<QFileDevice> summaryFile;
    std::unique_ptr<QFileDevice> traceFile;
    if (!options.summaryOut.isEmpty() && !summaryToStdout
        && !(summaryFile = openOutput(options.summaryOut, "--summary-out")))
        return 2;
    if (!options.traceOut.isEmpty() && !(traceFile = openOutput(options.traceOut, "--trace-out")))
        return 2;
    if (options.csvOut.size() > 0) {
        printErr(u"--csv-out is for lessons; with --python write --summary-out or --trace-out"_s);
        return 2;
    }

    Run run;
    if (!run.startProgram(PythonProgram::entry(spec), u"MainThread"_s, &error, 10)) {
        printErr(error);
        return 2;
    }
    const TraceStore& store = *run.store();
    // The program's output, line by line as the store takes it in; on stderr when stdout carries
    // the summary.
    std::size_t printed = 0;
    auto printConsole = [&] {
        FILE* out = summaryToStdout ? stderr : stdout;
        for (const std::size_t count = run.printedCount(); printed < count; ++printed)
            std::fprintf(out, "%s\n", run.printed(printed).toLocal8Bit().constData());
        std::fflush(out);
    };
    QObject::connect(&store, &TraceStore::appended, &run, printConsole);

    QTimer durationCap;
    durationCap.setSingleShot(true);
    QObject::connect(&durationCap, &QTimer::timeout, &run, [&] { run.stop(u"duration"_s); });
    durationCap.start(int(std::min(options.durationS * 1000.0, 2e9)));

    std::optional<InterruptGuard> interrupts(std::in_place);
    QTimer signalPoll;
    QObject::connect(&signalPoll, &QTimer::timeout, &run, [&] {
        if (InterruptGuard::requested())
            run.stop(u"stopped"_s);
    });
    signalPoll.start(50);

    int exitCode = 0;
    QObject::connect(&run, &Run::finished, &run, [&](const QString& ended) {
        printConsole();
        const RunDescription description = run.description();
        const QJsonValue status = description.outcome.value(u"exit_status"_s);
        std::fprintf(stderr, "interleave: %s (%s after %.1f ms)\n",
                     description.outcome.value(u"script"_s).toString().toLocal8Bit().constData(),
                     ended == "failed"_L1 ? "failed"
                         : status.isNull() ? ended.toUtf8().constData()
                         : status.toInt() >= 0 ? qPrintable(u"exited with status %1"_s.arg(status.toInt()))
                                               : qPrintable(u"killed by signal %1"_s.arg(-status.toInt())),
                     description.wallMs);
        if (summaryToStdout) {
            if (!writeStdout(summaryJsonText(store, description), "--summary-out"))
                exitCode = 1;
        } else if (summaryFile
                   && !commitOutput(*summaryFile, summaryJsonText(store, description), "--summary-out",
                                    options.summaryOut)) {
            exitCode = 1;
        }
        if (traceFile) {
            ChromeTraceInfo info;
            info.processName = u"python3 %1"_s.arg(QFileInfo(spec.script).fileName());
            info.run = description;
            if (!writeChromeTrace(store, info, *traceFile) || !finishOutput(*traceFile)) {
                printErr(u"cannot write --trace-out '%1': %2"_s.arg(options.traceOut, traceFile->errorString()));
                exitCode = 1;
            }
        }
        if (ended == "failed"_L1) {
            printErr(u"the program could not be traced: %1"_s.arg(run.failure()));
            exitCode = 1;
        } else if (status.isNull() || status.toInt() != 0) {
            exitCode = 1; // the program failed, or was stopped: its trace up to there is written
        }
        if (store.eventsDropped() > 0)
            printErr(u"%1 events were dropped (recording rings were full); the trace has gaps"_s.arg(
                store.eventsDropped()));
        QCoreApplication::exit(exitCode);
    });

    const int loopResult = QCoreApplication::exec();
    interrupts.reset();
    return loopResult;
}

} // namespace interleave
