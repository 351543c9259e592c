// Step mode, schedules and the explorer (issue 18). The explorer's counts are checked against a
// brute-force enumeration written here, from the lessons' Python programs and nothing of the
// engine: each thread is a list of operations, every interleaving the locks allow is walked, and
// the outcomes are counted.
#include "explorer.h"
#include "runner.h"
#include "scenario.h"
#include "stepgate.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "interleaveprocess.h"
#include "testdata.h"

#include <functional>
#include <map>
#include <optional>

using namespace interleave;
using interleave::test::runInterleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

namespace {

// --- the independent model -----------------------------------------------------------------------

enum class Op { Read, Write, Acquire, Release, Print, Other };
struct Step
{
    Op op;
    int lock = 0; // Acquire / Release: which lock
};
using Program = std::vector<std::vector<Step>>; // a list of steps per thread

struct ModelState
{
    std::vector<std::size_t> pc;
    std::vector<long> seen; // each thread's local copy of the counter
    long counter = 0;
    std::map<int, int> owner; // lock -> thread
    std::vector<int> printed; // which thread printed, in order
    int completedMeals = 0;   // Other steps counted as meals by the deadlock program
};

// Counts every maximal schedule by the key `classify` gives its end state, with at most `bound`
// preemptions (switching away from the thread that stepped last while it could go on).
void enumerate(const Program& program, ModelState& s, std::optional<int> last, int preemptions,
               std::optional<int> bound, const std::function<QString(const ModelState&, bool deadlock)>& classify,
               std::map<QString, long>& counts)
{
    std::vector<int> enabled;
    bool allDone = true;
    for (int t = 0; t < int(program.size()); ++t) {
        if (s.pc[std::size_t(t)] >= program[std::size_t(t)].size())
            continue;
        allDone = false;
        const Step& st = program[std::size_t(t)][s.pc[std::size_t(t)]];
        if (st.op == Op::Acquire && s.owner.count(st.lock))
            continue;
        enabled.push_back(t);
    }
    if (enabled.empty()) {
        ++counts[classify(s, !allDone)];
        return;
    }
    const bool lastEnabled = last && std::find(enabled.begin(), enabled.end(), *last) != enabled.end();
    for (const int t : enabled) {
        const int p = preemptions + (lastEnabled && t != *last ? 1 : 0);
        if (bound && p > *bound)
            continue;
        ModelState next = s;
        const Step& st = program[std::size_t(t)][next.pc[std::size_t(t)]++];
        switch (st.op) {
        case Op::Read: next.seen[std::size_t(t)] = next.counter; break;
        case Op::Write: next.counter = next.seen[std::size_t(t)] + 1; break;
        case Op::Acquire: next.owner[st.lock] = t; break;
        case Op::Release: next.owner.erase(st.lock); break;
        case Op::Print: next.printed.push_back(t); break;
        case Op::Other: ++next.completedMeals; break;
        }
        enumerate(program, next, t, p, bound, classify, counts);
    }
}

std::map<QString, long> modelCounts(const Program& program, std::optional<int> bound,
                                    const std::function<QString(const ModelState&, bool)>& classify)
{
    ModelState s;
    s.pc.assign(program.size(), 0);
    s.seen.assign(program.size(), 0);
    std::map<QString, long> counts;
    enumerate(program, s, std::nullopt, 0, bound, classify, counts);
    return counts;
}

// race.py: `seen = counter; counter = seen + 1`, under `with lock:` when the lock is on.
Program raceProgram(int threads, int increments, bool lock)
{
    Program p(static_cast<std::size_t>(threads));
    for (auto& thread : p) {
        for (int k = 0; k < increments; ++k) {
            if (lock)
                thread.push_back({Op::Acquire, 0});
            thread.push_back({Op::Read});
            thread.push_back({Op::Write});
            if (lock)
                thread.push_back({Op::Release, 0});
        }
    }
    return p;
}

// deadlock.py: think, take the left fork, take the right fork, eat, put both back (right first).
Program philosophersProgram(int n, int meals)
{
    Program p(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        for (int m = 0; m < meals; ++m) {
            auto& t = p[std::size_t(i)];
            t.push_back({Op::Print}); // think (no effect on the outcome)
            t.push_back({Op::Acquire, i});
            t.push_back({Op::Acquire, (i + 1) % n});
            t.push_back({Op::Other}); // eat
            t.push_back({Op::Release, (i + 1) % n});
            t.push_back({Op::Release, i});
        }
    }
    return p;
}

// interleaving.py: print a line, sleep; `steps` times.
Program printingProgram(int threads, int steps)
{
    Program p(static_cast<std::size_t>(threads));
    for (auto& thread : p) {
        for (int k = 0; k < steps; ++k) {
            thread.push_back({Op::Print});
            thread.push_back({Op::Other});
        }
    }
    return p;
}

std::map<QString, long> explored(const ExploreResult& r)
{
    std::map<QString, long> counts;
    for (const ExploredOutcome& o : r.outcomes)
        counts[o.key] = long(o.count);
    return counts;
}

QString describe(const std::map<QString, long>& counts)
{
    QStringList parts;
    for (const auto& [key, n] : counts)
        parts << u"%1: %2"_s.arg(key).arg(n);
    return parts.join(u", "_s);
}

long total(const std::map<QString, long>& counts)
{
    long n = 0;
    for (const auto& [key, c] : counts)
        n += c;
    return n;
}

QJsonObject parseJson(const QByteArray& bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

} // namespace

class TestStepping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void raceCountsAreExact_data();
    void raceCountsAreExact();
    void philosopherCountsAreExact_data();
    void philosopherCountsAreExact();
    void printingCountsAreExact();
    void preemptionBoundCountsAreExact();
    void capCountsWhatIsLeft();
    void shortestSchedulesReplay();
    void replayIsDeterministic();
    void producerConsumerStrandsItemsUnderSomeSchedules();
    void lessonTextsTellTheCounts();
    void stopEndsASteppingRunAtOnce();
    void handSteppingFollowsTheStudent();
    void commandLine();
    void commandLineBadInput();
};

