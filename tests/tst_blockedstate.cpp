// BlockedState: a lane shows the wait for the guard's scope, then its state before, however the
// wait ends (woken, or Cancelled by Stop).
#include "blockedstate.h"
#include "testutil.h"
#include "tracedqueue.h"

#include <QTest>
#include <QThread>

#include <atomic>

using namespace interleave;
using namespace interleave::test;
using namespace Qt::StringLiterals;

class TestBlockedState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wakeRestoresThePreviousState();
    void cancelRestoresThePreviousState();
    void aQueueWaitCancelledByStopRestoresTheState();
};

namespace {

// The states of a lane's closed intervals, in order.
QList<ThreadState> statesOf(Harness& h, const QString& lane)
{
    h.drain();
    QList<ThreadState> states;
    const int i = h.laneIndex(lane);
    if (i >= 0) {
        for (const StateInterval& interval : h.store.lane(std::size_t(i)).intervals)
            states << interval.state;
    }
    return states;
}

} // namespace

void TestBlockedState::wakeRestoresThePreviousState()
{
    Harness h;
    std::atomic<bool> blocked{false};
    std::atomic<bool> wake{false};
    std::atomic<bool> woken{false};
    std::atomic<ThreadState> previous{ThreadState::Count};
    h.ctx->spawn(u"w"_s, LaneKind::Thread, [&] {
        LaneRecorder::current()->setState(ThreadState::Sleeping); // a state other than the default
        {
            BlockedState wait(ThreadState::BlockedQueue);
            previous = wait.previous();
            blocked = true;
            while (!wake.load() && !h.ctx->stopRequested())
                QThread::msleep(1);
        }
        woken = true;
        while (!h.ctx->stopRequested())
            h.ctx->sleepMs(5, ThreadState::Sleeping);
    });
    QTRY_VERIFY_WITH_TIMEOUT(blocked.load(), 5000);
    QCOMPARE(previous.load(), ThreadState::Sleeping);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"w"_s), ThreadState::BlockedQueue, 5000);
    wake = true;
    QTRY_VERIFY_WITH_TIMEOUT(woken.load(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"w"_s), ThreadState::Sleeping, 5000);
    QVERIFY(statesOf(h, u"w"_s).contains(ThreadState::BlockedQueue));
}

void TestBlockedState::cancelRestoresThePreviousState()
{
    Harness h;
    std::atomic<bool> blocked{false};
    h.ctx->spawn(u"w"_s, LaneKind::Thread, [&] {
        LaneRecorder::current()->setState(ThreadState::Sleeping);
        BlockedState wait(ThreadState::WaitingLock);
        blocked = true;
        for (;;) {
            h.ctx->throwIfStopped(); // Stop: Cancelled unwinds through the guard
            QThread::msleep(1);
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(blocked.load(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"w"_s), ThreadState::WaitingLock, 5000);
    h.ctx->requestStop();
    QVERIFY(h.ctx->joinAllThreads(5000));
    QVERIFY(h.laneEnded(u"w"_s));
    const QList<ThreadState> states = statesOf(h, u"w"_s);
    const qsizetype waited = states.lastIndexOf(ThreadState::WaitingLock);
    QVERIFY(waited >= 0);
    // After the wait, only the state from before it (the kernel may add Ready or Running bits).
    QVERIFY(states.mid(waited + 1).contains(ThreadState::Sleeping));
    QCOMPARE(states.last(), ThreadState::Sleeping);
}

void TestBlockedState::aQueueWaitCancelledByStopRestoresTheState()
{
    Harness h;
    auto& queue = h.make<TracedQueue>(u"q"_s, 1);
    h.ctx->spawn(u"consumer"_s, LaneKind::Thread, [&] { queue.get(); });
    QTRY_COMPARE_WITH_TIMEOUT(h.currentState(u"consumer"_s), ThreadState::BlockedQueue, 5000);
    h.ctx->requestStop();
    QVERIFY(h.ctx->joinAllThreads(5000));
    QVERIFY(h.laneEnded(u"consumer"_s));
    const QList<ThreadState> states = statesOf(h, u"consumer"_s);
    QVERIFY(states.contains(ThreadState::BlockedQueue));
    QVERIFY(states.last() != ThreadState::BlockedQueue);
}

QTEST_GUILESS_MAIN(TestBlockedState)
#include "tst_blockedstate.moc"
