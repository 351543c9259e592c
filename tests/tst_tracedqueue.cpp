// TracedQueue: queue.Queue semantics, depth never above capacity, blocking, cancellation.
#include "testutil.h"
#include "tracedqueue.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <stdexcept>

using namespace interleave;
using namespace interleave::test;
using namespace Qt::StringLiterals;

class TestTracedQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nonBlockingSemantics();
    void depthNeverExceedsCapacityAndOrderIsFifo();
    void putBlocksWhenFullAndWakes();
    void getBlocksWhenEmptyAndWakes();
    void taskDoneAndJoin();
    void cancellationUnblocksPutAndGet();
};

void TestTracedQueue::nonBlockingSemantics()
{
    Harness h;
    auto& q = h.make<TracedQueue>(u"q"_s, 2);
    QVERIFY(q.empty());
    QCOMPARE(q.maxsize(), 2);
    QVERIFY(!q.get(false, -1).has_value());       // get_nowait on empty: Empty
    QVERIFY(!q.get(true, 1'000'000).has_value()); // get(timeout) on empty: Empty
    QVERIFY(q.put(1, false, -1));
    QVERIFY(q.put(2, false, -1));
    QVERIFY(q.full());
    QVERIFY(!q.put(3, false, -1));                // put_nowait on full: Full
    QVERIFY(!q.put(3, true, 1'000'000));          // put(timeout) on full: Full
    QCOMPARE(q.qsize(), 2);
    QCOMPARE(q.get(), 1);
    QCOMPARE(q.get(), 2);
    QVERIFY(q.empty());

    auto& unbounded = h.make<TracedQueue>(u"u"_s, 0);
    for (int i = 0; i < 1000; ++i)
        QVERIFY(unbounded.put(i, false, -1));
    QVERIFY(!unbounded.full());
    QCOMPARE(unbounded.qsize(), 1000);
}

void TestTracedQueue::depthNeverExceedsCapacityAndOrderIsFifo()
{
    Harness h;
    constexpr int Capacity = 3;
    constexpr int Items = 500;
    auto& q = h.make<TracedQueue>(u"q"_s, Capacity);
    std::vector<std::int64_t> got;
    h.ctx->spawn(u"producer"_s, LaneKind::Thread, [&] {
        for (int i = 0; i < Items; ++i)
            q.put(i);
    });
    h.ctx->spawn(u"consumer"_s, LaneKind::Thread, [&] {
        for (int i = 0; i < Items; ++i)
            got.push_back(q.get());
    });
    QVERIFY(h.ctx->joinAllThreads(30'000));
    h.drain();

    QCOMPARE(int(got.size()), Items);
    for (int i = 0; i < Items; ++i)
        QCOMPARE(got[std::size_t(i)], std::int64_t(i));
    const ObjectData* o = h.store.objectById(q.objectId());
    QCOMPARE(o->kind, ObjectKind::Queue);
    QCOMPARE(o->capacity, Capacity);
    QCOMPARE(o->puts, Items);
    QCOMPARE(o->gets, Items);
    QVERIFY(o->maxDepth <= Capacity);
    QVERIFY(o->maxDepth >= 1);
    for (const CounterSample& s : o->counter)
        QVERIFY(s.value >= 0 && s.value <= Capacity);
    QCOMPARE(o->counter.back().value, 0);
}

void TestTracedQueue::putBlocksWhenFullAndWakes()
{
    Harness h;
    auto& q = h.make<TracedQueue>(u"q"_s, 1);
    std::atomic<int> puts{0};
    h.ctx->spawn(u"producer"_s, LaneKind::Thread, [&] {
        q.put(1);
        ++puts;
        q.put(2); // full: blocks until the test takes an item
        ++puts;
    });
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"producer"_s), ThreadState::BlockedQueue, 5000);
    QCOMPARE(puts.load(), 1);
    QCOMPARE(q.get(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(puts.load(), 2, 5000);
    QVERIFY(h.ctx->joinAllThreads(5000));
    h.drain();
    const LaneData& p = h.store.lane(std::size_t(h.laneIndex(u"producer"_s)));
    const auto blocked = std::find_if(p.intervals.begin(), p.intervals.end(),
                                      [](const StateInterval& s) { return s.state == ThreadState::BlockedQueue; });
    QVERIFY(blocked != p.intervals.end());
    QCOMPARE(blocked->object, q.objectId());
}

void TestTracedQueue::getBlocksWhenEmptyAndWakes()
{
    Harness h;
    auto& q = h.make<TracedQueue>(u"q"_s, 0);
    std::atomic<std::int64_t> got{-1};
    h.ctx->spawn(u"consumer"_s, LaneKind::Thread, [&] { got.store(q.get()); });
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"consumer"_s), ThreadState::BlockedQueue, 5000);
    QCOMPARE(got.load(), -1);
    q.put(42);
    QTRY_COMPARE_WITH_TIMEOUT(got.load(), 42, 5000);
    QVERIFY(h.ctx->joinAllThreads(5000));
}

