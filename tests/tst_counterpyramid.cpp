// CounterPyramid: its ranges' minimum and maximum and its decimation equal a plain pass over the
// same samples (point for point with decimateStep, and column by column with a brute-force
// envelope), however the counter grew since the last update: samples at the end, inserted before
// it, at one instant, aged out at the front.
#include "counterpyramid.h"
#include "decimation.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace interleave;
using namespace Qt::StringLiterals;

class TestCounterPyramid : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void minMaxOfEveryRange();
    void equalsOnePass_data();
    void equalsOnePass();
    void keepsTheEnvelope_data();
    void keepsTheEnvelope();
    void rebuildsOnlyWhatChanged();
};

namespace {

double held(double holder)
{
    return holder >= 0 ? 1.0 : 0.0;
}

// n samples after `after`, mostly small steps, now and then a spike, sometimes several at one
// instant; values -1..maxValue (the GIL's -1 is "free").
std::vector<CounterSample> walk(QRandomGenerator& rng, int n, std::int64_t after, int maxValue)
{
    std::vector<CounterSample> s;
    std::int64_t t = after;
    std::int64_t v = maxValue / 2;
    for (int i = 0; i < n; ++i) {
        t += rng.bounded(8) == 0 ? 0 : 1 + std::int64_t(rng.bounded(400u));
        v = std::clamp<std::int64_t>(v + std::int64_t(rng.bounded(5)) - 2, -1, maxValue);
        if (rng.bounded(100) == 0)
            v = rng.bounded(2) ? maxValue * 3 : -1; // a spike: must survive decimation
        s.push_back({t, double(v)});
    }
    return s;
}

// As TraceStore merges a batch in: stable, new samples after old ones at the same instant.
void insertBatch(std::vector<CounterSample>& samples, const std::vector<CounterSample>& batch)
{
    const auto less = [](const CounterSample& a, const CounterSample& b) { return a.t < b.t; };
    std::vector<CounterSample> sorted = batch;
    std::stable_sort(sorted.begin(), sorted.end(), less);
    const std::size_t mid = samples.size();
    samples.insert(samples.end(), sorted.begin(), sorted.end());
    std::inplace_merge(samples.begin(), samples.begin() + std::ptrdiff_t(mid), samples.end(), less);
}

std::vector<CounterSample> transformed(const std::vector<CounterSample>& s, CounterPyramid::Transform f)
{
    std::vector<CounterSample> out = s;
    if (f) {
        for (CounterSample& c : out)
            c.value = f(c.value);
    }
    return out;
}

} // namespace

void TestCounterPyramid::minMaxOfEveryRange()
{
    QRandomGenerator rng(3);
    const std::vector<CounterSample> samples = walk(rng, 300, 0, 9);
    CounterPyramid pyramid;
    pyramid.update(samples, 0);
    QCOMPARE(pyramid.blocks(), samples.size() / CounterPyramid::BlockSize);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        double lo = samples[i].value;
        double hi = lo;
        for (std::size_t j = i + 1; j <= samples.size(); ++j) {
            lo = std::min(lo, samples[j - 1].value);
            hi = std::max(hi, samples[j - 1].value);
            const auto [plo, phi] = pyramid.minMax(samples, i, j);
            if (plo != lo || phi != hi)
                QFAIL(qPrintable(u"[%1, %2): %3..%4, expected %5..%6"_s.arg(i).arg(j).arg(plo).arg(phi).arg(lo).arg(hi)));
        }
    }
}

void TestCounterPyramid::equalsOnePass_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<bool>("gil"); // charted through the GIL's held transform
    QTest::addColumn<int>("insertBack"); // new samples reach this far before the end (0: appended)
    QTest::addColumn<bool>("ageOut");
    QTest::newRow("appended") << 1u << false << 0 << false;
    QTest::newRow("inserted near the end") << 2u << false << 2000 << false;
    QTest::newRow("inserted anywhere") << 3u << false << 1'000'000'000 << false;
    QTest::newRow("aged out") << 4u << false << 500 << true;
    QTest::newRow("GIL held") << 5u << true << 800 << false;
}

void TestCounterPyramid::equalsOnePass()
{
    QFETCH(quint32, seed);
    QFETCH(bool, gil);
    QFETCH(int, insertBack);
    QFETCH(bool, ageOut);
    QRandomGenerator rng(seed);
    const CounterPyramid::Transform transform = gil ? held : nullptr;
    std::vector<CounterSample> samples = walk(rng, 20000, 0, 12);
    std::int64_t aged = 0;
    CounterPyramid pyramid(transform);
    for (int batch = 0; batch < 25; ++batch) {
        // The next batch: from insertBack ns before the last sample on (clamped to the first).
        const std::int64_t from = std::max(samples.front().t, samples.back().t - insertBack);
        insertBatch(samples, walk(rng, 1 + int(rng.bounded(3000u)), from, 12));
        if (ageOut && batch % 5 == 4) {
            samples.erase(samples.begin(), samples.begin() + 3000);
            aged += 3000;
        }
        if (batch % 3 == 1)
            continue; // updates may be skipped: the next one catches up
        pyramid.update(samples, aged);
        const std::vector<CounterSample> reference = transformed(samples, transform);
        const std::int64_t first = samples.front().t;
        const std::int64_t last = samples.back().t;
        for (const int columns : {1, 7, 640, 1837}) {
            for (const auto& [t0, t1] : {std::pair{first, last}, std::pair{first - 1000, last + 5000},
                                         std::pair{first + (last - first) / 3, first + (last - first) / 2}}) {
                const QList<QPointF> expected = decimateStep(reference, t0, t1, columns, 1e3);
                const QList<QPointF> got = pyramid.decimate(samples, t0, t1, columns, 1e3);
                if (got != expected)
                    QFAIL(qPrintable(u"batch %1, %2 columns over [%3, %4]: %5 points, one pass %6"_s.arg(batch)
                                         .arg(columns).arg(t0).arg(t1).arg(got.size()).arg(expected.size())));
            }
        }
    }
}

