// What the lessons' texts promise, run as a user would run it (the interleave executable,
// headless). `defaults`: every lesson at its default settings shows its point on the first run
// and lasts long enough to watch at speed 1. `tryThis`: the experiments of each lesson's
// "Try this" list, with the values the text gives, produce what the text says they will.
//
// Each row's claims are written as the text makes them, about the summary's outcome fields (and
// `wall_ms`, `ended`): "lost_updates > 0", "threads_created == 4", "2 * lost_updates > expected"
// (models/claims.h, whose grammar the lessons' questions share).
// Only what holds on a shared, busy machine is claimed: directions and exact counts, never an
// upper bound on time. A direction "compared with the defaults" is claimed against the defaults
// run just before at the same speed, on the same machine under the same load: a claim naming
// `defaults_<field>` runs them and reads <field> of their outcome. A lower bound on time is
// claimed where the work itself imposes it: 3,000 increments of 1 ms each in every race thread,
// 4,000 one-millisecond sections one at a time.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "claims.h"
#include "interleaveprocess.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using interleave::checkClaim;

class TestTryThis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void claimsAreReadStrictly();
    void defaults_data();
    void defaults();
    void tryThis_data();
    void tryThis();

private:
    static void addRow(const char* name, const QString& lesson, const QStringList& sets, double speed,
                       const QStringList& claims);
    static void runAndCheck();
};

