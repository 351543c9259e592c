// Stress: hundreds of random start / change / pause / stop cycles over every lesson, in one process.
// Each cycle is drawn from a seeded generator; the seed is printed, and
// INTERLEAVE_STRESS_SEED=<seed> replays the same cycles (same lessons, settings and actions; the
// threads' timing is the machine's). INTERLEAVE_STRESS_CYCLES=<n> runs more of them.
#include "collector.h"
#include "runner.h"
#include "scenario.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <random>

using namespace interleave;
using namespace Qt::StringLiterals;

namespace {

// What counts as a hang here: Stop's own 200 ms rule is tst_stop's and P8's. A Stop ends a worker
// process with SIGKILL and waits for it, and the child runs at the workers' lowered priority: with
// both cores held by other jobs (a CI run and a build beside the suite) a Stop of a gil run with
// worker processes took 1,297 ms. A sanitizer slows every thread several times over besides.
constexpr int HangBoundMs = 3000;
#ifdef INTERLEAVE_SANITIZED
constexpr int DefaultCycles = 200;
#else
constexpr int DefaultCycles = 300;
// After every run is gone, the process may keep at most this much more than after the warm-up.
constexpr qint64 ResidentGrowthBound = qint64(64) << 20;
#endif

int threadCount()
{
    return int(QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

qint64 residentBytes()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return f.readAll().split(' ').value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

// Processes whose parent is this one (running, or exited and not yet reaped).
QStringList childProcesses()
{
    const QByteArray self = QByteArray::number(qint64(getpid()));
    QStringList children;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& pid : entries) {
        if (!pid.front().isDigit())
            continue;
        QFile f(u"/proc/"_s + pid + u"/stat"_s);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        // "pid (comm) state ppid ...": comm may hold spaces, so read on from the last ')'.
        const qsizetype close = stat.lastIndexOf(')');
        if (close < 0)
            continue;
        if (stat.mid(close + 2).split(' ').value(1) == self)
            children << QString::fromLocal8Bit(stat.left(close + 3));
    }
    return children;
}

// Upper ends for random settings, so that a cycle lasts milliseconds, not minutes.
double cap(const QString& key)
{
    static const QHash<QString, double> caps{
        {u"threads"_s, 8},       {u"steps"_s, 20},          {u"sleep_ms"_s, 40},        {u"jitter_ms"_s, 20},
        {u"increments"_s, 20000}, {u"window_us"_s, 50},     {u"workers"_s, 4},          {u"tasks"_s, 12},
        {u"task_ms"_s, 30},      {u"switch_interval_ms"_s, 10}, {u"locks"_s, 4},        {u"critical_ms"_s, 20},
        {u"outside_ms"_s, 20},   {u"rounds"_s, 20},         {u"philosophers"_s, 6},     {u"think_ms"_s, 30},
        {u"eat_ms"_s, 30},       {u"pickup_delay_ms"_s, 30}, {u"meals"_s, 5},           {u"producers"_s, 4},
        {u"consumers"_s, 4},     {u"capacity"_s, 10},       {u"produce_ms"_s, 20},      {u"consume_ms"_s, 20},
        {u"items"_s, 20},        {u"pool_size"_s, 6},       {u"task_jitter_ms"_s, 20},
        {u"batch"_s, 5000},      {u"batches"_s, 12},        {u"load_ms"_s, 30},         {u"train_ms"_s, 30},
        {u"loaders"_s, 4},       {u"prefetch"_s, 4},
    };
    return caps.value(key, 1e18);
}

class Random
{
public:
    explicit Random(std::uint64_t seed)
        : m_engine(seed)
    {
    }
    int integer(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_engine); }
    bool chance(double p) { return std::bernoulli_distribution(p)(m_engine); }
    double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(m_engine); }

    double value(const ParamSpec& spec)
    {
        switch (spec.type) {
        case ParamSpec::Type::Bool:
            return chance(0.5) ? 1 : 0;
        case ParamSpec::Type::Choice:
            return integer(0, int(spec.choices.size()) - 1);
        case ParamSpec::Type::Int:
            return integer(int(spec.min), int(std::min(spec.max, std::max(spec.min, cap(spec.key)))));
        case ParamSpec::Type::Double:
            return real(spec.min, std::min(spec.max, std::max(spec.min, cap(spec.key))));
        }
        return spec.defaultValue;
    }

private:
    std::mt19937_64 m_engine;
};

