// importChromeTrace: one forward pass over the event array with simdjson's on-demand parser
// collects compact raw records (args stay unparsed slices of the buffer), then a build step turns
// them into lanes, slices, markers, counters and flows. Nothing like a DOM of the file is built.
#include "chromeimport.h"

#include "machineload.h"
#include "sessionfile.h"

#include "chrometrace.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>

using namespace Qt::StringLiterals;
namespace od = simdjson::ondemand;

namespace interleave {

QJsonObject ImportReport::toJson() const
{
    QJsonObject skippedJson;
    for (const auto& [why, count] : skipped)
        skippedJson.insert(why, qint64(count));
    QJsonObject o{{u"file"_s, file},
                  {u"format"_s, format},
                  {u"bytes"_s, qint64(bytes)},
                  {u"events"_s, qint64(events)},
                  {u"kept"_s, qint64(kept)},
                  {u"skipped"_s, skippedJson},
                  {u"warnings"_s, QJsonArray::fromStringList(warnings)}};
    if (!generator.isEmpty())
        o.insert(u"generator"_s, generator);
    return o;
}

QString ImportReport::text() const
{
    QString s = u"%1 of %2 events kept"_s.arg(kept).arg(events);
    for (const auto& [why, count] : skipped)
        s += u"\nskipped %1: %2"_s.arg(count).arg(why);
    for (const QString& w : warnings)
        s += u"\n"_s + w;
    return s;
}

namespace {

constexpr std::int64_t NoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::uint32_t NoId = 0;

// Strings seen in the file (names, categories, ids), each stored once; id 0 is "".
class Interner
{
public:
    Interner() { m_strings.emplace_back(); }
    std::uint32_t intern(std::string_view s)
    {
        if (s.empty())
            return 0;
        const auto it = m_ids.find(s);
        if (it != m_ids.end())
            return it->second;
        const auto id = std::uint32_t(m_strings.size());
        m_strings.emplace_back(s);
        m_ids.emplace(m_strings.back(), id);
        return id;
    }
    const std::string& str(std::uint32_t id) const { return m_strings[id]; }
    std::size_t size() const { return m_strings.size(); }

private:
    std::deque<std::string> m_strings; // stable addresses for the views in m_ids
    std::unordered_map<std::string_view, std::uint32_t> m_ids;
};

// One trace event as read, before anything is matched or sorted.
struct Raw
{
    std::int64_t ts = NoTime;  // ns
    std::int64_t dur = NoTime; // ns
    std::string_view args;     // the args object's JSON, parsed only when needed
    std::uint32_t seq = 0;     // file order
    std::uint32_t process = 0; // index into Parser::m_processes
    std::uint32_t thread = 0;  // index into Parser::m_threads; NoThread when the event has no tid
    std::uint32_t name = 0;
    std::uint32_t cat = 0;
    std::uint32_t id = 0;      // interned id / id2 / bind_id text
    std::uint32_t bindId = 0;
    char ph = 0;
    char scope = 0;            // instants: 't', 'p', 'g'
    bool flowIn = false;
    bool flowOut = false;
};
constexpr std::uint32_t NoThread = std::numeric_limits<std::uint32_t>::max();

struct ProcessInfo
{
    std::string key; // pid as written
    std::string name;
    double sortIndex = 0;
    bool hasSort = false;
    std::uint32_t seq = 0; // first appearance
};

struct ThreadInfo
{
    std::uint32_t process = 0;
    std::string key; // tid as written
    std::string name;
    std::string kind; // Interleave's own traces: thread / pool / process / main
    double sortIndex = 0;
    bool hasSort = false;
    std::uint32_t seq = 0;
};

// A top-level scalar of an args object.
struct Arg
{
    std::string key;
    std::string text;
    double number = 0;
    bool isNumber = false;
    bool isString = false;
};

double parseNumberText(std::string_view s, bool* ok)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '+'))
        s.remove_prefix(1);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    *ok = ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(v);
    return v;
}

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

// Any scalar as text (ids and pids are numbers in some files and strings in others).
bool textOf(od::value v, std::string* out)
{
    od::json_type type;
    if (v.type().get(type))
        return false;
    if (type == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        out->assign(s);
        return true;
    }
    // An object or array (an id2 of {"local": ...}): its JSON text.
    auto rawText = [out](auto container) {
        std::string_view raw;
        if (container.raw_json().get(raw))
            return false;
        out->assign(raw);
        return true;
    };
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
    out->assign(raw);
    return true;
}

std::int64_t toNs(double us)
{
    const double ns = us * 1000.0;
    if (ns >= 9.2e18)
        return std::numeric_limits<std::int64_t>::max() / 4;
    if (ns <= -9.2e18)
        return -(std::numeric_limits<std::int64_t>::max() / 4);
    return std::llround(ns);
}

// A number from the file for an integer field. Converting a double outside the integer's range is
// undefined behaviour, so it is clamped (and NaN becomes 0).
template<typename Int>
Int clampToInt(double v)
{
    if (std::isnan(v))
        return 0;
    if (v <= double(std::numeric_limits<Int>::min()))
        return std::numeric_limits<Int>::min();
    if (v >= double(std::numeric_limits<Int>::max()))
        return std::numeric_limits<Int>::max();
    return Int(v);
}

// Cuts a file that ends inside the event array (a trace written by a process that died) after its
// last complete event and closes the brackets still open there. nullopt when there is no such
// place. *dropped = bytes left out.
struct Repair
{
    std::size_t cut = 0;  // the file is kept up to here
    std::string closers;  // then these close the brackets still open
};

std::optional<Repair> repairTruncated(std::string_view data)
{
    std::string stack;
    std::string stackAtCut;
    std::size_t cut = std::string::npos;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '{':
        case '[':
            stack.push_back(c);
            break;
        case '}':
        case ']':
            if (stack.empty())
                return std::nullopt;
            stack.pop_back();
            // A complete element of an array: a place where the file can end cleanly.
            if (c == '}' && !stack.empty() && stack.back() == '[') {
                cut = i + 1;
                stackAtCut = stack;
            }
            break;
        default:
            break;
        }
    }
    if (cut == std::string::npos || (stack.empty() && !inString))
        return std::nullopt;
    Repair r;
    r.cut = cut;
    for (auto it = stackAtCut.rbegin(); it != stackAtCut.rend(); ++it)
        r.closers.push_back(*it == '[' ? ']' : '}');
    return r;
}

class Parser
{
public:
    Parser(const ImportControl& control, std::int64_t total)
        : m_control(control)
        , m_total(total)
    {
    }

    bool parse(simdjson::padded_string_view json, QString* error);
    std::optional<ImportedTrace> build(QString* error);

    ImportReport report;

private:
    bool parseEvents(od::array events, const char* base, QString* error);
    bool parseEvent(od::object event, Raw* raw, QString* error);
    bool parseOtherData(od::value v);
    std::uint32_t processIndex(const std::string& key);
    std::uint32_t threadIndex(std::uint32_t process, const std::string& key);
    std::vector<Arg> args(std::string_view json);
    const Arg* arg(const std::vector<Arg>& all, std::string_view key) const;
    void skip(const QString& why, std::int64_t n = 1) { report.skipped[why] += n; }
    void meta(const Raw& r);

    void buildOwn(ImportedTrace& out);
    void buildForeign(ImportedTrace& out);
    std::uint32_t text(ImportedTrace& out, std::uint32_t internId);

    const ImportControl& m_control;
    const std::int64_t m_total;
    const char* m_end = nullptr; // of the padded buffer, for parsing args in place
    od::parser m_argsParser;
    Interner m_strings;
    std::vector<Raw> m_events;
    std::vector<ProcessInfo> m_processes;
    std::vector<ThreadInfo> m_threads;
    std::unordered_map<std::string, std::uint32_t> m_processByKey;
    std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> m_threadByKey;
    std::unordered_map<std::uint32_t, std::uint32_t> m_textIds; // intern id -> store text id

    // What reading changed or dropped, said in the report's warnings (never silently).
    std::int64_t m_clampedTimes = 0;      // ts / dur beyond what nanoseconds in 64 bits hold
    std::int64_t m_negativeDurations = 0; // drawn with zero length
    std::int64_t m_badTimes = 0;          // ts / dur that are not finite numbers (NaN, 1e400, "x")
    std::string m_badTimeExample;
    int m_traceEventArrays = 0;
    std::int64_t m_trailingAt = -1;       // a second document or stray text after the JSON
    std::uint32_t m_nextSeq = 0;
    bool parseChunked(simdjson::padded_string_view json, QString* error, bool* applicable);
    void noteTime(od::value v, double* out, std::int64_t* ns, bool duration);
    void noteTrailing(od::document& doc, const char* base);
    void addReadingWarnings();

