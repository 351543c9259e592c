// TraceEventScanner: one forward pass over the event arrays collects compact raw records (args stay
// unparsed slices of the buffer); large files are parsed a chunk at a time, in place.
#include "traceeventscanner.h"

#include "chrometrace.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cctype>
#include <cstring>

using namespace Qt::StringLiterals;
namespace od = simdjson::ondemand;

namespace interleave::traceimport {

namespace {

// A number written as a number or as a string of one ("123", as Bazel writes counters).
bool numberOf(od::value v, double* out)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    if (type == od::json_type::number) {
        double d = 0;
        if (v.get_double().get(d) || !std::isfinite(d))
            return false;
        *out = d;
        return true;
    }
    if (type == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        bool ok = false;
        *out = parseNumberText(s, &ok);
        return ok;
    }
    return false;
}

// Any scalar as text (ids and pids are numbers in some files and strings in others): a view of
// the parser's string buffer or of the input, valid while the event is read.
bool textOf(od::value v, std::string_view* out)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    if (type == od::json_type::string) {
        return !v.get_string().get(*out);
    }
    // An object or array (an id2 of {"local": ...}): its JSON text.
    auto rawText = [out](auto container) { return !container.raw_json().get(*out); };
    if (type == od::json_type::object) {
        od::object o;
        return !v.get_object().get(o) && rawText(o);
    }
    if (type == od::json_type::array) {
        od::array a;
        return !v.get_array().get(a) && rawText(a);
    }
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    *out = raw;
    return true;
}

// Where a JSON value that starts at `i` ends (one past it), strings and nesting skipped; npos when
// the text ends first or something other than a value starts there. Validation is simdjson's
// business; this only finds boundaries. Aligned: the outline of a large file runs it over every
// byte twice, and where its loop falls (it is the same code either way) moved bench_import by 10%.
[[gnu::aligned(64)]] std::size_t skipValue(std::string_view s, std::size_t i)
{
    if (i >= s.size())
        return std::string_view::npos;
    const char c = s[i];
    if (c == '"') {
        for (++i; i < s.size(); ++i) {
            if (s[i] == '\\')
                ++i;
            else if (s[i] == '"')
                return i + 1;
        }
        return std::string_view::npos;
    }
    if (c == '[' || c == '{') {
        int depth = 0;
        bool inString = false;
        for (; i < s.size(); ++i) {
            const char d = s[i];
            if (inString) {
                if (d == '\\')
                    ++i;
                else if (d == '"')
                    inString = false;
            } else if (d == '"') {
                inString = true;
            } else if (d == '[' || d == '{') {
                ++depth;
            } else if ((d == ']' || d == '}') && --depth == 0) {
                return i + 1;
            }
        }
        return std::string_view::npos;
    }
    // A scalar: up to the next delimiter.
    const std::size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != '}' && !std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return i > start ? i : std::string_view::npos;
}

bool invalidJson(simdjson::error_code code, QString* error)
{
    *error = u"not a valid JSON trace: %1"_s.arg(QString::fromLatin1(simdjson::error_message(code)));
    return false;
}

} // namespace

std::size_t skipSpace(std::string_view s, std::size_t i)
{
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return i;
}

std::size_t endOfFirstValue(std::string_view s)
{
    const std::size_t start = skipSpace(s, 0);
    if (start >= s.size() || (s[start] != '[' && s[start] != '{'))
        return std::string_view::npos;
    return skipValue(s, start);
}

TraceEventScanner::TraceEventScanner(const ImportControl& control, std::int64_t total, RawTrace& trace)
    : m_control(control)
    , m_total(total)
    , m_trace(trace)
{
}

