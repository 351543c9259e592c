// The window in the classroom (offscreen): presentation mode, what the window remembers, sessions
// saved and opened (and every bad one refused with the lesson left alone), drag and drop, the
// shortcuts dialog, About, and pictures of the window's parts. Settings live in a temporary
// folder, never in the user's own.
#include "chartspanel.h"
#include "consoleview.h"
#include "waitgraphview.h"
#include "imageexport.h"
#include "rundetails.h"
#include "lessonview.h"
#include "mainwindow.h"
#include "helpmenu.h"
#include "lessonpicker.h"
#include "run.h"
#include "runview.h"
#include "parameterpanel.h"
#include "runcontext.h"
#include "runner.h"
#include "sessionfile.h"
#include "timelineview.h"
#include "tracestore.h"

#include <QAction>
#include <QAbstractButton>
#include <QPlainTextEdit>
#include <QTextBrowser>
#include <QLabel>
#include <QScrollArea>
#include <QApplication>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QWidgetAction>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

namespace {

bool writeFile(const QString& path, const QByteArray& contents)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(contents) == contents.size();
}

int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

QAction* action(const QWidget& w, const char* name)
{
    auto* a = w.findChild<QAction*>(QString::fromLatin1(name));
    if (!a)
        qFatal("no action %s", name);
    return a;
}

} // namespace

class TestClassroom : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void settingsStayInTheTestFolder();
    void presentationModeTogglesTheLook();
    void presentationModeIsRemembered();
    void presentationModeDuringARunLeavesItRunning();
    void lessonSpeedThemeAndGeometryAreRemembered();
    void sessionSaveAndOpenRoundTrip();
    void badSessionLeavesTheLessonAndRunAlone_data();
    void badSessionLeavesTheLessonAndRunAlone();
    void tracesGoElsewhere();
    void dragAndDrop();
    void droppedBadFileShowsTheMessage();
    void recentFilesKeepTheLastEight();
    void shortcutsDialogListsEveryAction();
    void aboutNamesTheVersions();
    void speedAnyValueAndSteps();
    void exportsPicturesOfItsParts();
    void presentationKeepsTheChosenPanels();
    void nothingIsClippedAtProjectorSizes_data();
    void nothingIsClippedAtProjectorSizes();
    void aSmallWindowKeepsAUsableTimeline();
    void aSlideSaysWhatTheRunShowed();

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_files;
    QColor m_systemWindowColour;
};

void TestClassroom::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    m_systemWindowColour = QApplication::palette().color(QPalette::Window);
}

void TestClassroom::init()
{
    MainWindow::settings()->clear();
}

void TestClassroom::cleanup()
{
    QApplication::setPalette(QPalette()); // a test that switched theme leaves the next one as it found it
}

void TestClassroom::settingsStayInTheTestFolder()
{
    {
        MainWindow w;
        w.selectScenario(u"gil"_s);
    }
    const QString file = MainWindow::settings()->fileName();
    QVERIFY2(file.startsWith(m_settingsDir.path()), qPrintable(file));
    QVERIFY(QFile::exists(file));
    QCOMPARE(MainWindow::settings()->organizationName(), u"Interleave"_s);
    QCOMPARE(MainWindow::settings()->applicationName(), u"Interleave"_s);
}

