// The window end to end (offscreen): lessons run, lanes and statistics fill, a slider reaches the
// running threads, a deadlock holds the run with the cycle in the wait-for graph.
#include "mainwindow.h"
#include "runview.h"
#include "rundetails.h"
#include "lessonpicker.h"
#include "run.h"
#include "lessonview.h"
#include "parameterpanel.h"
#include "runner.h"
#include "runcontext.h"
#include "statsmodels.h"
#include "timelineview.h"
#include "tracestore.h"
#include "waitgraphview.h"

#include <QAbstractSpinBox>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void raceFillsTimelineAndStatistics();
    void sliderReachesRunningThreads();
    void deadlockHoldsTheRunAndShowsTheCycle();
    void everyLessonStartsAndStops();
    void structuralSettingRestartsTheRun();
    void switchingLessonsClearsTheOutcome();
    void openedSessionShowsNoOutcome();
    void changedSettingMarksTheOutcomeAsEarlier();
    void busyMachineIsSaid();

private:
    QTemporaryDir m_settings; // the window remembers things: here, not in the user's settings
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_settings.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestMainWindow::init()
{
    MainWindow::settings()->clear(); // every test starts with a window that remembers nothing
}

void TestMainWindow::raceFillsTimelineAndStatistics()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=3000"_s, u"window_us=10"_s})));
    QSignalSpy finished(w.currentRun()->runner(), &Runner::finished);
    w.run();
    QVERIFY(finished.wait(30'000));
    QCOMPARE(finished.first().first().toString(), u"completed"_s);
    QTRY_COMPARE_WITH_TIMEOUT(w.currentRun()->store()->laneCount(), std::size_t(4), 5000); // main + 3 workers
    QCOMPARE(w.details()->threadStats()->rowCount(), 4);
    QCOMPARE(w.details()->lockStats()->rowCount(), 1);
    // Every lane has a bar on the timeline.
    for (int l = 0; l < 4; ++l)
        QVERIFY(!w.runView()->timeline()->laneBarRect(l).isEmpty());
    QVERIFY(w.statusText().startsWith(u"Finished"_s));
}

void TestMainWindow::sliderReachesRunningThreads()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"interleaving"_s,
                             scenarioValues(u"interleaving"_s, {u"threads=2"_s, u"steps=1000"_s, u"sleep_ms=5"_s})));
    w.run();
    QTRY_COMPARE_WITH_TIMEOUT(w.currentRun()->runner()->context()->liveWorkers(), 2, 5000);
    auto* threads = w.picker()->parameterPanel()->findChild<QSpinBox*>(u"param_threads"_s);
    QVERIFY(threads);
    threads->setValue(5);
    QTRY_COMPARE_WITH_TIMEOUT(w.currentRun()->runner()->context()->liveWorkers(), 5, 5000);
    w.stop();
    QVERIFY(!w.currentRun()->runner()->isRunning());
}

void TestMainWindow::deadlockHoldsTheRunAndShowsTheCycle()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"deadlock"_s, scenarioValues(u"deadlock"_s, {u"strategy=naive"_s})));
    w.setSpeed(4);
    w.run();
    QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->runner()->isDeadlocked(), 20'000);
    // The run is held, not ended: the stuck threads stay on screen.
    QVERIFY(w.currentRun()->runner()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(w.details()->waitGraph()->hasCycle(), 5000);
    const QStringList names = w.details()->waitGraph()->cycleNames();
    for (int i = 1; i <= 5; ++i)
        QVERIFY2(names.contains(u"philosopher-%1"_s.arg(i)), qPrintable(names.join(u", "_s)));
    QVERIFY(w.statusText().contains(u"Deadlock"_s));
    w.stop();
    QCOMPARE(w.currentRun()->runner()->ended(), u"deadlock"_s);
    QVERIFY(w.details()->waitGraph()->hasCycle()); // the picture of the cycle stays after Stop
}

void TestMainWindow::everyLessonStartsAndStops()
{
    MainWindow w;
    w.show();
    for (const ScenarioEntry& e : ScenarioRegistry::instance().all()) {
        QVERIFY(w.selectScenario(e.info.id));
        w.run();
        QVERIFY2(w.currentRun()->runner()->isRunning() || !w.currentRun()->runner()->ended().isEmpty(), qPrintable(e.info.id));
        QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->store()->laneCount() >= 2, 10'000);
        w.stop();
        QVERIFY(!w.currentRun()->runner()->isRunning());
    }
}

void TestMainWindow::structuralSettingRestartsTheRun()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"thread_pool"_s, scenarioValues(u"thread_pool"_s, {u"tasks=400"_s, u"task_ms=200"_s})));
    w.run();
    QVERIFY(w.currentRun()->runner()->isRunning());
    const auto firstSession = w.currentRun()->runner()->session();
    auto* pool = w.picker()->parameterPanel()->findChild<QSpinBox*>(u"param_pool_size"_s);
    QVERIFY(pool);
    pool->setValue(2); // the pool is made once per run: a new run starts with 2 threads
    QVERIFY(w.currentRun()->runner()->isRunning());
    QVERIFY(w.currentRun()->runner()->session() != firstSession);
    const int poolSize = w.currentRun()->runner()->scenarioInfo()->schema.indexOf(u"pool_size"_s);
    QCOMPARE(w.currentRun()->runner()->paramValues()[std::size_t(poolSize)], 2.0);
    QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->store()->laneCount() >= 3, 5000); // main + 2 pool threads
    w.stop();
}

