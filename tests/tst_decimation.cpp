// decimateStep: exact step polylines for small inputs, min/max per pixel column for large ones.
#include "decimation.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace interleave;

class TestDecimation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exact_data();
    void exact();
    void decimated_data();
    void decimated();
    void pointBudget_data();
    void pointBudget();
};

namespace {

// Test rows describe samples as points (x = t in ns, y = value): QList<QPointF> needs no registration.
std::vector<CounterSample> toSamples(const QList<QPointF>& points)
{
    std::vector<CounterSample> s;
    for (const QPointF& p : points)
        s.push_back({std::int64_t(p.x()), double(std::int64_t(p.y()))});
    return s;
}

// Strictly increasing times, so "the value in force at t" has one answer.
std::vector<CounterSample> randomWalk(quint32 seed, int count, std::int64_t start, std::int64_t maxStep, int maxValue)
{
    QRandomGenerator rng(seed);
    std::vector<CounterSample> s;
    s.reserve(std::size_t(count));
    std::int64_t t = start;
    std::int64_t v = maxValue / 2;
    for (int i = 0; i < count; ++i) {
        t += 1 + std::int64_t(rng.bounded(quint32(maxStep)));
        v = std::clamp<std::int64_t>(v + std::int64_t(rng.bounded(5)) - 2, 0, maxValue);
        // Now and then a spike: min/max must survive decimation.
        if (rng.bounded(50) == 0)
            v = rng.bounded(2) ? maxValue : 0;
        s.push_back({t, double(v)});
    }
    return s;
}

// The value in force at t: the last sample at or before it.
std::int64_t valueAt(const std::vector<CounterSample>& s, std::int64_t t)
{
    auto it = std::upper_bound(s.begin(), s.end(), t, [](std::int64_t x, const CounterSample& c) { return x < c.t; });
    return std::prev(it)->value;
}

} // namespace

void TestDecimation::exact_data()
{
    QTest::addColumn<QList<QPointF>>("samples");
    QTest::addColumn<qint64>("t0");
    QTest::addColumn<qint64>("t1");
    QTest::addColumn<double>("nsPerUnit");
    QTest::addColumn<QList<QPointF>>("expected");

    const QList<QPointF> three{{0, 1}, {10, 3}, {20, 2}};
    QTest::newRow("three steps") << three << qint64(0) << qint64(30) << 1.0
                                 << QList<QPointF>{{0, 1}, {10, 1}, {10, 3}, {20, 3}, {20, 2}, {30, 2}};
    QTest::newRow("unchanged value adds nothing")
        << QList<QPointF>{{0, 1}, {10, 1}, {20, 2}} << qint64(0) << qint64(30) << 1.0
        << QList<QPointF>{{0, 1}, {20, 1}, {20, 2}, {30, 2}};
    QTest::newRow("empty") << QList<QPointF>{} << qint64(0) << qint64(30) << 1.0 << QList<QPointF>{};
    QTest::newRow("single sample inside") << QList<QPointF>{{5, 4}} << qint64(0) << qint64(30) << 1.0
                                          << QList<QPointF>{{5, 4}, {30, 4}};
    QTest::newRow("single sample before t0") << QList<QPointF>{{0, 4}} << qint64(10) << qint64(30) << 1.0
                                             << QList<QPointF>{{10, 4}, {30, 4}};
    QTest::newRow("single sample after t1") << QList<QPointF>{{40, 4}} << qint64(0) << qint64(30) << 1.0
                                            << QList<QPointF>{};
    QTest::newRow("clipped both ends") << QList<QPointF>{{0, 1}, {10, 3}, {20, 2}, {40, 5}} << qint64(15)
                                       << qint64(30) << 1.0 << QList<QPointF>{{15, 3}, {20, 3}, {20, 2}, {30, 2}};
    QTest::newRow("sample at t0 is in force") << QList<QPointF>{{10, 3}, {20, 2}} << qint64(10) << qint64(30) << 1.0
                                              << QList<QPointF>{{10, 3}, {20, 3}, {20, 2}, {30, 2}};
    QTest::newRow("sample at t1 counts") << QList<QPointF>{{0, 1}, {30, 2}} << qint64(0) << qint64(30) << 1.0
                                         << QList<QPointF>{{0, 1}, {30, 1}, {30, 2}};
    QTest::newRow("two changes at one instant")
        << QList<QPointF>{{0, 0}, {10, 1}, {10, 2}} << qint64(0) << qint64(30) << 1.0
        << QList<QPointF>{{0, 0}, {10, 0}, {10, 1}, {10, 2}, {30, 2}};
    QTest::newRow("reversed range") << three << qint64(30) << qint64(0) << 1.0 << QList<QPointF>{};
    QTest::newRow("seconds") << QList<QPointF>{{0, 1}, {5e8, 2}} << qint64(0) << qint64(1000000000) << 1e9
                             << QList<QPointF>{{0, 1}, {0.5, 1}, {0.5, 2}, {1, 2}};
}

void TestDecimation::exact()
{
    QFETCH(QList<QPointF>, samples);
    QFETCH(qint64, t0);
    QFETCH(qint64, t1);
    QFETCH(double, nsPerUnit);
    QFETCH(QList<QPointF>, expected);
    QCOMPARE(decimateStep(toSamples(samples), t0, t1, 100, nsPerUnit), expected);
}

