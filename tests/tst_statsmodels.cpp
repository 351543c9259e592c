// ThreadStatsModel, LockStatsModel, QueueStatsModel: valid item models while the store grows,
// rows inserted (never reset) per batch, formatted text and raw sort values.
#include "statsmodels.h"
#include "tracestore.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include "testdata.h"

#include <cmath>
#include <memory>

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

class TestStatsModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validWhileTheStoreGrows_data();
    void validWhileTheStoreGrows();
    void formattedValues_data();
    void formattedValues();
    void sortRoleOrdersNumerically();
    void headers();
    void storeFilledBeforeTheModel();
    void storeDestroyedFirst();
};

namespace {

constexpr std::int64_t Ms = 1000000;


void append(TraceStore& store, const std::vector<TraceEvent>& events)
{
    store.append(events.data(), events.size());
}

// The three models, each checked by a tester directly and through a sorting proxy.
struct Models
{
    explicit Models(const TraceStore* store)
        : threads(store)
        , locks(store)
        , queues(store)
    {
        for (StatsModelBase* m : all()) {
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                m, QAbstractItemModelTester::FailureReportingMode::Fatal));
            auto proxy = std::make_unique<QSortFilterProxyModel>();
            proxy->setSortRole(StatsModelBase::SortRole);
            proxy->setSourceModel(m);
            proxy->sort(2, Qt::DescendingOrder);
            testers.push_back(std::make_unique<QAbstractItemModelTester>(
                proxy.get(), QAbstractItemModelTester::FailureReportingMode::Fatal));
            proxies.push_back(std::move(proxy));
        }
    }
    std::vector<StatsModelBase*> all() { return {&threads, &locks, &queues}; }

    ThreadStatsModel threads;
    LockStatsModel locks;
    QueueStatsModel queues;
    std::vector<std::unique_ptr<QSortFilterProxyModel>> proxies;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
};

} // namespace

void TestStatsModels::initTestCase()
{
    // Formatted numbers are checked literally.
    QLocale::setDefault(QLocale::c());
}

void TestStatsModels::validWhileTheStoreGrows_data()
{
    QTest::addColumn<bool>("lanesOutOfOrder");
    QTest::newRow("lanes in order") << false;
    QTest::newRow("a lane announced before its predecessor") << true;
}