QString describe(const ScenarioInfo& info, const std::vector<double>& values)
{
    QStringList parts;
    for (int i = 0; i < info.schema.size(); ++i) {
        const ParamSpec& spec = info.schema.at(i);
        parts << spec.key + u'=' + spec.toJson(values[std::size_t(i)]).toVariant().toString();
    }
    return info.id + u' ' + parts.join(u' ');
}

} // namespace

class TestStress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void randomCycles();

private:
    // Drains what the run recorded and checks that every event is accounted for.
    void checkRecording(const std::shared_ptr<TraceSession>& session);
    void checkNothingLeft();
    void start(const ScenarioEntry& entry, std::vector<double> values, double speed);
    void stopAndCheck();
    // What the failing cycle was doing, for a check's message.
    QByteArray where(const QByteArray& detail = {}) const
    {
        return u"cycle %1 (%2): %3: "_s.arg(m_cycle).arg(m_run, m_actions.join(u", "_s)).toLocal8Bit() + detail;
    }

    Runner* m_runner = nullptr;
    TraceStore* m_store = nullptr;
    Collector* m_collector = nullptr;
    int m_baselineThreads = -1;
    int m_starts = 0;
    int m_finished = 0;
    int m_cycle = 0;
    QString m_run;
    QStringList m_actions;
    std::vector<qint64> m_stopMs;
    std::map<QString, int> m_endings;
    std::uint64_t m_events = 0;
    std::uint64_t m_dropped = 0;
    std::shared_ptr<TraceSession> m_checked; // the last session checkRecording() went through
    QByteArray m_failure;                    // a run that ended "failed", and why
};

void TestStress::initTestCase()
{
    // Worker processes (gil, executor=processes) are the real program.
    qputenv("INTERLEAVE_WORKER_EXE", QByteArrayLiteral(INTERLEAVE_EXE));
}

void TestStress::checkRecording(const std::shared_ptr<TraceSession>& session)
{
    m_collector->drain();
    std::uint64_t pushed = 0;
    for (std::size_t i = 0; i < session->laneCount(); ++i) {
        const LaneInfo* lane = session->lane(i);
        QVERIFY2(lane->finished.load(std::memory_order_acquire),
                 where("lane still recording after Stop: " + lane->name.toLocal8Bit()).constData());
        pushed += lane->recorder->ring().pushed();
    }
    // Every event a thread published reached the store; every one it could not was counted.
    QVERIFY2(m_store->eventsRecorded() == pushed,
             where("recorded " + QByteArray::number(m_store->eventsRecorded()) + " of " + QByteArray::number(pushed))
                 .constData());
    QCOMPARE(m_store->eventsDropped(), session->droppedTotal());
    QCOMPARE(m_store->laneCount(), session->laneCount());
    if (m_store->eventsDropped() == 0) {
        for (std::size_t i = 0; i < m_store->laneCount(); ++i) {
            QVERIFY2(m_store->lane(i).begun && m_store->lane(i).ended,
                     where("lane not closed in the store: " + m_store->lane(i).name.toLocal8Bit()).constData());
        }
    }
    m_events += m_store->eventsRecorded();
    m_dropped += m_store->eventsDropped();
    m_checked = session;
}

void TestStress::checkNothingLeft()
{
    // Every start reported its end exactly once (stale reports of stopped runs included).
    QCoreApplication::sendPostedEvents();
    QVERIFY2(m_failure.isEmpty(), m_failure.constData());
    QVERIFY2(m_finished == m_starts, where("finished() " + QByteArray::number(m_finished) + " times for "
                                           + QByteArray::number(m_starts) + " starts")
                                         .constData());
    QVERIFY2(!m_runner->isRunning(), where().constData());
    QCOMPARE(m_runner->context()->liveWorkers(), 0);
    // Joined threads may take a moment to leave the kernel's list; none may stay. (No baseline
    // yet during the warm-up.)
    QTRY_VERIFY2_WITH_TIMEOUT(m_baselineThreads < 0 || threadCount() == m_baselineThreads,
                              where("threads " + QByteArray::number(threadCount()) + ", baseline "
                                    + QByteArray::number(m_baselineThreads))
                                  .constData(),
                              5000);
    QTRY_VERIFY2_WITH_TIMEOUT(childProcesses().isEmpty(),
                              where("processes left: " + childProcesses().join(u"; "_s).toLocal8Bit()).constData(), 5000);
}

