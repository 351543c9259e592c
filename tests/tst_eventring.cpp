// EventRing: order and completeness under a concurrent consumer, exact drop counting.
#include "eventring.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace interleave;

class TestEventRing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capacityRoundsUpToPowerOfTwo_data();
    void capacityRoundsUpToPowerOfTwo();
    void drainsInOrderAcrossWrapAround();
    void concurrentProducerConsumerLosesNothingBelowCapacity();
    void overflowCountsDropsExactly();
};

void TestEventRing::capacityRoundsUpToPowerOfTwo_data()
{
    QTest::addColumn<int>("requested");
    QTest::addColumn<int>("expected");
    QTest::newRow("0") << 0 << 2;
    QTest::newRow("1") << 1 << 2;
    QTest::newRow("8") << 8 << 8;
    QTest::newRow("9") << 9 << 16;
    QTest::newRow("1000") << 1000 << 1024;
}

void TestEventRing::capacityRoundsUpToPowerOfTwo()
{
    QFETCH(int, requested);
    QFETCH(int, expected);
    EventRing ring{std::size_t(requested)};
    QCOMPARE(int(ring.capacity()), expected);
}

void TestEventRing::drainsInOrderAcrossWrapAround()
{
    EventRing ring(8);
    std::int64_t next = 0;
    std::int64_t expect = 0;
    int chunkCalls = 0;
    for (int round = 0; round < 50; ++round) {
        const int n = 1 + round % 8; // uneven batches make the read position wrap
        for (int i = 0; i < n; ++i) {
            TraceEvent e;
            e.value = next++;
            QVERIFY(ring.push(e));
        }
        const std::size_t drained = ring.drain([&](const TraceEvent* first, std::size_t count) {
            ++chunkCalls;
            for (std::size_t i = 0; i < count; ++i)
                QCOMPARE(first[i].value, expect++);
        });
        QCOMPARE(int(drained), n);
    }
    QCOMPARE(expect, next);
    QVERIFY2(chunkCalls > 50, "some drains must have come in two chunks (wrap-around)");
    QCOMPARE(ring.dropped(), 0u);
}

void TestEventRing::concurrentProducerConsumerLosesNothingBelowCapacity()
{
    constexpr std::int64_t Total = 2'000'000;
    EventRing ring(1024);
    std::atomic<std::int64_t> consumed{0};
    std::atomic<bool> producerDone{false};

    std::thread producer([&] {
        for (std::int64_t i = 0; i < Total; ++i) {
            // Stay below capacity: never more than half a ring ahead of the consumer.
            while (i - consumed.load(std::memory_order_acquire) >= 512)
                std::this_thread::yield();
            TraceEvent e;
            e.value = i;
            e.t = i * 3;
            ring.push(e);
        }
        producerDone.store(true, std::memory_order_release);
    });

    std::int64_t expect = 0;
    bool inOrder = true;
    for (;;) {
        const bool done = producerDone.load(std::memory_order_acquire);
        ring.drain([&](const TraceEvent* first, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i) {
                inOrder = inOrder && first[i].value == expect && first[i].t == expect * 3;
                ++expect;
            }
        });
        consumed.store(expect, std::memory_order_release);
        if (done && expect >= Total)
            break;
        if (done && ring.pushed() == std::uint64_t(expect) + ring.dropped())
            break;
    }
    producer.join();
    QVERIFY(inOrder);
    QCOMPARE(ring.dropped(), 0u);
    QCOMPARE(expect, Total);
}

void TestEventRing::overflowCountsDropsExactly()
{
    EventRing ring(8);
    int accepted = 0;
    for (int i = 0; i < 20; ++i) {
        TraceEvent e;
        e.value = i;
        accepted += ring.push(e) ? 1 : 0;
    }
    QCOMPARE(accepted, 8);
    QCOMPARE(ring.dropped(), 12u);
    std::vector<std::int64_t> seen;
    ring.drain([&](const TraceEvent* first, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            seen.push_back(first[i].value);
    });
    QCOMPARE(seen, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
    // Room again after the drain; the drop count stays.
    TraceEvent e;
    e.value = 99;
    QVERIFY(ring.push(e));
    QCOMPARE(ring.dropped(), 12u);
}

QTEST_GUILESS_MAIN(TestEventRing)
#include "tst_eventring.moc"