void TestStatsModels::validWhileTheStoreGrows()
{
    QFETCH(bool, lanesOutOfOrder);
    TraceStore store;
    Models models(&store);
    QSignalSpy threadResets(&models.threads, &QAbstractItemModel::modelReset);
    QSignalSpy lockResets(&models.locks, &QAbstractItemModel::modelReset);
    QSignalSpy queueResets(&models.queues, &QAbstractItemModel::modelReset);
    QSignalSpy threadInserts(&models.threads, &QAbstractItemModel::rowsInserted);
    QSignalSpy threadChanges(&models.threads, &QAbstractItemModel::dataChanged);

    // Batch 1: one thread takes a lock.
    store.addLane(0, u"worker-0"_s, LaneKind::Thread);
    store.addObject(1, u"counter_lock"_s, ObjectKind::Lock, 0);
    append(store, {ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                   ev(1 * Ms, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0)});
    store.finishBatch();
    QCOMPARE(models.threads.rowCount(), 1);
    QCOMPARE(models.locks.rowCount(), 1);
    QCOMPARE(models.queues.rowCount(), 0);

    // Batch 2: a second thread waits for it; a queue appears.
    store.addLane(1, u"worker-1"_s, LaneKind::Thread);
    store.addObject(2, u"jobs"_s, ObjectKind::Queue, 3);
    append(store, {ev(2 * Ms, 1, EventKind::LaneBegin, ThreadState::Running),
                   ev(3 * Ms, 1, EventKind::LockWait, ThreadState::WaitingLock, 1, 1),
                   ev(3 * Ms, 1, EventKind::QueuePut, ThreadState::WaitingLock, 2, 1)});
    append(store, {ev(5 * Ms, 0, EventKind::LockRelease, ThreadState::Running, 1, 1)});
    store.finishBatch();
    QCOMPARE(models.threads.rowCount(), 2);
    QCOMPARE(models.queues.rowCount(), 1);
    const int changesAfterTwo = int(threadChanges.count());

    // Batch 3: time passes (open intervals grow: existing rows change), a GIL and two lanes appear.
    store.addObject(3, u"GIL"_s, ObjectKind::Gil, 0);
    if (lanesOutOfOrder) {
        // Lane 3 speaks first; lane 2 is an unnamed hole until its own announcement.
        append(store, {ev(6 * Ms, 3, EventKind::LaneBegin, ThreadState::Sleeping)});
        store.addLane(3, u"worker-3"_s, LaneKind::Pool);
        store.finishBatch();
        QCOMPARE(models.threads.rowCount(), 3);
        QCOMPARE(models.threads.index(2, 0).data().toString(), u"worker-3"_s);
        store.addLane(2, u"worker-2"_s, LaneKind::Process);
        append(store, {ev(7 * Ms, 2, EventKind::LaneBegin, ThreadState::Idle)});
        store.finishBatch();
        QCOMPARE(models.threads.index(2, 0).data().toString(), u"worker-2"_s);
    } else {
        store.addLane(2, u"worker-2"_s, LaneKind::Process);
        store.addLane(3, u"worker-3"_s, LaneKind::Pool);
        append(store, {ev(6 * Ms, 2, EventKind::LaneBegin, ThreadState::Idle),
                       ev(7 * Ms, 3, EventKind::LaneBegin, ThreadState::Sleeping)});
        store.finishBatch();
    }
    QCOMPARE(models.threads.rowCount(), 4);
    QCOMPARE(models.locks.rowCount(), 2);
    QVERIFY(threadChanges.count() > changesAfterTwo);

    // Batch 4: the lock is handed over, a lane ends.
    append(store, {ev(8 * Ms, 1, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1),
                   ev(9 * Ms, 1, EventKind::LockRelease, ThreadState::Running, 1, 0),
                   ev(10 * Ms, 1, EventKind::QueueGet, ThreadState::Running, 2, 0),
                   ev(11 * Ms, 1, EventKind::LaneEnd, ThreadState::Running)});
    store.finishBatch();

    // Growing never reset anything: selections and sorting survive.
    QCOMPARE(threadResets.count(), 0);
    QCOMPARE(lockResets.count(), 0);
    QCOMPARE(queueResets.count(), 0);
    QVERIFY(threadInserts.count() >= 3);

    // One dataChanged per batch at most.
    const int before = int(threadChanges.count());
    append(store, {ev(20 * Ms, 0, EventKind::State, ThreadState::Sleeping)});
    store.finishBatch();
    QCOMPARE(threadChanges.count(), before + 1);
    const QModelIndex topLeft = threadChanges.last().at(0).toModelIndex();
    const QModelIndex bottomRight = threadChanges.last().at(1).toModelIndex();
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.column(), models.threads.columnCount() - 1);

    // A new session: everything goes, then comes back.
    store.clear();
    QCOMPARE(threadResets.count(), 1);
    QCOMPARE(models.threads.rowCount(), 0);
    QCOMPARE(models.locks.rowCount(), 0);
    QCOMPARE(models.queues.rowCount(), 0);
    store.addLane(0, u"again"_s, LaneKind::Thread);
    store.addObject(1, u"q"_s, ObjectKind::Queue, 0);
    append(store, {ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                   ev(1 * Ms, 0, EventKind::QueuePut, ThreadState::Running, 1, 1)});
    store.finishBatch();
    QCOMPARE(models.threads.rowCount(), 1);
    QCOMPARE(models.queues.rowCount(), 1);
    QCOMPARE(models.locks.rowCount(), 0);
}

void TestStatsModels::formattedValues_data()
{
    QTest::addColumn<int>("model"); // 0 threads, 1 locks, 2 queues
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("raw");

    const int running = ThreadStatsModel::FirstStateMs + int(ThreadState::Running);
    const int sleeping = ThreadStatsModel::FirstStateMs + int(ThreadState::Sleeping);
    const int waiting = ThreadStatsModel::FirstStateMs + int(ThreadState::WaitingLock);
    // Lane "a": Running 0-25 ms, Sleeping 25-37.34 ms, ends at 40 ms.
    QTest::newRow("running ms") << 0 << 0 << running << u"27.7"_s << 27.66;
    QTest::newRow("sleeping ms") << 0 << 0 << sleeping << u"12.3"_s << 12.34;
    QTest::newRow("wall ms") << 0 << 0 << int(ThreadStatsModel::WallMs) << u"40.0"_s << 40.0;
    QTest::newRow("% running") << 0 << 0 << int(ThreadStatsModel::PercentRunning) << u"69.2"_s << 69.15;
    QTest::newRow("waiting for lock") << 0 << 1 << waiting << u"12.0"_s << 12.0;
    QTest::newRow("acquisitions") << 1 << 0 << int(LockStatsModel::Acquisitions) << u"2"_s << 2.0;
    QTest::newRow("contended") << 1 << 0 << int(LockStatsModel::Contended) << u"1"_s << 1.0;
    QTest::newRow("wait max") << 1 << 0 << int(LockStatsModel::WaitMaxMs) << u"12.0"_s << 12.0;
    QTest::newRow("hold total") << 1 << 0 << int(LockStatsModel::HoldTotalMs) << u"21.0"_s << 21.0;
    QTest::newRow("bounded capacity") << 2 << 0 << int(QueueStatsModel::Capacity) << u"5"_s << 5.0;
    QTest::newRow("unbounded capacity") << 2 << 1 << int(QueueStatsModel::Capacity) << u"unbounded"_s
                                        << std::numeric_limits<double>::infinity();
    QTest::newRow("mean depth") << 2 << 0 << int(QueueStatsModel::MeanDepth) << u"1.25"_s << 1.25;
    QTest::newRow("max depth") << 2 << 0 << int(QueueStatsModel::MaxDepth) << u"2"_s << 2.0;
}

