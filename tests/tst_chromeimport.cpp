// Chrome trace import: every form other tools write, the real traces of ../shared/traces, and
// every kind of bad file.
#include "chromeimport.h"
#include "chrometrace.h"
#include "csvexport.h"
#include "summary.h"
#include "tracestore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QFileInfo>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

std::optional<ImportedTrace> load(std::string_view json, QString* error = nullptr)
{
    QString scratch;
    return importChromeTraceData(json, error ? error : &scratch);
}

const LaneData* laneNamed(const TraceContents& c, const QString& name)
{
    for (const LaneData& l : c.lanes) {
        if (l.name == name)
            return &l;
    }
    return nullptr;
}

QString sliceName(const TraceContents& c, const NamedSlice& s)
{
    return c.texts[s.name];
}

QString tracesDir()
{
    return QStringLiteral(SHARED_TRACES_DIR);
}

} // namespace

// moc 6.4 misreads raw string literals with quotes: the class only declares, bodies follow.
class TestChromeImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void arrayAndObjectForms();
    void unterminatedArray();
    void beginEndNestingOutOfOrder();
    void unclosedBeginIsCutAtTheLaneEnd();
    void instantsCountersAndMetadata();
    void flows();
    void asyncSlices();
    void severalProcessesWithTheSameTids();
    void summaryOfForeignTrace();
    void badInput_data();
    void badInput();
    void badFiles();
    void progressAndCancel();
    void readingChangesAreReported_data();
    void readingChangesAreReported();
    void utf8ByteOrderMarkIsAccepted();
    void streamedFileReadsWhatTheBufferReads_data();
    void streamedFileReadsWhatTheBufferReads();
    void chunkedParseReadsWhatTheWholeParseReads_data();
    void chunkedParseReadsWhatTheWholeParseReads();
    void ownFormatMakesLanesOnlyForItsTids();
    void fileShrinkingWhileReadIsImportedAsFarAsRead();
    void foreignTraceSurvivesReExport();
    // The real traces of other tools: every one opens, keeps most of what it has, and says what
    // it skipped.
    void realTraces_data();
    void realTraces();
};

void TestChromeImport::arrayAndObjectForms()
{
    const char* array = R"([{"ph":"X","name":"work","pid":1,"tid":2,"ts":10,"dur":5}])";
    const char* object = R"({"traceEvents":[{"ph":"X","name":"work","pid":1,"tid":2,"ts":10,"dur":5}],
                             "displayTimeUnit":"ns","otherData":{"version":"x"}})";
    for (const char* json : {array, object}) {
        const auto t = load(json);
        QVERIFY(t);
        QCOMPARE(t->contents.lanes.size(), std::size_t(1));
        const LaneData& lane = t->contents.lanes[0];
        QCOMPARE(lane.slices.size(), std::size_t(1));
        QCOMPARE(lane.slices[0].start, 0);     // times start at the first event
        QCOMPARE(lane.slices[0].end, 5000);    // us -> ns
        QCOMPARE(sliceName(t->contents, lane.slices[0]), u"work"_s);
        QCOMPARE(t->report.kept, 1);
        QCOMPARE(t->run.ended, u"imported"_s);
    }
}

void TestChromeImport::unterminatedArray()
{
    // A writer that died: no closing bracket, a trailing comma, half an event.
    const char* json = R"([{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":4},
                           {"ph":"X","name":"b","pid":1,"tid":1,"ts":5,"dur":1},
                           {"ph":"X","name":"c","pid":1,"ti)";
    const auto t = load(json);
    QVERIFY(t);
    QCOMPARE(t->contents.lanes[0].slices.size(), std::size_t(2));
    QCOMPARE(t->report.warnings.size(), 1);
    QVERIFY(t->report.warnings[0].contains(u"truncated"_s));
    // And cut right after an event, the common case.
    const auto t2 = load(R"([{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":4},)");
    QVERIFY(t2);
    QCOMPARE(t2->contents.lanes[0].slices.size(), std::size_t(1));
}

void TestChromeImport::beginEndNestingOutOfOrder()
{
    // Listed out of time order, as speedscope's sample: A (0..10) holds B (1..9) holds C (2..8).
    const char* json = R"([
        {"pid":0,"tid":0,"ph":"B","name":"B","ts":1}, {"pid":0,"tid":0,"ph":"E","name":"B","ts":9},
        {"pid":0,"tid":0,"ph":"B","name":"A","ts":0}, {"pid":0,"tid":0,"ph":"E","name":"A","ts":10},
        {"pid":0,"tid":0,"ph":"B","name":"C","ts":2}, {"pid":0,"tid":0,"ph":"E","name":"C","ts":8},
        {"pid":0,"tid":0,"ph":"E","name":"orphan","ts":11}])";
    const auto t = load(json);
    QVERIFY(t);
    const LaneData& lane = t->contents.lanes[0];
    QCOMPARE(lane.slices.size(), std::size_t(3));
    QCOMPARE(lane.sliceDepth, 3);
    for (const NamedSlice& s : lane.slices) {
        const QString name = sliceName(t->contents, s);
        const int expected = name == "A"_L1 ? 0 : name == "B"_L1 ? 1 : 2;
        QCOMPARE(int(s.depth), expected);
    }
    QCOMPARE(t->report.skipped.at(u"E: end without a begin"_s), 1);
}