void TestClassroom::presentationModeTogglesTheLook()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* tabs = w.findChild<QTabWidget*>(u"sideTabs"_s);
    QVERIFY(tabs);
    const double normalPoints = w.font().pointSizeF();
    QVERIFY(!w.isFullScreen());
    QVERIFY(tabs->isVisible());
    QVERIFY(w.statusBar()->isVisible());
    QCOMPARE(w.runView()->timeline()->laneHeight(), RunView::NormalLaneHeight);

    QAction* present = action(w, "actionPresentation");
    QCOMPARE(present->shortcut(), QKeySequence(Qt::Key_F11));
    present->trigger();
    QVERIFY(w.classroom()->presentation());
    QTRY_VERIFY(w.isFullScreen());
    QCOMPARE(w.font().pointSizeF(), normalPoints * ClassroomMode::PresentationFontScale);
    QCOMPARE(w.runView()->timeline()->font().pointSizeF(), normalPoints * ClassroomMode::PresentationFontScale);
    QCOMPARE(w.runView()->timeline()->laneHeight(), RunView::PresentationLaneHeight);
    QVERIFY(!tabs->isVisible());
    QVERIFY(!w.statusBar()->isVisible());
    QVERIFY(w.picker()->parameterPanel()->isVisible()); // the teacher still moves the sliders
    QVERIFY(w.runView()->timeline()->isVisible());
    auto* charts = w.findChild<ChartsPanel*>();
    QVERIFY(charts && charts->isVisible());
    QVERIFY(charts->lineWidthScale() > 1.5); // thicker chart lines
    // High contrast: black on white (the system theme here is light).
    QCOMPARE(w.runView()->timeline()->palette().color(QPalette::Base), QColor(Qt::white));
    QCOMPARE(w.runView()->timeline()->palette().color(QPalette::WindowText), QColor(Qt::black));

    present->trigger();
    QVERIFY(!w.classroom()->presentation());
    QTRY_VERIFY(!w.isFullScreen());
    QCOMPARE(w.font().pointSizeF(), normalPoints);
    QCOMPARE(w.runView()->timeline()->laneHeight(), RunView::NormalLaneHeight);
    QVERIFY(tabs->isVisible());
    QVERIFY(w.statusBar()->isVisible());
    QCOMPARE(charts->lineWidthScale(), 1.0);
    QCOMPARE(w.palette().color(QPalette::Window), QApplication::palette().color(QPalette::Window));
}

void TestClassroom::presentationModeIsRemembered()
{
    {
        MainWindow a;
        a.show();
        a.classroom()->setPresentation(true);
    }
    {
        MainWindow b;
        QVERIFY(b.classroom()->presentation());
        QVERIFY(action(b, "actionPresentation")->isChecked());
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        QTRY_VERIFY(b.isFullScreen());
        QCOMPARE(b.runView()->timeline()->laneHeight(), RunView::PresentationLaneHeight);
        QVERIFY(!b.findChild<QTabWidget*>(u"sideTabs"_s)->isVisible());
        b.classroom()->setPresentation(false);
    }
    MainWindow c;
    QVERIFY(!c.classroom()->presentation());
    QCOMPARE(c.runView()->timeline()->laneHeight(), RunView::NormalLaneHeight);
}

void TestClassroom::presentationModeDuringARunLeavesItRunning()
{
    MainWindow w;
    w.show();
    const auto values = scenarioValues(u"interleaving"_s, {u"threads=3"_s, u"steps=1000"_s, u"sleep_ms=20"_s});
    QVERIFY(w.selectScenario(u"interleaving"_s, values));
    w.run();
    QTRY_COMPARE_WITH_TIMEOUT(w.currentRun()->runner()->context()->liveWorkers(), 3, 5000);
    const auto session = w.currentRun()->runner()->session();
    w.classroom()->setPresentation(true);
    QCOMPARE(w.currentRun()->runner()->session(), session); // the same run: nothing restarted
    QVERIFY(w.currentRun()->runner()->isRunning());
    QCOMPARE(w.picker()->parameterPanel()->values(), values);
    // The settings were made again for the larger text, and still reach the running threads.
    auto* threads = w.picker()->parameterPanel()->findChild<QSpinBox*>(u"param_threads"_s);
    QVERIFY(threads);
    QCOMPARE(threads->font().pointSizeF(), w.font().pointSizeF());
    threads->setValue(5);
    QTRY_COMPARE_WITH_TIMEOUT(w.currentRun()->runner()->context()->liveWorkers(), 5, 5000);
    w.classroom()->setPresentation(false);
    QCOMPARE(w.currentRun()->runner()->session(), session);
    w.stop();
}