void TestStress::start(const ScenarioEntry& entry, std::vector<double> values, double speed)
{
    const std::shared_ptr<TraceSession> previous = m_runner->session();
    const bool wasRunning = m_runner->isRunning();
    QString error;
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(m_runner->start(entry.info.id, values, speed, &error), where(error.toLocal8Bit()).constData());
    if (wasRunning)
        m_stopMs.push_back(timer.elapsed()); // start() stopped the previous run first
    ++m_starts;
    if (previous && previous != m_checked) {
        checkRecording(previous); // the collector still follows the previous run
        if (QTest::currentTestFailed())
            return;
    }
    m_collector->setSession(m_runner->session());
}

void TestStress::stopAndCheck()
{
    if (m_runner->isRunning()) {
        QElapsedTimer timer;
        timer.start();
        const bool joined = m_runner->stop(u"stopped"_s, HangBoundMs);
        m_stopMs.push_back(timer.elapsed());
        QVERIFY2(joined, where("Stop took " + QByteArray::number(timer.elapsed()) + " ms").constData());
    }
    QVERIFY2(!m_runner->ended().isEmpty(), where().constData());
    if (m_runner->session() != m_checked)
        checkRecording(m_runner->session());
    if (QTest::currentTestFailed())
        return;
    checkNothingLeft();
}

