// Runner: live parameter changes reach running workers (thread count up and down), speed, pause.
#include "collector.h"
#include "runner.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QSignalSpy>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unknownScenarioAndBadValuesAreRejected();
    void threadCountFollowsTheParameter();
    void retiredWorkersStopEarlyAndExpectedStaysExact();
    void speedScalesSleeps();
    void pauseHoldsWorkersAtTheNextStep();
};

void TestRunner::unknownScenarioAndBadValuesAreRejected()
{
    Runner runner;
    QString error;
    QVERIFY(!runner.start(u"nope"_s, {}, 1.0, &error));
    QVERIFY(error.contains(u"'nope'"_s));
    QVERIFY(error.contains(u"race"_s));
    std::vector<double> v = scenarioValues(u"race"_s, {});
    v[0] = 1000; // threads out of range
    QVERIFY(!runner.start(u"race"_s, v, 1.0, &error));
    QVERIFY(error.contains(u"threads"_s));
    QVERIFY(!runner.isRunning());

    QVERIFY(runner.start(u"interleaving"_s, scenarioValues(u"interleaving"_s, {u"sleep_ms=10000"_s}), 1.0, &error));
    QVERIFY(!runner.setParam(u"nope"_s, 1, &error));
    QVERIFY(!runner.setParam(u"threads"_s, 0, &error));
    QVERIFY(error.contains(u"1..32"_s));
    QVERIFY(runner.stop());
}

void TestRunner::threadCountFollowsTheParameter()
{
    Runner runner;
    QString error;
    QVERIFY(runner.start(u"interleaving"_s,
                         scenarioValues(u"interleaving"_s, {u"threads=2"_s, u"steps=1000"_s, u"sleep_ms=5"_s}), 1.0, &error));
    QTRY_COMPARE_WITH_TIMEOUT(runner.context()->liveWorkers(), 2, 5000);
    QVERIFY(runner.setParam(u"threads"_s, 5));
    QTRY_COMPARE_WITH_TIMEOUT(runner.context()->liveWorkers(), 5, 5000);
    QVERIFY(runner.setParam(u"threads"_s, 1));
    QTRY_COMPARE_WITH_TIMEOUT(runner.context()->liveWorkers(), 1, 5000);
    QCOMPARE(runner.context()->startedWorkers(), 5);
    QVERIFY(runner.isRunning());
    QVERIFY(runner.stop());

    // The trace shows every worker that ever ran, plus main.
    TraceStore store;
    Collector collector(&store);
    collector.setSession(runner.session());
    collector.drain();
    QCOMPARE(store.laneCount(), std::size_t(6));
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        QVERIFY(store.lane(i).ended);
}

void TestRunner::retiredWorkersStopEarlyAndExpectedStaysExact()
{
    Runner runner;
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY(runner.start(u"race"_s,
                         scenarioValues(u"race"_s, {u"threads=4"_s, u"increments=200000"_s, u"lock=on"_s, u"window_us=2"_s}),
                         1.0, &error));
    QTRY_COMPARE_WITH_TIMEOUT(runner.context()->liveWorkers(), 4, 5000);
    QVERIFY(runner.setParam(u"threads"_s, 2));
    QTRY_COMPARE_WITH_TIMEOUT(runner.context()->liveWorkers(), 2, 5000);
    QVERIFY(runner.setParam(u"increments"_s, 2000)); // finish soon
    QVERIFY(finished.wait(60'000));
    QCOMPARE(runner.ended(), u"completed"_s);
    const QJsonObject o = runner.outcome();
    // Retired workers did fewer increments; with the lock nothing is lost either way.
    QVERIFY(o[u"expected"_s].toInteger() < 4 * 200000);
    QCOMPARE(o[u"actual"_s].toInteger(), o[u"expected"_s].toInteger());
    QCOMPARE(o[u"lost_updates"_s].toInteger(), 0);
}

void TestRunner::speedScalesSleeps()
{
    // 5 steps of 200 ms at speed 20 take about 50 ms, far below 1 s: the speed reached the sleeps.
    Runner runner;
    QSignalSpy finished(&runner, &Runner::finished);
    QString error;
    QVERIFY(runner.start(u"interleaving"_s, scenarioValues(u"interleaving"_s, {u"sleep_ms=200"_s}), 20.0, &error));
    QVERIFY(finished.wait(30'000));
    QVERIFY2(runner.wallMs() < 1000, qPrintable(u"wall %1 ms"_s.arg(runner.wallMs())));
    QVERIFY(runner.wallMs() >= 5 * 200 / 20.0 * 0.9);
}

void TestRunner::pauseHoldsWorkersAtTheNextStep()
{
    Runner runner;
    QString error;
    QVERIFY(runner.start(u"interleaving"_s,
                         scenarioValues(u"interleaving"_s, {u"threads=2"_s, u"steps=1000"_s, u"sleep_ms=1"_s}), 1.0, &error));
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"lines"_s].toInt() >= 4, 5000);
    QSignalSpy paused(&runner, &Runner::pausedChanged);
    runner.setPaused(true);
    QCOMPARE(paused.count(), 1);
    QVERIFY(runner.isPaused());
    // Workers finish the step they are in, then hold: the line count settles.
    int lines = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const int now = runner.outcome()[u"lines"_s].toInt();
            const bool settled = now == lines;
            lines = now;
            return settled;
        }(),
        5000);
    runner.setPaused(false);
    QTRY_VERIFY_WITH_TIMEOUT(runner.outcome()[u"lines"_s].toInt() > lines, 5000);
    QVERIFY(runner.stop(u"stopped"_s, 200));
}

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