void TestClassroom::lessonSpeedThemeAndGeometryAreRemembered()
{
    const auto values = scenarioValues(u"deadlock"_s, {u"philosophers=7"_s, u"strategy=ordered"_s, u"eat_ms=250"_s});
    QSize size;
    {
        MainWindow a;
        a.show();
        QVERIFY(a.selectScenario(u"deadlock"_s, values));
        a.setSpeed(2);
        a.classroom()->setTheme(ClassroomMode::Theme::Dark);
        size = a.minimumSizeHint() + QSize(23, 17);
        a.resize(size);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        a.close();
    }
    QApplication::setPalette(QPalette()); // the next window must bring the theme back by itself
    MainWindow b;
    QCOMPARE(b.currentScenario(), u"deadlock"_s);
    QCOMPARE(b.picker()->parameterPanel()->values(), values);
    QCOMPARE(b.speed(), 2.0);
    QCOMPARE(b.classroom()->theme(), ClassroomMode::Theme::Dark);
    QVERIFY(action(b, "actionThemeDark")->isChecked());
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    QCOMPARE(b.size(), size);

    b.classroom()->setTheme(ClassroomMode::Theme::System);
    QCOMPARE(QApplication::palette().color(QPalette::Window), m_systemWindowColour);
    b.classroom()->setTheme(ClassroomMode::Theme::Light);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 200);
}

void TestClassroom::sessionSaveAndOpenRoundTrip()
{
    const QString path = m_files.filePath(u"queue.interleave"_s);
    const auto values = scenarioValues(u"producer_consumer"_s, {u"capacity=3"_s, u"consumer_style=empty_check"_s});
    Session saved;
    {
        MainWindow a;
        a.show();
        QVERIFY(a.selectScenario(u"producer_consumer"_s, values));
        a.setSpeed(3); // not one of the listed speeds
        TimeMapping m = a.runView()->timeline()->mapping();
        m.t0 = 250'000'000;
        m.nsPerPixel = 2e6;
        a.runView()->timeline()->setFollowLive(false);
        a.runView()->timeline()->setMapping(m);
        a.findChild<QAction*>(u"actionShowGilLane"_s)->trigger(); // on, although the lesson has no GIL
        QVERIFY(a.runView()->timeline()->showsGilLane());
        QString error;
        QVERIFY2(a.files()->saveSession(path, &error), qPrintable(error));
        QCOMPARE(a.files()->sessionPath(), QFileInfo(path).absoluteFilePath());
        saved = a.currentSession();
    }
    MainWindow::settings()->clear(); // b starts from the defaults, not from what a left behind
    MainWindow b;
    b.show();
    QVERIFY(QTest::qWaitForWindowExposed(&b));
    QCOMPARE(b.currentScenario(), u"race"_s);
    QString error;
    QVERIFY2(b.files()->openFile(path, &error), qPrintable(error));
    QCOMPARE(b.currentScenario(), u"producer_consumer"_s);
    QCOMPARE(b.picker()->parameterPanel()->values(), values);
    QCOMPARE(b.speed(), 3.0);
    QVERIFY(!b.runView()->timeline()->followLive());
    QVERIFY(b.runView()->timeline()->showsGilLane());
    QCOMPARE(b.runView()->timeline()->mapping().t0, saved.visibleStartNs);
    // The same range across this window's own width (one pixel of rounding either way).
    QVERIFY(std::abs(b.runView()->timeline()->mapping().t1() - saved.visibleEndNs) <= std::int64_t(b.runView()->timeline()->mapping().nsPerPixel));
    QCOMPARE(b.files()->sessionPath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(b.files()->recentFiles().value(0), QFileInfo(path).absoluteFilePath());

    // Running it uses what was opened.
    QSignalSpy finished(b.currentRun()->runner(), &Runner::finished);
    b.run();
    QVERIFY(b.currentRun()->runner()->isRunning() || finished.size() == 1);
    QCOMPARE(b.currentRun()->runner()->scenarioInfo()->id, u"producer_consumer"_s);
    QCOMPARE(b.currentRun()->runner()->paramValues(), values);
    b.stop();
}

void TestClassroom::badSessionLeavesTheLessonAndRunAlone_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("message");

    QTest::newRow("empty") << u"empty.interleave"_s << QByteArray() << u"empty"_s;
    QTest::newRow("truncated") << u"cut.interleave"_s
                               << QByteArray(R"({"schema": "interleave.session/1", "scenario": "gil", "para)")
                               << u"truncated"_s;
    QTest::newRow("corrupt") << u"corrupt.interleave"_s << QByteArray(R"({"schema" = "interleave.session/1"})")
                             << u"not valid JSON"_s;
    QTest::newRow("binary") << u"binary.interleave"_s << QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0", 10)
                            << u"binary"_s;
    QTest::newRow("huge") << u"huge.interleave"_s << QByteArray(2 * Session::MaxFileBytes, ' ') << u"at most"_s;
    QTest::newRow("wrong schema") << u"summary.interleave"_s
                                  << QByteArray(R"({"schema": "interleave.summary/1", "scenario": "gil"})")
                                  << u"not an Interleave session"_s;
    QTest::newRow("unknown scenario") << u"unknown.interleave"_s
                                      << QByteArray(R"({"schema": "interleave.session/1", "scenario": "matrix"})")
                                      << u"unknown scenario 'matrix'"_s;
    QTest::newRow("bad value") << u"value.interleave"_s
                               << QByteArray(R"({"schema": "interleave.session/1", "scenario": "gil",
                                                 "params": {"workers": 0}})")
                               << u"out of range"_s;
    QTest::newRow("missing") << u"missing.interleave"_s << QByteArray() << u"does not exist"_s;
}

