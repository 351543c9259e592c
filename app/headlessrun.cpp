// Headless mode: the same Run as the window, driven by a QCoreApplication event loop; Ctrl+C
// stops the run cleanly and still writes the summary.
#include "headlessrun.h"

#include "runner.h"

#include "chromeimport.h"
#include "chrometrace.h"
#include "csvexport.h"
#include "interrupts.h"
#include "outputfile.h"
#include "commandline.h"
#include "questions.h"
#include "run.h"
#include "scenario.h"
#include "sessionfile.h"
#include "summary.h"
#include "tracestore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStringList>
#include <QTimer>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// The output files, opened before any work: a path we cannot write is bad input, found at once.
struct Outputs
{
    std::unique_ptr<QFileDevice> summary; // a QSaveFile, or a QFile for devices and pipes
    std::unique_ptr<QFileDevice> trace;
    std::unique_ptr<QFileDevice> csv;
    bool summaryToStdout = false;
    bool csvToStdout = false;

    bool open(const Options& options)
    {
        auto openOne = [](const QString& path, const char* option, std::unique_ptr<QFileDevice>& file) {
            file = openOutput(path, option);
            return file != nullptr;
        };
        summaryToStdout = options.summaryOut == "-"_L1;
        csvToStdout = options.csvOut == "-"_L1;
        if (summaryToStdout && csvToStdout) {
            printErr(u"--summary-out - and --csv-out - would both write to stdout; give one of them a file"_s);
            return false;
        }
        if (!options.summaryOut.isEmpty() && !summaryToStdout && !openOne(options.summaryOut, "--summary-out", summary))
            return false;
        if (!options.traceOut.isEmpty() && !openOne(options.traceOut, "--trace-out", trace))
            return false;
        if (!options.csvOut.isEmpty() && !csvToStdout && !openOne(options.csvOut, "--csv-out", csv))
            return false;
        return true;
    }

    // Writes summary, trace and CSV; false (after saying why) when one could not be written.
    // `extra` goes into the summary's top level (an import's "source").
    bool write(const Options& options, const TraceStore& store, const RunDescription& run, const QJsonObject& extra,
               const QString& processName)
    {
        bool ok = true;
        auto commit = [&](QFileDevice& file, const QByteArray& bytes, const char* option, const QString& path) {
            ok = commitOutput(file, bytes, option, path) && ok;
        };
        auto toStdout = [&](const QByteArray& bytes, const char* option) { ok = writeStdout(bytes, option) && ok; };
        if (summaryToStdout || this->summary) {
            // Made a thread at a time: a million threads must not be a million objects at once.
            const QByteArray json = summaryJsonText(store, run, extra);
            if (summaryToStdout)
                toStdout(json, "--summary-out");
            else
                commit(*this->summary, json, "--summary-out", options.summaryOut);
        }
        if (trace) {
            ChromeTraceInfo info;
            info.processName = processName;
            info.run = run;
            if (!writeChromeTrace(store, info, *trace) || !finishOutput(*trace)) {
                printErr(u"cannot write --trace-out '%1': %2"_s.arg(options.traceOut, trace->errorString()));
                ok = false;
            }
        }
        if (csvToStdout || csv) {
            QJsonObject summary = buildSummary(store, run);
            for (auto it = extra.begin(); it != extra.end(); ++it)
                summary.insert(it.key(), it.value());
            const QByteArray table = summaryToCsv(summary);
            if (csvToStdout) {
                toStdout(table, "--csv-out");
            } else {
                commit(*csv, table, "--csv-out", options.csvOut);
            }
        }
        return ok;
    }
};

// --headless --open FILE: import a trace and write what a run would have written.
int runHeadlessOpen(const Options& options)
{
    Outputs outputs;
    if (!outputs.open(options))
        return 2;
    QString error;
    std::optional<ImportedTrace> imported = importChromeTrace(options.open, &error);
    if (!imported) {
        printErr(error);
        return 2;
    }
    TraceStore store;
    const RunDescription run = imported->run;
    const ImportReport report = imported->report;
    store.adopt(std::move(imported->contents));
    // The summary is made only when something is written from it (Outputs::write).
    QJsonObject extra;
    if (!imported->ownFormat)
        extra.insert(u"source"_s, report.toJson());
    const bool ok = outputs.write(options, store, run, extra,
                                  run.scenario.isEmpty() ? report.file : u"interleave: %1"_s.arg(run.scenario));
    if (!outputs.summaryToStdout && !outputs.csvToStdout && !outputs.summary && !outputs.csv) {
        std::fprintf(stdout, "%s: %s\n", report.file.toLocal8Bit().constData(),
                     report.text().replace(u'\n', u"; "_s).toLocal8Bit().constData());
    }
    return ok ? 0 : 1;
}

