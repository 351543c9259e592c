// RawTrace: a trace file's events as read, before the own or the foreign reader turns them into lanes.
#pragma once

#include "chromeimport.h"

#include <QJsonObject>

#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace interleave::traceimport {

constexpr std::int64_t NoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::uint32_t NoId = 0;
constexpr std::uint32_t NoThread = std::numeric_limits<std::uint32_t>::max();

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
    std::uint32_t process = 0; // index into RawTrace::processes
    std::uint32_t thread = 0;  // index into RawTrace::threads; NoThread when the event has no tid
    std::uint32_t name = 0;
    std::uint32_t cat = 0;
    std::uint32_t id = 0;      // interned id / id2 / bind_id text
    std::uint32_t bindId = 0;
    char ph = 0;
    char scope = 0;            // instants: 't', 'p', 'g'
    bool flowIn = false;
    bool flowOut = false;
};

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

// A number written as text ("123", " +1.5"); *ok says whether all of it was one.
double parseNumberText(std::string_view s, bool* ok);

// Microseconds from the file to nanoseconds, clamped to a quarter of what 64 bits hold.
std::int64_t toNs(double us);

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

// The lane's span, for a lane that is complete (an imported lane is never still running).
void setEndedSpan(LaneData& lane, std::int64_t begin, std::int64_t end);
// Markers and counter samples in time order, as the live store keeps them.
void sortByTime(std::vector<Marker>& markers);
void sortByTime(std::vector<CounterSample>& samples);

// What the scanner read (TraceEventScanner) and both readers build from: the events, the
// processes and threads they name, the interned strings, otherData, and the report so far.
class RawTrace
{
public:
    RawTrace();
    ~RawTrace();
    RawTrace(const RawTrace&) = delete;
    RawTrace& operator=(const RawTrace&) = delete;

    ImportReport report;
    Interner strings;
    std::vector<Raw> events;
    std::vector<ProcessInfo> processes;
    std::vector<ThreadInfo> threads;
    QJsonObject other; // otherData (or metadata)

    // The record of the pid or (process, tid) as written, made on first sight. Here, to be
    // inlined: the scanner asks for both at every event.
    std::uint32_t processIndex(const std::string& key)
    {
        return indexOf(m_processByKey, key, [&] {
            ProcessInfo p;
            p.key = key;
            p.seq = std::uint32_t(processes.size());
            processes.push_back(std::move(p));
            return processes.back().seq;
        });
    }
    std::uint32_t threadIndex(std::uint32_t process, const std::string& key)
    {
        return indexOf(m_threadByKey, std::make_pair(process, key), [&] {
            ThreadInfo t;
            t.process = process;
            t.key = key;
            t.seq = std::uint32_t(threads.size());
            threads.push_back(std::move(t));
            return threads.back().seq;
        });
    }

    // The end of the padded buffer the events' args views lie in: their JSON is parsed in place.
    void setBufferEnd(const char* end) { m_end = end; }
    std::vector<Arg> args(std::string_view json);
    static const Arg* arg(const std::vector<Arg>& all, std::string_view key);

    void skip(const QString& why, std::int64_t n = 1) { report.skipped[why] += n; }
    // Thread and process names and order, from the M events (both readers, before the rest).
    void readMetadata();
    // The store's text id of an interned string, added to contents.texts on first use.
    std::uint32_t text(TraceContents& contents, std::uint32_t internId);

private:
    // The index of the record for key, made by add() (which returns its index) when there is none.
    template<typename Map, typename Key, typename Add>
    static std::uint32_t indexOf(Map& byKey, const Key& key, Add add)
    {
        const auto it = byKey.find(key);
        if (it != byKey.end())
            return it->second;
        const std::uint32_t index = add();
        byKey.emplace(key, index);
        return index;
    }
    void meta(const Raw& r);

    struct ArgsParser;
    std::unique_ptr<ArgsParser> m_argsParser;
    const char* m_end = nullptr;
    std::unordered_map<std::string, std::uint32_t> m_processByKey;
    std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> m_threadByKey;
    std::unordered_map<std::uint32_t, std::uint32_t> m_textIds; // intern id -> store text id
};

} // namespace interleave::traceimport