void TestClassroom::badSessionLeavesTheLessonAndRunAlone()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, contents);
    QFETCH(QString, message);
    const QString path = m_files.filePath(name);
    if (name != "missing.interleave"_L1)
        QVERIFY(writeFile(path, contents));

    MainWindow w;
    w.show();
    const auto values = scenarioValues(u"interleaving"_s, {u"threads=3"_s, u"steps=1000"_s, u"sleep_ms=20"_s});
    QVERIFY(w.selectScenario(u"interleaving"_s, values));
    w.setSpeed(0.5);
    w.run();
    QTRY_COMPARE_WITH_TIMEOUT(w.currentRun()->runner()->context()->liveWorkers(), 3, 5000);
    const auto session = w.currentRun()->runner()->session();

    QString error;
    QVERIFY(!w.files()->openFile(path, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains(name) || error.contains(path), qPrintable(error)); // says which file
    QCOMPARE(w.currentScenario(), u"interleaving"_s);
    QCOMPARE(w.picker()->parameterPanel()->values(), values);
    QCOMPARE(w.speed(), 0.5);
    QVERIFY(w.currentRun()->runner()->isRunning());
    QCOMPARE(w.currentRun()->runner()->session(), session); // the same run, not a new one
    QVERIFY(w.files()->sessionPath().isEmpty());
    QVERIFY(!w.files()->recentFiles().contains(QFileInfo(path).absoluteFilePath()));
    w.stop();
}

void TestClassroom::tracesGoElsewhere()
{
    MainWindow w;
    QVERIFY(w.selectScenario(u"gil"_s));
    QString error;
    QVERIFY(!w.files()->openFile(m_files.filePath(u"no-such-trace.json"_s), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(u"session"_s), qPrintable(error)); // not read as a session
    QCOMPARE(w.currentScenario(), u"gil"_s);
}

void TestClassroom::dragAndDrop()
{
    const QString path = m_files.filePath(u"dropped.interleave"_s);
    auto s = defaultSession(u"thread_pool"_s);
    s->values = scenarioValues(u"thread_pool"_s, {u"pool_size=3"_s});
    QVERIFY(writeSessionFile(path, *s, nullptr));
    QVERIFY(writeFile(m_files.filePath(u"notes.txt"_s), "hello"));

    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.acceptDrops());

    QMimeData text;
    text.setText(u"not a file"_s);
    QDragEnterEvent enterText(QPoint(50, 50), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enterText);
    QVERIFY(!enterText.isAccepted());

    QMimeData txt;
    txt.setUrls({QUrl::fromLocalFile(m_files.filePath(u"notes.txt"_s))});
    QDragEnterEvent enterTxt(QPoint(50, 50), Qt::CopyAction, &txt, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enterTxt);
    QVERIFY(!enterTxt.isAccepted());

    QMimeData mime;
    mime.setUrls({QUrl(u"https://example.org/x.interleave"_s), QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(w.currentScenario(), u"thread_pool"_s);
    QCOMPARE(w.picker()->parameterPanel()->values(), s->values);
    QVERIFY(!w.findChild<QMessageBox*>(u"fileError"_s));
}

void TestClassroom::droppedBadFileShowsTheMessage()
{
    const QString path = m_files.filePath(u"future.interleave"_s);
    QVERIFY(writeFile(path, R"({"schema": "interleave.session/7", "scenario": "race"})"));
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.selectScenario(u"contention"_s));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    // As a real drag does: enter first (QApplication delivers a drop only after an accepted enter).
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted()); // the suffix is right; what is inside is only read on the drop
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = w.findChild<QMessageBox*>(u"fileError"_s)) != nullptr);
    QVERIFY2(box->text().contains(u"newer Interleave"_s), qPrintable(box->text()));
    QVERIFY(box->windowTitle().contains(u"future.interleave"_s));
    QCOMPARE(w.currentScenario(), u"contention"_s);
    box->close();
}

