// importChromeTrace: reads the file into a padded buffer, refuses what is not a JSON trace with a
// message that says why, repairs a truncated one, and hands the rest to the scanner and a reader.
#include "chromeimport.h"

#include "chrometrace.h"
#include "foreigntracereader.h"
#include "owntracereader.h"
#include "pythonprogram.h"
#include "rawtrace.h"
#include "sessionfile.h"
#include "traceeventscanner.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>

using namespace Qt::StringLiterals;

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

using namespace traceimport;

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

// "3,221,225,473 bytes (3.0 GiB)": exact, so a size just over a limit never reads as equal to it.
QString bytesText(std::int64_t bytes)
{
    const QLocale english(QLocale::English);
    if (bytes < 1024)
        return u"%1 bytes"_s.arg(bytes);
    return u"%1 bytes (%2)"_s.arg(english.toString(qlonglong(bytes)), english.formattedDataSize(bytes, 1));
}

// "'FILE' is too large (...; at most ...)", what being "the file" or the file's name in quotes.
QString tooLarge(const QString& what, std::int64_t bytes, const ImportControl& control)
{
    return u"%1 is too large (%2; at most %3)"_s.arg(what, bytesText(bytes), bytesText(control.maxBytes));
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

// What makes bytes no JSON trace before any parse (empty, UTF-16, gzip, binary, too large...): one
// line saying so, or an empty string.
QString whyUnreadable(std::string_view data, const ImportControl& control)
{
    const std::size_t begin = skipSpace(data, 0);
    if (data.empty())
        return u"the file is empty"_s;
    if (begin == data.size())
        return u"the file holds only whitespace (%1)"_s.arg(bytesText(std::int64_t(data.size())));
    // UTF-16 (a byte order mark, or ASCII with every other byte zero): JSON traces are UTF-8.
    const bool utf16Bom = data.size() >= 2
        && ((std::uint8_t(data[0]) == 0xFF && std::uint8_t(data[1]) == 0xFE)
            || (std::uint8_t(data[0]) == 0xFE && std::uint8_t(data[1]) == 0xFF));
    const bool utf16Bare = data.size() >= 4
        && ((data[1] == 0 && data[3] == 0 && data[0] != 0) || (data[0] == 0 && data[2] == 0 && data[1] != 0));
    if (utf16Bom || utf16Bare)
        return u"the file is UTF-16 text; traces are read as UTF-8: convert it first (iconv -f UTF-16 -t UTF-8 FILE)"_s;
    if (data.size() >= 2 && std::uint8_t(data[0]) == 0x1f && std::uint8_t(data[1]) == 0x8b)
        return u"the file is gzip-compressed: unpack it first (gunzip FILE)"_s;
    if (looksBinary(data))
        return u"the file is binary, not a JSON trace"_s;
    if (data[begin] != '{' && data[begin] != '[')
        return u"not a JSON trace: it does not start with '{' or '['"_s;
    if (std::int64_t(data.size()) > control.maxBytes)
        return tooLarge(u"the file"_s, std::int64_t(data.size()), control);
    return {};
}

// A parse that failed, said precisely where that can be: a byte that is not UTF-8, or text after a
// complete document. Empty otherwise.
QString preciseParseError(std::string_view data, const QString& parseError)
{
    if (parseError.contains(u"UTF-8"_s)) {
        if (const std::size_t at = firstInvalidUtf8(data); at != std::string_view::npos) {
            return u"not a valid JSON trace: the byte at offset %1 (0x%2) is not UTF-8"_s.arg(at).arg(
                std::uint8_t(data[at]), 2, 16, QChar(u'0'));
        }
    }
    const std::size_t end = endOfFirstValue(data);
    if (end == std::string_view::npos)
        return {};
    const std::size_t begin = skipSpace(data, 0);
    const std::size_t next = skipSpace(data, end);
    // Stray text only when what comes before it is a whole, valid document (the bytes after it
    // serve as the parser's padding).
    simdjson::dom::parser whole;
    if (next < data.size() && !whole.parse(data.data() + begin, end - begin, false).error()) {
        return u"not a valid JSON trace: the JSON ends at byte %1, then stray text follows: '%2'"_s.arg(end).arg(
            QString::fromUtf8(data.substr(next, 24)));
    }
    return {};
}

// The scanned records into lanes, by the reader of their format.
std::optional<ImportedTrace> build(TraceEventScanner& scanner, RawTrace& trace, const ImportControl& control,
                                  QString* error)
{
    scanner.addReadingWarnings();
    ImportReport& report = trace.report;
    const QJsonObject& other = trace.other;
    ImportedTrace out;
    report.generator = other.value(u"generator"_s).toString();
    const bool own = other.value(u"format"_s).toString() == QString::fromLatin1(InterleaveTraceFormat);
    report.format = own ? QString::fromLatin1(InterleaveTraceFormat) : u"chrome-json"_s;
    if (own) {
        // A run of a lesson: the lesson and its settings must be ones this Interleave can run, as
        // --set and session files require (a hand-edited header must not smuggle an unknown
        // lesson or an out-of-range value into the summary or the window).
        const QJsonObject asSession{{u"schema"_s, u"interleave.session/1"_s},
                                    {u"scenario"_s, other.value(u"scenario"_s)},
                                    {u"params"_s, other.value(u"params"_s)}};
        QString why;
        // A traced Python program (--python) is a run of no lesson, with no settings.
        const bool program = other.value(u"scenario"_s).toString() == QLatin1String(ScenarioId)
            && other.value(u"params"_s).toObject().isEmpty();
        if (!program && !parseSession(QJsonDocument(asSession).toJson(QJsonDocument::Compact), &why)) {
            *error = u"the trace says it is an Interleave run, but its lesson does not check out: %1"_s.arg(why);
            return std::nullopt;
        }
        OwnTraceReader(trace, out).read();
    } else {
        ForeignTraceReader(trace, out, control.maxLanes).read();
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

// A trace cut short (its writer died): what is complete, as trace viewers show it; nullopt with
// the first parse's error when it cannot be repaired. The buffer is importPadded's.
std::optional<ImportedTrace> importRepaired(char* buffer, std::string_view data, const QString& parseError,
                                            const ImportControl& control, QString* error)
{
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
    RawTrace trace;
    trace.report.bytes = std::int64_t(data.size());
    TraceEventScanner scanner(control, std::int64_t(data.size()), trace);
    QString againError;
    if (!scanner.scan(fixed, &againError)) {
        *error = parseError;
        return std::nullopt;
    }
    trace.report.warnings.append(
        dropped == 0 ? u"the file ends early (truncated): its event array is never closed"_s
                     : u"the file ends early (truncated): the last %1 bytes, after the last complete event, "
                       "were ignored"_s.arg(dropped));
    auto out = build(scanner, trace, control, error);
    if (out)
        out->report.bytes = std::int64_t(data.size());
    return out;
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
    if (QString why = whyUnreadable(data, control); !why.isEmpty()) {
        *error = std::move(why);
        return std::nullopt;
    }
    QString parseError;
    {
        // Scoped: a failed first parse must not hold its records while the repaired file is read.
        RawTrace trace;
        trace.report.bytes = std::int64_t(data.size());
        TraceEventScanner scanner(control, std::int64_t(data.size()), trace);
        if (scanner.scan(json, &parseError))
            return build(scanner, trace, control, error);
    }
    if (parseError == "cancelled"_L1) {
        *error = parseError;
        return std::nullopt;
    }
    if (QString why = preciseParseError(data, parseError); !why.isEmpty()) {
        *error = std::move(why);
        return std::nullopt;
    }
    return importRepaired(buffer, data, parseError, control, error);
}
} // namespace

std::optional<ImportedTrace> importChromeTraceData(std::string_view data, QString* error,
                                                   const ImportControl& control)
{
    QString scratch;
    if (!error)
        error = &scratch;
    if (std::int64_t(data.size()) > control.maxBytes) {
        *error = tooLarge(u"the file"_s, std::int64_t(data.size()), control);
        return std::nullopt;
    }
    simdjson::padded_string json(data);
    return importPadded(json.data(), json.size(), error, control);
}

namespace {

// A large file read a piece at a time and parsed as it comes: the file is never in memory whole.
// *declined when it is not plain enough for that (TraceEventScanner::scanStream): the caller then
// reads it whole, as a small one, which gives the same import or says what is wrong with it.
std::optional<ImportedTrace> importStreamed(QFile& file, const QFileInfo& info, const ImportControl& control,
                                            QString* error, bool* declined)
{
    *declined = true;
    const std::int64_t size = file.size();
    TraceFileStream in(file, size, std::clamp<std::size_t>(control.chunkBytes / 4, 4096, std::size_t(1) << 20));
    // What whyUnreadable looks at (the first 4 KiB) and no byte order mark: else the other way.
    while (in.size() < 4096 && in.more()) {
    }
    const std::string_view head(in.data(), in.size());
    if (head.size() < std::min<std::size_t>(std::size_t(size), 4096) || head.substr(0, 3) == "\xEF\xBB\xBF"
        || !whyUnreadable(head, control).isEmpty())
        return std::nullopt;
    RawTrace trace;
    trace.report.bytes = size;
    TraceEventScanner scanner(control, size, trace);
    const TraceEventScanner::Streamed streamed = scanner.scanStream(in, error);
    if (streamed == TraceEventScanner::Streamed::Declined)
        return std::nullopt;
    *declined = false;
    std::optional<ImportedTrace> out;
    if (streamed == TraceEventScanner::Streamed::Done)
        out = build(scanner, trace, control, error);
    if (!out) {
        *error = u"'%1': %2"_s.arg(info.fileName(), *error);
        return out;
    }
    out->report.file = info.fileName();
    out->report.streamed = true;
    return out;
}

} // namespace

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
        *error = tooLarge(u"'%1'"_s.arg(path), file.size(), control);
        return std::nullopt;
    }
    // Read, not mapped: a mapped file that another program truncates kills the reader with
    // SIGBUS. A large file is read a piece at a time and parsed as it comes (importStreamed); one
    // that is not plain enough for that, and a small one, is read once, straight into the parser's
    // padded buffer; a file that shrinks or grows meanwhile is imported as far as it was read, and
    // says so.
    // The size at the start, also for the second way: a file that shrank meanwhile says so.
    const qint64 size = file.size();
    if (size >= qint64(control.chunkedFrom)) {
        bool declined = false;
        auto out = importStreamed(file, info, control, error, &declined);
        if (!declined)
            return out;
        if (!file.seek(0)) {
            *error = u"cannot read '%1': %2"_s.arg(path, file.errorString());
            return std::nullopt;
        }
    }
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