    // otherData of Interleave's own traces.
    QJsonObject m_other;
};

std::uint32_t Parser::processIndex(const std::string& key)
{
    const auto it = m_processByKey.find(key);
    if (it != m_processByKey.end())
        return it->second;
    const auto index = std::uint32_t(m_processes.size());
    ProcessInfo p;
    p.key = key;
    p.seq = index;
    m_processes.push_back(std::move(p));
    m_processByKey.emplace(key, index);
    return index;
}

std::uint32_t Parser::threadIndex(std::uint32_t process, const std::string& key)
{
    const auto k = std::make_pair(process, key);
    const auto it = m_threadByKey.find(k);
    if (it != m_threadByKey.end())
        return it->second;
    const auto index = std::uint32_t(m_threads.size());
    ThreadInfo t;
    t.process = process;
    t.key = key;
    t.seq = index;
    m_threads.push_back(std::move(t));
    m_threadByKey.emplace(k, index);
    return index;
}

std::vector<Arg> Parser::args(std::string_view json)
{
    std::vector<Arg> out;
    if (json.empty())
        return out;
    // The view lies inside the padded file buffer, so the padding after it is there.
    od::document doc;
    if (m_argsParser.iterate(json.data(), json.size(), std::size_t(m_end - json.data())).get(doc))
        return out;
    od::object o;
    if (doc.get_object().get(o))
        return out;
    for (auto field : o) {
        std::string_view key;
        od::value v;
        if (field.unescaped_key().get(key) || field.value().get(v))
            break;
        Arg a;
        a.key.assign(key);
        od::json_type type;
        if (v.type().get(type))
            break;
        if (type == od::json_type::number) {
            a.isNumber = !v.get_double().get(a.number) && std::isfinite(a.number);
        } else if (type == od::json_type::string) {
            std::string_view s;
            if (v.get_string().get(s))
                break;
            a.text.assign(s);
            a.isString = true;
            bool ok = false;
            a.number = parseNumberText(s, &ok);
            a.isNumber = ok;
        } else if (type == od::json_type::boolean) {
            bool b = false;
            a.isNumber = !v.get_bool().get(b);
            a.number = b ? 1 : 0;
        } else {
            continue; // nested objects and arrays are not charted
        }
        out.push_back(std::move(a));
    }
    return out;
}

const Arg* Parser::arg(const std::vector<Arg>& all, std::string_view key) const
{
    for (const Arg& a : all) {
        if (a.key == key)
            return &a;
    }
    return nullptr;
}

bool Parser::parseOtherData(od::value v)
{
    std::string_view raw;
    od::object o;
    if (v.get_object().get(o) || o.raw_json().get(raw))
        return false;
    // Small: Qt's JSON is fine here.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(raw.data(), qsizetype(raw.size())));
    m_other = doc.object();
    return true;
}

bool Parser::parseEvent(od::object event, Raw* raw, QString* error)
{
    std::string pid;
    std::string tid;
    bool hasPid = false;
    bool hasTid = false;
    std::string scratch;
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
            if (key == "ts") {
                double ts = 0;
                noteTime(v, &ts, &raw->ts, false);
            } else if (key == "tid") {
                hasTid = textOf(v, &tid);
            }
            break;
        case 'd':
            if (key == "dur") {
                double d = 0;
                noteTime(v, &d, &raw->dur, true);
            }
            break;
        case 'n':
            if (key == "name" && textOf(v, &scratch))
                raw->name = m_strings.intern(scratch);
            break;
        case 'c':
            if (key == "cat" && textOf(v, &scratch))
                raw->cat = m_strings.intern(scratch);
            break;
        case 'i':
            if ((key == "id" || key == "id2") && textOf(v, &scratch))
                raw->id = m_strings.intern(scratch);
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
                    raw->args = json;
            }
            break;
        case 'b':
            if (key == "bind_id" && textOf(v, &scratch))
                raw->bindId = m_strings.intern(scratch);
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
    raw->process = processIndex(hasPid ? pid : std::string());
    raw->thread = hasTid ? threadIndex(raw->process, tid) : NoThread;
    return true;
}

bool Parser::parseEvents(od::array events, const char* base, QString* error)
{
    std::uint32_t& seq = m_nextSeq; // file order, across chunks and arrays
    for (auto element : events) {
        od::value v;
        if (element.get(v)) {
            *error = u"the event array is malformed after %1 events"_s.arg(report.events);
            return false;
        }
        ++report.events;
        od::object o;
        if (v.get_object().get(o)) {
            skip(u"not an object"_s);
            continue;
        }
        Raw r;
        r.seq = seq++;
        QString eventError;
        if (!parseEvent(o, &r, &eventError)) {
            const char* at = nullptr;
            const std::int64_t offset = v.current_location().get(at) ? -1 : std::int64_t(at - base);
            *error = u"%1 at byte %2 (event %3)"_s.arg(eventError).arg(offset).arg(report.events);
            return false;
        }
        m_events.push_back(r);
        if ((seq & 0x1fff) == 0) {
            if (m_control.cancel && m_control.cancel->load(std::memory_order_relaxed)) {
                *error = u"cancelled"_s;
                return false;
            }
            const char* at = nullptr;
            if (m_control.progress && !v.current_location().get(at))
                m_control.progress(std::int64_t(at - base), m_total);
        }
    }
    return true;
}

// Where a JSON value that starts at `i` ends (one past it), strings and nesting skipped; npos when
// the text ends first or something other than a value starts there. Validation is simdjson's
// business; this only finds boundaries.
std::size_t skipValue(std::string_view s, std::size_t i)
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

std::size_t skipSpace(std::string_view s, std::size_t i)
{
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
        ++i;
    return i;
}

// Large files: the event arrays are parsed a chunk at a time, in place, so that simdjson's index
// of the structure (4 bytes per token, about three quarters of the file's size) covers one chunk,
// not the whole file. The comma (or bracket) before a chunk and the one after it are turned into
// '[' and ']' for the parse and put back after it; the events' argument views stay valid, as
// they point into the same buffer. The buffer is the importer's own (importPadded). Anything
// irregular in the outline (escaped keys, no closing bracket, stray text) leaves the file to the
// whole-document parse, which says what is wrong; *applicable is then false.
bool Parser::parseChunked(simdjson::padded_string_view json, QString* error, bool* applicable)
{
    const std::size_t ChunkBytes = std::max<std::size_t>(1, m_control.chunkBytes);
    *applicable = false;
    const std::string_view s(json.data(), json.length());
    char* const buffer = const_cast<char*>(json.data()); // ours: see importPadded
    const char* const capacityEnd = json.data() + json.length() + simdjson::SIMDJSON_PADDING;

    // The outline: the root, its event arrays and its otherData / metadata values.
    struct Span
    {
        std::size_t begin, end; // [begin, end), brackets included
    };
    std::vector<Span> arrays;
    std::vector<Span> others;
    // The whole read validates every byte as UTF-8, also in the parts no chunk covers (keys it
    // skips): so does this one, with simdjson's SIMD check, before anything else.
    if (!simdjson::validate_utf8(s.data(), s.size()))
        return false;
    const std::size_t root = skipSpace(s, 0);
    const std::size_t rootEnd = skipValue(s, root);
    if (rootEnd == std::string_view::npos || skipSpace(s, rootEnd) != s.size())
        return false;
    if (s[root] == '[') {
        arrays.push_back({root, rootEnd});
    } else if (s[root] == '{') {
        std::size_t i = skipSpace(s, root + 1);
        if (i < rootEnd && s[i] == '}')
            return false; // an empty object: let the whole parse say so
        for (;;) {
            if (i >= rootEnd || s[i] != '"')
                return false;
            const std::size_t keyEnd = skipValue(s, i);
            if (keyEnd == std::string_view::npos)
                return false;
            const std::string_view key = s.substr(i + 1, keyEnd - i - 2);
            if (key.find('\\') != std::string_view::npos)
                return false;
            i = skipSpace(s, keyEnd);
            if (i >= rootEnd || s[i] != ':')
                return false;
            const std::size_t value = skipSpace(s, i + 1);
            const std::size_t valueEnd = skipValue(s, value);
            if (valueEnd == std::string_view::npos || valueEnd > rootEnd)
                return false;
            if (key == "traceEvents") {
                if (s[value] != '[')
                    return false;
                arrays.push_back({value, valueEnd});
            } else if (key == "otherData" || key == "metadata") {
                others.push_back({value, valueEnd});
            }
            i = skipSpace(s, valueEnd);
            if (i < rootEnd && s[i] == ',') {
                i = skipSpace(s, i + 1);
                continue;
            }
            if (i == rootEnd - 1 && s[i] == '}')
                break;
            return false;
        }
        if (arrays.empty())
            return false;
    } else {
        return false;
    }
    // The chunks of each array, found before anything is parsed: [open, close] where s[open] is
    // the '[' or ',' before the chunk's first element and s[close] the ',' or ']' after its last.
    std::vector<std::pair<std::size_t, std::size_t>> chunks;
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
                return false;
            const std::size_t next = skipSpace(s, end);
            if (next >= a.end || (s[next] != ',' && s[next] != ']'))
                return false;
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
    *applicable = true;

    od::parser parser;
    auto failed = [error](simdjson::error_code code) { return invalidJson(code, error); };
    for (const Span& o : others) {
        od::document doc;
        od::value v;
        if (const auto code = parser.iterate(buffer + o.begin, o.end - o.begin, std::size_t(capacityEnd - (buffer + o.begin))).get(doc))
            return failed(code);
        if (const auto code = doc.get_value().get(v))
            return failed(code);
        parseOtherData(v);
    }
    m_traceEventArrays = int(arrays.size());
    report.chunks = std::int64_t(chunks.size());
    for (const auto& [open, close] : chunks) {
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
        const bool ok = !code && parseEvents(events, json.data(), error);
        buffer[open] = before;
        buffer[close] = after;
        if (code)
            return failed(code);
        if (!ok)
            return false;
    }
    return true;
}