void TestChromeImport::unclosedBeginIsCutAtTheLaneEnd()
{
    const auto t = load(R"([{"pid":1,"tid":1,"ph":"B","name":"open","ts":0},
                            {"pid":1,"tid":1,"ph":"X","name":"x","ts":3,"dur":7}])");
    QVERIFY(t);
    const LaneData& lane = t->contents.lanes[0];
    QCOMPARE(lane.slices.size(), std::size_t(2));
    QCOMPARE(lane.slices[0].end, 10000);
    QVERIFY(lane.slices[0].flags & NamedSlice::Unclosed);
    QVERIFY(t->report.warnings.join(u' ').contains(u"never ended"_s));
}

void TestChromeImport::instantsCountersAndMetadata()
{
    const char* json = R"({"traceEvents":[
        {"ph":"M","name":"process_name","pid":7,"args":{"name":"Browser"}},
        {"ph":"M","name":"thread_name","pid":7,"tid":1,"args":{"name":"main"}},
        {"ph":"M","name":"thread_name","pid":7,"tid":2,"args":{"name":"io"}},
        {"ph":"M","name":"thread_sort_index","pid":7,"tid":2,"args":{"sort_index":"-1"}},
        {"ph":"i","name":"tick","pid":7,"tid":1,"ts":4,"s":"t"},
        {"ph":"I","name":"global","ts":6,"s":"g"},
        {"ph":"X","name":"run","pid":7,"tid":1,"ts":0,"dur":10},
        {"ph":"X","name":"read","pid":7,"tid":2,"ts":2,"dur":3},
        {"ph":"C","name":"memory","pid":7,"ts":0,"args":{"heap":"12.5","stack":3}},
        {"ph":"C","name":"memory","pid":7,"ts":5,"args":{"heap":20,"stack":4}},
        {"ph":"C","name":"jobs","pid":7,"ts":1,"id":"a","args":{"value":1}},
        {"ph":"P","name":"sample","pid":7,"tid":1,"ts":1}]})";
    const auto t = load(json);
    QVERIFY(t);
    const TraceContents& c = t->contents;
    QCOMPARE(c.lanes.size(), std::size_t(2));
    QCOMPARE(c.lanes[0].name, u"io"_s); // thread_sort_index (as a string) puts it first
    QCOMPARE(c.lanes[1].name, u"main"_s);
    const LaneData* main = laneNamed(c, u"main"_s);
    QVERIFY(main);
    // The thread's instant, and the global one on the first thread of the first process.
    QCOMPARE(main->markers.size(), std::size_t(2));
    QCOMPARE(c.texts[std::size_t(main->markers[0].value)], u"tick"_s);
    QCOMPARE(c.texts[std::size_t(main->markers[1].value)], u"global"_s);
    QVERIFY(laneNamed(c, u"io"_s)->markers.empty());

    QCOMPARE(c.objects.size(), std::size_t(3));
    QStringList names;
    for (const ObjectData& o : c.objects) {
        QCOMPARE(o.kind, ObjectKind::Counter);
        names << o.name;
    }
    names.sort();
    QCOMPARE(names, (QStringList{u"jobs a"_s, u"memory.heap"_s, u"memory.stack"_s}));
    for (const ObjectData& o : c.objects) {
        if (o.name == "memory.heap"_L1) {
            QCOMPARE(o.counter.size(), std::size_t(2));
            QCOMPARE(o.counter[0].value, 12.5); // a number written as a string
            QCOMPARE(o.counter[1].value, 20.0);
        }
    }
    QCOMPARE(t->report.skipped.at(u"P: sample (stack samples are not shown)"_s), 1);
}

void TestChromeImport::flows()
{
    const char* json = R"([
        {"ph":"X","name":"post","pid":1,"tid":1,"ts":0,"dur":2},
        {"ph":"X","name":"run","pid":1,"tid":2,"ts":5,"dur":2},
        {"ph":"X","name":"reply","pid":1,"tid":3,"ts":9,"dur":2},
        {"ph":"s","name":"task","cat":"t","id":"0x1","pid":1,"tid":1,"ts":1},
        {"ph":"t","name":"task","cat":"t","id":"0x1","pid":1,"tid":2,"ts":6},
        {"ph":"f","bp":"e","name":"task","cat":"t","id":"0x1","pid":1,"tid":3,"ts":10},
        {"ph":"f","name":"task","cat":"t","id":"0x2","pid":1,"tid":3,"ts":10},
        {"ph":"X","name":"a","pid":1,"tid":1,"ts":20,"dur":1,"bind_id":"0x9","flow_out":true},
        {"ph":"X","name":"b","pid":1,"tid":3,"ts":22,"dur":1,"bind_id":"0x9","flow_in":true}])";
    const auto t = load(json);
    QVERIFY(t);
    auto flows = t->contents.flows;
    QCOMPARE(flows.size(), std::size_t(3)); // s->t, t->f, and the bind_id pair
    std::sort(flows.begin(), flows.end(), [](const FlowArrow& a, const FlowArrow& b) { return a.t0 < b.t0; });
    QCOMPARE(flows[2].t0, 20000);
    QCOMPARE(flows[2].t1, 22000);
    QCOMPARE(flows[0].t0, 1000);
    QCOMPARE(flows[0].t1, 6000);
    QCOMPARE(flows[1].t1, 10000);
    QVERIFY(flows[0].lane0 != flows[0].lane1);
    QCOMPARE(t->report.skipped.at(u"f: flow step without a start"_s), 1);
}