// inline (as noteTime): called for every event and only here, so that the compiler may fold it into
// scanEvents as it does with functions of internal linkage (-fPIC assumes others can be replaced).
inline bool TraceEventScanner::scanEvent(od::object event, Raw* raw, QString* error)
{
    std::string_view pid;
    std::string_view tid;
    bool hasPid = false;
    bool hasTid = false;
    std::string_view scratch;
    Interner& strings = m_trace.strings;
    for (auto field : event) {
        std::string_view key;
        od::value v;
        if (field.unescaped_key().get(key) || field.value().get(v)) {
            *error = u"malformed event"_s;
            return false;
        }
        if (key.empty())
            continue;
        switch (key[0]) {
        case 'p':
            if (key == "ph") {
                std::string_view ph;
                if (!v.get_string().get(ph) && ph.size() == 1)
                    raw->ph = ph[0];
            } else if (key == "pid") {
                hasPid = textOf(v, &pid);
            }
            break;
        case 't':
            if (key == "ts")
                noteTime(v, &raw->ts, false);
            else if (key == "tid")
                hasTid = textOf(v, &tid);
            break;
        case 'd':
            if (key == "dur")
                noteTime(v, &raw->dur, true);
            break;
        case 'n':
            if (key == "name" && textOf(v, &scratch))
                raw->name = strings.intern(scratch);
            break;
        case 'c':
            if (key == "cat" && textOf(v, &scratch))
                raw->cat = strings.intern(scratch);
            break;
        case 'i':
            if ((key == "id" || key == "id2") && textOf(v, &scratch))
                raw->id = strings.intern(scratch);
            break;
        case 's':
            if (key == "s") {
                std::string_view s;
                if (!v.get_string().get(s) && s.size() == 1)
                    raw->scope = s[0];
            }
            break;
        case 'a':
            if (key == "args") {
                od::object a;
                std::string_view json;
                if (!v.get_object().get(a) && !a.raw_json().get(json))
                    raw->args = m_trace.addArgs(json);
            }
            break;
        case 'b':
            if (key == "bind_id" && textOf(v, &scratch))
                raw->bindId = strings.intern(scratch);
            break;
        case 'f':
            if (key == "flow_in" || key == "flow_out") {
                bool b = false;
                if (!v.get_bool().get(b))
                    (key == "flow_in" ? raw->flowIn : raw->flowOut) = b;
            }
            break;
        default:
            break;
        }
    }
    raw->process = m_trace.processIndex(hasPid ? pid : std::string_view());
    raw->thread = hasTid ? m_trace.threadIndex(raw->process, tid) : NoThread;
    return true;
}

bool TraceEventScanner::scanEvents(od::array events, const char* base, QString* error, std::int64_t baseOffset)
{
    ImportReport& report = m_trace.report;
    std::uint32_t& seq = m_nextSeq;
    for (auto element : events) {
        od::value v;
        if (element.get(v)) {
            *error = u"the event array is malformed after %1 events"_s.arg(report.events);
            return false;
        }
        ++report.events;
        od::object o;
        if (v.get_object().get(o)) {
            m_trace.skip(u"not an object"_s);
            continue;
        }
        Raw r;
        ++seq;
        QString eventError;
        if (!scanEvent(o, &r, &eventError)) {
            const char* at = nullptr;
            const std::int64_t offset = v.current_location().get(at) ? -1 : std::int64_t(at - base) + baseOffset;
            *error = u"%1 at byte %2 (event %3)"_s.arg(eventError).arg(offset).arg(report.events);
            return false;
        }
        m_trace.events.push_back(r);
        if ((seq & 0x1fff) == 0) {
            if (m_control.cancel && m_control.cancel->load(std::memory_order_relaxed)) {
                *error = u"cancelled"_s;
                return false;
            }
            const char* at = nullptr;
            if (m_control.progress && !v.current_location().get(at))
                m_control.progress(std::int64_t(at - base) + baseOffset, m_total);
        }
    }
    return true;
}

bool TraceEventScanner::scanOtherData(od::value v)
{
    std::string_view raw;
    od::object o;
    if (v.get_object().get(o) || o.raw_json().get(raw))
        return false;
    // Small: Qt's JSON is fine here.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size())));
    m_trace.other = doc.object();
    return true;
}

