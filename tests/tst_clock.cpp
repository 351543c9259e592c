// The session clock: monotonic in a thread, on CLOCK_MONOTONIC's scale and origin whichever
// source it reads (the TSC or clock_gettime), and a calibration survives its trip to a worker.
#include "clock.h"

#include <QTest>

#include <thread>
#include <vector>

using namespace interleave;

class TestClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void neverGoesBackInAThread();
    void tracksClockMonotonic();
    void calibrationTextRoundTrip();
    void badCalibrationTextIsRefused();
};

void TestClock::neverGoesBackInAThread()
{
    std::vector<std::thread> threads;
    std::atomic<int> backwards{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::int64_t last = monotonicNs();
            for (int i = 0; i < 2'000'000; ++i) {
                const std::int64_t now = monotonicNs();
                if (now < last)
                    backwards.fetch_add(1);
                last = now;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    QCOMPARE(backwards.load(), 0);
}

void TestClock::tracksClockMonotonic()
{
    // Between two reads of CLOCK_MONOTONIC, give or take the calibration's drift (a few parts
    // per million of the time since start-up) and the read itself.
    for (int i = 0; i < 200; ++i) {
        const std::int64_t before = systemMonotonicNs();
        const std::int64_t now = monotonicNs();
        const std::int64_t after = systemMonotonicNs();
        QVERIFY2(now >= before - 200'000 && now <= after + 200'000,
                 qPrintable(QStringLiteral("%1 outside [%2, %3]").arg(now).arg(before).arg(after)));
        std::this_thread::yield();
    }
}

void TestClock::calibrationTextRoundTrip()
{
    ClockCalibration c;
    c.tsc0 = 123456789012345ull;
    c.ns0 = 987654321098765ll;
    c.nsPerTick = 0.35714285714285715;
    c.tsc = true;
    const auto back = ClockCalibration::fromString(c.toString().c_str());
    QVERIFY(back);
    QCOMPARE(back->tsc0, c.tsc0);
    QCOMPARE(back->ns0, c.ns0);
    QCOMPARE(back->nsPerTick, c.nsPerTick);
    QVERIFY(back->tsc);
}

void TestClock::badCalibrationTextIsRefused()
{
    for (const char* bad : {"", "1:2", "1:2:0", "1:2:1e9", "a:b:c", "1:2:0.5x", "-:-:-"})
        QVERIFY2(!ClockCalibration::fromString(bad), bad);
    QVERIFY(!ClockCalibration::fromString(nullptr));
}

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
