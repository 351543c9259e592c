// Chrome Trace Event import (DESIGN.md §7): the JSON that Chrome, Perfetto, catapult, Bazel,
// VizTracer and Interleave itself write, streamed with simdjson's on-demand parser into the plain
// data of a TraceStore. Interleave's own traces come back as threads with states, locks, queues
// and the run's outcome; other tools' traces as named, nested slices, instants, counters and flows.
#pragma once

#include "summary.h"
#include "tracestore.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

namespace interleave {

// What the importer kept, skipped and noticed: shown after an import and in the summary.
struct ImportReport
{
    QString file;
    QString format;    // "chrome-json", or "interleave.trace/1" for Interleave's own traces
    QString generator; // otherData.generator / a top-level hint when the file names its writer
    std::int64_t bytes = 0;
    std::int64_t events = 0; // trace events read
    std::int64_t kept = 0;   // of them, drawn or counted
    std::int64_t chunks = 0; // event-array chunks parsed one at a time (0: the whole document at once)
    bool streamed = false;   // the file was read a piece at a time, never whole in memory
    std::map<QString, std::int64_t> skipped; // why -> how many
    QStringList warnings;                    // file-level oddities (truncated, unclosed slices...)

    QJsonObject toJson() const;
    QString text() const; // a few lines for people
};

struct ImportedTrace
{
    TraceContents contents;
    RunDescription run; // the original run for Interleave's traces; a description otherwise
    bool ownFormat = false;
    ImportReport report;
};

struct ImportControl
{
    // Called now and then with bytes done and the total (from the importing thread).
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    // Called as the file is read into memory (bytes read, file size), before the parse.
    std::function<void(std::int64_t done, std::int64_t total)> reading;
    // Set from any thread to stop the import; it then fails with "cancelled".
    const std::atomic<bool>* cancel = nullptr;
    // Files from this size on have their event arrays parsed a chunk at a time (less memory: see
    // traceeventscanner.cpp); tests set it to compare with the whole-document parse.
    std::size_t chunkedFrom = std::size_t(16) << 20;
    std::size_t chunkBytes = std::size_t(8) << 20;
    // Files beyond this are refused with a message (the parser indexes with 32 bits).
    std::int64_t maxBytes = std::int64_t(3) << 30;
    // Other tools' traces get at most this many lanes: the threads (and processes' async lanes)
    // with the most events; the report says what was left out. Ten thousand lanes are already
    // 220,000 pixels of timeline and a 4 MB summary, and cost about 5 MB; a million cost 1 GB.
    std::size_t maxLanes = 10'000;
};

// Reads a trace file. On failure returns nullopt and sets *error to one line naming the problem
// (empty, binary, not JSON, not a trace, too large, cancelled...).
std::optional<ImportedTrace> importChromeTrace(const QString& path, QString* error,
                                               const ImportControl& control = {});
// The same from bytes in memory (tests, fuzzing).
std::optional<ImportedTrace> importChromeTraceData(std::string_view data, QString* error,
                                                   const ImportControl& control = {});

} // namespace interleave