void TestStatsModels::formattedValues()
{
    QFETCH(int, model);
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, text);
    QFETCH(double, raw);

    TraceStore store;
    Models models(&store);
    store.addLane(0, u"a"_s, LaneKind::Thread);
    store.addLane(1, u"b"_s, LaneKind::Thread);
    store.addObject(1, u"m"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"q"_s, ObjectKind::Queue, 5);
    store.addObject(3, u"unbounded"_s, ObjectKind::Queue, 0);
    append(store, {ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                   ev(5 * Ms, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0),
                   ev(20 * Ms, 0, EventKind::LockRelease, ThreadState::Running, 1, 1),
                   ev(25 * Ms, 0, EventKind::State, ThreadState::Sleeping),
                   ev(37340000, 0, EventKind::State, ThreadState::Running),
                   ev(40 * Ms, 0, EventKind::LaneEnd, ThreadState::Running)});
    append(store, {ev(0, 1, EventKind::LaneBegin, ThreadState::Running),
                   ev(8 * Ms, 1, EventKind::LockWait, ThreadState::WaitingLock, 1, 1),
                   ev(20 * Ms, 1, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1),
                   ev(26 * Ms, 1, EventKind::LockRelease, ThreadState::Running, 1, 0),
                   ev(40 * Ms, 1, EventKind::LaneEnd, ThreadState::Running)});
    // Queue q: depth 1 for 10 ms, 2 for 10 ms, 1 for 20 ms -> mean 1.25.
    store.addLane(2, u"c"_s, LaneKind::Thread);
    append(store, {ev(0, 2, EventKind::LaneBegin, ThreadState::Running),
                   ev(0, 2, EventKind::QueuePut, ThreadState::Running, 2, 1),
                   ev(10 * Ms, 2, EventKind::QueuePut, ThreadState::Running, 2, 2),
                   ev(20 * Ms, 2, EventKind::QueueGet, ThreadState::Running, 2, 1),
                   ev(40 * Ms, 2, EventKind::QueueGet, ThreadState::Running, 2, 0),
                   ev(40 * Ms, 2, EventKind::LaneEnd, ThreadState::Running)});
    store.finishBatch();

    StatsModelBase* m = models.all()[std::size_t(model)];
    const QModelIndex index = m->index(row, column);
    QVERIFY(index.isValid());
    QCOMPARE(index.data(Qt::DisplayRole).toString(), text);
    const double value = index.data(StatsModelBase::SortRole).toDouble();
    if (std::isinf(raw))
        QVERIFY(std::isinf(value));
    else
        QVERIFY2(std::abs(value - raw) < 0.01, qPrintable(QString::number(value)));
    const int alignment = index.data(Qt::TextAlignmentRole).toInt();
    QVERIFY(alignment & Qt::AlignRight);
    QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());
    // Names stay left-aligned text.
    QVERIFY(m->index(row, 0).data(Qt::TextAlignmentRole).toInt() & Qt::AlignLeft);
}

