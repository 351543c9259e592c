// Traces in the window (offscreen): an Interleave trace brings its lesson, settings and outcome
// back; another tool's trace shows its lanes with nothing to run; a bad file leaves the run that
// was on screen exactly as it was.
#include "chromeimport.h"
#include "chrometrace.h"
#include "summary.h"
#include "legendbar.h"
#include "mainwindow.h"
#include "lessonpicker.h"
#include "run.h"
#include "parameterpanel.h"
#include "runner.h"
#include "tracestore.h"

#include <QAction>
#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestOpenTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void ownTraceBringsTheLessonBack();
    void foreignTraceStandsAlone();
    void badTraceLeavesTheRunAlone();
    void pickingALessonAfterwardsRunsIt();
    void exportsWhatIsOnScreen();

private:
    QString writeRun(const QString& scenario, const QStringList& sets);
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
};

void TestOpenTrace::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

// Runs a lesson in a window to its end and exports it, as --trace-out would.
QString TestOpenTrace::writeRun(const QString& scenario, const QStringList& sets)
{
    MainWindow w;
    if (!w.selectScenario(scenario, scenarioValues(scenario, sets)))
        return {};
    w.setSpeed(4);
    // The window drains the last events in its own finished() handler, connected before this spy.
    QSignalSpy finished(w.currentRun()->runner(), &Runner::finished);
    w.run();
    if (!QTest::qWaitFor([&] { return finished.count() > 0; }, 30'000))
        return {};
    const QString path = m_files.filePath(scenario + u".json"_s);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    ChromeTraceInfo info;
    info.run.scenario = scenario;
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(scenario);
    info.run.params = entry->info.schema.valuesJson(w.picker()->parameterPanel()->values());
    info.run.ended = w.currentRun()->runner()->ended();
    info.run.outcome = w.currentRun()->runner()->outcome();
    info.run.wallMs = w.currentRun()->runner()->wallMs();
    return writeChromeTrace(*w.currentRun()->store(), info, f) ? path : QString();
}

void TestOpenTrace::ownTraceBringsTheLessonBack()
{
    const QString path = writeRun(u"producer_consumer"_s, {u"items=4"_s, u"consumers=3"_s});
    QVERIFY(!path.isEmpty());
    MainWindow w;
    QVERIFY(w.selectScenario(u"race"_s));
    QString error;
    QVERIFY2(w.files()->openFile(path, &error), qPrintable(error));
    QCOMPARE(w.currentScenario(), u"producer_consumer"_s);
    QCOMPARE(w.picker()->parameterPanel()->values(), scenarioValues(u"producer_consumer"_s, {u"items=4"_s, u"consumers=3"_s}));
    QVERIFY(!w.currentRun()->runner()->isRunning()); // shown, not run
    QCOMPARE(w.currentRun()->store()->laneCount(), std::size_t(1 + 1 + 3)); // main, producer, 3 consumers
    const ObjectData* queue = nullptr;
    for (std::size_t i = 0; i < w.currentRun()->store()->objectCount(); ++i) {
        if (w.currentRun()->store()->object(i).kind == ObjectKind::Queue)
            queue = &w.currentRun()->store()->object(i);
    }
    QVERIFY(queue);
    QCOMPARE(queue->puts, 4 + 3); // four items and a sentinel per consumer
    QVERIFY(w.findChild<QAction*>(u"actionRun"_s)->isEnabled()); // Run starts it again, live
    QVERIFY(w.windowTitle().contains(u"producer_consumer.json"_s));
}

void TestOpenTrace::foreignTraceStandsAlone()
{
    const QString path = m_files.filePath(u"other.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[{\"ph\":\"X\",\"name\":\"parse\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":50},"
            "{\"ph\":\"X\",\"name\":\"layout\",\"pid\":1,\"tid\":2,\"ts\":10,\"dur\":30},"
            "{\"ph\":\"P\",\"name\":\"sample\",\"pid\":1,\"tid\":1,\"ts\":5}]");
    f.close();
    MainWindow w;
    QVERIFY(w.selectScenario(u"gil"_s));
    QString error;
    QVERIFY2(w.files()->openFile(path, &error), qPrintable(error));
    QCOMPARE(w.currentRun()->store()->laneCount(), std::size_t(2));
    QCOMPARE(w.currentRun()->store()->lane(0).slices.size(), std::size_t(1));
    QVERIFY(w.currentScenario().isEmpty());
    QVERIFY(!w.findChild<QAction*>(u"actionRun"_s)->isEnabled()); // nothing to run until a lesson is picked
    QVERIFY(!w.picker()->parameterPanel()->isEnabled());
    QVERIFY(w.findChild<LegendBar*>()->isHidden()); // state colours do not apply to named slices
}

void TestOpenTrace::badTraceLeavesTheRunAlone()
{
    MainWindow w;
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"increments=2000"_s, u"window_us=0"_s})));
    QSignalSpy finished(w.currentRun()->runner(), &Runner::finished);
    w.run();
    QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0; }, 30'000));
    const std::size_t lanes = w.currentRun()->store()->laneCount();
    const std::uint64_t events = w.currentRun()->store()->eventsRecorded();
    QVERIFY(lanes > 0);

    const QString path = m_files.filePath(u"broken.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"traceEvents\": [{\"ph\": \"X\", \"name\""); // cut inside the first event
    f.close();
    QString error;
    QVERIFY(!w.files()->openFile(path, &error));
    QVERIFY2(error.contains(u"JSON"_s), qPrintable(error));
    QCOMPARE(w.currentScenario(), u"race"_s);
    QCOMPARE(w.currentRun()->store()->laneCount(), lanes);
    QCOMPARE(w.currentRun()->store()->eventsRecorded(), events);
}