void TestChromeImport::asyncSlices()
{
    const char* json = R"({"traceEvents":[
        {"cat":"net","pid":5,"tid":1,"ts":10,"ph":"b","name":"REQUEST","id":"0x1"},
        {"cat":"net","pid":5,"tid":1,"ts":20,"ph":"b","name":"DNS","id":"0x1"},
        {"cat":"net","pid":5,"tid":1,"ts":25,"ph":"n","name":"resolved","id":"0x1"},
        {"cat":"net","pid":5,"tid":1,"ts":30,"ph":"e","name":"DNS","id":"0x1"},
        {"cat":"net","pid":5,"tid":1,"ts":90,"ph":"e","name":"REQUEST","id":"0x1"},
        {"cat":"net","pid":5,"tid":1,"ts":95,"ph":"e","name":"NEVER_BEGAN","id":"0x1"},
        {"cat":"old","pid":5,"tid":1,"ts":40,"ph":"S","name":"legacy","id":7},
        {"cat":"old","pid":5,"tid":1,"ts":45,"ph":"T","name":"legacy","id":7},
        {"cat":"old","pid":5,"tid":1,"ts":50,"ph":"F","name":"legacy","id":7}]})";
    const auto t = load(json);
    QVERIFY(t);
    const LaneData* async = laneNamed(t->contents, u"process 5 / async"_s);
    QVERIFY(async);
    QCOMPARE(async->slices.size(), std::size_t(3));
    QCOMPARE(async->markers.size(), std::size_t(1));
    QCOMPARE(async->sliceDepth, 2); // DNS and legacy overlap REQUEST
    QCOMPARE(t->report.skipped.at(u"e: async end without a begin"_s), 1);
}

void TestChromeImport::severalProcessesWithTheSameTids()
{
    const char* json = R"([
        {"ph":"M","name":"process_name","pid":1,"args":{"name":"A"}},
        {"ph":"X","name":"x","pid":1,"tid":0,"ts":0,"dur":1},
        {"ph":"X","name":"x","pid":2,"tid":0,"ts":0,"dur":1},
        {"ph":"X","name":"x","pid":"2","tid":1,"ts":0,"dur":1}])";
    const auto t = load(json);
    QVERIFY(t);
    QCOMPARE(t->contents.lanes.size(), std::size_t(3));
    QVERIFY(laneNamed(t->contents, u"A / thread 0"_s));
    QVERIFY(laneNamed(t->contents, u"process 2 / thread 0"_s));
}

void TestChromeImport::summaryOfForeignTrace()
{
    const auto t = load(R"([{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":1000},
                            {"ph":"C","name":"q","pid":1,"ts":0,"args":{"value":2}},
                            {"ph":"C","name":"q","pid":1,"ts":500,"args":{"value":4}}])");
    QVERIFY(t);
    TraceStore store;
    store.adopt(ImportedTrace(*t).contents);
    const QJsonObject s = buildSummary(store, t->run);
    QCOMPARE(s.value(u"ended"_s).toString(), u"imported"_s);
    QCOMPARE(s.value(u"wall_ms"_s).toDouble(), 1.0);
    const QJsonObject thread = s.value(u"threads"_s).toArray().at(0).toObject();
    QCOMPARE(thread.value(u"slices"_s).toInt(), 1);
    const QJsonObject counter = s.value(u"counters"_s).toArray().at(0).toObject();
    QCOMPARE(counter.value(u"samples"_s).toInt(), 2);
    QCOMPARE(counter.value(u"max"_s).toDouble(), 4.0);
    const QByteArray csv = summaryToCsv(s);
    QVERIFY(csv.startsWith("table,name,kind,wall_ms,running_ms"));
    QVERIFY(csv.contains("\r\ncounter,q,,"));
}

void TestChromeImport::badInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    const QByteArray x = R"({"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5})";
    QTest::newRow("stray text after the JSON") << QByteArray("[" + x + "] xyz") << u"the JSON ends at byte 54, then stray text follows: 'xyz'"_s;
    QTest::newRow("UTF-16 with a byte order mark") << QByteArray("\xff\xfe[\0{\0}\0]\0", 10) << u"UTF-16"_s;
    QTest::newRow("UTF-16 without one") << QByteArray("[\0{\0}\0]\0", 8) << u"UTF-16"_s;
    QTest::newRow("one byte that is not UTF-8") << QByteArray(R"([{"ph":"X","name":"a)" "\xff" R"(","ts":0}])")
                                                << u"the byte at offset 20 (0xff) is not UTF-8"_s;
    QTest::newRow("only whitespace, a lot of it") << QByteArray(100'000, ' ') << u"only whitespace (100,000 bytes"_s;
    // An Interleave header over events: its lesson and settings are checked as --set checks them.
    const QByteArray events = R"("traceEvents":[{"ph":"X","name":"Running","cat":"state","pid":1,"tid":1,"ts":0,"dur":5}]})";
    QTest::newRow("own format, unknown lesson")
        << QByteArray(R"({"otherData":{"format":"interleave.trace/1","scenario":"mandelbrot","params":{}},)" + events)
        << u"unknown scenario 'mandelbrot'"_s;
    QTest::newRow("own format, out-of-range setting")
        << QByteArray(R"({"otherData":{"format":"interleave.trace/1","scenario":"race","params":{"threads":100000}},)"
                      + events)
        << u"out of range"_s;
    QTest::newRow("whitespace") << QByteArray(" \n\t ") << u"only whitespace (4 bytes)"_s;
    QTest::newRow("binary") << QByteArray("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10) << u"binary"_s;
    QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8) << u"gzip"_s;
    QTest::newRow("text") << QByteArray("hello, world") << u"does not start"_s;
    QTest::newRow("numbers") << QByteArray("[1, 2, 3]") << u"none of the 3 events could be shown"_s;
    QTest::newRow("scalar") << QByteArray("  \"trace\"") << u"does not start"_s;
    QTest::newRow("no traceEvents") << QByteArray(R"({"foo": [1]})") << u"no \"traceEvents\""_s;
    QTest::newRow("traceEvents not array") << QByteArray(R"({"traceEvents": 3})") << u"not an array"_s;
    QTest::newRow("empty array") << QByteArray("[]") << u"no events"_s;
    QTest::newRow("truncated first event") << QByteArray(R"([{"ph":"X","na)") << u"JSON"_s;
    QTest::newRow("broken middle") << QByteArray(R"([{"ph":"X"}, {"ph": ]], {"ph":"X"}])") << u"malformed event"_s;
    QTest::newRow("bad utf8") << QByteArray("[{\"name\":\"\xff\xfe\"}]") << u"JSON"_s;
    QTest::newRow("only metadata") << QByteArray(R"([{"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"t"}}])")
                                   << u"could be shown"_s;
}