void TestStress::randomCycles()
{
    bool ok = false;
    const int cycles = qEnvironmentVariableIntValue("INTERLEAVE_STRESS_CYCLES", &ok);
    const int total = ok && cycles > 0 ? cycles : DefaultCycles;
    const QByteArray seedText = qgetenv("INTERLEAVE_STRESS_SEED");
    const std::uint64_t seed = seedText.isEmpty() ? std::random_device{}() : seedText.toULongLong();
    qInfo("stress: %d cycles, seed %llu (replay: INTERLEAVE_STRESS_SEED=%llu)", total, (unsigned long long)seed,
          (unsigned long long)seed);
    Random rng(seed);

    const auto& scenarios = ScenarioRegistry::instance().all();
    QCOMPARE(int(scenarios.size()), 9);

    qint64 baselineRss = 0;
    qint64 peakRss = 0;
    {
        Runner runner;
        TraceStore store;
        Collector collector(&store);
        collector.start(16);
        m_runner = &runner;
        m_store = &store;
        m_collector = &collector;
        QObject::connect(&runner, &Runner::finished, &runner, [this](const QString& ended) {
            ++m_finished;
            ++m_endings[ended];
            if (ended == "failed"_L1 && m_failure.isEmpty())
                m_failure = where("the run failed: " + m_runner->failure().toLocal8Bit());
        });

        // Warm-up: one short run of each lesson, so that whatever Qt or a sanitizer starts once
        // (and keeps) is in the baseline.
        m_baselineThreads = -1;
        for (const ScenarioEntry& entry : scenarios) {
            m_run = entry.info.id + u" (warm-up)"_s;
            start(entry, entry.info.schema.defaults(), 100);
            QTRY_VERIFY_WITH_TIMEOUT(m_runner->context()->liveWorkers() > 0 || !m_runner->isRunning(), 10'000);
            stopAndCheck();
            QTRY_COMPARE_WITH_TIMEOUT(childProcesses().size(), 0, 5000);
        }
        QCoreApplication::sendPostedEvents();
        m_baselineThreads = threadCount();
        malloc_trim(0);
        baselineRss = residentBytes();

        QElapsedTimer clock;
        clock.start();
        for (m_cycle = 1; m_cycle <= total; ++m_cycle) {
            const ScenarioEntry& entry = scenarios[std::size_t(rng.integer(0, int(scenarios.size()) - 1))];
            const ParamSchema& schema = entry.info.schema;
            std::vector<double> values;
            for (int i = 0; i < schema.size(); ++i)
                values.push_back(rng.value(schema.at(i)));
            const double speed = rng.real(10, 100);
            runner.setStopOnDeadlock(rng.chance(0.5)); // the window keeps a deadlock until Stop
            m_run = describe(entry.info, values) + u" speed=%1"_s.arg(speed, 0, 'f', 1);
            m_actions.clear();
            m_actions << u"start"_s;
            start(entry, values, speed);
            if (QTest::currentTestFailed())
                return;

            const int actions = rng.integer(0, 6);
            for (int a = 0; a < actions; ++a) {
                // A random moment: the threads run meanwhile; nothing waits on them here.
                QTest::qWait(rng.integer(0, 25));
                const int what = rng.integer(0, 9);
                if (what <= 4) {
                    // A live setting; thread counts (threads) half of the time, up or down.
                    std::vector<int> live;
                    for (int i = 0; i < schema.size(); ++i) {
                        if (schema.at(i).live)
                            live.push_back(i);
                    }
                    if (live.empty())
                        continue;
                    int index = live[std::size_t(rng.integer(0, int(live.size()) - 1))];
                    if (schema.indexOf(u"threads"_s) >= 0 && rng.chance(0.5))
                        index = schema.indexOf(u"threads"_s);
                    const double v = rng.value(schema.at(index));
                    m_actions << u"set %1=%2"_s.arg(schema.at(index).key).arg(v);
                    QString error;
                    QVERIFY2(runner.setParam(schema.at(index).key, v, &error), where(error.toLocal8Bit()).constData());
                } else if (what <= 6) {
                    m_actions << u"pause"_s;
                    runner.setPaused(true);
                    QTest::qWait(rng.integer(0, 20));
                    if (rng.chance(0.3)) {
                        m_actions << u"stop while paused"_s;
                        break;
                    }
                    m_actions << u"resume"_s;
                    runner.setPaused(false);
                } else if (what == 7) {
                    const double s = rng.real(5, 200);
                    m_actions << u"speed %1"_s.arg(s, 0, 'f', 1);
                    runner.setSpeed(s);
                } else {
                    // A setting that shapes the program starts the run again, as the window does.
                    std::vector<int> restarting;
                    for (int i = 0; i < schema.size(); ++i) {
                        if (!schema.at(i).live)
                            restarting.push_back(i);
                    }
                    const int index = restarting.empty() ? -1 : restarting[std::size_t(rng.integer(0, int(restarting.size()) - 1))];
                    if (index >= 0)
                        values[std::size_t(index)] = rng.value(schema.at(index));
                    // Live values move on from the last start: carry them over.
                    const std::vector<double> now = runner.paramValues();
                    for (int i = 0; i < schema.size(); ++i) {
                        if (schema.at(i).live && std::size_t(i) < now.size())
                            values[std::size_t(i)] = now[std::size_t(i)];
                    }
                    m_actions << (index >= 0 ? u"restart with %1=%2"_s.arg(schema.at(index).key).arg(values[std::size_t(index)])
                                             : u"restart"_s);
                    start(entry, values, speed);
                    if (QTest::currentTestFailed())
                        return;
                }
            }
            m_actions << u"stop"_s;
            stopAndCheck();
            if (QTest::currentTestFailed())
                return;
            peakRss = std::max(peakRss, residentBytes());
        }
        const qint64 elapsed = clock.elapsed();

        std::vector<qint64> stops = m_stopMs;
        std::sort(stops.begin(), stops.end());
        QStringList endings;
        for (const auto& [ended, n] : m_endings)
            endings << u"%1 %2"_s.arg(ended).arg(n);
        qInfo("stress: %d cycles, %d starts in %.1f s; ended: %s; %llu events recorded, %llu dropped", total, m_starts,
              double(elapsed) / 1000, qPrintable(endings.join(u", "_s)), (unsigned long long)m_events,
              (unsigned long long)m_dropped);
        if (!stops.empty()) {
            qInfo("stress: %zu stops of running runs: median %lld ms, p99 %lld ms, max %lld ms", stops.size(),
                  (long long)stops[stops.size() / 2], (long long)stops[stops.size() * 99 / 100], (long long)stops.back());
        }
        // Every run's threads are gone now; the collector still follows the last session, as it
        // did when the baseline was taken (its rescue thread lives as long as it does).
        QTRY_COMPARE_WITH_TIMEOUT(threadCount(), m_baselineThreads, 5000);
        collector.setSession(nullptr);
        m_checked.reset();
    }

    // And the rest of every run (runner, sessions, rings, stores) with them.
    malloc_trim(0);
    const qint64 finalRss = residentBytes();
    qInfo("stress: resident memory after warm-up %.1f MiB, peak after a stop %.1f MiB, at the end %.1f MiB",
          double(baselineRss) / (1 << 20), double(peakRss) / (1 << 20), double(finalRss) / (1 << 20));
#ifndef INTERLEAVE_SANITIZED
    // (Under a sanitizer its allocator keeps freed memory in quarantine; LeakSanitizer checks leaks.)
    QVERIFY2(finalRss - baselineRss <= ResidentGrowthBound,
             qPrintable(u"resident memory grew by %1 MiB"_s.arg(double(finalRss - baselineRss) / (1 << 20))));
#endif
}

QTEST_GUILESS_MAIN(TestStress)
#include "tst_stress.moc"