bool Parser::parse(simdjson::padded_string_view json, QString* error)
{
    m_end = json.data() + json.length() + simdjson::SIMDJSON_PADDING;
    if (json.length() >= m_control.chunkedFrom) {
        bool applicable = false;
        const bool ok = parseChunked(json, error, &applicable);
        if (applicable)
            return ok;
        // Not a plain outline (nothing was read yet): the whole-document parse below reads it,
        // or says what is wrong.
    }
    od::parser parser;
    od::document doc;
    auto failed = [error](simdjson::error_code code) { return invalidJson(code, error); };
    if (const auto code = parser.iterate(json).get(doc))
        return failed(code);
    od::json_type type;
    if (const auto code = doc.type().get(type))
        return failed(code);
    if (type == od::json_type::array) {
        od::array events;
        if (const auto code = doc.get_array().get(events))
            return failed(code);
        if (!parseEvents(events, json.data(), error))
            return false;
        noteTrailing(doc, json.data());
        return true;
    }
    if (type != od::json_type::object) {
        *error = u"not a trace: the file is a single JSON value, not an object or array of events"_s;
        return false;
    }
    od::object root;
    if (const auto code = doc.get_object().get(root))
        return failed(code);
    bool sawEvents = false;
    for (auto field : root) {
        std::string_view key;
        od::value v;
        if (const auto code = field.unescaped_key().get(key))
            return failed(code);
        if (const auto code = field.value().get(v))
            return failed(code);
        if (key == "traceEvents") {
            ++m_traceEventArrays;
            od::array events;
            if (v.get_array().get(events)) {
                *error = u"not a trace: \"traceEvents\" is not an array"_s;
                return false;
            }
            if (!parseEvents(events, json.data(), error))
                return false;
            sawEvents = true;
        } else if (key == "otherData" || key == "metadata") {
            parseOtherData(v);
        }
    }
    if (!sawEvents) {
        *error = u"not a trace: the JSON object has no \"traceEvents\" array"_s;
        return false;
    }
    noteTrailing(doc, json.data());
    return true;
}

void Parser::noteTrailing(od::document& doc, const char* base)
{
    // After the root value, the iterator is at the end of the input, or at whatever follows.
    const char* at = nullptr;
    if (!doc.current_location().get(at) && at)
        m_trailingAt = at - base;
}

void Parser::noteTime(od::value v, double* out, std::int64_t* ns, bool duration)
{
    if (!numberOf(v, out)) {
        if (++m_badTimes == 1) {
            std::string_view token = v.raw_json_token();
            while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
                token.remove_suffix(1);
            m_badTimeExample.assign(token.substr(0, 24));
        }
        return;
    }
    if (std::abs(*out) * 1000.0 >= 9.2e18)
        ++m_clampedTimes;
    if (duration && *out < 0)
        ++m_negativeDurations;
    *ns = toNs(*out);
}

void Parser::addReadingWarnings()
{
    if (m_clampedTimes > 0)
        report.warnings.append(u"%1 timestamps or durations were beyond what 64-bit nanoseconds hold (about ±292 "
                               "years): clamped to ±73 years, so the view spans far more than the events"_s.arg(
                                   m_clampedTimes));
    if (m_negativeDurations > 0)
        report.warnings.append(u"%1 slices had a negative duration: drawn with zero length"_s.arg(m_negativeDurations));
    if (m_badTimes > 0)
        report.warnings.append(u"%1 timestamps or durations were not finite numbers (e.g. %2): those events are "
                               "skipped"_s.arg(m_badTimes).arg(QString::fromStdString(m_badTimeExample)));
    if (m_traceEventArrays > 1)
        report.warnings.append(u"the file has %1 \"traceEvents\" arrays: their events were read as one list"_s.arg(
            m_traceEventArrays));
    if (m_trailingAt >= 0)
        report.warnings.append(u"the file goes on after its JSON ends (at byte %1): a second document or stray text "
                               "there was not read"_s.arg(m_trailingAt));
}

std::uint32_t Parser::text(ImportedTrace& out, std::uint32_t internId)
{
    if (internId == 0)
        return 0;
    const auto it = m_textIds.find(internId);
    if (it != m_textIds.end())
        return it->second;
    const auto id = std::uint32_t(out.contents.texts.size());
    out.contents.texts.push_back(QString::fromUtf8(m_strings.str(internId)));
    m_textIds.emplace(internId, id);
    return id;
}

// Thread and process names and order, from M events.
void Parser::meta(const Raw& r)
{
    const std::string& what = m_strings.str(r.name);
    const std::vector<Arg> a = args(r.args);
    const Arg* name = arg(a, "name");
    const Arg* sort = arg(a, "sort_index");
    ProcessInfo& p = m_processes[r.process];
    if (what == "process_name" && name && name->isString) {
        p.name = name->text;
    } else if (what == "thread_name" && name && name->isString && r.thread != NoThread) {
        m_threads[r.thread].name = name->text;
        if (const Arg* kind = arg(a, "kind"); kind && kind->isString)
            m_threads[r.thread].kind = kind->text;
    } else if (what == "process_sort_index" && sort && sort->isNumber) {
        p.sortIndex = sort->number;
        p.hasSort = true;
    } else if (what == "thread_sort_index" && sort && sort->isNumber && r.thread != NoThread) {
        m_threads[r.thread].sortIndex = sort->number;
        m_threads[r.thread].hasSort = true;
    } else {
        skip(u"M: other metadata (%1)"_s.arg(QString::fromStdString(what)));
        return;
    }
    ++report.kept;
}

// --- Interleave's own traces -------------------------------------------------------------------

