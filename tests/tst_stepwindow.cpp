// Step mode in the window (offscreen): keys let the threads step in the order pressed, the panel
// shows each thread's next step and its line of the lesson's Python program, Undo replays up to
// the step before, Find a Bad Schedule plays a deadlock, and Stop ends a stepping run at once.
#include "mainwindow.h"
#include "run.h"
#include "runview.h"
#include "timelineview.h"
#include "runner.h"
#include "stepactions.h"
#include "stepgate.h"
#include "steppanel.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

namespace {

QTableWidget* table(const MainWindow& w)
{
    return w.steps()->panel()->findChild<QTableWidget*>(u"stepTable"_s);
}

std::vector<std::uint32_t> schedule(const MainWindow& w)
{
    return w.currentRun()->runner()->schedule();
}

// The rows once the panel shows `steps` steps taken.
bool panelAt(const MainWindow& w, int steps)
{
    const auto* label = w.steps()->panel()->findChild<QLabel*>(u"stepSchedule"_s);
    return label->text().contains(u"(%1 steps)"_s.arg(steps));
}

} // namespace

class TestStepWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keysStepTheThreadsAndUndoGoesBack();
    void findBadSchedulePlaysADeadlock();
    void stopEndsASteppingRun();

private:
    QTemporaryDir m_settings;
};