// Large files: the event arrays are parsed a chunk at a time, in place, so that simdjson's index
// of the structure (4 bytes per token, about three quarters of the file's size) covers one chunk,
// not the whole file. The comma (or bracket) before a chunk and the one after it are turned into
// '[' and ']' for the parse and put back after it; the events' argument views stay valid, as
// they point into the same buffer. The buffer is the importer's own (importPadded). Anything
// irregular in the outline (escaped keys, no closing bracket, stray text) leaves the file to the
// whole-document parse, which says what is wrong; *applicable is then false.
bool TraceEventScanner::scanChunked(simdjson::padded_string_view json, QString* error, bool* applicable)
{
    *applicable = false;
    const std::string_view s(json.data(), json.length());
    const std::optional<Outline> outline = outlineOf(s);
    if (!outline)
        return false;
    const std::optional<std::vector<Chunk>> chunks = chunksOf(s, outline->arrays);
    if (!chunks)
        return false;
    *applicable = true;

    char* const buffer = const_cast<char*>(json.data()); // ours: see importPadded
    const char* const capacityEnd = json.data() + json.length() + simdjson::SIMDJSON_PADDING;
    od::parser parser;
    for (const Span& o : outline->others) {
        od::document doc;
        od::value v;
        if (const auto code = parser.iterate(buffer + o.begin, o.end - o.begin, std::size_t(capacityEnd - (buffer + o.begin))).get(doc))
            return invalidJson(code, error);
        if (const auto code = doc.get_value().get(v))
            return invalidJson(code, error);
        scanOtherData(v);
    }
    m_traceEventArrays = int(outline->arrays.size());
    m_trace.report.chunks = std::int64_t(chunks->size());
    for (const Chunk& chunk : *chunks) {
        if (!scanChunk(parser, json, chunk, error))
            return false;
    }
    return true;
}

std::optional<TraceEventScanner::Outline> TraceEventScanner::outlineOf(std::string_view s)
{
    // The whole read validates every byte as UTF-8, also in the parts no chunk covers (keys it
    // skips): so does this one, with simdjson's SIMD check, before anything else.
    if (!simdjson::validate_utf8(s.data(), s.size()))
        return std::nullopt;
    const std::size_t root = skipSpace(s, 0);
    const std::size_t rootEnd = skipValue(s, root);
    if (rootEnd == std::string_view::npos || skipSpace(s, rootEnd) != s.size())
        return std::nullopt;
    if (s[root] == '[') {
        Outline outline;
        outline.arrays.push_back({root, rootEnd});
        return outline;
    }
    if (s[root] == '{')
        return outlineOfObject(s, root, rootEnd);
    return std::nullopt;
}

std::optional<TraceEventScanner::Outline> TraceEventScanner::outlineOfObject(std::string_view s, std::size_t root,
                                                                             std::size_t rootEnd)
{
    Outline outline;
    std::size_t i = skipSpace(s, root + 1);
    if (i < rootEnd && s[i] == '}')
        return std::nullopt; // an empty object: let the whole parse say so
    for (;;) {
        if (i >= rootEnd || s[i] != '"')
            return std::nullopt;
        const std::size_t keyEnd = skipValue(s, i);
        if (keyEnd == std::string_view::npos)
            return std::nullopt;
        const std::string_view key = s.substr(i + 1, keyEnd - i - 2);
        if (key.find('\\') != std::string_view::npos)
            return std::nullopt;
        i = skipSpace(s, keyEnd);
        if (i >= rootEnd || s[i] != ':')
            return std::nullopt;
        const std::size_t value = skipSpace(s, i + 1);
        const std::size_t valueEnd = skipValue(s, value);
        if (valueEnd == std::string_view::npos || valueEnd > rootEnd)
            return std::nullopt;
        if (key == "traceEvents") {
            if (s[value] != '[')
                return std::nullopt;
            outline.arrays.push_back({value, valueEnd});
        } else if (key == "otherData" || key == "metadata") {
            outline.others.push_back({value, valueEnd});
        }
        i = skipSpace(s, valueEnd);
        if (i < rootEnd && s[i] == ',') {
            i = skipSpace(s, i + 1);
            continue;
        }
        if (i == rootEnd - 1 && s[i] == '}')
            break;
        return std::nullopt;
    }
    if (outline.arrays.empty())
        return std::nullopt;
    return outline;
}

// The chunks of each array, found before anything is parsed: [open, close] where s[open] is the
// '[' or ',' before the chunk's first element and s[close] the ',' or ']' after its last.
std::optional<std::vector<TraceEventScanner::Chunk>> TraceEventScanner::chunksOf(std::string_view s,
                                                                                 const std::vector<Span>& arrays) const
{
    const std::size_t ChunkBytes = std::max<std::size_t>(1, m_control.chunkBytes);
    std::vector<Chunk> chunks;
    for (const Span& a : arrays) {
        std::size_t i = skipSpace(s, a.begin + 1);
        if (s[i] == ']') {
            chunks.emplace_back(a.begin, i); // an empty array: "[]" parses as one
            continue;
        }
        std::size_t open = a.begin;
        std::size_t chunkStart = i;
        while (i < a.end) {
            const std::size_t end = skipValue(s, i);
            if (end == std::string_view::npos)
                return std::nullopt;
            const std::size_t next = skipSpace(s, end);
            if (next >= a.end || (s[next] != ',' && s[next] != ']'))
                return std::nullopt;
            i = skipSpace(s, next + 1);
            if (s[next] == ']' || next - chunkStart >= ChunkBytes) {
                chunks.emplace_back(open, next);
                open = next;
                chunkStart = i;
                if (s[next] == ']')
                    break;
            }
        }
    }
    return chunks;
}

