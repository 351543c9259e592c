// RawTrace: a trace file's events as read, before the own or the foreign reader turns them into lanes.
#pragma once

#include "chromeimport.h"

#include <QJsonObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace interleave::traceimport {

constexpr std::int64_t NoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::uint32_t NoId = 0;
constexpr std::uint32_t NoThread = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t NoArgs = 0;

// Strings seen in the file (names, categories, ids), each stored once; id 0 is "".
class Interner
{
public:
    Interner() { m_strings.emplace_back(); }
    std::uint32_t intern(std::string_view s)
    {
        if (s.empty())
            return 0;
        // Most events repeat a few names and categories: a small cache, looked up by a cheap hash
        // of the ends and the length, answers them before the table (whose hash reads it all).
        Recent& recent = m_recent[recentSlot(s)];
        if (recent.text && *recent.text == s)
            return recent.id;
        const auto it = m_ids.find(s);
        if (it != m_ids.end()) {
            recent = {&m_strings[it->second], it->second};
            return it->second;
        }
        const auto id = std::uint32_t(m_strings.size());
        m_strings.emplace_back(s);
        m_ids.emplace(m_strings.back(), id);
        recent = {&m_strings.back(), id};
        return id;
    }
    const std::string& str(std::uint32_t id) const { return m_strings[id]; }
    std::size_t size() const { return m_strings.size(); }

private:
    struct Recent
    {
        const std::string* text = nullptr;
        std::uint32_t id = 0;
    };
    static std::size_t recentSlot(std::string_view s)
    {
        std::uint64_t head = 0;
        std::uint64_t tail = 0;
        std::memcpy(&head, s.data(), std::min<std::size_t>(8, s.size()));
        std::memcpy(&tail, s.data() + s.size() - std::min<std::size_t>(8, s.size()), std::min<std::size_t>(8, s.size()));
        const std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ s.size();
        return std::size_t(h >> 56); // 256 slots
    }
    std::deque<std::string> m_strings; // stable addresses for the views in m_ids
    std::unordered_map<std::string_view, std::uint32_t> m_ids;
    std::array<Recent, 256> m_recent{};
};

// One trace event as read, before anything is matched or sorted: 48 bytes (a file of 200 MB may
// hold 2 M of them), the args a number for the few that have them.
struct Raw
{
    std::int64_t ts = NoTime;  // ns
    std::int64_t dur = NoTime; // ns
    std::uint32_t args = NoArgs; // the args object's JSON (RawTrace::addArgs), parsed only when needed
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

// Text that most records never have (names from metadata): 8 bytes when empty, where a
// std::string is 32. Read as a const std::string&, so readers use it as one.
class SparseText
{
public:
    SparseText() = default;
    SparseText(const SparseText& other) { *this = other; }
    SparseText(SparseText&&) noexcept = default;
    SparseText& operator=(const SparseText& other)
    {
        if (this != &other)
            m_text = other.m_text ? std::make_unique<std::string>(*other.m_text) : nullptr;
        return *this;
    }
    SparseText& operator=(SparseText&&) noexcept = default;
    SparseText& operator=(const std::string& text)
    {
        m_text = text.empty() ? nullptr : std::make_unique<std::string>(text);
        return *this;
    }
    bool empty() const { return !m_text; }
    const std::string& str() const
    {
        static const std::string none;
        return m_text ? *m_text : none;
    }
    operator const std::string&() const { return str(); }

private:
    std::unique_ptr<std::string> m_text;
};

// A file may name a million processes or threads: their records stay small (64 bytes a thread).
struct ProcessInfo
{
    std::string key; // pid as written
    SparseText name;
    double sortIndex = 0;
    bool hasSort = false;
};

struct ThreadInfo
{
    std::string key; // tid as written
    SparseText name;
    SparseText kind; // Interleave's own traces: thread / pool / process / main
    double sortIndex = 0;
    std::uint32_t process = 0;
    bool hasSort = false;
};

// Records found by key through an open-addressing table of their indexes (the keys stay in the
// records): about 8 bytes a record, where a std::map node with its key cost about 100.
class IndexTable
{
public:
    // The index of the record for which same(index) holds, or the one add() makes and returns.
    // hashOf(index) is the hash of a record's key, for growing the table.
    template<typename Same, typename HashOf, typename Add>
    std::uint32_t findOrAdd(std::size_t hash, Same same, HashOf hashOf, Add add)
    {
        if (2 * (m_count + 1) > m_slots.size())
            grow(hashOf);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            if (m_slots[i] == Empty) {
                m_slots[i] = add();
                ++m_count;
                return m_slots[i];
            }
            if (same(m_slots[i]))
                return m_slots[i];
        }
    }

private:
    static constexpr std::uint32_t Empty = std::numeric_limits<std::uint32_t>::max();
    template<typename HashOf>
    void grow(HashOf hashOf)
    {
        std::vector<std::uint32_t> old(std::max<std::size_t>(16, 2 * m_slots.size()), Empty);
        old.swap(m_slots);
        const std::size_t mask = m_slots.size() - 1;
        for (const std::uint32_t index : old) {
            if (index == Empty)
                continue;
            std::size_t i = hashOf(index) & mask;
            while (m_slots[i] != Empty)
                i = (i + 1) & mask;
            m_slots[i] = index;
        }
    }
    std::vector<std::uint32_t> m_slots; // a power of two, at most half full
    std::size_t m_count = 0;
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

// std::stable_sort, skipped where the range is already in order (the same order either way).
template<typename It, typename Less>
void stableSortUnlessSorted(It begin, It end, Less less)
{
    if (!std::is_sorted(begin, end, less))
        std::stable_sort(begin, end, less);
}

// Asks for huge pages for a large block (fewer page faults as it fills); a hint, where there is one.
void adviseHugePages(void* data, std::size_t bytes);

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
    std::uint32_t processIndex(std::string_view key)
    {
        return m_processByKey.findOrAdd(
            processHash(key), [&](std::uint32_t p) { return processes[p].key == key; },
            [&](std::uint32_t p) { return processHash(processes[p].key); },
            [&] {
                processes.emplace_back().key = key;
                return std::uint32_t(processes.size() - 1);
            });
    }
    std::uint32_t threadIndex(std::uint32_t process, std::string_view key)
    {
        return m_threadByKey.findOrAdd(
            threadHash(process, key),
            [&](std::uint32_t t) { return threads[t].process == process && threads[t].key == key; },
            [&](std::uint32_t t) { return threadHash(threads[t].process, threads[t].key); },
            [&] {
                ThreadInfo& t = threads.emplace_back();
                t.process = process;
                t.key = key;
                return std::uint32_t(threads.size() - 1);
            });
    }