namespace {
// Runs the window's current lesson to its end.
bool runToEnd(MainWindow& w)
{
    QSignalSpy finished(w.currentRun()->runner(), &Runner::finished);
    w.run();
    return finished.wait(30'000);
}
} // namespace

void TestMainWindow::switchingLessonsClearsTheOutcome()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=4"_s, u"increments=20000"_s,
                                                                    u"lock=off"_s, u"window_us=20"_s})));
    QVERIFY(runToEnd(w));
    QTRY_VERIFY_WITH_TIMEOUT(w.bannerText().contains(u"lost"_s), 2000);
    QVERIFY(w.details()->lessonView()->outcomePlainText().contains(u"lost"_s));

    QVERIFY(w.selectScenario(u"gil"_s));
    // The live refresh runs every 200 ms: several of them must not bring the race's outcome back.
    QTest::qWait(700);
    QVERIFY2(!w.bannerText().contains(u"lost"_s), qPrintable(w.bannerText()));
    QVERIFY(w.details()->lessonView()->outcomePlainText().isEmpty());
    QCOMPARE(w.runDescription().outcome, QJsonObject());

    // The thread pool's outcome does not appear under interleaving either (it was a key list).
    QVERIFY(w.selectScenario(u"thread_pool"_s, scenarioValues(u"thread_pool"_s, {u"tasks=4"_s, u"task_ms=20"_s})));
    QVERIFY(runToEnd(w));
    QTRY_VERIFY_WITH_TIMEOUT(!w.details()->lessonView()->outcomePlainText().isEmpty(), 2000);
    QVERIFY(w.selectScenario(u"interleaving"_s));
    QTest::qWait(700);
    QVERIFY2(!w.bannerText().contains(u"tasks"_s), qPrintable(w.bannerText()));
    QVERIFY(w.details()->lessonView()->outcomePlainText().isEmpty());
    QVERIFY(!w.details()->waitGraph()->hasCycle());
}

void TestMainWindow::openedSessionShowsNoOutcome()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"deadlock"_s, scenarioValues(u"deadlock"_s, {u"strategy=ordered"_s, u"think_ms=5"_s,
                                                                            u"eat_ms=5"_s, u"pickup_delay_ms=5"_s})));
    w.setSpeed(10);
    w.run();
    QTRY_VERIFY_WITH_TIMEOUT(w.details()->lessonView()->outcomePlainText().contains(u"meals"_s), 10'000);
    w.stop();
    QTemporaryDir dir;
    const QString path = dir.filePath(u"lesson.interleave"_s);
    QString error;
    QVERIFY2(w.files()->saveSession(path, &error), qPrintable(error));
    QVERIFY2(w.files()->openFile(path, &error), qPrintable(error));
    QTest::qWait(700);
    QVERIFY2(!w.bannerText().contains(u"meals"_s), qPrintable(w.bannerText()));
    QVERIFY(w.details()->lessonView()->outcomePlainText().isEmpty());
    QCOMPARE(w.currentRun()->store()->laneCount(), std::size_t(0));
}

void TestMainWindow::changedSettingMarksTheOutcomeAsEarlier()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=2000"_s, u"window_us=0"_s})));
    QVERIFY(runToEnd(w));
    QTRY_VERIFY_WITH_TIMEOUT(w.bannerText().contains(u"expected"_s), 2000);
    QVERIFY(!w.bannerText().contains(u"earlier settings"_s));
    auto* threads = w.picker()->parameterPanel()->findChild<QSpinBox*>(u"param_threads"_s);
    QVERIFY(threads);
    threads->setValue(6);
    QVERIFY2(w.bannerText().contains(u"earlier settings (threads was 2)"_s), qPrintable(w.bannerText()));
    QVERIFY(w.bannerText().contains(u"Press Run"_s));
    QVERIFY(w.details()->lessonView()->outcomeNote().contains(u"threads was 2"_s));
    threads->setValue(2); // back to what the run had: the outcome is its own again
    QVERIFY(!w.bannerText().contains(u"earlier settings"_s));
    const double speed = w.speed();
    w.setSpeed(speed * 2); // timings belong to a speed too
    QVERIFY2(w.bannerText().contains(u"speed was %1x"_s.arg(speed)), qPrintable(w.bannerText()));
    w.setSpeed(speed);
    QVERIFY(!w.bannerText().contains(u"earlier settings"_s));
    threads->setValue(5);
    QVERIFY(runToEnd(w));
    QTRY_VERIFY_WITH_TIMEOUT(!w.bannerText().contains(u"earlier settings"_s), 2000);
}

void TestMainWindow::busyMachineIsSaid()
{
    QProcess hog; // another program keeping a core busy for the whole run
    hog.start(u"/bin/sh"_s, {u"-c"_s, u"while :; do :; done"_s});
    QVERIFY(hog.waitForStarted(5000));
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"gil"_s, scenarioValues(u"gil"_s, {u"workers=2"_s, u"tasks=6"_s, u"task_ms=100"_s})));
    const bool ended = runToEnd(w);
    hog.kill();
    hog.waitForFinished(5000);
    QVERIFY(ended);
    QTRY_VERIFY_WITH_TIMEOUT(w.bannerText().contains(u"Other programs used"_s), 2000);
    QVERIFY(w.runDescription().machine.value(u"others_cores"_s).toDouble() >= 0.25);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