void TestClassroom::recentFilesKeepTheLastEight()
{
    MainWindow w;
    QStringList paths;
    for (int i = 0; i < 10; ++i) {
        const QString path = m_files.filePath(u"r%1.interleave"_s.arg(i));
        QVERIFY(writeSessionFile(path, *defaultSession(u"race"_s), nullptr));
        QVERIFY(w.files()->openFile(path));
        paths.prepend(QFileInfo(path).absoluteFilePath());
    }
    QVERIFY(w.files()->openFile(m_files.filePath(u"r5.interleave"_s))); // opened again: back on top
    paths.removeAll(QFileInfo(m_files.filePath(u"r5.interleave"_s)).absoluteFilePath());
    paths.prepend(QFileInfo(m_files.filePath(u"r5.interleave"_s)).absoluteFilePath());
    QCOMPARE(w.files()->recentFiles(), paths.mid(0, FileActions::MaxRecentFiles));

    // The menu shows them, read when it opens.
    auto* menu = w.findChild<QMenu*>(u"recentMenu"_s);
    QVERIFY(menu);
    Q_EMIT menu->aboutToShow(); // as when it opens
    QStringList shown;
    for (QAction* a : menu->actions()) {
        if (!a->toolTip().isEmpty() && a->toolTip().endsWith(u".interleave"_s))
            shown << a->toolTip();
    }
    QCOMPARE(shown, paths.mid(0, FileActions::MaxRecentFiles));
}

