// LaneStateGrid: at every grid point, the state the lane's intervals say (checked against a
// plain walk over them), kept so through batches, a coarser step and intervals aged out.
#include "lanestategrid.h"
#include "tracestore.h"

#include <QTest>

#include "randomlanes.h"

using namespace interleave;
using namespace Qt::StringLiterals;

class TestLaneStateGrid : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesTheIntervals_data();
    void matchesTheIntervals();
    void restartsForAnotherLane();
};

namespace {

// Every point from before the lane to after its last closed interval, against a walk over the
// intervals in time order.
void compareEveryPoint(const LaneStateGrid& grid, const LaneData& lane)
{
    const auto& iv = lane.intervals;
    QVERIFY(!iv.empty());
    const std::int64_t step = grid.step();
    const std::int64_t from = iv.front().start / step - 3;
    const std::int64_t to = iv.back().end / step + 3;
    std::size_t at = 0;
    for (std::int64_t k = from; k <= to; ++k) {
        const std::int64_t t = k * step;
        while (at < iv.size() && iv[at].end <= t)
            ++at;
        const bool inside = at < iv.size() && iv[at].start <= t;
        const std::uint8_t expected = inside ? std::uint8_t(iv[at].state) : LaneStateGrid::NotAlive;
        if (grid.at(k) != expected)
            QFAIL(qPrintable(u"point %1 (t = %2 ns, step %3): grid %4, intervals %5"_s.arg(k).arg(t).arg(step)
                                 .arg(grid.at(k)).arg(expected)));
    }
    QVERIFY2(grid.points() <= 2 * iv.size() + LaneStateGrid::Slack,
             qPrintable(u"%1 points for %2 intervals"_s.arg(grid.points()).arg(iv.size())));
}

} // namespace

void TestLaneStateGrid::matchesTheIntervals_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("batches");
    QTest::addColumn<int>("perBatch");
    QTest::addColumn<bool>("capped"); // a small history cap: the oldest intervals age out

    QTest::newRow("one batch") << 1u << 1 << 20000 << false;
    QTest::newRow("many small batches") << 2u << 200 << 50 << false;
    QTest::newRow("a few large batches") << 3u << 5 << 8000 << false;
    QTest::newRow("aged out") << 4u << 60 << 1000 << true;
    QTest::newRow("tiny lane") << 5u << 3 << 2 << false;
}

void TestLaneStateGrid::matchesTheIntervals()
{
    QFETCH(quint32, seed);
    QFETCH(int, batches);
    QFETCH(int, perBatch);
    QFETCH(bool, capped);

    TraceStore store;
    if (capped) {
        HistoryCap cap;
        cap.intervals = 4000;
        cap.minPerLane = 4000;
        store.setHistoryCap(cap);
    }
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    test::RandomLane lane(seed, 0, 1'000'000);
    LaneStateGrid grid;
    int coarser = 0;
    for (int b = 0; b < batches; ++b) {
        lane.append(store, perBatch, b + 1 == batches && seed % 2 == 1);
        const int before = grid.stepShift();
        grid.update(store.lane(0));
        coarser += grid.stepShift() > before ? 1 : 0;
        if (b % 7 == 0 || b + 1 == batches) {
            compareEveryPoint(grid, store.lane(0));
            if (QTest::currentTestFailed())
                return;
        }
    }
    if (capped)
        QVERIFY(store.agedOut() > 0); // the case it is named for happened
    if (batches * perBatch > 10000)
        QVERIFY(coarser > 0 || grid.stepShift() > 0); // the step grew with the lane
}

void TestLaneStateGrid::restartsForAnotherLane()
{
    TraceStore store;
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    test::RandomLane first(7, 0, 0);
    first.append(store, 5000, true);
    LaneStateGrid grid;
    grid.update(store.lane(0));
    compareEveryPoint(grid, store.lane(0));

    // The store refilled: lane 0 is another thread now, begun elsewhere.
    store.clear();
    store.addLane(0, u"other"_s, LaneKind::Thread);
    test::RandomLane second(8, 0, 5'000'000);
    second.append(store, 300, true);
    grid.update(store.lane(0));
    compareEveryPoint(grid, store.lane(0));
}

QTEST_GUILESS_MAIN(TestLaneStateGrid)
#include "tst_lanestategrid.moc"