bool TraceEventScanner::scanChunk(od::parser& parser, simdjson::padded_string_view json, Chunk chunk, QString* error)
{
    const auto [open, close] = chunk;
    char* const buffer = const_cast<char*>(json.data()); // ours: see importPadded
    const char* const capacityEnd = json.data() + json.length() + simdjson::SIMDJSON_PADDING;
    const char before = buffer[open];
    const char after = buffer[close];
    buffer[open] = '[';
    buffer[close] = ']';
    od::document doc;
    od::array events;
    simdjson::error_code code =
        parser.iterate(buffer + open, close + 1 - open, std::size_t(capacityEnd - (buffer + open))).get(doc);
    if (!code)
        code = doc.get_array().get(events);
    const bool ok = !code && scanEvents(events, json.data(), error);
    buffer[open] = before;
    buffer[close] = after;
    if (code)
        return invalidJson(code, error);
    return ok;
}

bool TraceEventScanner::scan(simdjson::padded_string_view json, QString* error)
{
    if (json.length() >= m_control.chunkedFrom) {
        bool applicable = false;
        const bool ok = scanChunked(json, error, &applicable);
        if (applicable)
            return ok;
        // Not a plain outline (nothing was read yet): the whole-document parse below reads it,
        // or says what is wrong.
    }
    return scanWhole(json, error);
}

bool TraceEventScanner::scanWhole(simdjson::padded_string_view json, QString* error)
{
    od::parser parser;
    od::document doc;
    if (const auto code = parser.iterate(json).get(doc))
        return invalidJson(code, error);
    od::json_type type;
    if (const auto code = doc.type().get(type))
        return invalidJson(code, error);
    bool read = false;
    if (type == od::json_type::array) {
        od::array events;
        if (const auto code = doc.get_array().get(events))
            return invalidJson(code, error);
        read = scanEvents(events, json.data(), error);
    } else if (type == od::json_type::object) {
        od::object root;
        if (const auto code = doc.get_object().get(root))
            return invalidJson(code, error);
        read = scanRootObject(root, json.data(), error);
    } else {
        *error = u"not a trace: the file is a single JSON value, not an object or array of events"_s;
        return false;
    }
    if (!read)
        return false;
    noteTrailing(doc, json.data());
    return true;
}

bool TraceEventScanner::scanRootObject(od::object root, const char* base, QString* error)
{
    bool sawEvents = false;
    for (auto field : root) {
        std::string_view key;
        od::value v;
        if (const auto code = field.unescaped_key().get(key))
            return invalidJson(code, error);
        if (const auto code = field.value().get(v))
            return invalidJson(code, error);
        if (key == "traceEvents") {
            ++m_traceEventArrays;
            od::array events;
            if (v.get_array().get(events)) {
                *error = u"not a trace: \"traceEvents\" is not an array"_s;
                return false;
            }
            if (!scanEvents(events, base, error))
                return false;
            sawEvents = true;
        } else if (key == "otherData" || key == "metadata") {
            scanOtherData(v);
        }
    }
    if (!sawEvents) {
        *error = u"not a trace: the JSON object has no \"traceEvents\" array"_s;
        return false;
    }
    return true;
}

void TraceEventScanner::noteTrailing(od::document& doc, const char* base)
{
    // After the root value, the iterator is at the end of the input, or at whatever follows.
    const char* at = nullptr;
    if (!doc.current_location().get(at) && at)
        m_trailingAt = at - base;
}

inline void TraceEventScanner::noteTime(od::value v, std::int64_t* ns, bool duration)
{
    double value = 0;
    if (!numberOf(v, &value)) {
        if (++m_badTimes == 1) {
            std::string_view token = v.raw_json_token();
            while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
                token.remove_suffix(1);
            m_badTimeExample.assign(token.substr(0, 24));
        }
        return;
    }
    if (std::abs(value) * 1000.0 >= 9.2e18)
        ++m_clampedTimes;
    if (duration && value < 0)
        ++m_negativeDurations;
    *ns = toNs(value);
}