void TestStepping::raceCountsAreExact_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("increments");
    QTest::addColumn<bool>("lock");
    QTest::newRow("2 threads x 1") << 2 << 1 << false;
    QTest::newRow("2 threads x 2") << 2 << 2 << false;
    QTest::newRow("2 threads x 3") << 2 << 3 << false;
    QTest::newRow("3 threads x 1") << 3 << 1 << false;
    QTest::newRow("2 threads x 2, lock") << 2 << 2 << true;
    QTest::newRow("3 threads x 1, lock") << 3 << 1 << true;
}

void TestStepping::raceCountsAreExact()
{
    QFETCH(int, threads);
    QFETCH(int, increments);
    QFETCH(bool, lock);
    const long expected = long(threads) * increments;
    const auto model = modelCounts(raceProgram(threads, increments, lock), std::nullopt,
                                   [&](const ModelState& s, bool) { return u"lost_updates=%1"_s.arg(expected - s.counter); });
    const auto values = scenarioValues(u"race"_s, {u"threads=%1"_s.arg(threads), u"increments=%1"_s.arg(increments),
                                                   lock ? u"lock=on"_s : u"lock=off"_s});
    const ExploreResult r = explore(u"race"_s, values, {});
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.complete);
    QCOMPARE(r.left, std::int64_t(0));
    QCOMPARE(r.pruned, std::int64_t(0));
    QVERIFY2(explored(r) == model, qPrintable(u"explorer: %1; model: %2"_s.arg(describe(explored(r)), describe(model))));
    QCOMPARE(r.schedules, std::int64_t(total(model)));
    if (!lock)
        QVERIFY(model.size() >= 2); // lock off: some schedule loses an update
    else
        QCOMPARE(model.size(), std::size_t(1));
}

void TestStepping::philosopherCountsAreExact_data()
{
    QTest::addColumn<int>("philosophers");
    QTest::addColumn<int>("meals");
    QTest::addColumn<int>("bound"); // preemptions; -1: none (every schedule)
    QTest::newRow("2 philosophers, 1 meal") << 2 << 1 << -1;
    QTest::newRow("2 philosophers, 2 meals") << 2 << 2 << -1;
    // Three philosophers have 14,136 schedules (20 s here): counted within a bound (126 of them),
    // the model bounded the same way.
    QTest::newRow("3 philosophers, 1 meal, 1 preemption") << 3 << 1 << 1;
}