void TestChromeImport::badInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    QString error;
    const auto t = importChromeTraceData(std::string_view(bytes.constData(), std::size_t(bytes.size())), &error);
    QVERIFY(!t);
    QVERIFY2(error.contains(message, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestChromeImport::badFiles()
{
    QString error;
    QVERIFY(!importChromeTrace(u"/nonexistent/trace.json"_s, &error));
    QVERIFY2(error.contains(u"cannot open"_s), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(!importChromeTrace(dir.path(), &error));
    QVERIFY2(error.contains(u"folder"_s), qPrintable(error));

    // Too large for the configured limit: refused before reading.
    QFile big(dir.filePath(u"big.json"_s));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(4096, ' ') + "[]");
    big.close();
    ImportControl control;
    control.maxBytes = 1024;
    QVERIFY(!importChromeTrace(big.fileName(), &error, control));
    QVERIFY2(error.contains(u"too large"_s), qPrintable(error));
    // One byte over the limit reads as over it: exact sizes, not rounded ones.
    control.maxBytes = 4097;
    QVERIFY(!importChromeTrace(big.fileName(), &error, control));
    QVERIFY2(error.contains(u"(4,098 bytes (4.0 KiB); at most 4,097 bytes (4.0 KiB))"_s), qPrintable(error));
}

void TestChromeImport::progressAndCancel()
{
    QByteArray json = "[";
    for (int i = 0; i < 50'000; ++i)
        json += R"({"ph":"X","name":"s","pid":1,"tid":1,"ts":)" + QByteArray::number(i) + R"(,"dur":1},)";
    json += R"({"ph":"X","name":"s","pid":1,"tid":1,"ts":0,"dur":1}])";
    const std::string_view data(json.constData(), std::size_t(json.size()));

    std::vector<std::int64_t> seen;
    ImportControl control;
    control.progress = [&](std::int64_t done, std::int64_t total) {
        QCOMPARE(total, std::int64_t(json.size()));
        seen.push_back(done);
    };
    QString error;
    const auto t = importChromeTraceData(data, &error, control);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->contents.lanes[0].slices.size(), std::size_t(50'001));
    QVERIFY(seen.size() >= 5);
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QVERIFY(seen.back() <= json.size());

    std::atomic<bool> cancel{false};
    control.cancel = &cancel;
    control.progress = [&](std::int64_t, std::int64_t) { cancel.store(true); };
    QVERIFY(!importChromeTraceData(data, &error, control));
    QCOMPARE(error, u"cancelled"_s);
}

void TestChromeImport::realTraces_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("lanesAtLeast");
    if (!QDir(tracesDir()).exists())
        return;
    QTest::newRow("bazel-local-jobs-100") << u"bazel-local-jobs-100.json"_s << 1603 << 80;
    QTest::newRow("bazel-long-phase-negative-ts") << u"bazel-long-phase-negative-ts.json"_s << 9 << 1;
    QTest::newRow("catapult-flow") << u"catapult-flow.json"_s << 5017 << 9;
    QTest::newRow("catapult-instance_counters") << u"catapult-instance_counters.json"_s << 12 << 1;
    QTest::newRow("catapult-instant_events") << u"catapult-instant_events.json"_s << 5 << 1;
    QTest::newRow("catapult-main_thread_has_unclosed_slices")
        << u"catapult-main_thread_has_unclosed_slices.json"_s << 3386 << 5;
    QTest::newRow("catapult-multiple_input_latency") << u"catapult-multiple_input_latency.json"_s << 18023 << 5;
    QTest::newRow("catapult-nanoseconds") << u"catapult-nanoseconds.json"_s << 16 << 1;
    QTest::newRow("catapult-nestable_async") << u"catapult-nestable_async.json"_s << 20 << 1;
    QTest::newRow("catapult-simple_trace") << u"catapult-simple_trace.json"_s << 37 << 2;
    QTest::newRow("catapult-x_event_trace") << u"catapult-x_event_trace.json"_s << 4027 << 4;
    QTest::newRow("perfetto-connected_flow_data") << u"perfetto-connected_flow_data.json"_s << 12 << 4;
    QTest::newRow("perfetto-flow_events_json_v2") << u"perfetto-flow_events_json_v2.json"_s << 8 << 4;
    QTest::newRow("speedscope-chrome116-trace") << u"speedscope-chrome116-trace.json"_s << 3108 << 5;
    QTest::newRow("speedscope-chrome65-simple-timeline")
        << u"speedscope-chrome65-simple-timeline.json"_s << 3551 << 10;
    QTest::newRow("speedscope-multiprocess") << u"speedscope-multiprocess.json"_s << 17 << 8;
    QTest::newRow("speedscope-out-of-order") << u"speedscope-out-of-order.json"_s << 6 << 1;
    QTest::newRow("speedscope-simple-partial") << u"speedscope-simple-partial.json"_s << 6 << 1;
    QTest::newRow("viztracer-logging_integration") << u"viztracer-logging_integration.json"_s << 86 << 1;
    QTest::newRow("viztracer-vdb_basic") << u"viztracer-vdb_basic.json"_s << 19 << 1;
}

void TestChromeImport::realTraces()
{
    if (!QDir(tracesDir()).exists())
        QSKIP("../shared/traces is not here");
    QFETCH(QString, file);
    QFETCH(int, events);
    QFETCH(int, lanesAtLeast);
    QString error;
    const auto t = importChromeTrace(QDir(tracesDir()).filePath(file), &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->report.events, std::int64_t(events));
    QVERIFY2(int(t->contents.lanes.size()) >= lanesAtLeast, qPrintable(QString::number(t->contents.lanes.size())));
    QVERIFY(t->report.kept > 0);
    std::int64_t skipped = 0;
    for (const auto& [why, n] : t->report.skipped)
        skipped += n;
    // B/E and b/e pairs count twice, flows and counters once: never more kept than read.
    QVERIFY(t->report.kept + skipped <= t->report.events);
    QVERIFY2(t->report.kept * 2 >= t->report.events, qPrintable(t->report.text()));
    for (const LaneData& lane : t->contents.lanes) {
        QVERIFY(lane.begin <= lane.end);
        QVERIFY(lane.begin >= 0);
        QVERIFY(std::is_sorted(lane.slices.begin(), lane.slices.end(),
                               [](const NamedSlice& a, const NamedSlice& b) { return a.start < b.start; }));
        for (const NamedSlice& s : lane.slices)
            QVERIFY(s.start <= s.end && int(s.depth) < lane.sliceDepth);
    }
    if (file == "speedscope-simple-partial.json"_L1)
        QVERIFY(t->report.warnings.join(u' ').contains(u"truncated"_s));
    if (file == "catapult-main_thread_has_unclosed_slices.json"_L1)
        QVERIFY(t->report.warnings.join(u' ').contains(u"4 slices began but never ended"_s));
    if (file == "catapult-instance_counters.json"_L1)
        QCOMPARE(t->contents.objects.size(), std::size_t(2)); // "counter 123" and "counter b"
    if (file == "speedscope-multiprocess.json"_L1)
        QCOMPARE(t->contents.lanes.size(), std::size_t(8));
}

// Another tool's trace, exported again from Interleave and imported once more, keeps its lanes,
// slices, instants, counters and flows.
void TestChromeImport::foreignTraceSurvivesReExport()
{
    const char* json = R"([
        {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"main"}},
        {"ph":"X","name":"outer","cat":"c","pid":1,"tid":1,"ts":0,"dur":100},
        {"ph":"X","name":"inner","pid":1,"tid":1,"ts":10,"dur":20},
        {"ph":"X","name":"work","pid":1,"tid":2,"ts":5,"dur":50},
        {"ph":"i","name":"tick","pid":1,"tid":2,"ts":7,"s":"t"},
        {"ph":"C","name":"mem","pid":1,"ts":0,"args":{"value":1.5}},
        {"ph":"C","name":"mem","pid":1,"ts":60,"args":{"value":2.5}},
        {"ph":"s","name":"f","cat":"x","id":1,"pid":1,"tid":1,"ts":12},
        {"ph":"f","name":"f","cat":"x","id":1,"pid":1,"tid":2,"ts":40}])";
    const auto first = load(json);
    QVERIFY(first);
    TraceStore store;
    store.adopt(ImportedTrace(*first).contents);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ChromeTraceInfo info;
    info.run = first->run;
    QVERIFY(writeChromeTrace(store, info, buffer));
    QString error;
    const auto again = importChromeTraceData(std::string_view(buffer.data().constData(), std::size_t(buffer.size())), &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(!again->ownFormat);
    const TraceContents& a = first->contents;
    const TraceContents& b = again->contents;
    QCOMPARE(b.lanes.size(), a.lanes.size());
    for (std::size_t l = 0; l < a.lanes.size(); ++l) {
        QCOMPARE(b.lanes[l].name, a.lanes[l].name);
        QCOMPARE(b.lanes[l].slices.size(), a.lanes[l].slices.size());
        QCOMPARE(b.lanes[l].sliceDepth, a.lanes[l].sliceDepth);
        QCOMPARE(b.lanes[l].markers.size(), a.lanes[l].markers.size());
        for (std::size_t i = 0; i < a.lanes[l].slices.size(); ++i) {
            QCOMPARE(b.texts[b.lanes[l].slices[i].name], a.texts[a.lanes[l].slices[i].name]);
            QCOMPARE(b.lanes[l].slices[i].end - b.lanes[l].slices[i].start,
                     a.lanes[l].slices[i].end - a.lanes[l].slices[i].start);
        }
    }
    QCOMPARE(b.flows.size(), a.flows.size());
    QCOMPARE(b.objects.size(), a.objects.size());
    QCOMPARE(b.objects[0].name, u"mem"_s);
    QCOMPARE(b.objects[0].counter.size(), std::size_t(2));
    QCOMPARE(b.objects[0].counter[1].value, 2.5);
}

void TestChromeImport::readingChangesAreReported_data()
{
    // Accepted, but what reading changed or left out is said in the report, not silently done.
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("warning");
    const QByteArray x = R"({"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5})";
    QTest::newRow("a second document") << QByteArray("[" + x + "][" + x + "]") << u"goes on after its JSON ends (at byte 54)"_s;
    QTest::newRow("two traceEvents arrays") << QByteArray(R"({"traceEvents":[)" + x + R"(],"traceEvents":[)" + x + "]}")
                                            << u"2 \"traceEvents\" arrays"_s;
    QTest::newRow("a time beyond 64-bit nanoseconds")
        << QByteArray(R"([{"ph":"X","name":"a","pid":1,"tid":1,"ts":1e300,"dur":5},)" + x + "]") << u"clamped"_s;
    QTest::newRow("a negative duration")
        << QByteArray(R"([{"ph":"X","name":"a","pid":1,"tid":1,"ts":3,"dur":-5},)" + x + "]") << u"negative duration"_s;
    QTest::newRow("timestamps that are not numbers")
        << QByteArray(R"([{"ph":"X","name":"a","pid":1,"tid":1,"ts":1e400,"dur":5},{"ph":"X","name":"a","pid":1,"tid":1,"ts":"1e999","dur":5},)"
                      + x + "]")
        << u"2 timestamps or durations were not finite numbers (e.g. 1e400)"_s;
}