void TestStepWindow::initTestCase()
{
    QVERIFY(m_settings.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestStepWindow::keysStepTheThreadsAndUndoGoesBack()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.activateWindow();
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=1"_s})));
    w.steps()->setOn(true);
    QVERIFY(w.steps()->panel()->isVisible());
    w.run();
    QVERIFY(w.currentRun()->stepMode());
    QTRY_VERIFY_WITH_TIMEOUT(table(w)->rowCount() == 2 && panelAt(w, 0), 20'000);
    // Each row: the key, the thread, its next step with the line of race.py it stands for.
    const QString program = w.steps()->panel()->findChild<QPlainTextEdit*>(u"stepCode"_s)->toPlainText();
    const QStringList lines = program.split(u'\n');
    for (int r = 0; r < 2; ++r) {
        QCOMPARE(table(w)->item(r, 0)->text(), QString::number(r + 1));
        QCOMPARE(table(w)->item(r, 1)->text(), u"worker-%1"_s.arg(r + 1));
        const QString next = table(w)->item(r, 2)->text();
        QVERIFY2(next.startsWith(u"read counter"_s), qPrintable(next));
        const int line = next.section(u"line "_s, 1).trimmed().toInt();
        QVERIFY2(line > 0 && lines[line - 1].trimmed().startsWith(u"seen = counter"_s), qPrintable(next));
    }

    // The keys, pressed in the order of a lost update: both read 0, both write 1.
    int taken = 0;
    for (const Qt::Key key : {Qt::Key_1, Qt::Key_2, Qt::Key_1}) {
        QTest::keyClick(&w, key);
        ++taken;
        QTRY_VERIFY_WITH_TIMEOUT(panelAt(w, taken), 20'000);
    }
    QCOMPARE(schedule(w), (std::vector<std::uint32_t>{1, 2, 1}));
    QCOMPARE(table(w)->rowCount(), 1); // worker-1 is done
    QCOMPARE(table(w)->item(0, 3)->text(), u"seen = 0"_s); // worker-2 still holds what it read
    QVERIFY(table(w)->item(0, 2)->text().startsWith(u"write counter = 1"_s));

    // Undo: the run starts again and replays 1, 2; worker-1 is about to write again.
    w.steps()->undo();
    QTRY_VERIFY_WITH_TIMEOUT(panelAt(w, 2) && table(w)->rowCount() == 2, 20'000);
    QCOMPARE(schedule(w), (std::vector<std::uint32_t>{1, 2}));
    QVERIFY(table(w)->item(0, 2)->text().startsWith(u"write counter = 1"_s));
    QVERIFY(table(w)->item(1, 2)->text().startsWith(u"write counter = 1"_s));

    // A click on a row steps that thread, as its key does.
    QTest::mouseClick(table(w)->viewport(), Qt::LeftButton, {}, table(w)->visualItemRect(table(w)->item(0, 1)).center());
    QTRY_VERIFY_WITH_TIMEOUT(panelAt(w, 3), 20'000);
    QCOMPARE(schedule(w), (std::vector<std::uint32_t>{1, 2, 1}));
    // A click on worker-2's lane in the timeline steps it too.
    TimelineView* timeline = w.runView()->timeline();
    const QRect lane = timeline->laneBarRect(2); // main, worker-1, worker-2
    QVERIFY(lane.isValid());
    QTest::mouseClick(timeline, Qt::LeftButton, {}, lane.center());
    QTRY_VERIFY_WITH_TIMEOUT(!w.currentRun()->isRunning(), 20'000);
    const RunDescription d = w.currentRun()->description();
    QCOMPARE(d.outcome.value(u"lost_updates"_s).toInteger(), qint64(1));
    QCOMPARE(d.schedule, (QJsonArray{1, 2, 1, 2}));

    // A schedule played (Run ▸ Play a Schedule, or --schedule with the window): the run starts
    // again, takes those steps and hands over.
    QVERIFY(!w.steps()->playSchedule(u"1,x"_s, 0));
    QVERIFY(w.steps()->playSchedule(u"2, 2"_s, 0));
    QTRY_VERIFY_WITH_TIMEOUT(panelAt(w, 2) && table(w)->rowCount() == 1, 20'000);
    QCOMPARE(schedule(w), (std::vector<std::uint32_t>{2, 2}));
    QCOMPARE(w.currentRun()->runner()->outcome().value(u"actual"_s).toInteger(), qint64(1)); // worker-2 wrote 1
    w.stop();
}

void TestStepWindow::findBadSchedulePlaysADeadlock()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"deadlock"_s, scenarioValues(u"deadlock"_s, {u"philosophers=2"_s, u"meals=1"_s})));
    w.steps()->setOn(true);
    w.run();
    QTRY_VERIFY_WITH_TIMEOUT(table(w)->rowCount() == 2, 20'000);
    w.steps()->findBadSchedule();
    QVERIFY(w.steps()->searching());
    // Found, then played step by step: the threads deadlock for real and the wait-for graph says so.
    QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->isDeadlocked(), 60'000);
    QCOMPARE(schedule(w), (std::vector<std::uint32_t>{1, 1, 2, 2}));
    QVERIFY(w.currentRun()->waitSnapshot().hasCycle());
    w.stop();
}

void TestStepWindow::stopEndsASteppingRun()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=8"_s})));
    w.steps()->setOn(true);
    w.run();
    QTRY_VERIFY_WITH_TIMEOUT(table(w)->rowCount() == 8, 20'000);
    QElapsedTimer timer;
    timer.start();
    w.stop();
    QVERIFY(!w.currentRun()->isRunning());
    QVERIFY2(timer.elapsed() < 2000, qPrintable(u"Stop took %1 ms"_s.arg(timer.elapsed())));
    QCOMPARE(w.currentRun()->description().ended, u"stopped"_s);
    // A lesson without steps runs as usual in step mode (its threads would otherwise wait at a
    // queue for a scheduler that never comes): the pipeline ends by itself.
    QVERIFY(w.selectScenario(u"pipeline"_s, scenarioValues(u"pipeline"_s, {})));
    w.run();
    QVERIFY(!w.currentRun()->stepMode());
    QTRY_VERIFY_WITH_TIMEOUT(!w.currentRun()->isRunning(), 60'000);
    QCOMPARE(w.currentRun()->description().ended, u"completed"_s);
    // Step mode off: the next run is an ordinary one.
    w.steps()->setOn(false);
    QVERIFY(!w.steps()->panel()->isVisible());
}

QTEST_MAIN(TestStepWindow)
#include "tst_stepwindow.moc"