void TestStepping::philosopherCountsAreExact()
{
    QFETCH(int, philosophers);
    QFETCH(int, meals);
    QFETCH(int, bound);
    const std::optional<int> limit = bound < 0 ? std::nullopt : std::optional<int>(bound);
    const auto model = modelCounts(philosophersProgram(philosophers, meals), limit, [](const ModelState& s, bool deadlock) {
        return u"deadlock=%1 meals=%2"_s.arg(deadlock ? u"true"_s : u"false"_s).arg(s.completedMeals);
    });
    const auto values = scenarioValues(u"deadlock"_s, {u"philosophers=%1"_s.arg(philosophers), u"meals=%1"_s.arg(meals),
                                                       u"strategy=naive"_s});
    ExploreOptions options;
    options.preemptionBound = limit;
    const ExploreResult r = explore(u"deadlock"_s, values, options);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.complete);
    QVERIFY2(explored(r) == model, qPrintable(u"explorer: %1; model: %2"_s.arg(describe(explored(r)), describe(model))));
    QVERIFY(model.count(u"deadlock=true meals=0"_s)); // some schedule deadlocks at once
    for (const ExploredOutcome& o : r.outcomes)
        QCOMPARE(o.alarming, o.key.startsWith(u"deadlock=true"_s));
}

void TestStepping::printingCountsAreExact()
{
    for (const auto& [threads, steps] : std::vector<std::pair<int, int>>{{2, 2}, {3, 1}, {2, 3}}) {
        const auto model = modelCounts(printingProgram(threads, steps), std::nullopt, [](const ModelState& s, bool) {
            int switches = 0;
            for (std::size_t i = 1; i < s.printed.size(); ++i)
                switches += s.printed[i] != s.printed[i - 1] ? 1 : 0;
            return u"switches=%1"_s.arg(switches);
        });
        const auto values = scenarioValues(u"interleaving"_s, {u"threads=%1"_s.arg(threads), u"steps=%1"_s.arg(steps)});
        const ExploreResult r = explore(u"interleaving"_s, values, {});
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY2(explored(r) == model, qPrintable(u"%1 x %2: explorer: %3; model: %4"_s.arg(threads).arg(steps).arg(
                                           describe(explored(r)), describe(model))));
    }
}

