// RawTrace: the records the scanner fills, and the steps both trace readers share.
#include "rawtrace.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <cstring>

using namespace Qt::StringLiterals;
namespace od = simdjson::ondemand;

namespace interleave::traceimport {

double parseNumberText(std::string_view s, bool* ok)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '+'))
        s.remove_prefix(1);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    *ok = ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(v);
    return v;
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

void setEndedSpan(LaneData& lane, std::int64_t begin, std::int64_t end)
{
    lane.begun = lane.ended = true;
    lane.begin = begin;
    lane.end = end;
    lane.currentStart = lane.lastT = lane.end;
}

void adviseHugePages(void* data, std::size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t Huge = std::uintptr_t(2) << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(data) + Huge - 1) & ~(Huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(Huge - 1);
    if (end > begin)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

void sortByTime(std::vector<Marker>& markers)
{
    stableSortUnlessSorted(markers.begin(), markers.end(), [](const Marker& a, const Marker& b) { return a.t < b.t; });
}

void sortByTime(std::vector<CounterSample>& samples)
{
    stableSortUnlessSorted(samples.begin(), samples.end(),
                           [](const CounterSample& a, const CounterSample& b) { return a.t < b.t; });
}

// The parser of args objects, kept for the whole build (its buffers are reused event after event).
struct RawTrace::ArgsParser
{
    od::parser parser;
};

RawTrace::RawTrace()
    : m_argsParser(std::make_unique<ArgsParser>())
{
}

RawTrace::~RawTrace() = default;

std::vector<Arg> RawTrace::args(std::string_view json)
{
    std::vector<Arg> out;
    if (json.empty())
        return out;
    // The view lies inside the padded file buffer or a block of keepArgs: padding follows it.
    od::document doc;
    if (m_argsParser->parser.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING).get(doc))
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

std::string_view RawTrace::keepArgsText(std::string_view json)
{
    if (json.empty())
        return json;
    // Blocks of 1 MiB (or one for a larger args object), each with the parser's padding at its end;
    // the copies follow each other, so each has at least that padding after it.
    constexpr std::size_t BlockBytes = std::size_t(1) << 20;
    if (json.size() > m_argBlockFree) {
        const std::size_t size = std::max(BlockBytes, json.size());
        m_argBlocks.push_back(std::make_unique<char[]>(size + simdjson::SIMDJSON_PADDING));
        m_argNext = m_argBlocks.back().get();
        m_argBlockFree = size;
    }
    char* const copy = m_argNext;
    std::memcpy(copy, json.data(), json.size());
    m_argNext += json.size();
    m_argBlockFree -= json.size();
    return {copy, json.size()};
}

const Arg* RawTrace::arg(const std::vector<Arg>& all, std::string_view key)
{
    for (const Arg& a : all) {
        if (a.key == key)
            return &a;
    }
    return nullptr;
}

void RawTrace::readMetadata()
{
    for (const Raw& r : events) {
        if (r.ph == 'M')
            meta(r);
    }
}

void RawTrace::meta(const Raw& r)
{
    const std::string& what = strings.str(r.name);
    const std::vector<Arg> a = args(r);
    const Arg* name = arg(a, "name");
    const Arg* sort = arg(a, "sort_index");
    ProcessInfo& p = processes[r.process];
    if (what == "process_name" && name && name->isString) {
        p.name = name->text;
    } else if (what == "thread_name" && name && name->isString && r.thread != NoThread) {
        threads[r.thread].name = name->text;
        if (const Arg* kind = arg(a, "kind"); kind && kind->isString)
            threads[r.thread].kind = kind->text;
    } else if (what == "process_sort_index" && sort && sort->isNumber) {
        p.sortIndex = sort->number;
        p.hasSort = true;
    } else if (what == "thread_sort_index" && sort && sort->isNumber && r.thread != NoThread) {
        threads[r.thread].sortIndex = sort->number;
        threads[r.thread].hasSort = true;
    } else {
        skip(u"M: other metadata (%1)"_s.arg(QString::fromStdString(what)));
        return;
    }
    ++report.kept;
}

std::uint32_t RawTrace::text(TraceContents& contents, std::uint32_t internId)
{
    if (internId == 0)
        return 0;
    const auto it = m_textIds.find(internId);
    if (it != m_textIds.end())
        return it->second;
    const auto id = std::uint32_t(contents.texts.size());
    contents.texts.push_back(QString::fromUtf8(strings.str(internId)));
    m_textIds.emplace(internId, id);
    return id;
}

} // namespace interleave::traceimport