// --question N: the question as it is asked, before the run, for a reader of the console.
void printQuestion(const Question& q, const Options& options)
{
    QString text = u"Question %1 of %2: %3\n"_s.arg(QString::number(q.number), q.lesson, q.text);
    for (std::size_t i = 0; i < q.choices.size(); ++i)
        text += u"  %1) %2\n"_s.arg(QString::number(i + 1), q.choices[i].label);
    if (q.guessNumber())
        text += u"  (a number: %1)\n"_s.arg(q.answeredBy);
    QStringList predicted;
    for (int p : options.predicted)
        predicted << q.choices[std::size_t(p)].label;
    if (options.guess)
        predicted << formatAnswerNumber(*options.guess);
    if (!predicted.isEmpty())
        text += u"Predicted: %1\n"_s.arg(predicted.join(u", "_s));
    std::fprintf(stdout, "%s", text.toLocal8Bit().constData());
    std::fflush(stdout);
}

} // namespace

int runHeadless(const Options& given)
{
    Options options = given;
    if (!options.open.isEmpty()) {
        if (QFileInfo(options.open).suffix().compare("interleave"_L1, Qt::CaseInsensitive) != 0)
            return runHeadlessOpen(options);
        // A session: run its lesson with its settings and speed, as the window would.
        QString error;
        const std::optional<Session> session = readSessionFile(options.open, &error);
        if (!session) {
            printErr(error);
            return 2;
        }
        options.scenario = session->scenario;
        options.values = session->values;
        options.speed = session->speed;
        options.open.clear();
    }
    if (!ScenarioRegistry::instance().find(options.scenario)) {
        printErr(u"unknown scenario '%1'"_s.arg(options.scenario));
        return 2;
    }

    // A question was checked when the command line was read; it is read again for its words.
    std::optional<Question> question;
    if (options.question > 0) {
        QString error;
        const std::vector<Question> questions = questionsOf(options.scenario, &error);
        if (options.question > int(questions.size())) {
            printErr(error.isEmpty() ? u"%1 has no question %2"_s.arg(options.scenario).arg(options.question) : error);
            return 2;
        }
        question = questions[std::size_t(options.question - 1)];
    }

    Outputs outputs;
    if (!outputs.open(options))
        return 2;
    const bool summaryToStdout = outputs.summaryToStdout || outputs.csvToStdout;
    if (question && !summaryToStdout)
        printQuestion(*question, options);

    Run run; // ends at a detected deadlock: nobody is there to look at the stuck threads
    if (options.schedule || options.seed) {
        SchedulePolicy policy;
        policy.manual = false;
        policy.schedule = options.schedule.value_or(std::vector<std::uint32_t>{});
        policy.seed = options.seed;
        run.setStepMode(true, policy);
    }
    QString error;
    if (!run.start(options.scenario, options.values, options.speed, &error, 10)) {
        printErr(error);
        return 2;
    }
    const TraceStore& store = *run.store();

    // Console lines appear as the threads print them, unless stdout carries the JSON: every line,
    // in the order printed, also one whose event a full ring kept off the timeline.
    std::size_t printed = 0;
    auto printConsole = [&] {
        if (summaryToStdout)
            return;
        for (const std::size_t count = run.printedCount(); printed < count; ++printed)
            std::fprintf(stdout, "%s\n", run.printed(printed).toLocal8Bit().constData());
        std::fflush(stdout);
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
        if (!summaryToStdout && !outputs.summary) {
            const QByteArray outcome = QJsonDocument(description.outcome).toJson(QJsonDocument::Compact);
            std::fprintf(stdout, "%s ended: %s after %.1f ms; outcome %s\n", options.scenario.toUtf8().constData(),
                         ended.toUtf8().constData(), description.wallMs, outcome.constData());
        }
        QJsonObject extra;
        if (question) {
            const QJsonObject answered = answerSummary(description.outcome, description.wallMs, ended);
            const QJsonObject prediction = predictionJson(*question, options.predicted, options.guess, answered);
            extra.insert(u"prediction"_s, prediction);
            if (!summaryToStdout) {
                std::fprintf(stdout, "%s\n", prediction.value(u"reveal"_s).toString().toLocal8Bit().constData());
                if (prediction.contains(u"correct"_s))
                    std::fprintf(stdout, "%s\n", prediction.value(u"correct"_s).toBool() ? "Right." : "Not this time.");
            }
        }
        if (!outputs.write(options, store, description, extra, u"interleave: %1"_s.arg(options.scenario)))
            exitCode = 1;
        if (const QString scheduleError = run.runner()->scheduleError(); !scheduleError.isEmpty()) {
            printErr(u"--schedule: %1"_s.arg(scheduleError));
            exitCode = 2;
        }
        if (ended == "failed"_L1) {
            printErr(u"the run failed: %1"_s.arg(run.failure()));
            exitCode = 1;
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