void TestStepping::preemptionBoundCountsAreExact()
{
    for (const int bound : {0, 1, 2}) {
        const auto model = modelCounts(raceProgram(2, 3, false), bound,
                                       [](const ModelState& s, bool) { return u"lost_updates=%1"_s.arg(6 - s.counter); });
        ExploreOptions options;
        options.preemptionBound = bound;
        const ExploreResult r = explore(u"race"_s, scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=3"_s}), options);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.complete);
        QVERIFY2(explored(r) == model,
                 qPrintable(u"bound %1: explorer: %2; model: %3"_s.arg(bound).arg(describe(explored(r)), describe(model))));
        QVERIFY(r.pruned > 0); // 924 schedules without the bound
    }
}

void TestStepping::capCountsWhatIsLeft()
{
    ExploreOptions options;
    options.maxSchedules = 10;
    const ExploreResult r = explore(u"race"_s, scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=3"_s}), options);
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.schedules, std::int64_t(10));
    QVERIFY(!r.complete);
    QVERIFY(r.left > 0);
    QVERIFY(r.schedules + r.left <= 924); // every alternative left is at least one of the 924
}

void TestStepping::shortestSchedulesReplay()
{
    const auto values = scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=2"_s});
    const ExploreResult r = explore(u"race"_s, values, {});
    QVERIFY(r.error.isEmpty());
    int bad = 0;
    for (const ExploredOutcome& o : r.outcomes) {
        const ScheduledRun run = runSchedule(u"race"_s, values, o.shortest);
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QCOMPARE(run.schedule, o.shortest);
        QCOMPARE(u"lost_updates=%1"_s.arg(run.outcome.value(u"lost_updates"_s).toInteger()), o.key);
        QCOMPARE(run.steps.size(), o.shortest.size());
        bad += o.alarming ? 1 : 0;
    }
    QCOMPARE(bad, int(r.outcomes.size()) - 1); // every outcome but "none lost" is alarming
}

void TestStepping::replayIsDeterministic()
{
    // A schedule of interleaved reads and writes, cut short: the default rule finishes it.
    const auto values = scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=3"_s});
    const std::vector<std::uint32_t> given{1, 2, 3, 1, 3, 2, 2, 1};
    const ScheduledRun first = runSchedule(u"race"_s, values, given);
    QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
    QCOMPARE(first.schedule.size(), std::size_t(18)); // 3 threads x 3 x (read, write)
    QVERIFY(std::equal(given.begin(), given.end(), first.schedule.begin()));
    // Worked out by hand: 1,2,3 read 0; 1 writes 1; 3 writes 1; 2 writes 1; 2 reads 1; 1 reads 1;
    // then 1 goes on: writes 2, reads 2, writes 3, reads 3, writes 4; 2 writes 2 (over 4)...
    const qint64 lost = first.outcome.value(u"lost_updates"_s).toInteger();
    QVERIFY(lost >= 2);
    for (int i = 0; i < 20; ++i) {
        const ScheduledRun again = runSchedule(u"race"_s, values, first.schedule);
        QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
        QCOMPARE(again.schedule, first.schedule);
        QCOMPARE(again.steps, first.steps);
        QCOMPARE(again.outcome.value(u"lost_updates"_s).toInteger(), lost);
        QCOMPARE(again.outcome.value(u"actual"_s).toInteger(), first.outcome.value(u"actual"_s).toInteger());
    }
}

void TestStepping::producerConsumerStrandsItemsUnderSomeSchedules()
{
    // The empty() check: one producer of two items, one consumer that quits on an empty queue.
    const auto values = scenarioValues(u"producer_consumer"_s, {u"producers=1"_s, u"consumers=1"_s, u"items=2"_s,
                                                                u"consumer_style=empty_check"_s});
    const ExploreResult r = explore(u"producer_consumer"_s, values, {});
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(r.complete);
    // The consumer starts after the first put, and then either gets both items (the producer put
    // the second before it looked again) or finds the queue empty between the two and quits,
    // leaving the second stranded.
    const auto counts = explored(r);
    QVERIFY2(counts.count(u"consumed=2 stranded=0"_s), qPrintable(describe(counts)));
    QVERIFY2(counts.count(u"consumed=1 stranded=1"_s), qPrintable(describe(counts)));
    for (const ExploredOutcome& o : r.outcomes) {
        const ScheduledRun run = runSchedule(u"producer_consumer"_s, values, o.shortest);
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QCOMPARE(run.outcome.value(u"stranded"_s).toInteger(), o.outcome.value(u"stranded"_s).toInteger());
    }
}

void TestStepping::lessonTextsTellTheCounts()
{
    // Each "Be the scheduler" section's figures, run: the text states them, the explorer counts them.
    struct Claim
    {
        QString lesson;
        QStringList settings;
        std::int64_t schedules;
        std::map<QString, long> counts; // outcome keys the text gives a number for
        QString says;                   // how the text says it
    };
    const std::vector<Claim> claims{
        {u"race"_s, {u"threads=2"_s, u"increments=1"_s}, 6, {{u"lost_updates=1"_s, 4}}, u"6 schedules, 4 of them lose"_s},
        {u"race"_s, {u"threads=2"_s, u"increments=3"_s}, 924, {{u"lost_updates=0"_s, 20}, {u"lost_updates=4"_s, 8}},
         u"924 schedules: only 20 keep all six updates, and 8 lose four"_s},
        {u"race"_s, {u"threads=2"_s, u"increments=3"_s, u"lock=on"_s}, 20, {{u"lost_updates=0"_s, 20}}, u"20 of 20"_s},
        {u"deadlock"_s, {u"philosophers=2"_s, u"meals=1"_s}, 32, {{u"deadlock=true meals=0"_s, 6}}, u"of 32 schedules, 6 deadlock"_s},
        {u"deadlock"_s, {u"philosophers=2"_s, u"meals=1"_s, u"strategy=ordered"_s}, 14, {{u"deadlock=false meals=2"_s, 14}},
         u"none of its 14 schedules"_s},
        {u"producer_consumer"_s, {u"producers=1"_s, u"consumers=1"_s, u"items=2"_s, u"consumer_style=empty_check"_s}, 4,
         {{u"consumed=1 stranded=1"_s, 1}}, u"of 4 schedules, 1 strands an item"_s},
        {u"producer_consumer"_s, {u"producers=1"_s, u"consumers=1"_s, u"items=2"_s, u"consumer_style=sentinel"_s}, 5,
         {{u"consumed=2 stranded=0"_s, 5}}, u"every schedule consumes both items"_s},
        {u"interleaving"_s, {u"threads=2"_s, u"steps=2"_s}, 70, {{u"switches=1"_s, 10}, {u"switches=2"_s, 26}, {u"switches=3"_s, 34}},
         u"once in 10 of them, twice in 26 and three times in 34"_s},
        {u"shared_data"_s, {u"threads=2"_s, u"increments=2"_s}, 34, {{u"actual=6"_s, 34}}, u"all 34 schedules"_s},
        {u"shared_data"_s, {u"threads=2"_s, u"increments=2"_s, u"strategy=local"_s}, 1, {{u"actual=6"_s, 1}},
         u"nothing to schedule"_s},
    };
    for (const Claim& c : claims) {
        QFile md(QStringLiteral(LESSONS_DIR) + u"/"_s + c.lesson + u".md"_s);
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(md.readAll());
        const qsizetype section = text.indexOf(u"## Be the scheduler"_s);
        QVERIFY2(section >= 0, qPrintable(c.lesson));
        QVERIFY2(text.indexOf(c.says, section) > section, qPrintable(c.lesson + u": "_s + c.says));
        const ExploreResult r = explore(c.lesson, scenarioValues(c.lesson, c.settings), {});
        QVERIFY2(r.error.isEmpty() && r.complete, qPrintable(c.lesson + u": "_s + r.error));
        QCOMPARE(r.schedules, c.schedules);
        const auto counts = explored(r);
        for (const auto& [key, n] : c.counts) {
            const auto it = counts.find(key);
            QVERIFY2(it != counts.end() && it->second == n,
                     qPrintable(u"%1 %2: %3 (explored: %4)"_s.arg(c.lesson, c.settings.join(u' '), key, describe(counts))));
        }
    }
    // The stories told step by step, replayed.
    auto outcomeOf = [](const QString& lesson, const QStringList& settings, const std::vector<std::uint32_t>& schedule) {
        const ScheduledRun r = runSchedule(lesson, scenarioValues(lesson, settings), schedule);
        return r.error.isEmpty() ? r.outcome : QJsonObject{{u"error"_s, r.error}};
    };
    QCOMPARE(outcomeOf(u"race"_s, {u"threads=2"_s, u"increments=1"_s}, {1, 2, 1, 2}).value(u"lost_updates"_s).toInteger(), qint64(1));
    QCOMPARE(outcomeOf(u"race"_s, {u"threads=2"_s, u"increments=1"_s}, {1, 1, 2, 2}).value(u"lost_updates"_s).toInteger(), qint64(0));
    QVERIFY(outcomeOf(u"deadlock"_s, {u"philosophers=2"_s, u"meals=1"_s}, {1, 1, 2, 2}).value(u"deadlock"_s).toBool());
    QCOMPARE(outcomeOf(u"producer_consumer"_s, {u"producers=1"_s, u"consumers=1"_s, u"items=2"_s, u"consumer_style=empty_check"_s},
                       {1, 2, 2, 2, 1})
                 .value(u"stranded"_s)
                 .toInteger(),
             qint64(1));
    // Three philosophers: the search the window runs finds a six-step deadlock with one preemption.
    ExploreOptions bounded;
    bounded.preemptionBound = 1;
    const ExploreResult three = explore(u"deadlock"_s, scenarioValues(u"deadlock"_s, {u"philosophers=3"_s, u"meals=1"_s}), bounded);
    bool sixSteps = false;
    for (const ExploredOutcome& o : three.outcomes)
        sixSteps = sixSteps || (o.alarming && o.shortest.size() == 6);
    QVERIFY(sixSteps);
}

void TestStepping::stopEndsASteppingRunAtOnce()
{
    Runner runner;
    runner.setStepMode(true); // by hand: nobody grants a step, every thread waits at its gate
    QString error;
    QVERIFY(runner.start(u"race"_s, scenarioValues(u"race"_s, {u"threads=8"_s}), 1.0, &error));
    StepGate* gate = runner.stepGate();
    QVERIFY(gate);
    StepSnapshot s;
    for (int i = 0; i < 100 && !(s = gate->waitQuiet(100'000'000)).quiet; ++i) {
    }
    QVERIFY(s.quiet);
    QCOMPARE(s.offers.size(), std::size_t(8)); // each worker at its first read
    QElapsedTimer timer;
    timer.start();
    QVERIFY(runner.stop());
    QVERIFY(!runner.isRunning());
    QCOMPARE(runner.ended(), u"stopped"_s);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(u"stop took %1 ms"_s.arg(timer.elapsed())));
}

