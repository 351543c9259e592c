// MainWindow's menus, and what the File menu does: open sessions and traces (menu, recent files,
// drag and drop), save sessions, export pictures. A bad file never touches what is on screen.
#include "mainwindow.h"

#include "chartspanel.h"
#include "chrometrace.h"
#include "collector.h"
#include "csvexport.h"
#include "imageexport.h"
#include "imageexportdialog.h"
#include "legendbar.h"
#include "lessonview.h"
#include "outcometext.h"
#include "parameterpanel.h"
#include "runner.h"
#include "scenario.h"
#include "sessionfile.h"
#include "timelineview.h"
#include "traceimport.h"
#include "tracestore.h"
#include "waitgraphview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QString RecentKey = u"files/recent"_s;

bool isSessionPath(const QString& path)
{
    return QFileInfo(path).suffix().compare("interleave"_L1, Qt::CaseInsensitive) == 0;
}

// The first local file of a drag that the window can open.
QString droppableFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
        if (suffix == "interleave"_L1 || suffix == "json"_L1)
            return url.toLocalFile();
    }
    return {};
}

QAction* menuAction(QMenu* menu, const QString& name, const QString& text, const QKeySequence& shortcut = {})
{
    auto* a = menu->addAction(text);
    a->setObjectName(name);
    a->setShortcut(shortcut);
    return a;
}

} // namespace

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(u"&File"_s);
    connect(menuAction(file, u"actionOpen"_s, u"&Open…"_s, QKeySequence::Open), &QAction::triggered, this,
            &MainWindow::showOpenDialog);
    m_recentMenu = file->addMenu(u"Open &Recent"_s);
    m_recentMenu->setObjectName(u"recentMenu"_s);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    connect(menuAction(file, u"actionSave"_s, u"&Save Session"_s, QKeySequence::Save), &QAction::triggered, this,
            &MainWindow::saveSessionInteractively);
    connect(menuAction(file, u"actionSaveAs"_s, u"Save Session &As…"_s, QKeySequence(u"Ctrl+Shift+S"_s)),
            &QAction::triggered, this, &MainWindow::saveSessionAsInteractively);
    file->addSeparator();
    connect(menuAction(file, u"actionExportImage"_s, u"&Export Image…"_s, QKeySequence(u"Ctrl+E"_s)),
            &QAction::triggered, this, &MainWindow::showExportImageDialog);
    connect(menuAction(file, u"actionExportTrace"_s, u"Export &Trace (Chrome JSON)…"_s, QKeySequence(u"Ctrl+Shift+E"_s)),
            &QAction::triggered, this, [this] { exportInteractively(ExportKind::Trace); });
    connect(menuAction(file, u"actionExportCsv"_s, u"Export &Statistics (CSV)…"_s, QKeySequence(u"Ctrl+Shift+C"_s)),
            &QAction::triggered, this, [this] { exportInteractively(ExportKind::Csv); });
    file->addSeparator();
    connect(menuAction(file, u"actionQuit"_s, u"&Quit"_s, QKeySequence(u"Ctrl+Q"_s)), &QAction::triggered, this,
            &QWidget::close);

    QMenu* run = menuBar()->addMenu(u"&Run"_s);
    run->addActions({m_runAction, m_runOrPauseAction, m_pauseAction, m_stopAction, m_resetAction});
    run->addSeparator();
    connect(menuAction(run, u"actionSlower"_s, u"Slower"_s, QKeySequence(Qt::Key_BracketLeft)), &QAction::triggered,
            this, [this] { changeSpeedStep(-1); });
    connect(menuAction(run, u"actionFaster"_s, u"Faster"_s, QKeySequence(Qt::Key_BracketRight)), &QAction::triggered,
            this, [this] { changeSpeedStep(+1); });

    QMenu* view = menuBar()->addMenu(u"&View"_s);
    view->addActions({m_followAction, m_fitAction, m_zoomInAction, m_zoomOutAction});
    view->addSeparator();
    m_showGilAction = menuAction(view, u"actionShowGilLane"_s, u"Show &GIL Lane"_s, QKeySequence(Qt::Key_G));
    m_showGilAction->setCheckable(true);
    m_showGilAction->setChecked(m_timeline->showsGilLane());
    connect(m_showGilAction, &QAction::toggled, m_timeline, &TimelineView::setShowGilLane);
    QMenu* theme = view->addMenu(u"&Theme"_s);
    m_themeGroup = new QActionGroup(this);
    const std::pair<Theme, QString> themes[] = {
        {Theme::System, u"&System"_s}, {Theme::Light, u"&Light"_s}, {Theme::Dark, u"&Dark"_s}};
    for (const auto& [value, text] : themes) {
        QAction* a = theme->addAction(text);
        a->setObjectName(u"actionTheme"_s + QString(text).remove(u'&'));
        a->setCheckable(true);
        a->setData(int(value));
        a->setChecked(value == m_theme);
        m_themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, value] { setTheme(value); });
    }
    view->addSeparator();
    m_presentationAction = menuAction(view, u"actionPresentation"_s, u"&Presentation Mode"_s,
                                     QKeySequence(Qt::Key_F11));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setToolTip(u"Full screen, larger text, thicker lanes, high contrast (F11)"_s);
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentationMode);

    QMenu* help = menuBar()->addMenu(u"&Help"_s);
    connect(menuAction(help, u"actionShortcuts"_s, u"&Keyboard Shortcuts"_s, QKeySequence(Qt::Key_F1)),
            &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(menuAction(help, u"actionAbout"_s, u"&About Interleave"_s), &QAction::triggered, this,
            &MainWindow::showAbout);
}

