// --compare: each trace imported and summarised on its own, then compareRuns() on the two runs.
#include "headlesscompare.h"

#include "chromeimport.h"
#include "commandline.h"
#include "comparison.h"
#include "summary.h"
#include "tracestore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

void say(const QString& line)
{
    std::fprintf(stderr, "interleave: %s\n", line.toLocal8Bit().constData());
}

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
        say(error);
        return std::nullopt;
    }
    if (!imported->ownFormat || imported->run.scenario.isEmpty()) {
        say(u"%1 is not a trace Interleave wrote of one of its lessons: --compare compares two runs of lessons "
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
    std::unique_ptr<QSaveFile> file;
    const bool toStdout = o.summaryOut == "-"_L1;
    if (!o.summaryOut.isEmpty() && !toStdout) {
        file = std::make_unique<QSaveFile>(o.summaryOut);
        if (!file->open(QIODevice::WriteOnly)) {
            say(u"cannot write --summary-out '%1': %2"_s.arg(o.summaryOut, file->errorString()));
            return 2;
        }
    }
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
    if (toStdout) {
        if (std::fwrite(json.constData(), 1, std::size_t(json.size()), stdout) != std::size_t(json.size())
            || std::fflush(stdout) != 0) {
            say(u"cannot write --summary-out to stdout"_s);
            return 1;
        }
        return 0;
    }
    if (file->write(json) != json.size() || !file->commit()) {
        say(u"cannot write --summary-out '%1': %2"_s.arg(o.summaryOut, file->errorString()));
        return 1;
    }
    return 0;
}

} // namespace interleave
