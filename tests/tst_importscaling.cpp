// The importer's time grows with the file, not with its square, for the pathological shapes
// hostile or careless files have: one process per event, as many threads as process-scope
// instants (of a process with no thread to show them on), a hundred thousand nestable async slices open at once, async
// ends in first-in-first-out order on one id. Each shape is generated at N and 8N events and
// imported in this process; the time is this thread's CPU time (what another job on the machine
// cannot inflate), the best of three. Linear work grows about 8x, up to about 15x where the large
// file no longer fits the caches (measured quietly; another job sharing the caches made it 1.5x
// worse); a quadratic path grows 64x. The limit, 8^1.6 = 27.9x, is a growth exponent of 1.6.
// Absolute figures (MB/s) belong in bench/ (P9).
#include "chromeimport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <ctime>
#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace interleave;
using namespace Qt::StringLiterals;

namespace {

std::int64_t threadCpuNs()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

using Generator = std::function<std::string(int n)>;

std::string array(int n, const std::function<void(std::string&, int)>& event)
{
    std::string s = "[";
    s.reserve(std::size_t(n) * 80);
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            s += ",\n";
        event(s, i);
    }
    return s + "]";
}

} // namespace

class TestImportScaling : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void linearInTheFile_data();
    void linearInTheFile();
    void lanesBeyondTheCapAreLeftOutAndCounted_data();
    void lanesBeyondTheCapAreLeftOutAndCounted();
};

void TestImportScaling::linearInTheFile_data()
{
    QTest::addColumn<Generator>("generate");
    QTest::addColumn<int>("n");
    QTest::newRow("one process per event") << Generator([](int n) {
        return array(n, [](std::string& s, int i) {
            s += R"({"ph":"X","name":"a","pid":)" + std::to_string(i) + R"(,"tid":1,"ts":)" + std::to_string(i)
                + R"(,"dur":1})";
        });
    }) << 5000;
    QTest::newRow("threads, and process-scope instants of a process without threads") << Generator([](int n) {
        return array(2 * n + 1, [n](std::string& s, int i) {
            if (i < n)
                s += R"({"ph":"X","name":"a","pid":1,"tid":)" + std::to_string(i) + R"(,"ts":)" + std::to_string(i)
                    + R"(,"dur":1})";
            else if (i < 2 * n)
                s += R"({"ph":"i","s":"p","name":"m","pid":2,"ts":)" + std::to_string(i) + "}";
            else
                s += R"({"ph":"i","s":"p","name":"m","pid":1,"ts":0})";
        });
    }) << 5000;
    QTest::newRow("nestable async slices open at once") << Generator([](int n) {
        return array(n, [](std::string& s, int i) {
            s += R"({"ph":"b","cat":"c","name":"a","id":)" + std::to_string(i) + R"(,"pid":1,"tid":1,"ts":)"
                + std::to_string(i) + "}";
        });
    }) << 20000;
    QTest::newRow("async ends first in, first out on one id") << Generator([](int n) {
        return array(2 * n, [n](std::string& s, int i) {
            const int k = i < n ? i : i - n;
            // Appended piece by piece: GCC 12 at -O2 under TSan warns (-Warray-bounds, a known false
            // positive) on a chain of + over a short temporary string.
            s += i < n ? R"({"ph":"b","cat":"c","name":"a)" : R"({"ph":"e","cat":"c","name":"a)";
            s += std::to_string(k);
            s += R"(","id":1,"pid":1,"tid":1,"ts":)";
            s += std::to_string(i);
            s += "}";
        });
    }) << 10000;
    QTest::newRow("more threads than lanes shown, one event each") << Generator([](int n) {
        return array(n, [](std::string& s, int i) {
            s += R"({"ph":"X","name":"a","pid":1,"tid":)" + std::to_string(i) + R"(,"ts":)" + std::to_string(i)
                + R"(,"dur":1})";
        });
    }) << 15000;
}

// A file with more threads than the cap: exactly cap lanes, the threads with the most events (ties:
// the first in the file), and the report's figures as counted here, from the generated file.
void TestImportScaling::lanesBeyondTheCapAreLeftOutAndCounted_data()
{
    QTest::addColumn<int>("cap"); // 0: the default
    QTest::addColumn<int>("threads");
    QTest::newRow("the default cap, 1,234 threads more") << 0 << 10'000 + 1'234;
    QTest::newRow("cap 50, 200 threads") << 50 << 200;
}