void TestChromeImport::readingChangesAreReported()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, warning);
    QString error;
    const auto trace = importChromeTraceData(std::string_view(data.constData(), std::size_t(data.size())), &error);
    QVERIFY2(trace, qPrintable(error));
    const QString all = trace->report.warnings.join(u"\n"_s);
    QVERIFY2(all.contains(warning), qPrintable(all));
}

void TestChromeImport::ownFormatMakesLanesOnlyForItsTids()
{
    // A 276-byte hand-edited Interleave trace with tid 65536 made 65,536 empty lanes.
    const QByteArray data = R"({"otherData":{"format":"interleave.trace/1","scenario":"race","params":{}},"traceEvents":[)"
                            R"({"ph":"M","name":"thread_name","pid":1,"tid":65536,"args":{"name":"worker-9"}},)"
                            R"({"ph":"X","cat":"state","name":"Running","pid":1,"tid":65536,"ts":0,"dur":5},)"
                            R"({"ph":"X","cat":"state","name":"Sleeping","pid":1,"tid":2,"ts":0,"dur":5}]})";
    QString error;
    const auto trace = importChromeTraceData(std::string_view(data.constData(), std::size_t(data.size())), &error);
    QVERIFY2(trace, qPrintable(error));
    QCOMPARE(trace->contents.lanes.size(), std::size_t(2));
    QCOMPARE(trace->contents.lanes[0].name, u"lane-1"_s);   // tid 2, first in tid order
    QCOMPARE(trace->contents.lanes[1].name, u"worker-9"_s); // tid 65536
    QCOMPARE(trace->contents.lanes[1].intervals.size(), std::size_t(1));
}

