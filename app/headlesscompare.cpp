// --compare: each trace imported and summarised on its own, then compareRuns() on the two runs.
#include "headlesscompare.h"

#include "chromeimport.h"
#include "commandline.h"
#include "comparison.h"
#include "outputfile.h"
#include "summary.h"
#include "tracestore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Summarised
{
    RunDescription run;
    QJsonObject summary;
};

std::optional<Summarised> summarise(const QString& path)
{
    QString error;
    std::optional<ImportedTrace> imported = importChromeTrace(path, &error);
    if (!imported) {
        printErr(error);
        return std::nullopt;
    }
    if (!imported->ownFormat || imported->run.scenario.isEmpty()) {
        printErr(u"%1 is not a trace Interleave wrote of one of its lessons: --compare compares two runs of lessons "
            "(write them with --trace-out or File > Export Trace)"_s.arg(path));
        return std::nullopt;
    }
    TraceStore store;
    const RunDescription run = imported->run;
    store.adopt(std::move(imported->contents));
    return Summarised{run, buildSummary(store, run)};
}

} // namespace

int runHeadlessCompare(const Options& o)
{
    const bool toStdout = o.summaryOut == "-"_L1;
    std::unique_ptr<QFileDevice> file;
    if (!o.summaryOut.isEmpty() && !toStdout && !(file = openOutput(o.summaryOut, "--summary-out")))
        return 2;
    const auto a = summarise(o.compareA);
    if (!a)
        return 2;
    const auto b = summarise(o.compareB);
    if (!b)
        return 2;
    const RunComparison c = compareRuns(a->run, b->run, QFileInfo(o.compareA).fileName());
    if (!toStdout && !file) {
        std::fprintf(stdout, "%s\n", qPrintable(u"%1 against %2: %3"_s.arg(QFileInfo(o.compareB).fileName(),
                                                                         QFileInfo(o.compareA).fileName(), c.sentence)));
        return 0;
    }
    const QJsonObject result{{u"schema"_s, u"interleave.comparison/1"_s},
                             {u"a"_s, QJsonObject{{u"file"_s, o.compareA}, {u"summary"_s, a->summary}}},
                             {u"b"_s, QJsonObject{{u"file"_s, o.compareB}, {u"summary"_s, b->summary}}},
                             {u"differences"_s, c.toJson()}};
    const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Indented);
    const bool written = toStdout ? writeStdout(json, "--summary-out") : commitOutput(*file, json, "--summary-out", o.summaryOut);
    return written ? 0 : 1;
}

} // namespace interleave