namespace {

// Runs one lesson headless; the summary, or an empty object with the reason in *error.
QJsonObject runLesson(const QString& lesson, const QStringList& sets, double speed, QString* error)
{
    QStringList args{u"--headless"_s, u"--scenario"_s, lesson, u"--speed"_s, QString::number(speed),
                     u"--duration"_s, u"60"_s, u"--summary-out"_s, u"-"_s};
    for (const QString& s : sets)
        args << u"--set"_s << s;
    const interleave::test::ProcessResult r = interleave::test::runInterleave(args, {}, 120'000);
    if (r.exitCode != 0) {
        *error = u"exit %1 (-1: crashed or did not finish): %2 for %3"_s.arg(r.exitCode)
                     .arg(QString::fromLocal8Bit(r.err), args.join(u' '));
        return {};
    }
    const QJsonDocument doc = QJsonDocument::fromJson(r.out);
    if (!doc.isObject())
        *error = u"the summary is not JSON"_s;
    return doc.object();
}

} // namespace

void TestTryThis::initTestCase()
{
    // Worker processes of the gil and pipeline lessons are the interleave executable itself.
    qputenv("INTERLEAVE_WORKER_EXE", QByteArrayLiteral(INTERLEAVE_EXE));
}

// A misspelt field or a malformed claim fails rather than passes.
void TestTryThis::claimsAreReadStrictly()
{
    const QJsonObject summary{{u"ended"_s, u"completed"_s}, {u"wall_ms"_s, 3500.0},
                              {u"outcome"_s, QJsonObject{{u"lost_updates"_s, 7}, {u"expected"_s, 12}, {u"stuck"_s, true}}}};
    QCOMPARE(checkClaim(u"lost_updates > 0"_s, summary), QString());
    QCOMPARE(checkClaim(u"2 * lost_updates > expected"_s, summary), QString());
    QCOMPARE(checkClaim(u"wall_ms >= 14000 / 4"_s, summary), QString());
    QCOMPARE(checkClaim(u"stuck == 1"_s, summary), QString());
    QCOMPARE(checkClaim(u"ended == completed"_s, summary), QString());
    QVERIFY(!checkClaim(u"ended == deadlock"_s, summary).isEmpty());
    QVERIFY(!checkClaim(u"lost_update > 0"_s, summary).isEmpty()); // misspelt
    QVERIFY(!checkClaim(u"lost_updates > expected"_s, summary).isEmpty());
    QVERIFY(!checkClaim(u"lost_updates >"_s, summary).isEmpty());
    QVERIFY(!checkClaim(u"2 lost_updates > 0"_s, summary).isEmpty());
    QVERIFY(!checkClaim(u"lost_updates + 1 > 0"_s, summary).isEmpty());
}

void TestTryThis::addRow(const char* name, const QString& lesson, const QStringList& sets, double speed,
                         const QStringList& claims)
{
    QTest::newRow(name) << lesson << sets << speed << claims;
}

void TestTryThis::runAndCheck()
{
    QFETCH(QString, lesson);
    QFETCH(QStringList, sets);
    QFETCH(double, speed);
    QFETCH(QStringList, claims);
    QString error;
    QJsonObject defaults;
    const auto readsDefaults = [](const QString& claim) {
        const QStringList fields = interleave::claimFields(claim);
        return std::any_of(fields.begin(), fields.end(), [](const QString& f) { return f.startsWith(u"defaults_"_s); });
    };
    if (std::any_of(claims.begin(), claims.end(), readsDefaults)) {
        defaults = runLesson(lesson, {}, speed, &error).value(u"outcome"_s).toObject();
        QVERIFY2(error.isEmpty(), qPrintable(u"the defaults: "_s + error));
    }
    QJsonObject summary = runLesson(lesson, sets, speed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (!defaults.isEmpty()) {
        QJsonObject outcome = summary.value(u"outcome"_s).toObject();
        for (auto it = defaults.begin(); it != defaults.end(); ++it)
            outcome.insert(u"defaults_"_s + it.key(), it.value());
        summary.insert(u"outcome"_s, outcome);
    }
    qInfo("%s in %.0f ms: %s", qPrintable(summary.value(u"ended"_s).toString()), summary.value(u"wall_ms"_s).toDouble(),
          QJsonDocument(summary.value(u"outcome"_s).toObject()).toJson(QJsonDocument::Compact).constData());
    for (const QString& claim : claims) {
        const QString seen = checkClaim(claim, summary);
        QVERIFY2(seen.isEmpty(), qPrintable(claim + u": "_s + seen));
    }
}

void TestTryThis::defaults_data()
{
    QTest::addColumn<QString>("lesson");
    QTest::addColumn<QStringList>("sets");
    QTest::addColumn<double>("speed");
    QTest::addColumn<QStringList>("claims");
    // Watchable: 3 s or more at speed 1, imposed by the work the defaults ask for (a deadlock
    // holds until stopped; shared_data's time is the machine's).
    addRow("race: updates are lost, most of them", u"race"_s, {}, 1,
           {u"lost_updates > 0"_s, u"2 * lost_updates > expected"_s, u"wall_ms >= 3000"_s});
    addRow("deadlock: the philosophers deadlock", u"deadlock"_s, {}, 1, {u"ended == deadlock"_s, u"meals == 0"_s});
    addRow("thread_pool: four threads reused for twenty tasks", u"thread_pool"_s, {}, 1,
           {u"threads_created == 4"_s, u"tasks == 20"_s, u"max_concurrent == 4"_s, u"wall_ms >= 3000"_s});
    addRow("interleaving: the threads take turns", u"interleaving"_s, {}, 1,
           {u"lines == 16"_s, u"switches > 0"_s, u"wall_ms >= 3000"_s});
    addRow("gil: four threads, one core's worth", u"gil"_s, {}, 1,
           {u"tasks_done == 16"_s, u"speedup < 1.2"_s, u"gil_switches > 300"_s, u"wall_ms >= 3000"_s});
    addRow("producer_consumer: everything made is consumed", u"producer_consumer"_s, {}, 1,
           {u"consumed == produced"_s, u"produced == 10"_s, u"stranded == 0"_s, u"wall_ms >= 3000"_s});
    addRow("pipeline: the trainer seldom waits for data", u"pipeline"_s, {}, 1,
           {u"batches_trained == 20"_s, u"trainer_idle_pct < 20"_s, u"wall_ms >= 3000"_s});
    addRow("shared_data: the exact total, with contention", u"shared_data"_s, {}, 1,
           {u"actual == expected"_s, u"lock_acquisitions == 200000"_s, u"contended > 0"_s});
    addRow("contention: threads wait for the one lock", u"contention"_s, {}, 1,
           {u"wait_fraction > 0.3"_s, u"wall_ms >= 3000"_s});
}

void TestTryThis::defaults()
{
    runAndCheck();
}

void TestTryThis::tryThis_data()
{
    QTest::addColumn<QString>("lesson");
    QTest::addColumn<QStringList>("sets");
    QTest::addColumn<double>("speed");
    QTest::addColumn<QStringList>("claims");
    // race.md
    addRow("race 1: one thread cannot race with itself", u"race"_s, {u"threads=1"_s}, 2, {u"lost_updates == 0"_s});
    addRow("race 2: no window, still lost", u"race"_s, {u"window_us=0"_s, u"increments=1000000"_s}, 1,
           {u"lost_updates > 0"_s, u"expected == 4000000"_s});
    addRow("race 3: the lock loses nothing and serialises", u"race"_s,
           {u"increments=1000"_s, u"window_us=1000"_s, u"lock=on"_s}, 4,
           {u"lost_updates == 0"_s, u"wall_ms >= 1000"_s}); // 4,000 sections of 1 ms, at speed 4
    // deadlock.md
    addRow("deadlock 2: a narrow window still deadlocks", u"deadlock"_s,
           {u"think_ms=0"_s, u"eat_ms=0"_s, u"meals=1000"_s, u"pickup_delay_ms=1"_s}, 1, {u"ended == deadlock"_s});
    addRow("deadlock 3: ordered", u"deadlock"_s, {u"strategy=ordered"_s}, 2,
           {u"ended == completed"_s, u"meals == 15"_s});
    addRow("deadlock 3: trylock", u"deadlock"_s, {u"strategy=trylock"_s}, 2,
           {u"ended == completed"_s, u"meals == 15"_s});
    // thread_pool.md
    addRow("thread_pool 1: eight threads, a last round half idle", u"thread_pool"_s, {u"pool_size=8"_s}, 2,
           {u"threads_created == 8"_s, u"utilization < 0.9"_s});
    addRow("thread_pool 2: a thread per task", u"thread_pool"_s, {u"mode=thread_per_task"_s}, 2,
           {u"threads_created == 20"_s, u"max_concurrent == 20"_s, u"mean_queue_wait_ms < 100"_s});
    addRow("thread_pool 3: one thread, tasks in turn", u"thread_pool"_s, {u"pool_size=1"_s}, 4,
           {u"threads_created == 1"_s, u"utilization >= 0.95"_s, u"mean_queue_wait_ms > 5 * mean_run_ms"_s});
    addRow("thread_pool 3: uneven tasks, the pool stays busy", u"thread_pool"_s, {u"task_jitter_ms=2000"_s}, 4,
           {u"utilization >= 0.85"_s});
    // gil.md
    addRow("gil 3: waiting needs no GIL", u"gil"_s, {u"workload=io"_s}, 2, {u"speedup > 3"_s});
    addRow("gil 3: eight waiters on two cores", u"gil"_s, {u"workload=io"_s, u"workers=8"_s}, 2, {u"speedup > 6"_s});
    // A waiter asks for the GIL only after an interval (50 ms at speed 2: 25 ms of wall time), so
    // hand-offs are at most one per interval plus one per task ended: wall_ms / 20 leaves that
    // room. A fixed count failed beside other work, which stretches the run and its intervals.
    addRow("gil 4: a longer interval, fewer hand-offs", u"gil"_s, {u"switch_interval_ms=50"_s}, 2,
           {u"gil_switches < wall_ms / 20"_s, u"speedup < 1.2"_s});
    // interleaving.md
    addRow("interleaving 2: eight sleepers overlap", u"interleaving"_s, {u"threads=8"_s, u"sleep_ms=100"_s}, 1,
           {u"lines == 64"_s, u"wall_ms < 4 * 8 * 100"_s}); // half the 6.4 s of sleeping in turn
    addRow("interleaving 3: one thread, nothing to interleave", u"interleaving"_s, {u"threads=1"_s}, 4,
           {u"switches == 0"_s});
    // producer_consumer.md
    addRow("producer_consumer 1: the queue fills to capacity", u"producer_consumer"_s,
           {u"produce_ms=20"_s, u"consume_ms=300"_s}, 2, {u"max_depth == 5"_s, u"consumed == 10"_s});
    addRow("producer_consumer 1: unbounded, the producer never waits", u"producer_consumer"_s,
           {u"produce_ms=20"_s, u"consume_ms=300"_s, u"capacity=0"_s}, 2, {u"max_depth > 5"_s, u"consumed == 10"_s});
    // At speed 1, as the text runs them: the bug needs a consumer to finish its 300 ms item before
    // the next 400 ms one is made, and at speed 2 that margin (50 ms) was lost once to a loaded
    // machine (consumed 10, nothing stranded).
    addRow("producer_consumer 2: empty() strands items, the producer is stuck", u"producer_consumer"_s,
           // Stuck is typical, not certain: on a loaded machine (a CI run) a consumer once took nine
           // items before it found the queue empty, and the producer finished: one stranded.
           {u"consumer_style=empty_check"_s}, 1, {u"stranded > 0"_s, u"consumed < produced"_s});
    addRow("producer_consumer 2: unbounded, the producer goes on alone", u"producer_consumer"_s,
           {u"consumer_style=empty_check"_s, u"capacity=0"_s}, 1,
           {u"produced == 10"_s, u"stranded > 0"_s, u"consumed < produced"_s});
    addRow("producer_consumer 3: a slow consumer never sees it empty", u"producer_consumer"_s,
           {u"consumer_style=empty_check"_s, u"consume_ms=1000"_s}, 2,
           {u"produced == 10"_s, u"consumed == 10"_s, u"stranded == 0"_s});
    // contention.md
    addRow("contention 1: eight threads wait more", u"contention"_s, {u"threads=8"_s}, 4, {u"wait_fraction > 0.5"_s});
    // The texts' "falls to 0.1-0.2" and "almost disappears" hold on an idle machine (0.05-0.2);
    // beside other work a holder loses its core mid-section and the others wait for it (a short
    // section waited 0.25-0.30 with two busy loops and 0.40 beside a CI build, where the defaults
    // waited 0.68 or more): claimed is the change's direction against the defaults, by a quarter.
    addRow("contention 2: four stripes wait less", u"contention"_s, {u"locks=4"_s}, 2,
           {u"4 * wait_fraction < 3 * defaults_wait_fraction"_s});
    addRow("contention 3: a short critical section", u"contention"_s, {u"critical_ms=5"_s, u"outside_ms=35"_s}, 2,
           {u"4 * wait_fraction < 3 * defaults_wait_fraction"_s});
    // pipeline.md
    // The trainer's idle share falls when other programs slow its training: claimed only where
    // the work bounds it (no prefetch: nothing overlaps; one loader: 20 loads one after another).
    addRow("pipeline 1: no prefetch, load and train in turn", u"pipeline"_s, {u"prefetch=0"_s}, 4,
           {u"epoch_ms >= sequential_ms"_s, u"speedup < 1.05"_s});
    addRow("pipeline 2: slow loads, one at a time", u"pipeline"_s, {u"load_ms=450"_s}, 4,
           {u"epoch_ms >= 20 * 450 / 4"_s});
    addRow("pipeline 2: three loaders feed it", u"pipeline"_s, {u"load_ms=450"_s, u"loaders=3"_s}, 4,
           {u"trainer_idle_pct < 20"_s});
    addRow("pipeline 3: CPU-bound loaders take the GIL", u"pipeline"_s, {u"load_kind=cpu"_s}, 4,
           {u"speedup < 1.15"_s});
    // shared_data.md
    addRow("shared_data 2: batched, a thousandth of the acquisitions", u"shared_data"_s, {u"strategy=batched"_s}, 1,
           {u"actual == expected"_s, u"lock_acquisitions == 200"_s});
    addRow("shared_data 3: local, none at all", u"shared_data"_s, {u"strategy=local"_s}, 1,
           {u"actual == expected"_s, u"lock_acquisitions == 0"_s});
    addRow("shared_data 3: batch 10, a tenth", u"shared_data"_s, {u"strategy=batched"_s, u"batch=10"_s}, 1,
           {u"actual == expected"_s, u"lock_acquisitions == 20000"_s});
}

void TestTryThis::tryThis()
{
    runAndCheck();
}

QTEST_GUILESS_MAIN(TestTryThis)
#include "tst_trythis.moc"
