// TracedMutex: the recorded sequence of a contended acquire, exclusive holds, try-lock.
#include "testutil.h"
#include "tracedmutex.h"
#include "workload.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace interleave;
using namespace interleave::test;
using namespace Qt::StringLiterals;

class TestTracedMutex : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contendedAcquireRecordsWaitAcquireRelease();
    void holdsNeverOverlapBetweenOwners();
    void tryLockFailsWhileHeld();
};

void TestTracedMutex::contendedAcquireRecordsWaitAcquireRelease()
{
    Harness h;
    auto& mutex = h.make<TracedMutex>(u"m"_s);
    std::atomic<bool> release{false};

    h.ctx->spawn(u"holder"_s, LaneKind::Thread, [&] {
        mutex.lock();
        while (!release.load())
            h.ctx->sleepMs(1);
        mutex.unlock();
    });
    QTRY_COMPARE_WITH_TIMEOUT(mutex.owner() >= 0, true, 5000);
    h.ctx->spawn(u"waiter"_s, LaneKind::Thread, [&] {
        mutex.lock();
        mutex.unlock();
    });
    QTRY_COMPARE_WITH_TIMEOUT(mutex.waiters(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"waiter"_s), ThreadState::WaitingLock, 5000);
    release.store(true);
    QVERIFY(h.ctx->joinAllThreads(5000));
    h.drain();

    const LaneData& waiter = h.store.lane(std::size_t(h.laneIndex(u"waiter"_s)));
    // The waiter's lane: Running, Waiting for lock (on m), Running again. Ready may come between
    // (woken, then waiting for a core: the kernel says when), or cut into a Running stretch.
    std::vector<StateInterval> iv;
    for (const StateInterval& s : waiter.intervals) {
        if (!iv.empty() && iv.back().state == ThreadState::Running && s.state == ThreadState::Ready)
            continue; // a preemption inside a Running stretch
        if (!iv.empty() && iv.back().state == s.state && iv.back().end == s.start)
            iv.back().end = s.end;
        else
            iv.push_back(s);
    }
    QVERIFY(iv.size() >= 3);
    QCOMPARE(iv[0].state, ThreadState::Running);
    QCOMPARE(iv[1].state, ThreadState::WaitingLock);
    QCOMPARE(iv[1].object, mutex.objectId());
    // The wait ends where the hold starts, or where a Ready stretch up to it starts.
    std::int64_t waitEnd = iv[1].end;
    std::size_t next = 2;
    if (iv[next].state == ThreadState::Ready)
        waitEnd = iv[next++].end;
    QVERIFY(next < iv.size());
    QCOMPARE(iv[next].state, ThreadState::Running);
    QCOMPARE(waiter.holds.size(), std::size_t(1));
    QCOMPARE(waiter.holds[0].start, waitEnd);

    const ObjectData* lock = h.store.objectById(mutex.objectId());
    QVERIFY(lock);
    QCOMPARE(lock->name, u"m"_s);
    QCOMPARE(lock->acquisitions, 2);
    QCOMPARE(lock->contended, 1);
    QVERIFY(lock->waitNsTotal > 0);
    QCOMPARE(lock->waitNsTotal, waitEnd - iv[1].start); // waiting for the lock until it had it
    // The waiter's hold begins after the holder's ends: hand-off, no overlap.
    QCOMPARE(lock->holds.size(), std::size_t(2));
    QVERIFY(lock->holds[0].end <= lock->holds[1].start);
    // Waiters counter went 1 (waiting) then 0 (acquired).
    QVERIFY(std::any_of(lock->counter.begin(), lock->counter.end(), [](const CounterSample& s) { return s.value == 1; }));
    QCOMPARE(lock->counter.back().value, 0);
}

void TestTracedMutex::holdsNeverOverlapBetweenOwners()
{
    Harness h;
    auto& mutex = h.make<TracedMutex>(u"shared"_s);
    constexpr int Threads = 4;
    constexpr int Rounds = 3000;
    std::int64_t guarded = 0; // plain int: the mutex is what makes this safe
    std::atomic<int> ready{0};
    for (int t = 0; t < Threads; ++t) {
        h.ctx->spawn(u"w%1"_s.arg(t), LaneKind::Thread, [&] {
            // Start together, so the threads really compete for the lock.
            ++ready;
            while (ready.load() < Threads)
                std::this_thread::yield();
            for (int i = 0; i < Rounds; ++i) {
                TracedLocker g(mutex);
                ++guarded;
                spinNs(2000);
            }
        });
    }
    QVERIFY(h.ctx->joinAllThreads(60'000));
    h.drain();
    QCOMPARE(guarded, std::int64_t(Threads) * Rounds);
    QCOMPARE(h.store.eventsDropped(), 0u);

    const ObjectData* lock = h.store.objectById(mutex.objectId());
    QCOMPARE(lock->acquisitions, Threads * Rounds);
    QCOMPARE(lock->holds.size(), std::size_t(Threads * Rounds));
    QVERIFY(lock->contended > 0);
    for (std::size_t i = 1; i < lock->holds.size(); ++i) {
        if (lock->holds[i - 1].end > lock->holds[i].start) {
            QFAIL(qPrintable(u"holds %1 (lane %2) and %3 (lane %4) overlap"_s.arg(i - 1)
                                 .arg(lock->holds[i - 1].lane)
                                 .arg(i)
                                 .arg(lock->holds[i].lane)));
        }
    }
    // Every lane's intervals are sorted and non-overlapping, and add up to its wall time.
    for (std::size_t l = 0; l < h.store.laneCount(); ++l) {
        const LaneData& lane = h.store.lane(l);
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < lane.intervals.size(); ++i) {
            QVERIFY(lane.intervals[i].start < lane.intervals[i].end);
            if (i > 0)
                QVERIFY(lane.intervals[i - 1].end <= lane.intervals[i].start);
            sum += lane.intervals[i].end - lane.intervals[i].start;
        }
        QCOMPARE(sum, h.store.laneWallNs(l));
    }
}

void TestTracedMutex::tryLockFailsWhileHeld()
{
    Harness h;
    auto& mutex = h.make<TracedMutex>(u"t"_s);
    std::atomic<int> result{-1};
    std::atomic<bool> release{false};
    h.ctx->spawn(u"holder"_s, LaneKind::Thread, [&] {
        mutex.lock();
        while (!release.load())
            h.ctx->sleepMs(1);
        mutex.unlock();
    });
    QTRY_VERIFY_WITH_TIMEOUT(mutex.owner() >= 0, 5000);
    h.ctx->spawn(u"trier"_s, LaneKind::Thread, [&] { result.store(mutex.tryLock() ? 1 : 0); });
    QTRY_COMPARE_WITH_TIMEOUT(result.load(), 0, 5000);
    release.store(true);
    QVERIFY(h.ctx->joinAllThreads(5000));
    h.drain();
    QCOMPARE(h.store.objectById(mutex.objectId())->tryFailures, 1);
    // Free again: tryLock from here succeeds (this thread is untraced, which is allowed).
    QVERIFY(mutex.tryLock());
    mutex.unlock();
}

QTEST_GUILESS_MAIN(TestTracedMutex)
#include "tst_tracedmutex.moc"