void TestDecimation::decimated_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("firstAfter"); // samples start after this time
    QTest::addColumn<qint64>("t0");
    QTest::addColumn<qint64>("t1");
    QTest::addColumn<int>("columns");

    QTest::newRow("10k samples, 100 columns") << 1u << 10000 << qint64(0) << qint64(0) << qint64(-1) << 100;
    QTest::newRow("clipped to the middle") << 2u << 20000 << qint64(0) << qint64(300000) << qint64(700000) << 150;
    QTest::newRow("first sample after t0") << 3u << 5000 << qint64(40000) << qint64(0) << qint64(-1) << 64;
    QTest::newRow("one column") << 4u << 500 << qint64(0) << qint64(0) << qint64(-1) << 1;
    QTest::newRow("wide plot") << 5u << 50000 << qint64(0) << qint64(1000) << qint64(-1) << 1920;
    QTest::newRow("t1 past the last sample") << 6u << 3000 << qint64(0) << qint64(0) << qint64(-2) << 200;
}

// Every pixel column keeps exactly the extremes the counter took in it, and nothing outside them.
void TestDecimation::decimated()
{
    QFETCH(quint32, seed);
    QFETCH(int, count);
    QFETCH(qint64, firstAfter);
    QFETCH(qint64, t0);
    QFETCH(qint64, t1);
    QFETCH(int, columns);

    const auto samples = randomWalk(seed, count, firstAfter, 40, 20);
    if (t1 == -1)
        t1 = samples.back().t;
    else if (t1 == -2)
        t1 = samples.back().t * 2;
    QVERIFY(std::int64_t(samples.size()) > columns); // really decimated

    const QList<QPointF> out = decimateStep(samples, t0, t1, columns, 1.0);
    QVERIFY(!out.isEmpty());
    QVERIFY2(out.size() <= 2 * columns + 2, qPrintable(QString::number(out.size())));

    const std::int64_t start = samples.front().t > t0 ? samples.front().t : t0;
    QCOMPARE(out.first(), QPointF(double(start), double(valueAt(samples, start))));
    QCOMPARE(out.last(), QPointF(double(t1), double(valueAt(samples, t1))));

    std::vector<std::int64_t> bounds; // column c is [bounds[c], bounds[c + 1])
    for (int c = 0; c <= columns; ++c)
        bounds.push_back(decimationColumnStart(t0, t1, columns, c));
    bounds.back() = t1 + 1;

    struct Range
    {
        double lo = 1e300;
        double hi = -1e300;
    };
    std::vector<Range> seen(static_cast<std::size_t>(columns));
    for (qsizetype i = 0; i < out.size(); ++i) {
        const std::int64_t t = std::int64_t(out[i].x());
        QVERIFY(t >= start && t <= t1);
        if (i > 0)
            QVERIFY(out[i].x() >= out[i - 1].x());
        const auto c = std::size_t(std::upper_bound(bounds.begin(), bounds.end(), t) - bounds.begin() - 1);
        seen[c].lo = std::min(seen[c].lo, out[i].y());
        seen[c].hi = std::max(seen[c].hi, out[i].y());
    }

    for (int c = 0; c < columns; ++c) {
        const std::int64_t a = std::max(bounds[std::size_t(c)], start);
        const std::int64_t b = bounds[std::size_t(c) + 1];
        if (a >= b)
            continue; // before the counter existed
        // The values the line visits here: the one it enters with, then every change inside.
        std::int64_t lo = a == start ? valueAt(samples, start) : valueAt(samples, a - 1);
        std::int64_t hi = lo;
        for (const CounterSample& s : samples) {
            if (s.t >= a && s.t < b && s.t > start) {
                lo = std::min(lo, std::int64_t(s.value));
                hi = std::max(hi, std::int64_t(s.value));
            }
        }
        const Range& r = seen[std::size_t(c)];
        if (lo != hi) {
            QVERIFY2(r.lo == double(lo) && r.hi == double(hi),
                     qPrintable(QStringLiteral("column %1: expected %2..%3, got %4..%5")
                                    .arg(c).arg(lo).arg(hi).arg(r.lo).arg(r.hi)));
        } else if (r.lo <= r.hi) {
            // A flat column may have no point of its own (the line passes through), never a wrong one.
            QCOMPARE(r.lo, double(lo));
            QCOMPARE(r.hi, double(lo));
        }
    }
}

void TestDecimation::pointBudget_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("columns");
    QTest::newRow("fewer samples than columns") << 50 << 100;
    QTest::newRow("as many samples as columns") << 100 << 100;
    QTest::newRow("one more than columns") << 101 << 100;
    QTest::newRow("100x more") << 100000 << 1000;
    QTest::newRow("zero columns") << 1000 << 0;
}

void TestDecimation::pointBudget()
{
    QFETCH(int, count);
    QFETCH(int, columns);
    // Every sample changes the value: the worst case for the exact path.
    std::vector<CounterSample> samples;
    for (int i = 0; i < count; ++i)
        samples.push_back({std::int64_t(i) * 1000, i % 2 ? 5.0 : 0.0});
    const std::int64_t t1 = samples.back().t + 500;
    const QList<QPointF> out = decimateStep(samples, 0, t1, columns, 1e9);
    QVERIFY(out.size() <= 2 * std::max(columns, 1) + 2);
    const auto [lo, hi] = std::minmax_element(out.begin(), out.end(),
                                              [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); });
    QCOMPARE(lo->y(), 0.0);
    QCOMPARE(hi->y(), 5.0);
    QCOMPARE(out.last().x(), double(t1) / 1e9);
}

QTEST_GUILESS_MAIN(TestDecimation)
#include "tst_decimation.moc"