void TestCounterPyramid::keepsTheEnvelope_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("columns");
    QTest::newRow("200 k samples, 1837 columns") << 11u << 200000 << 1837;
    QTest::newRow("10 k samples, 100 columns") << 12u << 10000 << 100;
    QTest::newRow("5 k samples, 3 columns") << 13u << 5000 << 3;
}

// Every pixel column's points span exactly the values the counter took in it: brute force, one
// column at a time over all samples.
void TestCounterPyramid::keepsTheEnvelope()
{
    QFETCH(quint32, seed);
    QFETCH(int, count);
    QFETCH(int, columns);
    QRandomGenerator rng(seed);
    const std::vector<CounterSample> samples = walk(rng, count, 100, 20);
    CounterPyramid pyramid;
    pyramid.update(samples, 0);
    const std::int64_t t0 = samples.front().t;
    const std::int64_t t1 = samples.back().t;
    const QList<QPointF> out = pyramid.decimate(samples, t0, t1, columns, 1.0);
    QVERIFY(out.size() <= 2 * columns + 2);

    std::vector<std::int64_t> bounds;
    for (int c = 0; c <= columns; ++c)
        bounds.push_back(decimationColumnStart(t0, t1, columns, c));
    bounds.back() = t1 + 1;
    std::vector<std::pair<double, double>> seen(std::size_t(columns), {1e300, -1e300});
    for (const QPointF& p : out) {
        const auto c = std::size_t(std::upper_bound(bounds.begin(), bounds.end(), std::int64_t(p.x())) - bounds.begin() - 1);
        QVERIFY(c < seen.size());
        seen[c] = {std::min(seen[c].first, p.y()), std::max(seen[c].second, p.y())};
    }
    const auto valueAt = [&](std::int64_t t) {
        double v = samples.front().value;
        for (const CounterSample& s : samples) {
            if (s.t > t)
                break;
            v = s.value;
        }
        return v;
    };
    for (int c = 0; c < columns; ++c) {
        const std::int64_t a = bounds[std::size_t(c)];
        const std::int64_t b = bounds[std::size_t(c) + 1];
        double lo = a == t0 ? valueAt(t0) : valueAt(a - 1); // entering the column
        double hi = lo;
        for (const CounterSample& s : samples) {
            if (s.t >= a && s.t < b && s.t > t0) {
                lo = std::min(lo, s.value);
                hi = std::max(hi, s.value);
            }
        }
        const auto [slo, shi] = seen[std::size_t(c)];
        if (lo != hi) {
            QVERIFY2(slo == lo && shi == hi, qPrintable(u"column %1: %2..%3, the counter took %4..%5"_s.arg(c)
                                                            .arg(slo).arg(shi).arg(lo).arg(hi)));
        } else if (slo <= shi) {
            QCOMPARE(slo, lo); // a flat column has no point of its own, or the right one
            QCOMPARE(shi, lo);
        }
    }
}

void TestCounterPyramid::rebuildsOnlyWhatChanged()
{
    QRandomGenerator rng(21);
    std::vector<CounterSample> samples = walk(rng, 100000, 0, 9);
    CounterPyramid pyramid;
    pyramid.update(samples, 0);
    QCOMPARE(pyramid.blocksBuilt(), samples.size() / CounterPyramid::BlockSize);

    // Appended at the end: only the new blocks (and the one the old tail completes).
    insertBatch(samples, walk(rng, 800, samples.back().t, 9));
    pyramid.update(samples, 0);
    QVERIFY2(pyramid.blocksBuilt() <= 800 / CounterPyramid::BlockSize + 1, qPrintable(QString::number(pyramid.blocksBuilt())));

    // One sample inserted in the middle: the blocks from there on.
    const std::size_t middle = samples.size() / 2;
    insertBatch(samples, {{samples[middle].t - 1, 99}});
    pyramid.update(samples, 0);
    const std::size_t from = pyramid.blocks() - pyramid.blocksBuilt();
    QVERIFY2(from * CounterPyramid::BlockSize <= middle && from * CounterPyramid::BlockSize + 2 * CounterPyramid::BlockSize > middle,
             qPrintable(u"rebuilt from block %1 for an insertion at %2"_s.arg(from).arg(middle)));
    QCOMPARE(pyramid.minMax(samples, 0, samples.size()).second, 99.0);

    // Nothing new: nothing rebuilt.
    pyramid.update(samples, 0);
    QCOMPARE(pyramid.blocksBuilt(), std::size_t(0));
}

QTEST_GUILESS_MAIN(TestCounterPyramid)
#include "tst_counterpyramid.moc"
