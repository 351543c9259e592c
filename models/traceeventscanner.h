// TraceEventScanner: the JSON front of the trace import, a forward pass over the event arrays with
// simdjson's on-demand parser (whole, or a chunk at a time for large files) into a RawTrace.
#pragma once

#include "rawtrace.h"

#include <simdjson.h>

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace interleave::traceimport {

class TraceEventScanner
{
public:
    // total: the file's size, for progress.
    TraceEventScanner(const ImportControl& control, std::int64_t total, RawTrace& trace);

    // Reads the events into the trace; false with *error set to one line when the JSON is not a
    // trace (or the import was cancelled: *error is then "cancelled").
    bool scan(simdjson::padded_string_view json, QString* error);
    // What reading changed or dropped (clamped or bad times, extra arrays, trailing text), said in
    // the report's warnings (never silently).
    void addReadingWarnings();

private:
    struct Span
    {
        std::size_t begin, end; // [begin, end), brackets included
    };
    // The root, its event arrays and its otherData / metadata values.
    struct Outline
    {
        std::vector<Span> arrays;
        std::vector<Span> others;
    };
    using Chunk = std::pair<std::size_t, std::size_t>; // [open, close]: see chunksOf

    bool scanWhole(simdjson::padded_string_view json, QString* error);
    bool scanRootObject(simdjson::ondemand::object root, const char* base, QString* error);
    bool scanChunked(simdjson::padded_string_view json, QString* error, bool* applicable);
    static std::optional<Outline> outlineOf(std::string_view s);
    static std::optional<Outline> outlineOfObject(std::string_view s, std::size_t root, std::size_t rootEnd);
    std::optional<std::vector<Chunk>> chunksOf(std::string_view s, const std::vector<Span>& arrays) const;
    bool scanChunk(simdjson::ondemand::parser& parser, simdjson::padded_string_view json, Chunk chunk,
                   QString* error);
    bool scanEvents(simdjson::ondemand::array events, const char* base, QString* error);
    bool scanEvent(simdjson::ondemand::object event, Raw* raw, QString* error);
    bool scanOtherData(simdjson::ondemand::value v);
    void noteTime(simdjson::ondemand::value v, std::int64_t* ns, bool duration);
    void noteTrailing(simdjson::ondemand::document& doc, const char* base);

    const ImportControl& m_control;
    const std::int64_t m_total;
    RawTrace& m_trace;

    std::int64_t m_clampedTimes = 0;      // ts / dur beyond what nanoseconds in 64 bits hold
    std::int64_t m_negativeDurations = 0; // drawn with zero length
    std::int64_t m_badTimes = 0;          // ts / dur that are not finite numbers (NaN, 1e400, "x")
    std::string m_badTimeExample;
    int m_traceEventArrays = 0;
    std::int64_t m_trailingAt = -1;       // a second document or stray text after the JSON
    std::uint32_t m_nextSeq = 0;          // file order, across chunks and arrays
};

// The first index from i on that is not white space (s.size() when there is none).
std::size_t skipSpace(std::string_view s, std::size_t i);
// Where the first JSON value of the text ends (after its closing bracket), strings skipped; npos
// when it never closes. For saying "stray text after the JSON" instead of "ended early".
std::size_t endOfFirstValue(std::string_view s);

} // namespace interleave::traceimport