void TraceEventScanner::addReadingWarnings()
{
    QStringList& warnings = m_trace.report.warnings;
    if (m_clampedTimes > 0)
        warnings.append(u"%1 timestamps or durations were beyond what 64-bit nanoseconds hold (about ±292 "
                        "years): clamped to ±73 years, so the view spans far more than the events"_s.arg(
                            m_clampedTimes));
    if (m_negativeDurations > 0)
        warnings.append(u"%1 slices had a negative duration: drawn with zero length"_s.arg(m_negativeDurations));
    if (m_badTimes > 0)
        warnings.append(u"%1 timestamps or durations were not finite numbers (e.g. %2): those events are "
                        "skipped"_s.arg(m_badTimes).arg(QString::fromStdString(m_badTimeExample)));
    if (m_traceEventArrays > 1)
        warnings.append(u"the file has %1 \"traceEvents\" arrays: their events were read as one list"_s.arg(
            m_traceEventArrays));
    if (m_trailingAt >= 0)
        warnings.append(u"the file goes on after its JSON ends (at byte %1): a second document or stray text "
                        "there was not read"_s.arg(m_trailingAt));
}


TraceFileStream::TraceFileStream(QFile& file, std::int64_t fileSize, std::size_t pieceBytes)
    : m_file(file)
    , m_fileSize(fileSize)
    , m_pieceBytes(std::max<std::size_t>(pieceBytes, 4096))
{
    reserve(4 * m_pieceBytes);
}

void TraceFileStream::reserve(std::size_t capacity)
{
    if (capacity <= m_capacity)
        return;
    // Uninitialised (new, not make_unique): pages are touched only as they are read into.
    std::unique_ptr<char[]> bigger(new char[capacity + simdjson::SIMDJSON_PADDING]);
    if (m_size > 0)
        std::memcpy(bigger.get(), m_buffer.get(), m_size);
    std::memset(bigger.get() + capacity, 0, simdjson::SIMDJSON_PADDING);
    m_buffer = std::move(bigger);
    m_capacity = capacity;
}

bool TraceFileStream::more(bool again)
{
    const std::int64_t left = m_fileSize - m_read;
    if (m_end || left <= 0)
        return false;
    const std::size_t piece = again ? std::max(m_pieceBytes, m_size) : m_pieceBytes;
    const auto want = std::size_t(std::min<std::int64_t>(left, std::int64_t(piece)));
    if (m_capacity - m_size < want)
        reserve(std::max(m_size + want, 2 * m_capacity));
    const qint64 n = m_file.read(m_buffer.get() + m_size, qint64(want));
    if (n <= 0) {
        m_end = true;
        return false;
    }
    m_size += std::size_t(n);
    m_read += n;
    return true;
}

void TraceFileStream::drop(std::size_t n)
{
    n = std::min(n, m_size);
    std::memmove(m_buffer.get(), m_buffer.get() + n, m_size - n);
    m_size -= n;
    m_offset += std::int64_t(n);
}

bool TraceFileStream::readWhole()
{
    char extra = 0;
    return m_read == m_fileSize && m_file.read(&extra, 1) == 0;
}

namespace {

// skipValue and skipSpace over a stream's window, reading more while what they look for runs
// to its end. Positions are the window's; npos as skipValue's.
std::size_t streamValueEnd(TraceFileStream& in, std::size_t i)
{
    for (bool again = false;; again = true) {
        const std::size_t end = skipValue(std::string_view(in.data(), in.size()), i);
        // A scalar that reaches the window's end may go on in the next piece.
        if (end != std::string_view::npos && end < in.size())
            return end;
        if (!in.more(again))
            return end;
    }
}

std::size_t streamSpaceEnd(TraceFileStream& in, std::size_t i)
{
    for (bool again = false;; again = true) {
        const std::size_t end = skipSpace(std::string_view(in.data(), in.size()), i);
        if (end < in.size() || !in.more(again))
            return end;
    }
}

// The phases whose args the readers read: metadata and counters always, and for Interleave's own
// traces its states, hold begins and instants (owntracereader.cpp).
bool argsRead(char ph, bool ownFormat)
{
    return ph == 'M' || ph == 'C' || (ownFormat && (ph == 'X' || ph == 'b' || ph == 'i' || ph == 'I'));
}

bool ownArgs(char ph)
{
    return ph == 'X' || ph == 'b' || ph == 'i' || ph == 'I';
}

} // namespace

