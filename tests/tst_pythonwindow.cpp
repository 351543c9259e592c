// --python in the window (offscreen): a lesson's twin run for real under the simulated run, pinned
// above it, each with its own outcome; a program started from the window shows its lanes and output.
#include "mainwindow.h"
#include "pinnedrun.h"
#include "pythonactions.h"
#include "pythonprogram.h"
#include "run.h"
#include "runview.h"
#include "tracestore.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestPythonWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void twinRunsForRealUnderTheSimulation();
    void programShowsItsThreadsAndOutput();

private:
    QTemporaryDir m_settings;
};

void TestPythonWindow::initTestCase()
{
    QString error;
    if (findPython3({}, &error).isEmpty())
        QSKIP(qPrintable(error));
    QVERIFY(m_settings.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    MainWindow::settings()->clear();
}

void TestPythonWindow::twinRunsForRealUnderTheSimulation()
{
    MainWindow w;
    w.show();
    // Settings the twin takes as its constants: 3 threads, 300 increments, a 200 us window, no lock.
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=300"_s,
                                                                   u"window_us=200"_s, u"lock=off"_s})));
    QSignalSpy finished(w.currentRun(), &Run::finished);
    w.run();
    QVERIFY(finished.wait(60'000));
    QCOMPARE(w.currentRun()->description().scenario, u"race"_s);

    w.python()->runTwin();
    QVERIFY(w.pinned()->isPinned()); // the simulated run, above
    QCOMPARE(w.currentRun()->description().scenario, u"python"_s);
    QVERIFY(finished.wait(60'000));
    const RunDescription real = w.currentRun()->description();
    QCOMPARE(real.outcome.value(u"exit_status"_s).toInt(), 0);
    // The twin ran with the settings on screen: its own count says 3 x 300 expected.
    const QString last = real.outcome.value(u"last_line"_s).toString();
    QVERIFY2(last.contains(u"expected: 900"_s), qPrintable(last));
    int workers = 0;
    const TraceStore& store = *w.currentRun()->store();
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        workers += store.lane(i).kind == LaneKind::Thread && store.lane(i).name.startsWith(u"Thread-"_s);
    QCOMPARE(workers, 3);
    QVERIFY2(w.runView()->bannerText().contains(u"exited with status 0"_s), qPrintable(w.runView()->bannerText()));
    // docs/screenshots/python_twin.png is this window (INTERLEAVE_SCREENSHOTS=docs/screenshots).
    if (const QString shots = qEnvironmentVariable("INTERLEAVE_SCREENSHOTS"); !shots.isEmpty()) {
        w.resize(1500, 900);
        QTest::qWait(300);
        QVERIFY(w.grab().save(shots + u"/python_twin.png"_s));
    }
}

void TestPythonWindow::programShowsItsThreadsAndOutput()
{
    MainWindow w;
    w.show();
    QSignalSpy finished(w.currentRun(), &Run::finished);
    PythonProgramSpec spec;
    spec.script = QStringLiteral(PYTHON_TESTS_DIR "/sleepers.py");
    QString error;
    QVERIFY2(w.runPython(spec, &error), qPrintable(error));
    QVERIFY(w.currentRun()->isRunning());
    QVERIFY(finished.wait(60'000));
    QCOMPARE(w.currentRun()->printedCount(), std::size_t(3));
    QVERIFY(w.currentRun()->printed(0).startsWith(u"sleeper-0 slept_ms"_s));
    QCOMPARE(w.currentRun()->store()->laneCount(), std::size_t(4));
    // A missing program is said, and the run on screen stays.
    spec.script = u"/nonexistent/program.py"_s;
    QVERIFY(!w.runPython(spec, &error));
    QVERIFY(error.contains(u"cannot read"_s));
    QCOMPARE(w.currentRun()->store()->laneCount(), std::size_t(4));
}

QTEST_MAIN(TestPythonWindow)
#include "tst_pythonwindow.moc"