void TestStepping::handSteppingFollowsTheStudent()
{
    Runner runner;
    runner.setStepMode(true);
    QString error;
    QVERIFY(runner.start(u"race"_s, scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=1"_s}), 1.0, &error));
    StepGate* gate = runner.stepGate();
    auto quiet = [&] {
        StepSnapshot s;
        for (int i = 0; i < 100 && !(s = gate->waitQuiet(100'000'000)).quiet; ++i) {
        }
        return s;
    };
    StepSnapshot s = quiet();
    QCOMPARE(s.offers.size(), std::size_t(2));
    QCOMPARE(s.offers[0].kind, u"read"_s);
    QCOMPARE(s.offers[0].text, u"read counter"_s);
    // Both read 0, then both write 1: the classic lost update, chosen by hand.
    for (const std::uint32_t lane : {1u, 2u}) {
        QVERIFY2(gate->grant(lane, &error), qPrintable(error));
        s = quiet();
    }
    QCOMPARE(s.offers[0].kind, u"write"_s);
    QCOMPARE(s.offers[0].detail, u"seen = 0"_s);
    QVERIFY(!gate->grant(7, &error)); // no such thread
    QVERIFY(gate->grant(2, &error));
    s = quiet();
    QVERIFY(gate->grant(1, &error));
    QSignalSpy finished(&runner, &Runner::finished);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(runner.outcome().value(u"lost_updates"_s).toInteger(), qint64(1));
    QCOMPARE(runner.schedule(), (std::vector<std::uint32_t>{1, 2, 2, 1}));
}

void TestStepping::commandLine()
{
    // --explore --summary-out -: the counts and the shortest schedule of each bad outcome.
    const auto explored = runInterleave({u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=2"_s, u"--set"_s,
                                         u"increments=1"_s, u"--explore"_s, u"--summary-out"_s, u"-"_s});
    QCOMPARE(explored.exitCode, 0);
    const QJsonObject doc = parseJson(explored.out);
    QCOMPARE(doc.value(u"schema"_s).toString(), u"interleave.explore/1"_s);
    const QJsonObject e = doc.value(u"explore"_s).toObject();
    QCOMPARE(e.value(u"schedules"_s).toInteger(), qint64(6));
    QCOMPARE(e.value(u"outcomes"_s).toObject().value(u"lost_updates=0"_s).toInteger(), qint64(2));
    QCOMPARE(e.value(u"outcomes"_s).toObject().value(u"lost_updates=1"_s).toInteger(), qint64(4));
    const QString shortest = e.value(u"shortest"_s).toObject().value(u"lost_updates=1"_s).toString();
    QCOMPARE(shortest.split(u',').size(), 4);

    // Replaying it loses the update, and the summary carries the schedule taken.
    const auto replayed = runInterleave({u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=2"_s, u"--set"_s,
                                         u"increments=1"_s, u"--schedule"_s, shortest, u"--summary-out"_s, u"-"_s});
    QCOMPARE(replayed.exitCode, 0);
    const QJsonObject summary = parseJson(replayed.out);
    QCOMPARE(summary.value(u"outcome"_s).toObject().value(u"lost_updates"_s).toInteger(), qint64(1));
    QStringList lanes;
    for (const QJsonValue v : summary.value(u"schedule"_s).toArray())
        lanes << QString::number(v.toInteger());
    QCOMPARE(lanes.join(u','), shortest);

    // The trace keeps the schedule too: opened again, its summary says it.
    QTemporaryDir dir;
    const QString trace = dir.filePath(u"stepped.json"_s);
    const auto traced = runInterleave({u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=2"_s, u"--set"_s,
                                       u"increments=1"_s, u"--schedule"_s, shortest, u"--trace-out"_s, trace});
    QCOMPARE(traced.exitCode, 0);
    const auto reopened = runInterleave({u"--headless"_s, u"--open"_s, trace, u"--summary-out"_s, u"-"_s});
    QCOMPARE(reopened.exitCode, 0);
    QCOMPARE(parseJson(reopened.out).value(u"schedule"_s).toArray(), summary.value(u"schedule"_s).toArray());

    // --list-scenarios --json says which lessons have steps.
    const auto listed = runInterleave({u"--list-scenarios"_s, u"--json"_s});
    QCOMPARE(listed.exitCode, 0);
    QStringList steppable;
    for (const QJsonValue v : parseJson(listed.out).value(u"scenarios"_s).toArray()) {
        if (!v[u"step_outcome_keys"_s].toArray().isEmpty())
            steppable << v[u"id"_s].toString();
    }
    steppable.sort();
    QCOMPARE(steppable, (QStringList{u"deadlock"_s, u"interleaving"_s, u"producer_consumer"_s, u"race"_s, u"shared_data"_s}));

    // --seed: the same seed, the same schedule.
    QStringList seen;
    for (int i = 0; i < 2; ++i) {
        const auto seeded = runInterleave({u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=3"_s, u"--set"_s,
                                           u"increments=5"_s, u"--seed"_s, u"42"_s, u"--summary-out"_s, u"-"_s});
        QCOMPARE(seeded.exitCode, 0);
        seen << QString::fromUtf8(QJsonDocument(parseJson(seeded.out).value(u"schedule"_s).toArray()).toJson(QJsonDocument::Compact));
    }
    QCOMPARE(seen[0], seen[1]);
    QCOMPARE(seen[0].count(u','), 29); // 3 threads x 5 x (read, write) = 30 steps
}

void TestStepping::commandLineBadInput()
{
    struct Case
    {
        QStringList args;
        QString says;
    };
    const QList<Case> cases{
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--schedule"_s, u"1,x,2"_s}, u"'x' is not a lane number"_s},
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--step"_s}, u"--step is for the window"_s},
        {{u"--scenario"_s, u"race"_s, u"--explore"_s}, u"--explore goes with --headless"_s},
        {{u"--headless"_s, u"--scenario"_s, u"gil"_s, u"--explore"_s}, u"gil has no steps to schedule"_s},
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--preemptions"_s, u"2"_s}, u"--preemptions goes with --explore"_s},
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--explore"_s, u"--preemptions"_s, u"-1"_s}, u"--preemptions '-1'"_s},
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--explore"_s, u"--seed"_s, u"3"_s}, u"leave out --schedule and --seed"_s},
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--seed"_s, u"abc"_s}, u"--seed 'abc'"_s},
        {{u"--scenario"_s, u"race"_s, u"--seed"_s, u"3"_s}, u"--seed goes with --headless"_s},
        // A schedule that names a thread that cannot step then: worker-1 holds the lock.
        {{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=2"_s, u"--set"_s, u"lock=on"_s, u"--schedule"_s,
          u"1,2"_s},
         u"step 2 of the schedule names thread 2, which cannot step: its next step, acquire counter_lock, cannot be taken then"_s},
    };
    for (const Case& c : cases) {
        const auto r = runInterleave(c.args);
        QVERIFY2(r.exitCode == 2, qPrintable(c.args.join(u' ') + u": exit "_s + QString::number(r.exitCode)));
        QVERIFY2(QString::fromUtf8(r.err).contains(c.says), qPrintable(c.args.join(u' ') + u": "_s + QString::fromUtf8(r.err)));
    }
}

QTEST_GUILESS_MAIN(TestStepping)
#include "tst_stepping.moc"