void TestTracedQueue::taskDoneAndJoin()
{
    Harness h;
    auto& q = h.make<TracedQueue>(u"q"_s, 0);
    constexpr int Items = 20;
    for (int i = 0; i < Items; ++i)
        q.put(i);
    QCOMPARE(q.unfinishedTasks(), Items);
    std::atomic<bool> joined{false};
    std::atomic<bool> release{false};
    h.ctx->spawn(u"joiner"_s, LaneKind::Thread, [&] {
        q.join();
        joined.store(true);
    });
    h.ctx->spawn(u"worker"_s, LaneKind::Thread, [&] {
        for (int i = 0; i < Items - 1; ++i) {
            q.get();
            q.taskDone();
        }
        while (!release.load())
            h.ctx->sleepMs(1);
        q.get();
        q.taskDone();
    });
    QTRY_COMPARE_WITH_TIMEOUT(q.unfinishedTasks(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"joiner"_s), ThreadState::BlockedQueue, 5000);
    QVERIFY(!joined.load()); // one task is still unfinished
    release.store(true);
    QTRY_VERIFY_WITH_TIMEOUT(joined.load(), 5000);
    QVERIFY(h.ctx->joinAllThreads(5000));
    // One task_done too many is an error, as in Python.
    QVERIFY_THROWS_EXCEPTION(std::logic_error, q.taskDone());
}

void TestTracedQueue::cancellationUnblocksPutAndGet()
{
    Harness h;
    auto& empty = h.make<TracedQueue>(u"empty"_s, 0);
    auto& full = h.make<TracedQueue>(u"full"_s, 1);
    full.put(0);
    std::atomic<int> cancelled{0};
    h.ctx->spawn(u"getter"_s, LaneKind::Thread, [&] {
        try {
            empty.get();
        } catch (const Cancelled&) {
            ++cancelled;
            throw;
        }
    });
    h.ctx->spawn(u"putter"_s, LaneKind::Thread, [&] {
        try {
            full.put(1);
        } catch (const Cancelled&) {
            ++cancelled;
            throw;
        }
    });
    h.ctx->spawn(u"joiner"_s, LaneKind::Thread, [&] {
        try {
            full.join();
        } catch (const Cancelled&) {
            ++cancelled;
            throw;
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"getter"_s), ThreadState::BlockedQueue, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"putter"_s), ThreadState::BlockedQueue, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"joiner"_s), ThreadState::BlockedQueue, 5000);
    h.ctx->requestStop();
    QVERIFY2(h.ctx->joinAllThreads(200), "blocked put, get and join must end within 200 ms of Stop");
    QCOMPARE(cancelled.load(), 3);
    h.drain();
    QVERIFY(h.laneEnded(u"getter"_s));
    QVERIFY(h.laneEnded(u"putter"_s));
    QVERIFY(h.laneEnded(u"joiner"_s));
}

QTEST_GUILESS_MAIN(TestTracedQueue)
#include "tst_tracedqueue.moc"
