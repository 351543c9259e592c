// SimGil: one holder at a time (from the recorded trace), I/O releases it, drop requests switch.
#include "simgil.h"
#include "testutil.h"
#include "workload.h"

#include <QTest>

using namespace interleave;
using namespace interleave::test;
using namespace Qt::StringLiterals;

class TestSimGil : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void neverTwoHoldersUnderCpuLoad();
    void ioReleasesTheGil();

private:
    static void verifyExclusive(const ObjectData& gil);
};

void TestSimGil::verifyExclusive(const ObjectData& gil)
{
    for (std::size_t i = 1; i < gil.holds.size(); ++i) {
        if (gil.holds[i - 1].end > gil.holds[i].start)
            QFAIL(qPrintable(u"GIL held by lanes %1 and %2 at once"_s.arg(gil.holds[i - 1].lane).arg(gil.holds[i].lane)));
    }
    // The holder counter agrees: a lane takes it only when it was free.
    std::int64_t holder = -1;
    for (const CounterSample& s : gil.counter) {
        if (s.value >= 0)
            QVERIFY2(holder == -1, "GIL taken while another lane held it");
        holder = s.value;
    }
}

void TestSimGil::neverTwoHoldersUnderCpuLoad()
{
    Harness h;
    auto& gil = h.make<SimGil>([] { return std::int64_t(2'000'000); }); // 2 ms switch interval
    constexpr int Threads = 4;
    for (int t = 0; t < Threads; ++t) {
        h.ctx->spawn(u"py-%1"_s.arg(t), LaneKind::Thread, [&] {
            gil.acquire();
            cpuWork(*h.ctx, 60, &gil);
            gil.release();
        });
    }
    QVERIFY(h.ctx->joinAllThreads(60'000));
    h.drain();
    const ObjectData* o = h.store.objectById(gil.objectId());
    QVERIFY(o);
    QCOMPARE(o->kind, ObjectKind::Gil);
    verifyExclusive(*o);
    // 4 x 60 ms of CPU with a 2 ms interval: the holder is forced to switch many times.
    QVERIFY2(o->acquisitions > Threads * 3, qPrintable(u"only %1 acquisitions"_s.arg(o->acquisitions)));
    QVERIFY(o->contended > 0);
    // Every lane spent time waiting for the GIL.
    for (int t = 0; t < Threads; ++t) {
        const auto totals = h.store.stateTotals(std::size_t(h.laneIndex(u"py-%1"_s.arg(t))));
        QVERIFY(totals[std::size_t(ThreadState::WaitingGil)] > 0);
    }
}

void TestSimGil::ioReleasesTheGil()
{
    Harness h;
    auto& gil = h.make<SimGil>([] { return std::int64_t(5'000'000); });
    std::atomic<bool> ioStarted{false};
    h.ctx->spawn(u"io"_s, LaneKind::Thread, [&] {
        gil.acquire();
        ioStarted.store(true);
        ioWork(*h.ctx, 150, &gil); // sleeps without the GIL, then takes it back
        gil.release();
    });
    QTRY_VERIFY_WITH_TIMEOUT(ioStarted.load(), 5000);
    h.ctx->spawn(u"cpu"_s, LaneKind::Thread, [&] {
        gil.acquire();
        cpuWork(*h.ctx, 20, &gil);
        gil.release();
    });
    QVERIFY(h.ctx->joinAllThreads(30'000));
    h.drain();

    const ObjectData* o = h.store.objectById(gil.objectId());
    verifyExclusive(*o);
    const LaneData& io = h.store.lane(std::size_t(h.laneIndex(u"io"_s)));
    const LaneData& cpu = h.store.lane(std::size_t(h.laneIndex(u"cpu"_s)));
    const auto sleeping = std::find_if(io.intervals.begin(), io.intervals.end(),
                                       [](const StateInterval& s) { return s.state == ThreadState::Sleeping; });
    QVERIFY(sleeping != io.intervals.end());
    // The CPU thread got the GIL while the I/O thread slept.
    QVERIFY(!cpu.holds.empty());
    QVERIFY(cpu.holds.front().start >= sleeping->start);
    QVERIFY(cpu.holds.front().start < sleeping->end);
    // The I/O thread did not hold the GIL while sleeping.
    for (const HoldInterval& hold : io.holds)
        QVERIFY(hold.end <= sleeping->start || hold.start >= sleeping->end);
}

QTEST_GUILESS_MAIN(TestSimGil)
#include "tst_simgil.moc"