TraceEventScanner::Streamed TraceEventScanner::scanStream(TraceFileStream& in, QString* error)
{
    // Allocated once for the chunks to come (a chunk is chunkBytes and an event): a parser that
    // grows chunk by chunk would get fresh pages, and fault them in, every time.
    m_streamParser = std::make_unique<od::parser>();
    if (m_streamParser->allocate(2 * streamChunkBytes() + 4096))
        return Streamed::Declined;
    const std::size_t root = streamSpaceEnd(in, 0);
    if (root >= in.size() || (in.data()[root] != '{' && in.data()[root] != '['))
        return Streamed::Declined;
    bool read = false;
    if (in.data()[root] == '[') {
        std::size_t after = 0;
        m_traceEventArrays = 1;
        read = streamArray(in, root, &after, error);
        if (read) {
            const std::size_t end = streamSpaceEnd(in, after);
            read = end == in.size();
        }
    } else {
        read = streamRoot(in, root, error);
    }
    if (m_streamFailed)
        return Streamed::Failed;
    // All of it checked as UTF-8 (as the whole-buffer import does before anything), all of it read
    // and no more there; an own trace whose header came after args it would have used: declined.
    if (!read || !dropConsumed(in, in.size()) || !in.readWhole() || (m_ownFormat && m_droppedOwnArgs))
        return Streamed::Declined;
    m_streamParser.reset();
    return Streamed::Done;
}

// The root object: its keys, in order, as outlineOfObject reads them.
bool TraceEventScanner::streamRoot(TraceFileStream& in, std::size_t root, QString* error)
{
    std::size_t i = streamSpaceEnd(in, root + 1);
    if (i >= in.size() || in.data()[i] == '}')
        return false;
    for (;;) {
        if (i >= in.size() || in.data()[i] != '"')
            return false;
        const std::size_t keyEnd = streamValueEnd(in, i);
        if (keyEnd == std::string_view::npos)
            return false;
        const std::string key(in.data() + i + 1, keyEnd - i - 2); // a copy: the window may move
        if (key.find('\\') != std::string::npos)
            return false;
        i = streamSpaceEnd(in, keyEnd);
        if (i >= in.size() || in.data()[i] != ':')
            return false;
        const std::size_t value = streamSpaceEnd(in, i + 1);
        if (value >= in.size())
            return false;
        if (key == "traceEvents") {
            if (in.data()[value] != '[')
                return false;
            ++m_traceEventArrays;
            if (!streamArray(in, value, &i, error))
                return false;
        } else {
            i = streamValueEnd(in, value);
            if (i == std::string_view::npos)
                return false;
            if ((key == "otherData" || key == "metadata") && !streamOther(in, value, i))
                return false;
        }
        i = streamSpaceEnd(in, i);
        if (i < in.size() && in.data()[i] == ',') {
            i = streamSpaceEnd(in, i + 1);
            continue;
        }
        if (i < in.size() && in.data()[i] == '}')
            break;
        return false;
    }
    // Only white space after the root, and at least one event array.
    return streamSpaceEnd(in, i + 1) == in.size() && m_traceEventArrays > 0;
}

// An event array from its '[' at `open`: chunks of elements (as chunksOf cuts them), each parsed
// and then dropped from the window. *after: one past its ']', in the window as it is then.
bool TraceEventScanner::streamArray(TraceFileStream& in, std::size_t open, std::size_t* after, QString* error)
{
    const std::size_t ChunkBytes = streamChunkBytes();
    std::size_t i = streamSpaceEnd(in, open + 1);
    if (i >= in.size())
        return false;
    if (in.data()[i] == ']') {
        *after = i + 1;
        return streamChunk(in, open, i, error); // "[]" parses as one
    }
    std::size_t chunkStart = i;
    for (;;) {
        const std::size_t end = streamValueEnd(in, i);
        if (end == std::string_view::npos)
            return false;
        const std::size_t next = streamSpaceEnd(in, end);
        if (next >= in.size() || (in.data()[next] != ',' && in.data()[next] != ']'))
            return false;
        const bool last = in.data()[next] == ']';
        if (!last && next - chunkStart < ChunkBytes) {
            i = streamSpaceEnd(in, next + 1);
            continue;
        }
        if (!streamChunk(in, open, next, error))
            return false;
        if (last) {
            *after = next + 1;
            return true;
        }
        // The ',' after the chunk opens the next one.
        if (!dropConsumed(in, next))
            return false;
        open = 0;
        i = chunkStart = streamSpaceEnd(in, 1);
    }
}