void TestImportScaling::lanesBeyondTheCapAreLeftOutAndCounted()
{
    QFETCH(int, cap);
    QFETCH(int, threads);
    ImportControl control;
    if (cap > 0)
        control.maxLanes = std::size_t(cap);
    cap = int(control.maxLanes);
    // Thread i has 1-4 X slices and an instant every third thread; events are written round-robin
    // so a thread's events are spread through the file.
    std::vector<int> eventsOf(std::size_t(threads), 0);
    std::vector<std::string> lines;
    for (int round = 0; round < 4; ++round) {
        for (int i = 0; i < threads; ++i) {
            const int slices = 1 + (i * 7919) % 4;
            if (round < slices) {
                lines.push_back(R"({"ph":"X","name":"a","pid":1,"tid":)" + std::to_string(i) + R"(,"ts":)"
                                + std::to_string(round * threads + i) + R"(,"dur":1})");
                ++eventsOf[std::size_t(i)];
            }
            if (round == 0 && i % 3 == 0) {
                lines.push_back(R"({"ph":"i","s":"t","name":"m","pid":1,"tid":)" + std::to_string(i) + R"(,"ts":5})");
                ++eventsOf[std::size_t(i)];
            }
        }
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"threads.json"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        std::string text = "[";
        for (std::size_t k = 0; k < lines.size(); ++k)
            text += (k > 0 ? ",\n" : "") + lines[k];
        text += "]";
        QCOMPARE(file.write(text.data(), qint64(text.size())), qint64(text.size()));
    }
    // Brute force: rank every thread by its events, then by tid (the order of first appearance).
    std::vector<int> order(static_cast<std::size_t>(threads));
    for (int i = 0; i < threads; ++i)
        order[std::size_t(i)] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return eventsOf[std::size_t(a)] > eventsOf[std::size_t(b)]; });
    std::set<QString> expectedNames;
    std::int64_t leftOutEvents = 0;
    int mostLeftOut = 0;
    for (int k = 0; k < threads; ++k) {
        const int i = order[std::size_t(k)];
        if (k < cap) {
            expectedNames.insert(u"thread %1"_s.arg(i));
        } else {
            leftOutEvents += eventsOf[std::size_t(i)];
            mostLeftOut = std::max(mostLeftOut, eventsOf[std::size_t(i)]);
        }
    }
    const int fewestKept = eventsOf[std::size_t(order[std::size_t(cap - 1)])];

    QString error;
    const auto trace = importChromeTrace(path, &error, control);
    QVERIFY2(trace, qPrintable(error));
    const std::vector<LaneData>& lanes = trace->contents.lanes;
    QCOMPARE(int(lanes.size()), cap);
    std::set<QString> names;
    std::int64_t shownEvents = 0;
    for (const LaneData& lane : lanes) {
        names.insert(lane.name);
        shownEvents += std::int64_t(lane.slices.size() + lane.markers.size());
    }
    QVERIFY(names == expectedNames);
    const ImportReport& report = trace->report;
    QCOMPARE(report.events, std::int64_t(lines.size()));
    QCOMPARE(report.kept, std::int64_t(lines.size()) - leftOutEvents);
    QCOMPARE(report.kept, shownEvents);
    QCOMPARE(report.skipped.size(), std::size_t(1));
    QCOMPARE(report.skipped.begin()->second, leftOutEvents);
    QCOMPARE(report.warnings.size(), qsizetype(1));
    const QLocale english(QLocale::English);
    const auto n = [&](std::int64_t v) -> QString { return english.toString(qlonglong(v)); };
    const auto events = [&](std::int64_t v) -> QString { return n(v) + (v == 1 ? u" event"_s : u" events"_s); };
    const QString expected = u"%1 lanes had events, more than the %2 shown: %3 threads with the fewest events were "
                             "left out (their %4, at most %5 each; ties go to the first in the file); the %2 busiest "
                             "are shown (at least %6 each)"_s.arg(n(threads), n(cap), n(threads - cap),
                                                                  events(leftOutEvents), events(mostLeftOut),
                                                                  events(fewestKept));
    QCOMPARE(report.warnings.front(), expected);
    // The summary's "source" carries it.
    const QJsonObject json = report.toJson();
    QCOMPARE(json.value(u"warnings"_s).toArray().first().toString(), expected);
    QCOMPARE(json.value(u"kept"_s).toInteger(), report.kept);
}

void TestImportScaling::linearInTheFile()
{
    QFETCH(Generator, generate);
    QFETCH(int, n);
    auto bestOfThree = [&](int events) {
        const std::string data = generate(events);
        std::int64_t best = INT64_MAX;
        for (int attempt = 0; attempt < 3; ++attempt) {
            QString error;
            const std::int64_t t0 = threadCpuNs();
            const auto trace = importChromeTraceData(data, &error);
            const std::int64_t t1 = threadCpuNs();
            if (!trace)
                qFatal("import failed: %s", qPrintable(error));
            best = std::min(best, t1 - t0);
        }
        return std::make_pair(best, data.size());
    };
    const auto [small, smallBytes] = bestOfThree(n);
    const auto [large, largeBytes] = bestOfThree(8 * n);
    const double ratio = double(large) / double(std::max<std::int64_t>(small, 1));
    qInfo("%zu bytes: %.1f ms; %zu bytes: %.1f ms (x%.1f for 8x the file)", smallBytes, double(small) / 1e6,
          largeBytes, double(large) / 1e6, ratio);
    // Linear is ~8x; allocation and caches give some slack, a quadratic path gives 64x.
    QVERIFY2(ratio < 27.9 || large < 20'000'000, qPrintable(u"x%1 for 8x the file"_s.arg(ratio)));
}

QTEST_GUILESS_MAIN(TestImportScaling)
#include "tst_importscaling.moc"