// --- opening ------------------------------------------------------------------------------------

bool MainWindow::openFile(const QString& path, QString* error)
{
    QString why;
    const bool ok = isSessionPath(path) ? openSession(path, &why) : openTrace(path, &why);
    if (!ok) {
        if (error)
            *error = why;
        return false;
    }
    addRecentFile(path);
    m_lastDir = QFileInfo(path).absolutePath();
    return true;
}

bool MainWindow::openFileInteractively(const QString& path, QString* error)
{
    QString why;
    if (openFile(path, &why)) {
        statusBar()->showMessage(u"Opened %1"_s.arg(QFileInfo(path).fileName()), 4000);
        return true;
    }
    showFileError(u"Cannot open %1"_s.arg(QFileInfo(path).fileName()), why);
    if (error)
        *error = why;
    return false;
}

bool MainWindow::openSession(const QString& path, QString* error)
{
    // Read and check everything first: a bad file leaves the lesson and its run as they are.
    const std::optional<Session> session = readSessionFile(path, error);
    if (!session)
        return false;
    applySession(*session);
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    setWindowFilePath(m_sessionPath);
    return true;
}

// Traces (Chrome Trace Event JSON): parsed on a worker thread behind a progress dialog; only a
// complete import replaces what is shown.
bool MainWindow::openTrace(const QString& path, QString* error)
{
    QString why;
    std::optional<ImportedTrace> imported = importWithProgress(this, path, &why);
    if (!imported) {
        if (error)
            *error = why == "cancelled"_L1 ? u"Opening was cancelled; nothing was changed."_s : why;
        return false;
    }
    const ImportReport report = imported->report;
    const RunDescription run = imported->run;
    const QString file = QFileInfo(path).fileName();

    // A trace Interleave wrote brings its lesson and settings back; others stand alone.
    std::optional<Session> lesson;
    if (imported->ownFormat) {
        const QJsonObject asSession{{u"schema"_s, u"interleave.session/1"_s},
                                    {u"scenario"_s, run.scenario},
                                    {u"params"_s, run.params}};
        QString ignored;
        lesson = parseSession(QJsonDocument(asSession).toJson(), &ignored);
    }
    if (lesson) {
        selectScenario(lesson->scenario, lesson->values);
    } else {
        // No lesson goes with it: nothing to run or set until one is picked from the list.
        m_runner->stop();
        m_collector->setSession(nullptr);
        m_runOnScreen = false;
        m_graph->clear();
        m_timeline->setShowGilLane(false);
        m_scenario.clear();
        {
            const QSignalBlocker block(m_lessons); // no lesson is chosen by clearing
            m_lessons->setCurrentRow(-1);
            m_lessons->clearSelection();
        }
        m_params->setEnabled(false);
        m_lesson->setLesson(QString());
        m_legend->hide(); // its colours are thread states; these slices are coloured by name
    }
    m_store->adopt(std::move(imported->contents));
    m_showingTrace = true;
    m_traceRun = run;
    m_timeline->setFollowLive(false);
    m_timeline->zoomToFit();

    QString text;
    if (lesson) {
        text = outcomeText(lesson->scenario, run.outcome, run.ended)
            + u"\nA recorded run, opened from %1 (%2 ms). Run starts it again, live."_s.arg(file).arg(run.wallMs);
        m_lesson->setOutcome(lesson->scenario, run.outcome, run.ended);
    } else {
        text = u"%1: %2 lanes, %3 of %4 events shown"_s.arg(file)
                   .arg(m_store->laneCount())
                   .arg(report.kept)
                   .arg(report.events);
        if (!report.skipped.empty() || !report.warnings.isEmpty())
            text += u" (hover for what was skipped)"_s;
        text += u"\nA trace from another tool: named slices as it recorded them, no thread states."_s;
    }
    m_banner->setText(text);
    m_banner->setToolTip(report.text().toHtmlEscaped().replace(u"\n"_s, u"<br>"_s));
    setWindowTitle(u"%1 — Interleave"_s.arg(file));
    updateActions();
    return true;
}