void TestChromeImport::chunkedParseReadsWhatTheWholeParseReads_data()
{
    QTest::addColumn<QByteArray>("data");
    // Every kind of event the importer reads, with strings that hold brackets, commas and
    // escaped quotes (the chunk boundaries must not be fooled by them), in both root forms.
    QByteArray events;
    for (int i = 0; i < 3000; ++i) {
        const QByteArray n = QByteArray::number(i);
        const QByteArray tid = QByteArray::number(i % 5 + 1);
        events += (i ? ",\n" : "") + QByteArray(R"({"ph":"X","name":"x],[{\"a\",)") + n + R"(","cat":"c","pid":1,"tid":)" + tid
            + R"(,"ts":)" + n + R"(0,"dur":7,"args":{"k":[1,{"v":"]}"}]}},)"
            + R"({"ph":"B","name":"b","pid":1,"tid":)" + tid + R"(,"ts":)" + n + R"(1},)"
            + R"({"ph":"E","pid":1,"tid":)" + tid + R"(,"ts":)" + n + R"(5},)"
            + R"({"ph":"i","s":"p","name":"mark","pid":2,"ts":)" + n + R"(2},)"
            + R"({"ph":"C","name":"depth","pid":1,"ts":)" + n + R"(3,"args":{"value":)" + n + R"(},"extra":"}"},)"
            + R"({"ph":"b","cat":"a","name":"async","id":)" + n + R"(,"pid":1,"ts":)" + n + R"(4},)"
            + R"({"ph":"e","cat":"a","name":"async","id":)" + n + R"(,"pid":1,"ts":)" + n + R"(9},)"
            + R"({"ph":"s","cat":"f","name":"flow","id":)" + n + R"(,"pid":1,"tid":1,"ts":)" + n + R"(0},)"
            + R"({"ph":"f","cat":"f","name":"flow","id":)" + n + R"(,"pid":1,"tid":2,"ts":)" + n + R"(6},)"
            + "  7, \"not an event\"";
    }
    const QByteArray meta = R"({"ph":"M","name":"thread_name","pid":1,"tid":3,"args":{"name":"three"}})";
    QTest::newRow("array") << QByteArray("[" + meta + ",\n" + events + "]");
    QTest::newRow("object, otherData first, two arrays")
        << QByteArray(R"({"otherData":{"x":"[,]"},"traceEvents":[)" + meta + "," + events + R"(], "other": [1,2], "traceEvents" : [)"
                      + events + "]  }");
}