void Parser::buildOwn(ImportedTrace& out)
{
    TraceContents& c = out.contents;
    out.ownFormat = true;
    out.run.scenario = m_other.value(u"scenario"_s).toString();
    out.run.params = m_other.value(u"params"_s).toObject();
    out.run.wallMs = m_other.value(u"wall_ms"_s).toDouble();
    out.run.ended = m_other.value(u"ended"_s).toString();
    out.run.outcome = m_other.value(u"outcome"_s).toObject();
    if (const auto machine = MachineLoad::fromJson(m_other.value(u"machine"_s).toObject()))
        out.run.machine = machine->toJson();
    const QJsonObject events = m_other.value(u"events"_s).toObject();
    c.events = std::uint64_t(std::max<qint64>(0, events.value(u"recorded"_s).toInteger()));
    c.dropped = std::uint64_t(std::max<qint64>(0, events.value(u"dropped"_s).toInteger()));
    c.endTime = std::max<qint64>(0, m_other.value(u"end_ns"_s).toInteger());

    // Objects as declared; ids in declaration order.
    std::map<std::string, std::uint32_t> objectByName;
    for (const QJsonValue v : m_other.value(u"objects"_s).toArray()) {
        const QJsonObject o = v.toObject();
        ObjectData d;
        d.id = std::uint32_t(c.objects.size() + 1);
        d.name = o.value(u"name"_s).toString();
        const QString kind = o.value(u"kind"_s).toString();
        d.kind = kind == "queue"_L1 ? ObjectKind::Queue
            : kind == "gil"_L1      ? ObjectKind::Gil
            : kind == "counter"_L1  ? ObjectKind::Counter
                                    : ObjectKind::Lock;
        d.capacity = o.value(u"capacity"_s).toInteger();
        objectByName.emplace(d.name.toStdString(), d.id);
        c.objects.push_back(std::move(d));
    }
    auto objectNamed = [&](const std::string& name) -> ObjectData* {
        const auto it = objectByName.find(name);
        return it == objectByName.end() ? nullptr : &c.objects[it->second - 1];
    };

    // Lanes: tid n is lane n - 1.
    for (const Raw& r : m_events) {
        if (r.ph == 'M')
            meta(r);
    }
    // Interleave numbers its lanes from 1 (tid n is lane n - 1). Lanes are made for the tids the
    // file has, in tid order, and for nothing in between: a hand-edited tid 65536 is one lane,
    // not 65,536 empty ones.
    std::map<std::int64_t, std::uint32_t> laneOfTid;
    std::vector<std::uint32_t> laneOfThread(m_threads.size(), NoThread);
    {
        std::vector<std::pair<std::int64_t, std::uint32_t>> tids; // (tid, thread)
        for (std::uint32_t t = 0; t < m_threads.size(); ++t) {
            bool ok = false;
            const double tid = parseNumberText(m_threads[t].key, &ok);
            if (ok && tid >= 1 && tid <= double(std::numeric_limits<std::int32_t>::max()) && tid == std::floor(tid))
                tids.emplace_back(std::int64_t(tid), t);
        }
        std::sort(tids.begin(), tids.end());
        for (const auto& [tid, thread] : tids) {
            auto [it, fresh] = laneOfTid.emplace(tid, std::uint32_t(c.lanes.size()));
            if (fresh) {
                LaneData lane;
                lane.id = it->second;
                lane.name = u"lane-%1"_s.arg(tid - 1);
                c.lanes.push_back(std::move(lane));
            }
            laneOfThread[thread] = it->second;
        }
    }
    auto laneOf = [&](std::uint32_t thread) -> LaneData* {
        if (thread == NoThread || laneOfThread[thread] == NoThread)
            return nullptr;
        return &c.lanes[laneOfThread[thread]];
    };
    for (std::uint32_t t = 0; t < m_threads.size(); ++t) {
        LaneData* lane = laneOf(t);
        if (!lane)
            continue;
        if (!m_threads[t].name.empty())
            lane->name = QString::fromStdString(m_threads[t].name);
        const std::string& kind = m_threads[t].kind;
        lane->kind = kind == "pool" ? LaneKind::Pool
            : kind == "process"     ? LaneKind::Process
            : kind == "main"        ? LaneKind::Main
                                    : LaneKind::Thread;
    }
    // The kernel's figures per lane, for lanes that exist (a hand-edited tid adds none).
    for (const QJsonValue v : m_other.value(u"kernel_ns"_s).toArray()) {
        const QJsonArray k = v.toArray();
        const auto lane_ = laneOfTid.find(k.at(0).toInteger(0));
        if (k.size() < 3 || lane_ == laneOfTid.end())
            continue;
        LaneData& lane = c.lanes[lane_->second];
        const qint64 running = k.at(1).toInteger(-1);
        const qint64 ready = k.at(2).toInteger(-1);
        lane.kernelRunningNs = running >= 0 ? running : -1;
        lane.kernelReadyNs = running >= 0 && ready >= 0 ? ready : -1;
    }

    std::map<std::string, ThreadState> stateByLabel;
    for (int s = 0; s < ThreadStateCount; ++s)
        stateByLabel.emplace(stateLabel(ThreadState(s)), ThreadState(s));

    // Lock holds: b and e share an id.
    struct OpenB
    {
        std::int64_t start;
        std::int64_t waitNs;
        bool open;
    };
    std::unordered_map<std::uint32_t, OpenB> holdsOpen;

    for (const Raw& r : m_events) {
        const std::string& name = m_strings.str(r.name);
        const std::string& cat = m_strings.str(r.cat);
        LaneData* lane = laneOf(r.thread);
        switch (r.ph) {
        case 'M':
            continue; // counted above
        case 'X': {
            const auto state = stateByLabel.find(name);
            if (cat != "state" || !lane || state == stateByLabel.end() || r.ts == NoTime || r.dur == NoTime) {
                skip(u"X: not a thread state"_s);
                continue;
            }
            StateInterval s{r.ts, r.ts + std::max<std::int64_t>(r.dur, 0), state->second, 0};
            if (!r.args.empty()) {
                const auto a = args(r.args);
                if (const Arg* object = arg(a, "object"); object && object->isString) {
                    if (const ObjectData* o = objectNamed(object->text))
                        s.object = o->id;
                }
            }
            lane->intervals.push_back(s);
            break;
        }
        case 'b':
        case 'e': {
            ObjectData* o = objectNamed(name);
            if (cat != "lock" || !lane || !o || r.ts == NoTime) {
                skip(u"%1: not a lock hold"_s.arg(QChar::fromLatin1(r.ph)));
                continue;
            }
            if (r.ph == 'b') {
                OpenB b{r.ts, -1, false};
                if (!r.args.empty()) {
                    const auto a = args(r.args);
                    if (const Arg* wait = arg(a, "wait_us"); wait && wait->isNumber)
                        b.waitNs = toNs(wait->number);
                    if (const Arg* open = arg(a, "open"); open && open->isNumber)
                        b.open = open->number != 0;
                }
                holdsOpen[r.id] = b;
                break;
            }
            const auto it = holdsOpen.find(r.id);
            if (it == holdsOpen.end()) {
                skip(u"e: lock hold end without a begin"_s);
                continue;
            }
            const OpenB b = it->second;
            holdsOpen.erase(it);
            ++o->acquisitions;
            if (b.waitNs >= 0) {
                ++o->contended;
                o->waitNsTotal += b.waitNs;
                o->waitNsMax = std::max(o->waitNsMax, b.waitNs);
            }
            if (b.open) {
                lane->openHolds.push_back({o->id, b.start, b.waitNs});
            } else {
                const HoldInterval h{b.start, std::max(r.ts, b.start), o->id, lane->id, b.waitNs};
                o->holdNsTotal += h.end - h.start;
                o->holds.push_back(h);
                lane->holds.push_back(h);
            }
            break;
        }
        case 'C': {
            ObjectData* o = objectNamed(name);
            const auto a = args(r.args);
            if (!o || r.ts == NoTime || a.empty() || !a.front().isNumber) {
                skip(u"C: not a known counter"_s);
                continue;
            }
            o->counter.push_back({r.ts, a.front().number});
            break;
        }
        case 'i':
        case 'I': {
            if (!lane || r.ts == NoTime) {
                skip(u"i: instant outside a thread"_s);
                continue;
            }
            const auto a = args(r.args);
            Marker m{r.ts, 0, lane->id, 0, EventKind::Marker, 0};
            if (name == "lost update") {
                m.kind = EventKind::LostUpdate;
                if (const Arg* v = arg(a, "overwritten"); v && v->isNumber)
                    m.value = clampToInt<std::int64_t>(v->number);
            } else if (name == "print") {
                const Arg* v = arg(a, "text");
                m.kind = EventKind::Print;
                m.value = std::int64_t(c.texts.size());
                c.texts.push_back(v ? QString::fromStdString(v->text) : QString());
                c.console.push_back({r.ts, lane->id, std::uint32_t(m.value)});
            } else if (name == "deadlock detected") {
                m.aux = std::uint32_t(MarkerType::Deadlock);
            } else if (name == "process started") {
                m.aux = std::uint32_t(MarkerType::ProcessStarted);
            } else if (const Arg* task = arg(a, "task"); task && task->isNumber) {
                m.aux = std::uint32_t(MarkerType::TaskStart);
                m.value = clampToInt<std::int64_t>(task->number);
            } else if (name == "put" || name == "get") {
                const Arg* queue = arg(a, "queue");
                ObjectData* o = queue ? objectNamed(queue->text) : nullptr;
                if (!o) {
                    skip(u"i: queue event of an unknown queue"_s);
                    continue;
                }
                m.kind = name == "put" ? EventKind::QueuePut : EventKind::QueueGet;
                m.object = o->id;
                if (const Arg* item = arg(a, "item"); item && item->isNumber)
                    m.aux = clampToInt<std::uint32_t>(item->number);
                if (const Arg* depth = arg(a, "depth"); depth && depth->isNumber)
                    m.value = clampToInt<std::int64_t>(depth->number);
                (m.kind == EventKind::QueuePut ? o->puts : o->gets) += 1;
                o->maxDepth = std::max(o->maxDepth, m.value);
            } else {
                m.aux = std::uint32_t(MarkerType::Note);
                m.value = std::int64_t(text(out, r.name));
            }
            lane->markers.push_back(m);
            break;
        }
        case 's':
        case 'f':
            break; // hand-offs and queue items: derived from the holds and markers again
        default:
            skip(u"%1: not written by Interleave"_s.arg(QChar::fromLatin1(r.ph)));
            continue;
        }
        ++report.kept;
    }

    // Order and totals, as the live store keeps them.
    auto byStart = [](const auto& a, const auto& b) { return a.start < b.start; };
    for (LaneData& lane : c.lanes) {
        std::stable_sort(lane.intervals.begin(), lane.intervals.end(), byStart);
        std::stable_sort(lane.holds.begin(), lane.holds.end(), byStart);
        std::stable_sort(lane.markers.begin(), lane.markers.end(),
                         [](const Marker& a, const Marker& b) { return a.t < b.t; });
        for (const StateInterval& s : lane.intervals)
            lane.stateNs[std::size_t(s.state)] += s.end - s.start;
        for (const HoldInterval& h : lane.holds)
            lane.maxHoldNs = std::max(lane.maxHoldNs, h.end - h.start);
        if (!lane.intervals.empty()) {
            lane.begun = lane.ended = true;
            lane.begin = lane.intervals.front().start;
            lane.end = lane.intervals.back().end;
            lane.current = lane.intervals.back().state;
            lane.currentStart = lane.lastT = lane.end;
        }
        c.endTime = std::max(c.endTime, lane.end);
    }
    for (ObjectData& o : c.objects) {
        std::stable_sort(o.holds.begin(), o.holds.end(), byStart);
        std::stable_sort(o.counter.begin(), o.counter.end(),
                         [](const CounterSample& a, const CounterSample& b) { return a.t < b.t; });
    }
    std::stable_sort(c.console.begin(), c.console.end(),
                     [](const StoredConsoleLine& a, const StoredConsoleLine& b) { return a.t < b.t; });
}