void MainWindow::applySession(const Session& s)
{
    selectScenario(s.scenario, s.values);
    setSpeed(s.speed);
    m_timeline->setShowGilLane(s.showGilLane);
    m_showGilAction->setChecked(s.showGilLane);
    if (s.hasVisibleRange()) {
        TimeMapping m = m_timeline->mapping();
        m.t0 = s.visibleStartNs;
        m.nsPerPixel = std::clamp(double(s.visibleEndNs - s.visibleStartNs) / std::max(1.0, m.width),
                                  TimeMapping::MinNsPerPixel, TimeMapping::MaxNsPerPixel);
        m_timeline->setFollowLive(false); // the range as saved; following may move it below
        m_timeline->setMapping(m);
    }
    m_timeline->setFollowLive(s.followLive);
}

Session MainWindow::currentSession() const
{
    Session s;
    s.scenario = m_scenario;
    s.values = m_params->values();
    s.speed = speed();
    s.followLive = m_timeline->followLive();
    s.visibleStartNs = m_timeline->mapping().t0;
    s.visibleEndNs = m_timeline->mapping().t1();
    s.showGilLane = m_timeline->showsGilLane();
    return s;
}

void MainWindow::showOpenDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, u"Open a Session or Trace"_s, m_lastDir,
        u"Sessions and traces (*.interleave *.json);;Interleave sessions (*.interleave);;"
        "Chrome traces (*.json);;All files (*)"_s);
    if (!path.isEmpty())
        openFileInteractively(path);
}

void MainWindow::showFileError(const QString& title, const QString& message)
{
    // Window-modal and not blocking: the lesson keeps running behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(u"fileError"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

// --- saving -------------------------------------------------------------------------------------

bool MainWindow::saveSession(const QString& path, QString* error)
{
    if (!writeSessionFile(path, currentSession(), error))
        return false;
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    m_lastDir = QFileInfo(path).absolutePath();
    setWindowFilePath(m_sessionPath);
    addRecentFile(path);
    return true;
}

void MainWindow::saveSessionInteractively()
{
    if (m_sessionPath.isEmpty()) {
        saveSessionAsInteractively();
        return;
    }
    QString error;
    if (saveSession(m_sessionPath, &error))
        statusBar()->showMessage(u"Saved %1"_s.arg(QFileInfo(m_sessionPath).fileName()), 4000);
    else
        showFileError(u"Cannot save the session"_s, error);
}

void MainWindow::saveSessionAsInteractively()
{
    const QString suggested = m_sessionPath.isEmpty()
        ? QDir(m_lastDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) : m_lastDir)
              .filePath(m_scenario + u".interleave"_s)
        : m_sessionPath;
    QString path = QFileDialog::getSaveFileName(this, u"Save Session"_s, suggested,
                                                u"Interleave sessions (*.interleave)"_s);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u".interleave"_s;
    QString error;
    if (saveSession(path, &error))
        statusBar()->showMessage(u"Saved %1"_s.arg(QFileInfo(path).fileName()), 4000);
    else
        showFileError(u"Cannot save the session"_s, error);
}

// --- recent files -------------------------------------------------------------------------------

QStringList MainWindow::recentFiles() const
{
    return settings()->value(RecentKey).toStringList();
}

void MainWindow::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = recentFiles();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > MaxRecentFiles)
        recent.removeLast();
    settings()->setValue(RecentKey, recent);
}

void MainWindow::fillRecentMenu()
{
    // Read on every opening: another Interleave window may have added files since.
    m_recentMenu->clear();
    const QStringList recent = recentFiles();
    for (qsizetype i = 0; i < recent.size(); ++i) {
        const QString path = recent[i];
        QAction* a = m_recentMenu->addAction(u"&%1 %2"_s.arg(i + 1).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (!openFileInteractively(path) && !QFileInfo::exists(path)) {
                QStringList left = recentFiles();
                left.removeAll(path);
                settings()->setValue(RecentKey, left);
            }
        });
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(u"No recent files"_s)->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(u"Clear the List"_s);
    clear->setEnabled(!recent.isEmpty());
    connect(clear, &QAction::triggered, this, [] { settings()->remove(RecentKey); });
}

// --- drag and drop ------------------------------------------------------------------------------

void MainWindow::dragEnterEvent(QDragEnterEvent* e)
{
    if (!droppableFile(e->mimeData()).isEmpty())
        e->acceptProposedAction();
    else
        e->ignore();
}

void MainWindow::dropEvent(QDropEvent* e)
{
    const QString path = droppableFile(e->mimeData());
    if (path.isEmpty()) {
        e->ignore();
        return;
    }
    e->acceptProposedAction();
    openFileInteractively(path);
}

