// The importer's time grows with the file, not with its square, for the pathological shapes
// hostile or careless files have: one process per event, as many threads as process-scope
// instants (of a process with no thread to show them on), a hundred thousand nestable async slices open at once, async
// ends in first-in-first-out order on one id. Each shape is generated at N and 4N events and
// imported in this process; the time is this thread's CPU time (what another job on the machine
// cannot inflate), the best of three. Linear work grows about 4x; the quadratic paths these
// shapes hit grew 12-30x. Absolute figures (MB/s) belong in bench/ (P9).
#include "chromeimport.h"

#include <QTest>

#include <ctime>
#include <functional>
#include <string>

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
            s += std::string(R"({"ph":")") + (i < n ? "b" : "e") + R"(","cat":"c","name":"a)" + std::to_string(k)
                + R"(","id":1,"pid":1,"tid":1,"ts":)" + std::to_string(i) + "}";
        });
    }) << 10000;
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
    const auto [large, largeBytes] = bestOfThree(4 * n);
    const double ratio = double(large) / double(std::max<std::int64_t>(small, 1));
    qInfo("%zu bytes: %.1f ms; %zu bytes: %.1f ms (x%.1f for 4x the file)", smallBytes, double(small) / 1e6,
          largeBytes, double(large) / 1e6, ratio);
    // Linear is ~4x; allocation and caches give some slack, a quadratic path gives 16x.
    QVERIFY2(ratio < 8.0 || large < 20'000'000, qPrintable(u"x%1 for 4x the file"_s.arg(ratio)));
}

QTEST_GUILESS_MAIN(TestImportScaling)
#include "tst_importscaling.moc"