// --- Other tools' traces -----------------------------------------------------------------------

void Parser::buildForeign(ImportedTrace& out)
{
    TraceContents& c = out.contents;
    c.texts.emplace_back(); // text id 0 = ""
    m_textIds.emplace(0, 0);

    // Times start at the earliest event.
    std::int64_t origin = std::numeric_limits<std::int64_t>::max();
    for (const Raw& r : m_events) {
        if (r.ph != 'M' && r.ts != NoTime)
            origin = std::min(origin, r.ts);
    }
    if (origin == std::numeric_limits<std::int64_t>::max())
        origin = 0;

    for (const Raw& r : m_events) {
        if (r.ph == 'M')
            meta(r);
    }

    // Per thread: slices from X and matched B/E, instants; per process: async slices.
    struct Pending
    {
        std::vector<NamedSlice> slices;
        std::vector<Marker> markers;
        std::vector<const Raw*> beginEnds;
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        std::int64_t last = std::numeric_limits<std::int64_t>::min();
        bool used = false;
    };
    std::vector<Pending> threads(m_threads.size());
    std::vector<Pending> asyncOf(m_processes.size());
    struct AsyncOpen
    {
        std::int64_t start;
        std::uint32_t name;
        std::uint32_t cat;
        std::uint32_t process;
        std::uint64_t seq; // order of the begins
    };
    // (process or NoThread for legacy S/F, cat, id) -> the open slices: a stack per name (an end
    // closes the innermost of its name) and all of them by begin order (a nameless end closes the
    // innermost of any name). Ends in any order cost a log, not a scan of what is open.
    struct AsyncKeyOpen
    {
        std::map<std::uint32_t, std::vector<AsyncOpen>> byName;
        std::set<std::pair<std::uint64_t, std::uint32_t>> order; // (seq, name)
    };
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, AsyncKeyOpen> asyncOpen;
    std::uint64_t asyncSeq = 0;
    struct FlowPoint
    {
        std::uint32_t thread = 0;
        std::int64_t t = 0;
        bool open = false;
    };
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, FlowPoint> flowOpen; // (cat, id, name)
    std::vector<const Raw*> ordered;
    std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::int64_t>> bindOut; // bind_id -> from
    struct FlowRaw
    {
        std::uint32_t thread0, thread1;
        std::int64_t t0, t1;
    };
    std::vector<FlowRaw> flows;
    // Counters: (process, name, id, series) -> samples.
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>, std::vector<CounterSample>> counters;

    auto touch = [](Pending& p, std::int64_t t0, std::int64_t t1) {
        p.first = std::min(p.first, t0);
        p.last = std::max(p.last, t1);
        p.used = true;
    };
    // Per process, its first thread, and the first that has events so far (where its
    // process-scope instants go): kept up to date, never searched for (a file with a hundred
    // thousand threads and as many instants must not cost their product).
    std::vector<std::uint32_t> firstThread(m_processes.size(), NoThread);
    std::vector<std::uint32_t> firstUsedThread(m_processes.size(), NoThread);
    for (std::uint32_t t = std::uint32_t(m_threads.size()); t-- > 0;)
        firstThread[m_threads[t].process] = t;
    auto touchThread = [&](std::uint32_t thread, std::int64_t t0, std::int64_t t1) {
        touch(threads[thread], t0, t1);
        std::uint32_t& first = firstUsedThread[m_threads[thread].process];
        first = std::min(first, thread);
    };
    auto firstThreadOf = [&](std::uint32_t process) -> std::uint32_t {
        if (process >= m_processes.size())
            return NoThread;
        return firstUsedThread[process] != NoThread ? firstUsedThread[process] : firstThread[process];
    };

    for (const Raw& r : m_events) {
        if (r.ph == 'M')
            continue;
        if (r.ts == NoTime) {
            skip(u"%1: no timestamp"_s.arg(QChar::fromLatin1(r.ph ? r.ph : '?')));
            continue;
        }
        const std::int64_t t = r.ts - origin;
        const bool onThread = r.thread != NoThread;
        switch (r.ph) {
        case 'X':
            if (!onThread) {
                skip(u"X: no thread"_s);
                continue;
            }
            if (r.dur == NoTime) {
                skip(u"X: no duration"_s);
                continue;
            }
            threads[r.thread].slices.push_back(
                {t, t + std::max<std::int64_t>(r.dur, 0), text(out, r.name), text(out, r.cat), 0, 0});
            touchThread(r.thread, t, t + std::max<std::int64_t>(r.dur, 0));
            if (r.bindId != NoId) {
                if (r.flowOut)
                    bindOut[r.bindId] = {r.thread, t};
                if (r.flowIn) {
                    const auto it = bindOut.find(r.bindId);
                    if (it != bindOut.end())
                        flows.push_back({it->second.first, r.thread, it->second.second, t});
                }
            }
            break;
        case 'B':
        case 'E':
            if (!onThread) {
                skip(u"%1: no thread"_s.arg(QChar::fromLatin1(r.ph)));
                continue;
            }
            threads[r.thread].beginEnds.push_back(&r);
            touchThread(r.thread, t, t);
            if (r.ph == 'B' && r.bindId != NoId && r.flowOut)
                bindOut[r.bindId] = {r.thread, t};
            continue; // counted when matched
        case 'i':
        case 'I':
        case 'R': {
            std::uint32_t thread = r.thread;
            if (r.scope == 'p' || r.scope == 'g' || !onThread)
                thread = r.scope == 'g' || r.process >= m_processes.size() ? firstThreadOf(0) : firstThreadOf(r.process);
            if (thread == NoThread) {
                skip(u"%1: no thread to show it on"_s.arg(QChar::fromLatin1(r.ph)));
                continue;
            }
            threads[thread].markers.push_back(
                {t, std::int64_t(text(out, r.name)), 0, 0, EventKind::Marker, std::uint32_t(MarkerType::Note)});
            touchThread(thread, t, t);
            break;
        }
        case 'C': {
            const auto a = args(r.args);
            bool any = false;
            for (const Arg& value : a) {
                if (!value.isNumber)
                    continue;
                counters[{r.process, r.name, r.id, value.key}].push_back({t, value.number});
                any = true;
            }
            if (!any) {
                skip(u"C: no numeric value"_s);
                continue;
            }
            break;
        }
        case 'b':
        case 'e':
        case 'n':
        case 'S':
        case 'F':
        case 'T':
        case 'p':
        case 's':
        case 't':
        case 'f':
            ordered.push_back(&r); // matched below, in time order
            continue;
        case 'P':
            skip(u"P: sample (stack samples are not shown)"_s);
            continue;
        case 'O':
        case 'N':
        case 'D':
            skip(u"%1: object snapshot or lifetime"_s.arg(QChar::fromLatin1(r.ph)));
            continue;
        default:
            skip(r.ph ? u"%1: unknown phase"_s.arg(QChar::fromLatin1(r.ph)) : u"no phase"_s);
            continue;
        }
        ++report.kept;
    }

    // Async slices and flows, in time order: ids match across processes (an IPC's flow ends in
    // another process), nestable b/e within their process.
    std::stable_sort(ordered.begin(), ordered.end(), [](const Raw* a, const Raw* b) { return a->ts < b->ts; });
    for (const Raw* rp : ordered) {
        const Raw& r = *rp;
        const std::int64_t t = r.ts - origin;
        const bool onThread = r.thread != NoThread;
        if (r.ph == 's' || r.ph == 't' || r.ph == 'f') {
            if (!onThread) {
                skip(u"%1: flow without a thread"_s.arg(QChar::fromLatin1(r.ph)));
                continue;
            }
            auto& chain = flowOpen[{r.cat, r.id, r.name}];
            if (r.ph == 's') {
                chain = {r.thread, t, true};
                ++report.kept;
                continue;
            }
            if (!chain.open) {
                skip(u"%1: flow step without a start"_s.arg(QChar::fromLatin1(r.ph)));
                continue;
            }
            flows.push_back({chain.thread, r.thread, chain.t, t});
            chain = {r.thread, t, r.ph == 't'};
            ++report.kept;
            continue;
        }
        const bool nestable = r.ph == 'b' || r.ph == 'e' || r.ph == 'n';
        const bool begin = r.ph == 'b' || r.ph == 'S';
        const bool end = r.ph == 'e' || r.ph == 'F';
        if (r.ph == 'n') {
            Pending& lane = asyncOf[r.process];
            lane.markers.push_back(
                {t, std::int64_t(text(out, r.name)), 0, 0, EventKind::Marker, std::uint32_t(MarkerType::Note)});
            touch(lane, t, t);
            ++report.kept;
            continue;
        }
        if (!begin && !end) {
            skip(u"%1: async step (not drawn)"_s.arg(QChar::fromLatin1(r.ph)));
            continue;
        }
        AsyncKeyOpen& open = asyncOpen[{nestable ? r.process : NoThread, r.cat, r.id}];
        if (begin) {
            const std::uint64_t seq = asyncSeq++;
            open.byName[r.name].push_back({t, r.name, r.cat, r.process, seq});
            open.order.emplace(seq, r.name);
            touch(asyncOf[r.process], t, t);
            continue; // counted when matched
        }
        // The innermost open slice of the same name, else the innermost (legacy F may be nameless).
        auto named = open.byName.find(r.name);
        if ((named == open.byName.end() || named->second.empty()) && !open.order.empty() && (r.name == 0 || r.ph == 'F'))
            named = open.byName.find(open.order.rbegin()->second);
        if (named == open.byName.end() || named->second.empty()) {
            skip(u"%1: async end without a begin"_s.arg(QChar::fromLatin1(r.ph)));
            continue;
        }
        const AsyncOpen b = named->second.back();
        named->second.pop_back();
        open.order.erase({b.seq, b.name});
        Pending& lane = asyncOf[b.process];
        lane.slices.push_back({std::min(b.start, t), std::max(b.start, t), text(out, b.name), text(out, b.cat), 0, 0});
        touch(lane, b.start, t);
        report.kept += 2;
    }

    // Match B/E per thread in time order (files list them out of order too).
    std::int64_t traceEnd = 0;
    for (const Pending& p : threads)
        traceEnd = std::max(traceEnd, p.used ? p.last : 0);
    for (const Pending& p : asyncOf)
        traceEnd = std::max(traceEnd, p.used ? p.last : 0);
    std::int64_t unclosed = 0;
    for (std::uint32_t th = 0; th < threads.size(); ++th) {
        Pending& p = threads[th];
        std::stable_sort(p.beginEnds.begin(), p.beginEnds.end(),
                         [](const Raw* a, const Raw* b) { return a->ts < b->ts; });
        std::vector<const Raw*> stack;
        for (const Raw* r : p.beginEnds) {
            if (r->ph == 'B') {
                stack.push_back(r);
                continue;
            }
            if (stack.empty()) {
                skip(u"E: end without a begin"_s);
                continue;
            }
            const Raw* b = stack.back();
            stack.pop_back();
            p.slices.push_back({b->ts - origin, r->ts - origin, text(out, b->name), text(out, b->cat), 0, 0});
            report.kept += 2;
        }
        for (const Raw* b : stack) {
            p.slices.push_back({b->ts - origin, std::max(p.last, b->ts - origin), text(out, b->name),
                                text(out, b->cat), 0, NamedSlice::Unclosed});
            ++report.kept;
            ++unclosed;
        }
    }
    for (auto& [key, open] : asyncOpen) {
        for (const auto& [name, stack] : open.byName) {
            for (const AsyncOpen& b : stack) {
                Pending& lane = asyncOf[b.process];
                lane.slices.push_back({b.start, std::max(b.start, lane.last), text(out, b.name), text(out, b.cat), 0,
                                       NamedSlice::Unclosed});
                ++report.kept;
                ++unclosed;
            }
        }
    }
    if (unclosed > 0)
        report.warnings.append(u"%1 slices began but never ended: drawn up to the end of their lane"_s.arg(unclosed));

    // Lanes, in the order the file asks for (sort indexes), then by first appearance.
    std::vector<std::uint32_t> processOrder(m_processes.size());
    for (std::uint32_t i = 0; i < processOrder.size(); ++i)
        processOrder[i] = i;
    std::stable_sort(processOrder.begin(), processOrder.end(), [&](std::uint32_t a, std::uint32_t b) {
        const ProcessInfo& pa = m_processes[a];
        const ProcessInfo& pb = m_processes[b];
        const double sa = pa.hasSort ? pa.sortIndex : 0;
        const double sb = pb.hasSort ? pb.sortIndex : 0;
        return sa < sb;
    });
    // The threads with events, by process (in order of first appearance): one pass, not one per process.
    std::vector<std::vector<std::uint32_t>> usedThreadsOf(m_processes.size());
    for (std::uint32_t th = 0; th < m_threads.size(); ++th) {
        if (threads[th].used)
            usedThreadsOf[m_threads[th].process].push_back(th);
    }
    int processesWithLanes = 0;
    for (std::uint32_t pr = 0; pr < m_processes.size(); ++pr)
        processesWithLanes += asyncOf[pr].used || !usedThreadsOf[pr].empty() ? 1 : 0;
    auto processLabel = [&](std::uint32_t pr) {
        const ProcessInfo& p = m_processes[pr];
        if (!p.name.empty())
            return QString::fromStdString(p.name);
        return p.key.empty() ? u"process"_s : u"process %1"_s.arg(QString::fromStdString(p.key));
    };
    std::vector<std::uint32_t> laneOfThread(m_threads.size(), NoThread);
    std::vector<std::uint32_t> laneOfAsync(m_processes.size(), NoThread);
    auto addLane = [&](Pending& p, const QString& name) {
        LaneData lane;
        lane.id = std::uint32_t(c.lanes.size());
        lane.name = name;
        lane.kind = LaneKind::Thread;
        lane.slices = std::move(p.slices);
        lane.markers = std::move(p.markers);
        for (Marker& m : lane.markers)
            m.lane = lane.id;
        lane.begun = lane.ended = true;
        lane.begin = p.first;
        lane.end = std::max(p.first, p.last);
        lane.currentStart = lane.lastT = lane.end;
        c.lanes.push_back(std::move(lane));
        return c.lanes.back().id;
    };
    for (const std::uint32_t pr : processOrder) {
        std::vector<std::uint32_t>& order = usedThreadsOf[pr];
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            const ThreadInfo& ta = m_threads[a];
            const ThreadInfo& tb = m_threads[b];
            const double sa = ta.hasSort ? ta.sortIndex : 0;
            const double sb = tb.hasSort ? tb.sortIndex : 0;
            return sa < sb;
        });
        for (const std::uint32_t th : order) {
            const ThreadInfo& info = m_threads[th];
            QString name = info.name.empty() ? u"thread %1"_s.arg(QString::fromStdString(info.key))
                                             : QString::fromStdString(info.name);
            if (processesWithLanes > 1)
                name = processLabel(pr) + u" / "_s + name;
            laneOfThread[th] = addLane(threads[th], name);
        }
        if (asyncOf[pr].used) {
            laneOfAsync[pr] = addLane(asyncOf[pr], processLabel(pr) + u" / async"_s);
        }
    }
    std::vector<bool> asyncLane(c.lanes.size(), false);
    for (const std::uint32_t lane : laneOfAsync) {
        if (lane != NoThread)
            asyncLane[lane] = true;
    }

    // Depths: nesting on threads; on async lanes, the first free row (they overlap freely).
    for (LaneData& lane : c.lanes) {
        auto& s = lane.slices;
        std::stable_sort(s.begin(), s.end(), [](const NamedSlice& a, const NamedSlice& b) {
            return a.start != b.start ? a.start < b.start : a.end > b.end;
        });
        const bool isAsync = asyncLane[lane.id];
        // Async: the lowest row free at the slice's start. Rows in use wait in a heap by their end,
        // free rows in a heap by index: a log per slice, however many overlap.
        std::priority_queue<std::pair<std::int64_t, std::size_t>, std::vector<std::pair<std::int64_t, std::size_t>>,
                            std::greater<>>
            busyRows; // (end, row)
        std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> freeRows;
        std::size_t rows = 0;
        std::vector<std::int64_t> open;    // threads: ends of the enclosing slices
        int deepest = -1;
        for (NamedSlice& slice : s) {
            std::size_t depth = 0;
            if (isAsync) {
                while (!busyRows.empty() && busyRows.top().first <= slice.start) {
                    freeRows.push(busyRows.top().second);
                    busyRows.pop();
                }
                if (freeRows.empty()) {
                    depth = rows++;
                } else {
                    depth = freeRows.top();
                    freeRows.pop();
                }
                busyRows.emplace(slice.end, depth);
            } else {
                while (!open.empty() && open.back() <= slice.start)
                    open.pop_back();
                depth = open.size();
                open.push_back(slice.end);
            }
            slice.depth = std::uint16_t(std::min<std::size_t>(depth, 0xffff));
            deepest = std::max(deepest, int(slice.depth));
            lane.maxSliceNs = std::max(lane.maxSliceNs, slice.end - slice.start);
        }
        lane.sliceDepth = deepest + 1;
        std::stable_sort(lane.markers.begin(), lane.markers.end(),
                         [](const Marker& a, const Marker& b) { return a.t < b.t; });
        c.endTime = std::max(c.endTime, lane.end);
    }

    for (const FlowRaw& f : flows) {
        if (laneOfThread[f.thread0] == NoThread || laneOfThread[f.thread1] == NoThread)
            continue;
        c.flows.push_back({f.t0, f.t1, laneOfThread[f.thread0], laneOfThread[f.thread1]});
    }

    // Counters: one object (and one chart series) per counter and argument.
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, int> seriesPerCounter;
    for (const auto& [key, samples] : counters)
        ++seriesPerCounter[{std::get<0>(key), std::get<1>(key), std::get<2>(key)}];
    for (auto& [key, samples] : counters) {
        const auto [pr, name, id, series] = key;
        QString label = QString::fromStdString(m_strings.str(name));
        if (id != NoId)
            label += u" "_s + QString::fromStdString(m_strings.str(id));
        if (seriesPerCounter[{pr, name, id}] > 1 || (series != "value" && series != m_strings.str(name)))
            label += u"."_s + QString::fromStdString(series);
        if (processesWithLanes > 1)
            label = processLabel(pr) + u" / "_s + label;
        ObjectData o;
        o.id = std::uint32_t(c.objects.size() + 1);
        o.name = label;
        o.kind = ObjectKind::Counter;
        o.counter = std::move(samples);
        std::stable_sort(o.counter.begin(), o.counter.end(),
                         [](const CounterSample& a, const CounterSample& b) { return a.t < b.t; });
        c.endTime = std::max(c.endTime, o.counter.back().t);
        c.objects.push_back(std::move(o));
    }

    c.events = std::uint64_t(report.events);
    out.run.scenario = QString();
    out.run.ended = u"imported"_s;
    out.run.wallMs = double(c.endTime) / 1e6;
}

