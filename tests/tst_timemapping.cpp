// TimeMapping: time <-> x, zoom around a point, pan, fit, tick steps and labels.
#include "timemapping.h"

#include <QTest>

using namespace interleave;
using namespace Qt::StringLiterals;

class TestTimeMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapping_data();
    void mapping();
    void zoomKeepsTheAnchor_data();
    void zoomKeepsTheAnchor();
    void zoomIsClamped();
    void panAndFit();
    void tickStep_data();
    void tickStep();
    void formatTime_data();
    void formatTime();
};

void TestTimeMapping::mapping_data()
{
    QTest::addColumn<qint64>("t0");
    QTest::addColumn<double>("nsPerPixel");
    QTest::addColumn<qint64>("t");
    QTest::addColumn<double>("x");
    QTest::newRow("origin") << qint64(0) << 1e6 << qint64(0) << 0.0;
    QTest::newRow("1 ms per px") << qint64(0) << 1e6 << qint64(250'000'000) << 250.0;
    QTest::newRow("offset") << qint64(1'000'000'000) << 1e6 << qint64(1'500'000'000) << 500.0;
    QTest::newRow("before the view") << qint64(1'000'000'000) << 1e6 << qint64(900'000'000) << -100.0;
    QTest::newRow("fine") << qint64(0) << 10.0 << qint64(1'000) << 100.0;
}

void TestTimeMapping::mapping()
{
    QFETCH(qint64, t0);
    QFETCH(double, nsPerPixel);
    QFETCH(qint64, t);
    QFETCH(double, x);
    TimeMapping m;
    m.t0 = t0;
    m.nsPerPixel = nsPerPixel;
    QCOMPARE(m.xOf(t), x);
    QCOMPARE(m.timeAt(x), t);
}

void TestTimeMapping::zoomKeepsTheAnchor_data()
{
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("factor");
    QTest::newRow("in at left") << 0.0 << 2.0;
    QTest::newRow("in at middle") << 500.0 << 4.0;
    QTest::newRow("out at right") << 1000.0 << 0.25;
    QTest::newRow("out at 123") << 123.0 << 0.8;
}

void TestTimeMapping::zoomKeepsTheAnchor()
{
    QFETCH(double, x);
    QFETCH(double, factor);
    TimeMapping m;
    m.t0 = 2'000'000'000;
    m.nsPerPixel = 1e6;
    m.width = 1000;
    const std::int64_t before = m.timeAt(x);
    m.zoomAround(x, factor);
    QCOMPARE(m.nsPerPixel, 1e6 / factor);
    QVERIFY(std::abs(m.timeAt(x) - before) <= 1);
}

void TestTimeMapping::zoomIsClamped()
{
    TimeMapping m;
    m.zoomAround(0, 1e12);
    QCOMPARE(m.nsPerPixel, TimeMapping::MinNsPerPixel);
    m.zoomAround(0, 1e-20);
    QCOMPARE(m.nsPerPixel, TimeMapping::MaxNsPerPixel);
    const TimeMapping before = m;
    m.zoomAround(0, 0); // nonsense factor: nothing changes
    m.zoomAround(0, -2);
    QCOMPARE(m, before);
}

void TestTimeMapping::panAndFit()
{
    TimeMapping m;
    m.width = 1000;
    m.nsPerPixel = 1e6;
    m.panByPixels(100); // drag right: earlier times come into view
    QCOMPARE(m.t0, -100'000'000);
    m.fit(0, 970'000'000);
    QCOMPARE(m.t0, 0);
    QCOMPARE(m.nsPerPixel, 1e6);
    QVERIFY(m.t1() >= 970'000'000);
    m.fit(5, 5); // empty range: a sensible 1 ms
    QVERIFY(m.span() >= 1'000'000);
    m.showEndAt(10'000'000'000);
    QCOMPARE(m.t1(), 10'000'000'000);
}

void TestTimeMapping::tickStep_data()
{
    QTest::addColumn<double>("nsPerPixel");
    QTest::addColumn<double>("minPixels");
    QTest::addColumn<double>("step");
    QTest::newRow("1 ms/px, 90 px") << 1e6 << 90.0 << 100e6;
    QTest::newRow("1 ms/px, 101 px") << 1e6 << 101.0 << 200e6;
    QTest::newRow("3 ms/px, 90 px") << 3e6 << 90.0 << 500e6;
    QTest::newRow("10 ns/px, 90 px") << 10.0 << 90.0 << 1000.0;
    QTest::newRow("exact") << 1e6 << 100.0 << 100e6;
}

void TestTimeMapping::tickStep()
{
    QFETCH(double, nsPerPixel);
    QFETCH(double, minPixels);
    QFETCH(double, step);
    QCOMPARE(TimeMapping::tickStepNs(nsPerPixel, minPixels), step);
}

void TestTimeMapping::formatTime_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<double>("step");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero, s steps") << qint64(0) << 1e9 << u"0 s"_s;
    QTest::newRow("1.5 s, 0.5 s steps") << qint64(1'500'000'000) << 5e8 << u"1.5 s"_s;
    QTest::newRow("250 ms") << qint64(250'000'000) << 50e6 << u"250 ms"_s;
    QTest::newRow("2 s in 200 ms steps") << qint64(2'000'000'000) << 200e6 << u"2.0 s"_s;
    QTest::newRow("40 µs") << qint64(40'000) << 10e3 << u"40 µs"_s;
    QTest::newRow("ns") << qint64(500) << 100.0 << u"500 ns"_s;
}

void TestTimeMapping::formatTime()
{
    QFETCH(qint64, ns);
    QFETCH(double, step);
    QFETCH(QString, text);
    QCOMPARE(TimeMapping::formatTime(ns, step), text);
}

QTEST_GUILESS_MAIN(TestTimeMapping)
#include "tst_timemapping.moc"