void TestClassroom::shortcutsDialogListsEveryAction()
{
    MainWindow w;
    w.show();
    const QList<QAction*> all = w.help()->shortcutActions();
    action(w, "actionShortcuts")->trigger();
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<QDialog*>(u"shortcutsDialog"_s)) != nullptr);
    auto* table = dialog->findChild<QTableWidget*>(u"shortcutsTable"_s);
    QVERIFY(table);
    QCOMPARE(table->rowCount(), int(all.size()));
    auto rowOf = [&](const QString& name) {
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 0)->text() == name)
                return r;
        }
        return -1;
    };

    // Every toolbar action has keys, and the dialog shows them.
    auto* bar = w.findChild<QToolBar*>(u"runToolBar"_s);
    QVERIFY(bar);
    int toolbarActions = 0;
    for (QAction* a : bar->actions()) {
        if (a->isSeparator() || qobject_cast<QWidgetAction*>(a))
            continue;
        ++toolbarActions;
        QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
        const int row = rowOf(QString(a->text()).remove(u'&'));
        QVERIFY2(row >= 0, qPrintable(a->text()));
        QCOMPARE(table->item(row, 1)->text(), a->shortcut().toString(QKeySequence::NativeText));
    }
    QVERIFY(toolbarActions >= 6);

    // The keys the README promises, and the new ones.
    const std::pair<const char*, QKeySequence> expected[] = {
        {"Run or pause", QKeySequence(Qt::Key_Space)},  {"Pause", QKeySequence(Qt::Key_P)},
        {"Stop", QKeySequence(Qt::Key_Escape)},         {"Reset", QKeySequence(u"Ctrl+R"_s)},
        {"Follow live", QKeySequence(Qt::Key_F)},       {"Zoom to fit", QKeySequence(u"Ctrl+0"_s)},
        {"Zoom in", QKeySequence(QKeySequence::ZoomIn)}, {"Zoom out", QKeySequence(QKeySequence::ZoomOut)},
        {"Open", QKeySequence(QKeySequence::Open)},      {"Save Session", QKeySequence(QKeySequence::Save)},
        {"Save Session As", QKeySequence(u"Ctrl+Shift+S"_s)}, {"Presentation Mode", QKeySequence(Qt::Key_F11)},
        {"Export Image", QKeySequence(u"Ctrl+E"_s)},
    };
    for (const auto& [name, keys] : expected) {
        const int row = rowOf(QString::fromLatin1(name));
        QVERIFY2(row >= 0, name);
        const QStringList shown = table->item(row, 1)->text().split(u", "_s);
        QVERIFY2(shown.contains(keys.toString(QKeySequence::NativeText)), qPrintable(table->item(row, 1)->text()));
    }
    QVERIFY(table->item(rowOf(u"Zoom in"_s), 1)->text().contains(QKeySequence(u"Ctrl+="_s).toString(QKeySequence::NativeText)));
    QCOMPARE(table->item(rowOf(u"Presentation Mode"_s), 2)->text(), u"View"_s);
    QCOMPARE(table->item(rowOf(u"Dark"_s), 2)->text(), u"View ▸ Theme"_s);

    // No two actions share a key: an ambiguous shortcut would do nothing at all.
    QSet<QString> seen;
    for (QAction* a : all) {
        for (const QKeySequence& k : a->shortcuts()) {
            QVERIFY2(!seen.contains(k.toString()), qPrintable(k.toString() + u" twice"_s));
            seen.insert(k.toString());
        }
    }
    dialog->close();
}

void TestClassroom::aboutNamesTheVersions()
{
    MainWindow w;
    w.show();
    action(w, "actionAbout")->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = w.findChild<QMessageBox*>(u"aboutBox"_s)) != nullptr);
    QVERIFY(box->text().contains(QRegularExpression(u"Interleave \\d+\\.\\d+\\.\\d+"_s)));
    QVERIFY(box->text().contains(QString::fromLatin1(qVersion())));
    QVERIFY(box->text().contains(u"LGPL"_s));
    box->close();
}

void TestClassroom::speedAnyValueAndSteps()
{
    MainWindow w;
    auto* combo = w.findChild<QComboBox*>(u"speed"_s);
    QVERIFY(combo);
    const int listed = combo->count();
    w.setSpeed(2);
    QCOMPARE(w.speed(), 2.0);
    QCOMPARE(combo->count(), listed);
    w.setSpeed(3);
    QCOMPARE(w.speed(), 3.0);
    QCOMPARE(combo->count(), listed + 1);
    for (int i = 1; i < combo->count(); ++i)
        QVERIFY(combo->itemData(i - 1).toDouble() < combo->itemData(i).toDouble());
    action(w, "actionFaster")->trigger();
    QCOMPARE(w.speed(), 4.0);
    action(w, "actionSlower")->trigger();
    action(w, "actionSlower")->trigger();
    QCOMPARE(w.speed(), 2.0);
    w.setSpeed(5000); // clamped like --speed
    QCOMPARE(w.speed(), Session::MaxSpeed);
}