std::optional<ImportedTrace> Parser::build(QString* error)
{
    addReadingWarnings();
    ImportedTrace out;
    const QString generator = m_other.value(u"generator"_s).toString();
    report.generator = generator;
    const bool own = m_other.value(u"format"_s).toString() == QString::fromLatin1(InterleaveTraceFormat);
    report.format = own ? QString::fromLatin1(InterleaveTraceFormat) : u"chrome-json"_s;
    if (own) {
        // A run of a lesson: the lesson and its settings must be ones this Interleave can run, as
        // --set and session files require (a hand-edited header must not smuggle an unknown
        // lesson or an out-of-range value into the summary or the window).
        const QJsonObject asSession{{u"schema"_s, u"interleave.session/1"_s},
                                    {u"scenario"_s, m_other.value(u"scenario"_s)},
                                    {u"params"_s, m_other.value(u"params"_s)}};
        QString why;
        if (!parseSession(QJsonDocument(asSession).toJson(QJsonDocument::Compact), &why)) {
            *error = u"the trace says it is an Interleave run, but its lesson does not check out: %1"_s.arg(why);
            return std::nullopt;
        }
        buildOwn(out);
    } else {
        buildForeign(out);
    }
    if (report.events == 0 || out.contents.lanes.empty()) {
        *error = report.events == 0 ? u"the trace has no events"_s
                                    : u"none of the %1 events could be shown (%2)"_s.arg(report.events).arg(
                                          report.skipped.empty() ? u"no threads"_s : report.skipped.begin()->first);
        return std::nullopt;
    }
    out.report = report;
    return out;
}