// --- pictures -----------------------------------------------------------------------------------

bool MainWindow::exportImage(ImageTarget target, const QString& path, QSize size, QString* error)
{
    const ImageSource source = target == ImageTarget::Timeline ? timelineImage(*m_timeline)
        : target == ImageTarget::Charts                        ? chartsImage(*m_charts)
                                                               : widgetImage(*this, windowTitle());
    return writeImage(source, path, size, error);
}

// --- trace and statistics ------------------------------------------------------------------------

RunDescription MainWindow::runDescription() const
{
    if (m_showingTrace)
        return m_traceRun;
    RunDescription run;
    run.scenario = m_scenario;
    if (const ScenarioEntry* entry = ScenarioRegistry::instance().find(m_scenario))
        run.params = entry->info.schema.valuesJson(m_params->values());
    // Only the run on screen: after picking another lesson the old run's outcome belongs nowhere.
    if (m_runner->context() && m_runOnScreen) {
        run.wallMs = m_runner->wallMs();
        run.ended = m_runner->isRunning() ? u"running"_s : m_runner->ended();
        run.outcome = m_runner->outcome();
        if (const auto machine = m_runner->machineLoad())
            run.machine = machine->toJson();
    }
    return run;
}

bool MainWindow::exportTo(ExportKind kind, const QString& path, QString* error)
{
    QSaveFile file(path); // all or nothing: a failed write leaves an older file as it was
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    const RunDescription run = runDescription();
    bool ok = false;
    if (kind == ExportKind::Trace) {
        ChromeTraceInfo info;
        info.processName = run.scenario.isEmpty() ? u"interleave"_s : u"interleave: %1"_s.arg(run.scenario);
        info.run = run;
        ok = writeChromeTrace(*m_store, info, file);
    } else {
        const QByteArray csv = summaryToCsv(buildSummary(*m_store, run));
        ok = file.write(csv) == csv.size();
    }
    if (!ok || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void MainWindow::exportInteractively(ExportKind kind)
{
    if (m_store->laneCount() == 0) {
        showFileError(u"Nothing to export"_s, u"Run a lesson or open a trace first."_s);
        return;
    }
    const bool trace = kind == ExportKind::Trace;
    const QString stem = m_scenario.isEmpty() ? u"trace"_s : m_scenario;
    const QString suggested = QDir(m_lastDir.isEmpty() ? QDir::homePath() : m_lastDir)
                                  .filePath(stem + (trace ? u".json"_s : u".csv"_s));
    const QString path = QFileDialog::getSaveFileName(
        this, trace ? u"Export Trace"_s : u"Export Statistics"_s, suggested,
        trace ? u"Chrome traces (*.json)"_s : u"CSV files (*.csv)"_s);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(kind, path, &error)) {
        showFileError(u"Cannot write %1"_s.arg(QFileInfo(path).fileName()), error);
        return;
    }
    m_lastDir = QFileInfo(path).absolutePath();
    statusBar()->showMessage(
        trace ? u"Exported %1: opens in Perfetto (ui.perfetto.dev) and chrome://tracing"_s.arg(QFileInfo(path).fileName())
              : u"Exported %1"_s.arg(QFileInfo(path).fileName()),
        6000);
}

void MainWindow::showExportImageDialog()
{
    auto* dialog = new ImageExportDialog({m_timeline->size(), m_charts->size(), size()}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const auto target = dialog->target();
        const bool svg = dialog->format() == ImageFormat::Svg;
        const QSize size = dialog->chosenSize();
        const QString suffix = svg ? u"svg"_s : u"png"_s;
        const QString suggested =
            QDir(m_lastDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) : m_lastDir)
                .filePath(u"%1-%2.%3"_s.arg(m_scenario, ImageExportDialog::targetName(target), suffix));
        QString path = QFileDialog::getSaveFileName(this, u"Export Image"_s, suggested,
                                                    svg ? u"SVG drawings (*.svg)"_s : u"PNG pictures (*.png)"_s);
        if (path.isEmpty())
            return;
        if (!imageFormatForPath(path))
            path += u'.' + suffix;
        QString error;
        const ImageTarget what = target == ImageExportDialog::Timeline ? ImageTarget::Timeline
            : target == ImageExportDialog::Charts                      ? ImageTarget::Charts
                                                                       : ImageTarget::Window;
        if (exportImage(what, path, size, &error)) {
            m_lastDir = QFileInfo(path).absolutePath();
            statusBar()->showMessage(u"Exported %1"_s.arg(QFileInfo(path).fileName()), 4000);
        } else {
            showFileError(u"Cannot export the picture"_s, error);
        }
    });
    dialog->open();
}

} // namespace interleave