void TestOpenTrace::pickingALessonAfterwardsRunsIt()
{
    const QString path = m_files.filePath(u"other2.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":0,\"dur\":5}]");
    f.close();
    MainWindow w;
    QVERIFY(w.files()->openFile(path));
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"increments=500"_s, u"window_us=0"_s})));
    QVERIFY(w.findChild<QAction*>(u"actionRun"_s)->isEnabled());
    QVERIFY(w.picker()->parameterPanel()->isEnabled());
    QVERIFY(!w.findChild<LegendBar*>()->isHidden());
    QCOMPARE(w.currentRun()->store()->laneCount(), std::size_t(0)); // the trace made way for the lesson
    w.run();
    QVERIFY(QTest::qWaitFor([&] { return !w.currentRun()->runner()->isRunning(); }, 30'000));
    QCOMPARE(w.currentRun()->runner()->ended(), u"completed"_s);
}

// File ▸ Export Trace and Export Statistics write what is on screen: the trace imports back to
// the same summary, the CSV has a row per thread; an unwritable place is refused.
void TestOpenTrace::exportsWhatIsOnScreen()
{
    MainWindow w;
    QVERIFY(w.selectScenario(u"contention"_s, scenarioValues(u"contention"_s, {u"rounds=3"_s, u"locks=2"_s})));
    w.setSpeed(4);
    QSignalSpy finished(w.currentRun()->runner(), &Runner::finished);
    w.run();
    QVERIFY(QTest::qWaitFor([&] { return finished.count() > 0; }, 30'000));

    const QString trace = m_files.filePath(u"export.json"_s);
    const QString csv = m_files.filePath(u"export.csv"_s);
    QString error;
    QVERIFY2(w.files()->exportTo(FileActions::ExportKind::Trace, trace, &error), qPrintable(error));
    QVERIFY2(w.files()->exportTo(FileActions::ExportKind::Csv, csv, &error), qPrintable(error));

    auto imported = importChromeTrace(trace, &error);
    QVERIFY2(imported, qPrintable(error));
    QVERIFY(imported->ownFormat);
    TraceStore back;
    back.adopt(std::move(imported->contents));
    QCOMPARE(QJsonDocument(buildSummary(back, imported->run)).toJson(),
             QJsonDocument(buildSummary(*w.currentRun()->store(), w.runDescription())).toJson());

    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QCOMPARE(text.count("\r\nthread,"), qsizetype(w.currentRun()->store()->laneCount()));
    QCOMPARE(text.count("\r\nlock,"), 2);

    QVERIFY(!w.files()->exportTo(FileActions::ExportKind::Trace, m_files.filePath(u"no/such/folder/x.json"_s), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(TestOpenTrace)
#include "tst_opentrace.moc"