// "3,221,225,473 bytes (3.0 GiB)": exact, so a size just over a limit never reads as equal to it.
QString bytesText(std::int64_t bytes)
{
    const QLocale english(QLocale::English);
    if (bytes < 1024)
        return u"%1 bytes"_s.arg(bytes);
    return u"%1 bytes (%2)"_s.arg(english.toString(qlonglong(bytes)), english.formattedDataSize(bytes, 1));
}

bool looksBinary(std::string_view data)
{
    const std::size_t n = std::min<std::size_t>(data.size(), 4096);
    for (std::size_t i = 0; i < n; ++i) {
        if (data[i] == '\0')
            return true;
    }
    return false;
}


// The offset of the first byte that is not valid UTF-8, or npos.
std::size_t firstInvalidUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = std::uint8_t(s[i]);
        std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 9;
        if (n == 9 || (c & 0xFE) == 0xC0 || c > 0xF4 || i + n >= s.size() + (n == 0 ? 1 : 0))
            return n == 0 ? std::string_view::npos : i;
        for (std::size_t k = 1; k <= n; ++k) {
            if ((std::uint8_t(s[i + k]) & 0xC0) != 0x80)
                return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

// Where the first JSON value of the text ends (after its closing bracket), strings skipped; npos
// when it never closes. For saying "stray text after the JSON" instead of "ended early".
std::size_t endOfFirstValue(std::string_view s)
{
    const std::size_t start = skipSpace(s, 0);
    if (start >= s.size() || (s[start] != '[' && s[start] != '{'))
        return std::string_view::npos;
    return skipValue(s, start);
}

// The import of bytes that already sit in a buffer of ours with simdjson's padding after them
// (capacity >= length + SIMDJSON_PADDING). The buffer may be changed: a truncated file is
// repaired in place rather than copied.
std::optional<ImportedTrace> importPadded(char* buffer, std::size_t length, QString* error, const ImportControl& control)
{
    // A UTF-8 byte order mark (Windows editors write one) is not part of the JSON.
    if (length >= 3 && std::memcmp(buffer, "\xEF\xBB\xBF", 3) == 0) {
        buffer += 3;
        length -= 3;
    }
    const simdjson::padded_string_view json(buffer, length, length + simdjson::SIMDJSON_PADDING);
    const std::string_view data(buffer, length);
    std::size_t begin = 0;
    while (begin < data.size() && std::isspace(static_cast<unsigned char>(data[begin])))
        ++begin;
    if (data.empty()) {
        *error = u"the file is empty"_s;
        return std::nullopt;
    }
    if (begin == data.size()) {
        *error = u"the file holds only whitespace (%1)"_s.arg(bytesText(std::int64_t(data.size())));
        return std::nullopt;
    }
    // UTF-16 (a byte order mark, or ASCII with every other byte zero): JSON traces are UTF-8.
    const bool utf16Bom = data.size() >= 2
        && ((std::uint8_t(data[0]) == 0xFF && std::uint8_t(data[1]) == 0xFE)
            || (std::uint8_t(data[0]) == 0xFE && std::uint8_t(data[1]) == 0xFF));
    const bool utf16Bare = data.size() >= 4
        && ((data[1] == 0 && data[3] == 0 && data[0] != 0) || (data[0] == 0 && data[2] == 0 && data[1] != 0));
    if (utf16Bom || utf16Bare) {
        *error = u"the file is UTF-16 text; traces are read as UTF-8: convert it first (iconv -f UTF-16 -t UTF-8 FILE)"_s;
        return std::nullopt;
    }
    if (data.size() >= 2 && std::uint8_t(data[0]) == 0x1f && std::uint8_t(data[1]) == 0x8b) {
        *error = u"the file is gzip-compressed: unpack it first (gunzip FILE)"_s;
        return std::nullopt;
    }
    if (looksBinary(data)) {
        *error = u"the file is binary, not a JSON trace"_s;
        return std::nullopt;
    }
    if (data[begin] != '{' && data[begin] != '[') {
        *error = u"not a JSON trace: it does not start with '{' or '['"_s;
        return std::nullopt;
    }
    if (std::int64_t(data.size()) > control.maxBytes) {
        *error = u"the file is too large (%1; at most %2)"_s.arg(bytesText(std::int64_t(data.size())), bytesText(control.maxBytes));
        return std::nullopt;
    }

    QString parseError;
    {
        // Scoped: a failed first parse must not hold its records while the repaired file is read.
        Parser parser(control, std::int64_t(data.size()));
        parser.report.bytes = std::int64_t(data.size());
        if (parser.parse(json, &parseError))
            return parser.build(error);
    }
    {
        if (parseError == "cancelled"_L1) {
            *error = parseError;
            return std::nullopt;
        }
        // A trace cut short (its writer died): keep what is complete, as trace viewers do.
        // Say where precisely: a byte that is not UTF-8, or text after a complete document.
        if (parseError.contains(u"UTF-8"_s)) {
            if (const std::size_t at = firstInvalidUtf8(data); at != std::string_view::npos) {
                *error = u"not a valid JSON trace: the byte at offset %1 (0x%2) is not UTF-8"_s.arg(at).arg(
                    std::uint8_t(data[at]), 2, 16, QChar(u'0'));
                return std::nullopt;
            }
        }
        if (const std::size_t end = endOfFirstValue(data); end != std::string_view::npos) {
            std::size_t next = end;
            while (next < data.size() && std::isspace(static_cast<unsigned char>(data[next])))
                ++next;
            // Stray text only when what comes before it is a whole, valid document (the bytes after
            // it serve as the parser's padding).
            simdjson::dom::parser whole;
            if (next < data.size() && !whole.parse(data.data() + begin, end - begin, false).error()) {
                *error = u"not a valid JSON trace: the JSON ends at byte %1, then stray text follows: '%2'"_s.arg(end).arg(
                    QString::fromUtf8(data.substr(next, 24)));
                return std::nullopt;
            }
        }
        const std::optional<Repair> repair = repairTruncated(data);
        if (!repair) {
            *error = parseError;
            return std::nullopt;
        }
        const std::size_t dropped = data.size() - repair->cut;
        // In place when the closing brackets fit where the dropped bytes were (the usual case: a
        // writer died inside an event); a copy otherwise.
        simdjson::padded_string copy;
        simdjson::padded_string_view fixed;
        if (repair->closers.size() <= dropped) {
            std::memcpy(buffer + repair->cut, repair->closers.data(), repair->closers.size());
            const std::size_t fixedLength = repair->cut + repair->closers.size();
            fixed = simdjson::padded_string_view(buffer, fixedLength, fixedLength + simdjson::SIMDJSON_PADDING);
        } else {
            copy = simdjson::padded_string(std::string(data.substr(0, repair->cut)) + repair->closers);
            fixed = simdjson::padded_string_view(copy);
        }
        Parser again(control, std::int64_t(data.size()));
        again.report.bytes = std::int64_t(data.size());
        QString againError;
        if (!again.parse(fixed, &againError)) {
            *error = parseError;
            return std::nullopt;
        }
        again.report.warnings.append(
            dropped == 0 ? u"the file ends early (truncated): its event array is never closed"_s
                         : u"the file ends early (truncated): the last %1 bytes, after the last complete event, "
                           "were ignored"_s.arg(dropped));
        auto out = again.build(error);
        if (out)
            out->report.bytes = std::int64_t(data.size());
        return out;
    }
}

} // namespace

