// libFuzzer target: the Chrome Trace Event importer. A trace it accepts must also go through
// everything an import feeds (the store, the summary, the export), and the export of anything it
// draws must import again.
#include "chromeimport.h"
#include "chrometrace.h"
#include "fuzzcheck.h"
#include "summary.h"
#include "tracestore.h"

#include <QBuffer>

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace interleave;
using interleave::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QString error;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::optional<ImportedTrace> imported = importChromeTraceData(input, &error);

    // Large files have their event arrays read a chunk at a time, in place: with tiny chunks,
    // that read must accept what the whole-document read accepts, and see the same, for every
    // valid JSON document. (In broken JSON the whole read's lazy skipping may stop early where a
    // chunk boundary resynchronises: both are best effort there.)
    simdjson::dom::parser validator;
    const simdjson::padded_string padded(input);
    if (!validator.parse(padded).error()) {
        ImportControl chunked;
        chunked.chunkedFrom = 0;
        chunked.chunkBytes = 16;
        QString chunkedError;
        std::optional<ImportedTrace> inChunks = importChromeTraceData(input, &chunkedError, chunked);
        check(inChunks.has_value() == imported.has_value(), "the chunked read accepts what the whole read accepts",
              imported ? chunkedError : error);
        if (imported && inChunks) {
            check(inChunks->report.events == imported->report.events && inChunks->report.kept == imported->report.kept
                      && inChunks->report.skipped == imported->report.skipped
                      && inChunks->report.warnings == imported->report.warnings,
                  "the chunked read sees the same events");
        }
    }

    if (!imported) {
        check(!error.isEmpty(), "a refused trace must say why");
        return 0;
    }
    check(imported->report.kept <= imported->report.events, "kept more events than were read");

    TraceStore store;
    const RunDescription run = imported->run;
    store.adopt(std::move(imported->contents));
    const QJsonObject summary = buildSummary(store, run);
    check(!summary.isEmpty(), "an imported trace has a summary");

    // The export must open again when it has something to draw. (A trace of Interleave's own
    // format with thread names and nothing else imports as empty lanes; as another tool's trace,
    // which its export then is, that is refused with "none of the events could be shown".)
    bool drawn = false;
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        drawn = drawn || !store.lane(i).intervals.empty() || !store.lane(i).slices.empty();

    QBuffer out;
    out.open(QIODevice::WriteOnly);
    ChromeTraceInfo info;
    info.run = run;
    check(writeChromeTrace(store, info, out), "exporting to memory cannot fail");
    QString againError;
    const QByteArray& bytes = out.data();
    const auto again = importChromeTraceData(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                                             &againError);
    check(again.has_value() || !drawn, "what Interleave exports it must import again", againError);
    return 0;
}