void TestChromeImport::chunkedParseReadsWhatTheWholeParseReads()
{
    QFETCH(QByteArray, data);
    ImportControl whole;
    whole.chunkedFrom = std::size_t(-1);
    ImportControl chunked;
    chunked.chunkedFrom = 0;
    chunked.chunkBytes = 4096; // many chunks, boundaries everywhere
    QString error;
    auto a = importChromeTraceData(std::string_view(data.constData(), std::size_t(data.size())), &error, whole);
    QVERIFY2(a, qPrintable(error));
    auto b = importChromeTraceData(std::string_view(data.constData(), std::size_t(data.size())), &error, chunked);
    QVERIFY2(b, qPrintable(error));
    QCOMPARE(a->report.chunks, 0);
    QVERIFY2(b->report.chunks > 20, qPrintable(QString::number(b->report.chunks)));
    QCOMPARE(b->report.events, a->report.events);
    QCOMPARE(b->report.kept, a->report.kept);
    QCOMPARE(b->report.skipped, a->report.skipped);
    QCOMPARE(b->report.warnings, a->report.warnings);
    TraceStore sa;
    TraceStore sb;
    const RunDescription ra = a->run;
    const RunDescription rb = b->run;
    sa.adopt(std::move(a->contents));
    sb.adopt(std::move(b->contents));
    QCOMPARE(buildSummary(sb, rb), buildSummary(sa, ra));
    QVERIFY(sa.laneCount() >= 5);
}

void TestChromeImport::utf8ByteOrderMarkIsAccepted()
{
    const QByteArray data = "\xEF\xBB\xBF[" + QByteArray(R"({"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5})") + "]";
    QString error;
    const auto trace = importChromeTraceData(std::string_view(data.constData(), std::size_t(data.size())), &error);
    QVERIFY2(trace, qPrintable(error));
    QCOMPARE(trace->report.kept, 1);
}

namespace {

// An Interleave run's trace, its header (otherData) first or last; args on its states, holds and
// instants when asked (the own reader reads them).
QByteArray ownTrace(bool headerFirst, bool args)
{
    const QByteArray header = R"("otherData":{"end_ns":900000000,"ended":"completed","events":{"dropped":0,"recorded":9},)"
        R"("format":"interleave.trace/1","generator":"interleave","objects":[{"capacity":0,"kind":"counter","name":"counter"},)"
        R"({"capacity":0,"kind":"lock","name":"counter_lock"}],"outcome":{"actual":100,"expected":100,"lost_updates":0},)"
        R"("params":{"increments":50,"lock":true,"threads":2,"window_us":0},"scenario":"race","wall_ms":0.5})";
    QByteArray events = R"({"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"main","kind":"main"}})";
    for (int i = 0; i < 4000; ++i) {
        const QByteArray t = QByteArray::number(i * 10);
        const QByteArray tid = QByteArray::number(1 + i % 3);
        const QByteArray state = args ? R"(,"args":{"object":"counter_lock"})" : "";
        const QByteArray hold = args ? R"(,"args":{"wait_us":1.5})" : "";
        events += ",\n" R"({"ph":"X","cat":"state","name":"WaitingLock","pid":1,"tid":)" + tid + R"(,"ts":)" + t
            + R"(,"dur":3)" + state + "},\n" + R"({"ph":"b","cat":"lock","name":"counter_lock","id":)" + QByteArray::number(i)
            + R"(,"pid":1,"tid":)" + tid + R"(,"ts":)" + t + hold + "},\n" + R"({"ph":"e","cat":"lock","name":"counter_lock","id":)"
            + QByteArray::number(i) + R"(,"pid":1,"tid":)" + tid + R"(,"ts":)" + t + "5},\n"
            + R"({"ph":"C","name":"counter","pid":1,"ts":)" + t + R"(,"args":{"value":)" + QByteArray::number(i) + "}}";
        if (args)
            events += ",\n" R"({"ph":"i","s":"t","name":"print","pid":1,"tid":1,"ts":)" + t + R"(,"args":{"text":"line"}})";
    }
    return headerFirst ? QByteArray("{" + header + R"(,"traceEvents":[)" + events + "]}")
                       : QByteArray(R"({"traceEvents":[)" + events + "]," + header + "}");
}

} // namespace