std::optional<ImportedTrace> importChromeTraceData(std::string_view data, QString* error,
                                                   const ImportControl& control)
{
    QString scratch;
    if (!error)
        error = &scratch;
    if (std::int64_t(data.size()) > control.maxBytes) {
        *error = u"the file is too large (%1; at most %2)"_s.arg(bytesText(std::int64_t(data.size())), bytesText(control.maxBytes));
        return std::nullopt;
    }
    simdjson::padded_string json(data);
    return importPadded(json.data(), json.size(), error, control);
}

std::optional<ImportedTrace> importChromeTrace(const QString& path, QString* error, const ImportControl& control)
{
    QString scratch;
    if (!error)
        error = &scratch;
    QFile file(path);
    const QFileInfo info(path);
    if (info.isDir()) {
        *error = u"'%1' is a folder, not a trace file"_s.arg(path);
        return std::nullopt;
    }
    // A device or a pipe has no size to check first: /dev/zero would be read until memory runs
    // out, and a FIFO with no writer blocks for ever.
    if (info.exists() && !info.isFile()) {
        *error = u"'%1' is not a regular file (a device, pipe or socket): save the trace to a file first"_s.arg(path);
        return std::nullopt;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot open '%1': %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > control.maxBytes) {
        *error = u"'%1' is too large (%2; at most %3)"_s.arg(path, bytesText(file.size()), bytesText(control.maxBytes));
        return std::nullopt;
    }
    // Read, not mapped: a mapped file that another program truncates kills the reader with
    // SIGBUS. Read once, straight into the parser's padded buffer (one copy of the file in memory);
    // a file that shrinks or grows meanwhile is imported as far as it was read, and says so.
    const qint64 size = file.size();
    simdjson::padded_string buffer(std::size_t(std::max<qint64>(size, 0)));
    qint64 got = 0;
    constexpr qint64 Chunk = qint64(16) << 20;
    while (got < size) {
        if (control.cancel && control.cancel->load(std::memory_order_relaxed)) {
            *error = u"cancelled"_s;
            return std::nullopt;
        }
        const qint64 n = file.read(buffer.data() + got, std::min(Chunk, size - got));
        if (n <= 0)
            break;
        got += n;
        if (control.reading)
            control.reading(got, size);
    }
    char extra = 0;
    const bool grew = got == size && file.read(&extra, 1) == 1;
    auto out = importPadded(buffer.data(), std::size_t(got), error, control);
    if (!out) {
        *error = u"'%1': %2"_s.arg(info.fileName(), *error);
        if (got < size)
            *error += u" (the file shrank while it was read: it had %1 bytes, %2 could be read; another program is writing it)"_s
                          .arg(size)
                          .arg(got);
        return out;
    }
    out->report.file = info.fileName();
    if (got < size)
        out->report.warnings.append(u"the file shrank while it was read (it had %1 bytes, %2 could be read; another "
                                    "program is writing it): what was read is shown"_s.arg(size).arg(got));
    if (grew)
        out->report.warnings.append(u"the file grew while it was read (another program is writing it): the first %1 "
                                    "bytes are shown"_s.arg(size));
    return out;
}

} // namespace interleave