void TestClassroom::exportsPicturesOfItsParts()
{
    MainWindow w;
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=2000"_s, u"window_us=5"_s})));
    QSignalSpy finished(w.currentRun()->runner(), &Runner::finished);
    w.run();
    QVERIFY(finished.wait(30'000));
    QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->store()->laneCount() >= 4, 5000);

    QString error;
    const QString timeline = m_files.filePath(u"timeline.png"_s);
    QVERIFY2(w.files()->exportImage(FileActions::ImageTarget::Timeline, timeline, QSize(1920, 1080), &error), qPrintable(error));
    const QImage t(timeline);
    QCOMPARE(t.size(), QSize(1920, 1080));
    QVERIFY(distinctColours(t) >= 5);

    const QString window = m_files.filePath(u"window.png"_s);
    QVERIFY2(w.files()->exportImage(FileActions::ImageTarget::Window, window, {}, &error), qPrintable(error));
    const QImage win(window);
    QCOMPARE(win.size(), w.size());
    QVERIFY(distinctColours(win) >= 8);

    const QString charts = m_files.filePath(u"charts.svg"_s);
    QVERIFY2(w.files()->exportImage(FileActions::ImageTarget::Charts, charts, QSize(1600, 600), &error), qPrintable(error));
    QFile svg(charts);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray xml = svg.readAll();
    QVERIFY(xml.contains("<svg"));
    QVERIFY(xml.contains("viewBox=\"0 0 1600 600\""));
    QVERIFY(xml.contains("counter_lock")); // the chart's title names the lock

    QVERIFY(!w.files()->exportImage(FileActions::ImageTarget::Timeline, m_files.filePath(u"t.gif"_s), {}, &error));
    QVERIFY2(error.contains(u".png or .svg"_s), qPrintable(error));
}

namespace {

// Every label and button on screen shows its whole text: it is at least as wide as it asks to be
// (as tall, for a wrapping label), and no ancestor cuts it off, except a scroll area's viewport,
// whose contents scroll by design.
QStringList clippedTexts(QWidget& window)
{
    QStringList out;
    for (QWidget* w : window.findChildren<QWidget*>()) {
        if (!w->isVisible())
            continue;
        auto* label = qobject_cast<QLabel*>(w);
        auto* button = qobject_cast<QAbstractButton*>(w);
        const QString text = label ? label->text() : button ? button->text() : QString();
        if (text.isEmpty())
            continue;
        const bool wraps = label && label->wordWrap();
        const bool tooSmall = wraps ? w->height() + 1 < label->heightForWidth(w->width())
                                    : w->width() + 1 < w->minimumSizeHint().width();
        bool cut = false;
        QRect r(QPoint(0, 0), w->size());
        for (QWidget* child = w, *parent = w->parentWidget(); parent && !cut; child = parent, parent = parent->parentWidget()) {
            if (qobject_cast<QAbstractScrollArea*>(parent))
                break; // scrolled contents
            r.translate(child->pos());
            if (!parent->rect().contains(r))
                cut = true;
        }
        if (tooSmall || cut)
            out << u"%1 \"%2\" (%3x%4 at %5,%6%7)"_s.arg(QString::fromLatin1(w->metaObject()->className()),
                                                         text.left(40))
                       .arg(w->width())
                       .arg(w->height())
                       .arg(w->mapTo(&window, QPoint()).x())
                       .arg(w->mapTo(&window, QPoint()).y())
                       .arg(cut ? u", cut off"_s : u", too small"_s);
    }
    return out;
}

} // namespace

void TestClassroom::presentationKeepsTheChosenPanels()
{
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* tabs = w.findChild<QTabWidget*>(u"sideTabs"_s);
        action(w, "actionPresent_waitgraph")->trigger();
        action(w, "actionPresent_code")->trigger();
        QCOMPARE(w.classroom()->presentationPanels(), RunDetails::WaitGraph | RunDetails::Code);
        QVERIFY(tabs->isVisible()); // not presenting: everything as usual
        QVERIFY(tabs->isTabVisible(tabs->indexOf(tabs->findChild<QWidget*>(u"statistics"_s))));
        w.classroom()->setPresentation(true);
        QVERIFY(tabs->isVisible());
        QVERIFY(tabs->isTabVisible(tabs->indexOf(w.details()->waitGraph())));
        QVERIFY(tabs->isTabVisible(tabs->indexOf(w.details()->lessonView())));
        QVERIFY(!tabs->isTabVisible(tabs->indexOf(tabs->findChild<QWidget*>(u"statistics"_s))));
        QVERIFY(!tabs->isTabVisible(tabs->indexOf(w.details()->console())));
        // Of the lesson, only its program: no outcome box, no text tab.
        QVERIFY(!w.details()->lessonView()->outcomeLabel()->isVisibleTo(w.details()->lessonView()));
        QTabWidget* lesson = w.details()->lessonView()->tabs();
        QVERIFY(!lesson->isTabVisible(lesson->indexOf(w.details()->lessonView()->textView())));
        QVERIFY(lesson->isTabVisible(lesson->indexOf(w.details()->lessonView()->programView())));
        w.classroom()->setPresentation(false);
        QVERIFY(tabs->isTabVisible(tabs->indexOf(tabs->findChild<QWidget*>(u"statistics"_s))));
        QVERIFY(w.details()->lessonView()->outcomeLabel()->isVisibleTo(w.details()->lessonView()));
    }
    MainWindow again; // remembered
    QCOMPARE(again.classroom()->presentationPanels(), RunDetails::WaitGraph | RunDetails::Code);
    QVERIFY(action(again, "actionPresent_waitgraph")->isChecked());
    QVERIFY(!action(again, "actionPresent_statistics")->isChecked());
}