bool TraceEventScanner::dropConsumed(TraceFileStream& in, std::size_t n)
{
    // Cut at a delimiter or at the end, never inside a character.
    if (n > m_utf8Checked && !simdjson::validate_utf8(in.data() + m_utf8Checked, n - m_utf8Checked))
        return false;
    in.drop(n);
    m_utf8Checked = m_utf8Checked > n ? m_utf8Checked - n : 0;
    return true;
}

// One chunk, [open, close] in the window, as scanChunk parses it; the args the readers will use
// are copied out of the window (the rest of them are never read).
bool TraceEventScanner::streamChunk(TraceFileStream& in, std::size_t open, std::size_t close, QString* error)
{
    if (m_control.cancel && m_control.cancel->load(std::memory_order_relaxed)) {
        *error = u"cancelled"_s;
        m_streamFailed = true;
        return false;
    }
    if (m_control.reading)
        m_control.reading(in.bytesRead(), m_total);
    const std::size_t before = m_trace.events.size();
    reserveEvents(in, before);
    char* const buffer = in.data();
    const char saveOpen = buffer[open];
    const char saveClose = buffer[close];
    buffer[open] = '[';
    buffer[close] = ']';
    od::document doc;
    od::array events;
    simdjson::error_code code = m_streamParser->iterate(buffer + open, close + 1 - open,
                                                        std::size_t(in.capacityEnd() - (buffer + open)))
                                    .get(doc);
    if (!code)
        code = doc.get_array().get(events);
    QString chunkError;
    const bool ok = !code && scanEvents(events, buffer, &chunkError, in.offset());
    buffer[open] = saveOpen;
    buffer[close] = saveClose;
    if (!ok) {
        if (chunkError == "cancelled"_L1) {
            *error = chunkError;
            m_streamFailed = true;
        }
        return false; // declined: the whole-buffer import says what is wrong, and where
    }
    keepArgsFrom(before);
    ++m_trace.report.chunks;
    return true;
}

void TraceEventScanner::keepArgsFrom(std::size_t firstEvent)
{
    m_trace.keepArgs(firstEvent, [this](char ph) {
        if (argsRead(ph, m_ownFormat))
            return true;
        m_droppedOwnArgs = m_droppedOwnArgs || ownArgs(ph);
        return false;
    });
}

// The event vector grows to what the file's size promises at the rate read so far (a tenth more),
// not by doubling: a doubling at 2 GB of records would briefly need 6.
void TraceEventScanner::reserveEvents(const TraceFileStream& in, std::size_t eventsBefore)
{
    std::vector<Raw>& events = m_trace.events;
    const auto done = std::max<std::int64_t>(1, in.offset());
    const std::size_t headroom = std::max<std::size_t>(eventsBefore / 4, 4096);
    if (events.capacity() - eventsBefore >= headroom)
        return;
    const double perByte = eventsBefore > 0 ? double(eventsBefore) / double(done) : 1.0 / 64.0;
    const auto projected = std::size_t(perByte * double(std::max<std::int64_t>(m_total, done)) * 1.1);
    events.reserve(std::max(projected, eventsBefore + 2 * headroom));
    adviseHugePages(events.data(), events.capacity() * sizeof(Raw));
}

bool TraceEventScanner::streamOther(TraceFileStream& in, std::size_t begin, std::size_t end)
{
    if (in.data()[begin] != '{')
        return false;
    od::document doc;
    od::value v;
    char* const at = in.data() + begin;
    if (m_streamParser->iterate(at, end - begin, std::size_t(in.capacityEnd() - at)).get(doc) || doc.get_value().get(v))
        return false;
    scanOtherData(v);
    m_ownFormat = m_trace.other.value(u"format"_s).toString() == QString::fromLatin1(InterleaveTraceFormat);
    return true;
}

} // namespace interleave::traceimport