void TestChromeImport::streamedFileReadsWhatTheBufferReads_data()
{
    // A file from chunkedFrom on is read a piece at a time and never held whole; what is not
    // plain enough for that is read whole instead. Either way the import is the one of the bytes
    // in memory, down to the message for a file that is not a trace.
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("streamed");
    QByteArray events;
    for (int i = 0; i < 6000; ++i) {
        const QByteArray n = QByteArray::number(i);
        events += (i ? ",\n" : "") + QByteArray(R"({"ph":"X","name":"x],[{\"a\",é)") + n + R"(","pid":1,"tid":)"
            + QByteArray::number(i % 5 + 1) + R"(,"ts":)" + n + R"(0,"dur":7,"args":{"k":[1,{"v":"]}"}]}},)"
            + R"({"ph":"C","name":"depth","pid":1,"ts":)" + n + R"(3,"args":{"value":)" + n + R"(}},)"
            + R"({"ph":"b","cat":"a","name":"async","id":)" + n + R"(,"pid":1,"ts":)" + n + R"(4},)"
            + R"({"ph":"e","cat":"a","name":"async","id":)" + n + R"(,"pid":1,"ts":)" + n + R"(9},)"
            + R"({"ph":"s","cat":"f","name":"flow","id":)" + n + R"(,"pid":1,"tid":1,"ts":)" + n + R"(0},)"
            + R"({"ph":"f","cat":"f","name":"flow","id":)" + n + R"(,"pid":1,"tid":2,"ts":)" + n + R"(6}, 7)";
    }
    const QByteArray meta = R"({"ph":"M","name":"thread_name","pid":1,"tid":3,"args":{"name":"three"}})";
    const QByteArray object = R"({"traceEvents":[)" + meta + "," + events + "]}";
    QTest::newRow("array") << QByteArray("[" + meta + ",\n" + events + "]\n") << true;
    QTest::newRow("object") << object << true;
    QTest::newRow("two arrays, otherData between, metadata last")
        << QByteArray(R"({"traceEvents":[)" + events + R"(], "otherData":{"x":"[,]"}, "traceEvents" : [)" + meta + "," + events
                      + R"(],"metadata":{"a":{"b":[1,"}"]}}  })")
        << true;
    QTest::newRow("empty array first") << QByteArray(R"({"traceEvents":[ ],"traceEvents":[)" + events + "]}") << true;
    QTest::newRow("own trace, header first") << ownTrace(true, true) << true;
    QTest::newRow("own trace, header last, no args") << ownTrace(false, false) << true;
    QTest::newRow("own trace, header last after args it reads") << ownTrace(false, true) << false;
    QTest::newRow("truncated") << object.left(object.size() * 2 / 3) << false;
    QTest::newRow("stray text after") << QByteArray(object + " x") << false;
    QTest::newRow("trailing comma") << QByteArray(object.chopped(2) + ",]}") << false;
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF" + object) << false;
    QTest::newRow("escaped key") << QByteArray(R"({"trace\u0045vents":[)" + events + "]}") << false;
    QByteArray badUtf8 = object;
    badUtf8[badUtf8.size() / 2] = char(0xff);
    QTest::newRow("not UTF-8 in the middle") << badUtf8 << false;
    // Deeper than the parser's limit, in args that only the raw text of is kept: read either way.
    QTest::newRow("deep args") << QByteArray(object.chopped(2) + R"(,{"ph":"X","args":)" + QByteArray(2000, '[')
                                             + QByteArray(2000, ']') + "}]}")
                               << true;
    QTest::newRow("no events array") << QByteArray(R"({"traceEvents":{"a":1},"x":")" + QByteArray(300'000, 'y') + "\"}")
                                     << false;
}

void TestChromeImport::streamedFileReadsWhatTheBufferReads()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, streamed);
    QVERIFY(data.size() > 200'000);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"trace.json"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(data), data.size());
    }
    ImportControl inPieces;
    inPieces.chunkedFrom = 0;
    inPieces.chunkBytes = 4096; // many chunks and pieces, boundaries everywhere
    QString fileError;
    auto fromFile = importChromeTrace(path, &fileError, inPieces);
    QString memoryError;
    auto inMemory = importChromeTraceData(std::string_view(data.constData(), std::size_t(data.size())), &memoryError);
    QCOMPARE(fromFile.has_value(), inMemory.has_value());
    if (!inMemory) {
        QVERIFY(!memoryError.isEmpty());
        QCOMPARE(fileError, u"'trace.json': "_s + memoryError);
        return;
    }
    QCOMPARE(fromFile->report.streamed, streamed);
    QCOMPARE(fromFile->report.events, inMemory->report.events);
    QCOMPARE(fromFile->report.kept, inMemory->report.kept);
    QCOMPARE(fromFile->report.skipped, inMemory->report.skipped);
    QCOMPARE(fromFile->report.warnings, inMemory->report.warnings);
    QCOMPARE(fromFile->ownFormat, inMemory->ownFormat);
    TraceStore a;
    TraceStore b;
    const RunDescription ra = fromFile->run;
    const RunDescription rb = inMemory->run;
    a.adopt(std::move(fromFile->contents));
    b.adopt(std::move(inMemory->contents));
    QCOMPARE(buildSummary(a, ra), buildSummary(b, rb));
    QBuffer exportA;
    QBuffer exportB;
    QVERIFY(exportA.open(QIODevice::WriteOnly) && exportB.open(QIODevice::WriteOnly));
    ChromeTraceInfo info;
    info.run = ra;
    QVERIFY(writeChromeTrace(a, info, exportA));
    info.run = rb;
    QVERIFY(writeChromeTrace(b, info, exportB));
    QCOMPARE(exportA.data(), exportB.data());
}

void TestChromeImport::fileShrinkingWhileReadIsImportedAsFarAsRead()
{
    // Another program truncates the trace while it is read (a writer starting over, a log
    // rotation). The importer read through a memory map, and the kernel killed it with SIGBUS;
    // now it reads into memory and shows what it could read, saying so.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"big.json"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[");
        for (int i = 0; i < 400'000; ++i) {
            const QByteArray chunk = (i ? ",\n" : "") + QByteArray(R"({"ph":"X","name":"work","pid":1,"tid":)")
                + QByteArray::number(i % 8) + R"(,"ts":)" + QByteArray::number(i * 10)
                + R"(,"dur":5,"args":{"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}})";
            f.write(chunk);
        }
        f.write("]");
    }
    QVERIFY(QFileInfo(path).size() > 40 << 20);
    ImportControl control;
    bool truncated = false;
    control.reading = [&](std::int64_t, std::int64_t) {
        if (!truncated) {
            truncated = true;
            QFile::resize(path, 1 << 20);
        }
    };
    QString error;
    const auto trace = importChromeTrace(path, &error, control);
    QVERIFY(truncated);
    QCOMPARE(QFileInfo(path).size(), qint64(1 << 20));
    QVERIFY2(trace, qPrintable(error));
    const QString warnings = trace->report.warnings.join(u"\n"_s);
    QVERIFY2(warnings.contains(u"shrank while it was read"_s), qPrintable(warnings));
    QVERIFY(trace->report.kept > 1000); // what was read is shown
}

QTEST_GUILESS_MAIN(TestChromeImport)
#include "tst_chromeimport.moc"
