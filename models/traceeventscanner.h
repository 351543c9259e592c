// TraceEventScanner: the JSON front of the trace import, a forward pass over the event arrays with
// simdjson's on-demand parser (whole, or a chunk at a time for large files) into a RawTrace.
#pragma once

#include "rawtrace.h"

#include <simdjson.h>

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

class QFile;

namespace interleave::traceimport {

// A window over a file read a piece at a time: its bytes [offset(), offset() + size()) in a
// buffer of ours with simdjson's padding after them. What was consumed is dropped from the front,
// so the file never sits in memory whole (its pages are the kernel's page cache, not ours).
class TraceFileStream
{
public:
    TraceFileStream(QFile& file, std::int64_t fileSize, std::size_t pieceBytes);
    char* data() { return m_buffer.get(); }
    std::size_t size() const { return m_size; }
    std::int64_t offset() const { return m_offset; }
    // Where the buffer (and its padding) ends: for the parser's capacity.
    const char* capacityEnd() const { return m_buffer.get() + m_capacity + simdjson::SIMDJSON_PADDING; }
    std::int64_t bytesRead() const { return m_read; }
    // Reads more after the window: a piece, or (again: a value still does not fit) as much as the
    // window holds, so that a huge one costs a few passes, not one per piece. False at the file's
    // end (its size at the start: a file that grows is not read further) or when reading fails.
    bool more(bool again = false);
    // The first n bytes of the window are consumed: the rest moves to the front.
    void drop(std::size_t n);
    // True when the file has exactly the size it had at the start and all of it was read.
    bool readWhole();

private:
    void reserve(std::size_t capacity);

    QFile& m_file;
    const std::int64_t m_fileSize;
    const std::size_t m_pieceBytes;
    std::unique_ptr<char[]> m_buffer;
    std::size_t m_capacity = 0;
    std::size_t m_size = 0;
    std::int64_t m_offset = 0;
    std::int64_t m_read = 0;
    bool m_end = false; // a read returned nothing or failed
};

class TraceEventScanner
{
public:
    // total: the file's size, for progress.
    TraceEventScanner(const ImportControl& control, std::int64_t total, RawTrace& trace);

    // Reads the events into the trace; false with *error set to one line when the JSON is not a
    // trace (or the import was cancelled: *error is then "cancelled").
    bool scan(simdjson::padded_string_view json, QString* error);
    // The same from a file read a piece at a time (files from ImportControl::chunkedFrom on),
    // chunk by chunk, each dropped once parsed: args the readers use are copied out of it first.
    // Streamed: done. Failed: *error is set (only "cancelled"). Declined: the file is not plain
    // enough for this (anything the whole-buffer import would say more about, or read otherwise:
    // malformed, truncated, stray text, a byte order mark, a file that changes meanwhile...); the
    // caller discards what was read and imports the file the other way, which says why.
    enum class Streamed { Done, Failed, Declined };
    Streamed scanStream(TraceFileStream& in, QString* error);
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
    bool scanEvents(simdjson::ondemand::array events, const char* base, QString* error, std::int64_t baseOffset = 0);
    // scanStream's steps: false = declined (or failed, with m_streamFailed set).
    bool streamRoot(TraceFileStream& in, std::size_t root, QString* error);
    bool streamArray(TraceFileStream& in, std::size_t open, std::size_t* after, QString* error);
    bool streamChunk(TraceFileStream& in, std::size_t open, std::size_t close, QString* error);
    bool streamOther(TraceFileStream& in, std::size_t begin, std::size_t end);
    void keepArgsFrom(std::size_t firstEvent);
    void reserveEvents(const TraceFileStream& in, std::size_t eventsBefore);
    // Streamed chunks are smaller than the in-memory ones: the parser's index of one stays in cache.
    std::size_t streamChunkBytes() const { return std::clamp<std::size_t>(m_control.chunkBytes, 1, std::size_t(1) << 20); }
    bool dropConsumed(TraceFileStream& in, std::size_t n);
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
    // Streaming: the parser (its buffers reused chunk after chunk), how far the file was checked
    // as UTF-8, whether the trace says it is Interleave's own (whose readers use more args), and
    // whether args such a trace would use were dropped before it said so.
    std::unique_ptr<simdjson::ondemand::parser> m_streamParser;
    std::size_t m_utf8Checked = 0;
    bool m_ownFormat = false;
    bool m_droppedOwnArgs = false;
    bool m_streamFailed = false;
};

// The first index from i on that is not white space (s.size() when there is none).
std::size_t skipSpace(std::string_view s, std::size_t i);
// Where the first JSON value of the text ends (after its closing bracket), strings skipped; npos
// when it never closes. For saying "stray text after the JSON" instead of "ended early".
std::size_t endOfFirstValue(std::string_view s);

} // namespace interleave::traceimport