void TestClassroom::nothingIsClippedAtProjectorSizes_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("lesson");
    QTest::newRow("720p deadlock") << QSize(1280, 720) << u"deadlock"_s;
    QTest::newRow("720p gil") << QSize(1280, 720) << u"gil"_s;
    QTest::newRow("720p producer_consumer") << QSize(1280, 720) << u"producer_consumer"_s;
    QTest::newRow("1080p race") << QSize(1920, 1080) << u"race"_s;
    QTest::newRow("1080p pipeline") << QSize(1920, 1080) << u"pipeline"_s;
}

void TestClassroom::nothingIsClippedAtProjectorSizes()
{
    QFETCH(QSize, size);
    QFETCH(QString, lesson);
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.selectScenario(lesson));
    w.classroom()->setPresentationPanels(RunDetails::WaitGraph | RunDetails::Outcome);
    w.classroom()->setPresentation(true);
    // The projector's screen: the window full screen at that size.
    w.setWindowState(Qt::WindowNoState);
    w.resize(size);
    // Layouts settle over a few event loop passes (the settings are made again for the larger
    // text): what is still cut off after that is cut off.
    QStringList clipped;
    QTRY_VERIFY2_WITH_TIMEOUT((clipped = clippedTexts(w)).isEmpty(), qPrintable(clipped.join(u"\n"_s)), 3000);
    QVERIFY(w.runView()->timeline()->height() >= 150);
}

void TestClassroom::aSmallWindowKeepsAUsableTimeline()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.selectScenario(u"producer_consumer"_s)); // charts, and seven lanes
    w.resize(760, 480);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QTest::qWait(0);
    TimelineView* timeline = w.runView()->timeline();
    QVERIFY2(timeline->height() >= timeline->minimumSizeHint().height(),
             qPrintable(u"timeline %1 px high"_s.arg(timeline->height())));
    QVERIFY(timeline->width() >= 300);
}

void TestClassroom::aSlideSaysWhatTheRunShowed()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.selectScenario(u"race"_s, scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=200"_s,
                                                                  u"window_us=300"_s})));
    QSignalSpy finished(w.currentRun(), &Run::finished);
    w.run();
    QVERIFY(finished.wait(60'000));
    const SlideText text = w.slideText();
    QCOMPARE(text.title, u"Race conditions and locks"_s);
    QVERIFY2(text.settings.startsWith(u"threads 3, increments 200 per thread, lock off, window_us 300 µs"_s),
             qPrintable(text.settings));
    QVERIFY2(text.outcome.startsWith(u"expected 600, got "_s), qPrintable(text.outcome));
    const QString path = m_files.filePath(u"slide.png"_s);
    QString error;
    QVERIFY2(w.files()->exportImage(FileActions::ImageTarget::Slide, path, QSize(1280, 720), &error), qPrintable(error));
    QImage image(path);
    QCOMPARE(image.size(), QSize(1280, 720));
}

QTEST_MAIN(TestClassroom)
#include "tst_classroom.moc"