    // An event's args: a view of its JSON in the padded file buffer, or (a file read a piece at a
    // time) in a copy kept here; either way with simdjson's padding after it, parsed in place.
    std::uint32_t addArgs(std::string_view json)
    {
        m_argTexts.push_back(json);
        return std::uint32_t(m_argTexts.size() - 1);
    }
    std::vector<Arg> args(const Raw& r) { return args(m_argTexts[r.args]); }
    std::vector<Arg> args(std::string_view json);
    // Args about to lose the buffer they were read from: those of events from `first` on that a
    // reader will look at (keep(ph)) are copied, the others dropped (NoArgs), and their numbers
    // made dense again.
    template<typename Keep>
    void keepArgs(std::size_t first, Keep keep)
    {
        auto next = std::uint32_t(m_argTexts.size());
        for (std::size_t e = first; e < events.size(); ++e) {
            Raw& r = events[e];
            if (r.args == NoArgs)
                continue;
            next = std::min(next, r.args);
            if (keep(r.ph)) {
                m_argTexts[next] = keepArgsText(m_argTexts[r.args]);
                r.args = next++;
            } else {
                r.args = NoArgs;
            }
        }
        m_argTexts.resize(next);
    }
    static const Arg* arg(const std::vector<Arg>& all, std::string_view key);

    void skip(const QString& why, std::int64_t n = 1) { report.skipped[why] += n; }
    // Thread and process names and order, from the M events (both readers, before the rest).
    void readMetadata();
    // The store's text id of an interned string, added to contents.texts on first use.
    std::uint32_t text(TraceContents& contents, std::uint32_t internId);

private:
    static std::size_t processHash(std::string_view key) { return std::hash<std::string_view>()(key); }
    static std::size_t threadHash(std::uint32_t process, std::string_view key)
    {
        return std::hash<std::string_view>()(key) ^ (std::size_t(process) * 0x9E3779B97F4A7C15ull);
    }
    void meta(const Raw& r);

    struct ArgsParser;
    std::string_view keepArgsText(std::string_view json);

    std::unique_ptr<ArgsParser> m_argsParser;
    std::vector<std::string_view> m_argTexts{std::string_view()}; // [NoArgs] = none
    std::vector<std::unique_ptr<char[]>> m_argBlocks; // keepArgs' copies
    std::size_t m_argBlockFree = 0;                   // bytes left in the last block before its padding
    char* m_argNext = nullptr;
    IndexTable m_processByKey;
    IndexTable m_threadByKey;
    std::unordered_map<std::uint32_t, std::uint32_t> m_textIds; // intern id -> store text id
};

} // namespace interleave::traceimport