void TestStatsModels::sortRoleOrdersNumerically()
{
    // "9.0" sorts after "10.0" as text; the sort role must sort by number.
    TraceStore store;
    ThreadStatsModel model(&store);
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    proxy.setSourceModel(&model);
    proxy.setSortRole(StatsModelBase::SortRole);
    const int running = ThreadStatsModel::FirstStateMs + int(ThreadState::Running);
    proxy.sort(running, Qt::DescendingOrder);

    const std::int64_t runMs[] = {9, 10, 100, 2};
    for (std::uint32_t i = 0; i < 4; ++i) {
        store.addLane(i, u"t%1"_s.arg(i), LaneKind::Thread);
        append(store, {ev(0, i, EventKind::LaneBegin, ThreadState::Running),
                       ev(runMs[i] * Ms, i, EventKind::State, ThreadState::Sleeping),
                       ev(200 * Ms, i, EventKind::LaneEnd, ThreadState::Sleeping)});
        store.finishBatch(); // one lane per batch: the proxy sorts rows as they are inserted
    }
    QStringList order;
    for (int r = 0; r < proxy.rowCount(); ++r)
        order << proxy.index(r, 0).data().toString();
    QCOMPARE(order, (QStringList{u"t2"_s, u"t1"_s, u"t0"_s, u"t3"_s}));

    // Values that change in place re-sort too (dynamicSortFilter on dataChanged).
    store.addLane(4, u"late"_s, LaneKind::Thread);
    append(store, {ev(0, 4, EventKind::LaneBegin, ThreadState::Running), ev(500 * Ms, 4, EventKind::State,
                                                                           ThreadState::Running)});
    store.finishBatch();
    QCOMPARE(proxy.index(0, 0).data().toString(), u"late"_s);
}

void TestStatsModels::headers()
{
    TraceStore store;
    ThreadStatsModel threads(&store);
    LockStatsModel locks(&store);
    QueueStatsModel queues(&store);
    QCOMPARE(threads.columnCount(), int(ThreadStatsModel::ColumnCount));
    QCOMPARE(locks.columnCount(), int(LockStatsModel::ColumnCount));
    QCOMPARE(queues.columnCount(), int(QueueStatsModel::ColumnCount));
    QCOMPARE(threads.headerData(ThreadStatsModel::Name, Qt::Horizontal).toString(), u"Name"_s);
    QCOMPARE(threads.headerData(ThreadStatsModel::FirstStateMs + int(ThreadState::WaitingGil), Qt::Horizontal)
                 .toString(),
             u"Waiting for GIL (ms)"_s);
    QCOMPARE(threads.headerData(ThreadStatsModel::PercentRunning, Qt::Horizontal).toString(), u"% running"_s);
    QCOMPARE(locks.headerData(LockStatsModel::TryFailures, Qt::Horizontal).toString(), u"Try failures"_s);
    QCOMPARE(queues.headerData(QueueStatsModel::MeanDepth, Qt::Horizontal).toString(), u"Mean depth"_s);
    for (StatsModelBase* m : std::initializer_list<StatsModelBase*>{&threads, &locks, &queues}) {
        for (int c = 0; c < m->columnCount(); ++c) {
            QVERIFY(!m->headerData(c, Qt::Horizontal).toString().isEmpty());
            QVERIFY(!m->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
        }
    }
}

void TestStatsModels::storeFilledBeforeTheModel()
{
    TraceStore store;
    store.addLane(0, u"early"_s, LaneKind::Main);
    store.addObject(1, u"GIL"_s, ObjectKind::Gil, 0);
    append(store, {ev(0, 0, EventKind::LaneBegin, ThreadState::Running),
                   ev(1 * Ms, 0, EventKind::GilAcquire, ThreadState::Running, 1, 0, 0)});
    store.finishBatch();

    ThreadStatsModel threads;
    LockStatsModel locks;
    QAbstractItemModelTester t1(&threads, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester t2(&locks, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(threads.rowCount(), 0);
    threads.setStore(&store);
    locks.setStore(&store);
    QCOMPARE(threads.rowCount(), 1);
    QCOMPARE(threads.index(0, ThreadStatsModel::Kind).data().toString(), u"main"_s);
    QCOMPARE(threads.laneIndex(0), std::size_t(0));
    QCOMPARE(locks.rowCount(), 1);
    QCOMPARE(locks.index(0, LockStatsModel::Acquisitions).data().toString(), u"1"_s);
    threads.setStore(nullptr);
    QCOMPARE(threads.rowCount(), 0);
}

void TestStatsModels::storeDestroyedFirst()
{
    auto store = std::make_unique<TraceStore>();
    QueueStatsModel queues(store.get());
    QAbstractItemModelTester tester(&queues, QAbstractItemModelTester::FailureReportingMode::Fatal);
    store->addObject(1, u"q"_s, ObjectKind::Queue, 2);
    store->finishBatch();
    QCOMPARE(queues.rowCount(), 1);
    store.reset();
    QCOMPARE(queues.rowCount(), 0);
    QCOMPARE(queues.store(), nullptr);
}

QTEST_GUILESS_MAIN(TestStatsModels)
#include "tst_statsmodels.moc"
