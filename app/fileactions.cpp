// FileActions: sessions are read whole and checked before anything changes; traces are parsed on
// a worker thread behind a progress dialog and only a complete import replaces what is shown.
#include "fileactions.h"

#include "chartspanel.h"
#include "chrometrace.h"
#include "csvexport.h"
#include "imageexport.h"
#include "imageexportdialog.h"
#include "mainwindow.h"
#include "run.h"
#include "runview.h"
#include "sessionfile.h"
#include "timelineview.h"
#include "traceimport.h"
#include "tracestore.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QString RecentKey = u"files/recent"_s;

bool isSessionPath(const QString& path)
{
    return QFileInfo(path).suffix().compare("interleave"_L1, Qt::CaseInsensitive) == 0;
}

QAction* menuAction(QMenu* menu, const QString& name, const QString& text, const QKeySequence& shortcut = {})
{
    auto* a = menu->addAction(text);
    a->setObjectName(name);
    a->setShortcut(shortcut);
    return a;
}

} // namespace

FileActions::FileActions(MainWindow* window)
    : QObject(window)
    , m_window(window)
{
}

FileActions::~FileActions() = default;

void FileActions::addToMenu(QMenu* file)
{
    connect(menuAction(file, u"actionOpen"_s, tr("&Open…"), QKeySequence::Open), &QAction::triggered, this,
            &FileActions::showOpenDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(u"recentMenu"_s);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &FileActions::fillRecentMenu);
    file->addSeparator();
    connect(menuAction(file, u"actionSave"_s, tr("&Save Session"), QKeySequence::Save), &QAction::triggered, this,
            &FileActions::saveSessionInteractively);
    connect(menuAction(file, u"actionSaveAs"_s, tr("Save Session &As…"), QKeySequence(u"Ctrl+Shift+S"_s)),
            &QAction::triggered, this, &FileActions::saveSessionAsInteractively);
    file->addSeparator();
    connect(menuAction(file, u"actionExportImage"_s, tr("&Export Image…"), QKeySequence(u"Ctrl+E"_s)),
            &QAction::triggered, this, &FileActions::showExportImageDialog);
    connect(menuAction(file, u"actionExportTrace"_s, tr("Export &Trace (Chrome JSON)…"),
                       QKeySequence(u"Ctrl+Shift+E"_s)),
            &QAction::triggered, this, [this] { exportInteractively(ExportKind::Trace); });
    connect(menuAction(file, u"actionExportCsv"_s, tr("Export &Statistics (CSV)…"), QKeySequence(u"Ctrl+Shift+C"_s)),
            &QAction::triggered, this, [this] { exportInteractively(ExportKind::Csv); });
    file->addSeparator();
    connect(menuAction(file, u"actionQuit"_s, tr("&Quit"), QKeySequence(u"Ctrl+Q"_s)), &QAction::triggered,
            m_window, &QWidget::close);
}

// --- opening ------------------------------------------------------------------------------------

bool FileActions::openFile(const QString& path, QString* error)
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

bool FileActions::openFileInteractively(const QString& path, QString* error)
{
    QString why;
    if (openFile(path, &why)) {
        said(tr("Opened %1").arg(QFileInfo(path).fileName()));
        return true;
    }
    showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), why);
    if (error)
        *error = why;
    return false;
}

bool FileActions::openSession(const QString& path, QString* error)
{
    // Read and check everything first: a bad file leaves the lesson and its run as they are.
    const std::optional<Session> session = readSessionFile(path, error);
    if (!session)
        return false;
    m_window->applySession(*session);
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    m_window->setWindowFilePath(m_sessionPath);
    return true;
}

bool FileActions::openTrace(const QString& path, QString* error)
{
    QString why;
    std::optional<ImportedTrace> imported = importWithProgress(m_window, path, &why);
    if (!imported) {
        if (error)
            *error = why == "cancelled"_L1 ? tr("Opening was cancelled; nothing was changed.") : why;
        return false;
    }
    m_window->showRecording(std::move(*imported), QFileInfo(path).fileName());
    return true;
}

void FileActions::showOpenDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open a Session or Trace"), m_lastDir,
        tr("Sessions and traces (*.interleave *.json);;Interleave sessions (*.interleave);;"
           "Chrome traces (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFileInteractively(path);
}

void FileActions::showError(const QString& title, const QString& message)
{
    // Window-modal and not blocking: the lesson keeps running behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box->setObjectName(u"fileError"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void FileActions::said(const QString& message)
{
    m_window->statusBar()->showMessage(message, 5000);
}

QString FileActions::droppableFile(const QMimeData* mime)
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

// --- saving -------------------------------------------------------------------------------------

bool FileActions::saveSession(const QString& path, QString* error)
{
    if (!writeSessionFile(path, m_window->currentSession(), error))
        return false;
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    m_lastDir = QFileInfo(path).absolutePath();
    m_window->setWindowFilePath(m_sessionPath);
    addRecentFile(path);
    return true;
}

void FileActions::saveSessionInteractively()
{
    if (m_sessionPath.isEmpty()) {
        saveSessionAsInteractively();
        return;
    }
    QString error;
    if (saveSession(m_sessionPath, &error))
        said(tr("Saved %1").arg(QFileInfo(m_sessionPath).fileName()));
    else
        showError(tr("Cannot save the session"), error);
}

void FileActions::saveSessionAsInteractively()
{
    QString path = m_sessionPath.isEmpty()
        ? askSavePath(tr("Save Session"), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
                      m_window->currentScenario() + u".interleave"_s, tr("Interleave sessions (*.interleave)"))
        : QFileDialog::getSaveFileName(m_window, tr("Save Session"), m_sessionPath,
                                       tr("Interleave sessions (*.interleave)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u".interleave"_s;
    QString error;
    if (saveSession(path, &error))
        said(tr("Saved %1").arg(QFileInfo(path).fileName()));
    else
        showError(tr("Cannot save the session"), error);
}

QString FileActions::askSavePath(const QString& title, const QString& fallback, const QString& name,
                                 const QString& filter)
{
    const QString suggested = QDir(m_lastDir.isEmpty() ? fallback : m_lastDir).filePath(name);
    return QFileDialog::getSaveFileName(m_window, title, suggested, filter);
}

// --- recent files -------------------------------------------------------------------------------

QStringList FileActions::recentFiles() const
{
    return MainWindow::settings()->value(RecentKey).toStringList();
}

void FileActions::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = recentFiles();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > MaxRecentFiles)
        recent.removeLast();
    MainWindow::settings()->setValue(RecentKey, recent);
}

void FileActions::fillRecentMenu()
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
                MainWindow::settings()->setValue(RecentKey, left);
            }
        });
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear the List"));
    clear->setEnabled(!recent.isEmpty());
    connect(clear, &QAction::triggered, this, [] { MainWindow::settings()->remove(RecentKey); });
}

// --- exports ------------------------------------------------------------------------------------

bool FileActions::exportImage(ImageTarget target, const QString& path, QSize size, QString* error)
{
    const RunView* view = m_window->runView();
    const ImageSource source = target == ImageTarget::Timeline ? timelineImage(*view->timeline())
        : target == ImageTarget::Charts                        ? chartsImage(*view->charts())
        : target == ImageTarget::Slide                         ? slideImage(*view->timeline(), m_window->slideText())
                                                               : widgetImage(*m_window, m_window->windowTitle());
    return writeImage(source, path, size, error);
}

bool FileActions::exportTo(ExportKind kind, const QString& path, QString* error)
{
    QSaveFile file(path); // all or nothing: a failed write leaves an older file as it was
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    const RunDescription run = m_window->runDescription();
    const TraceStore& store = *m_window->currentRun()->store();
    bool ok = false;
    if (kind == ExportKind::Trace) {
        ChromeTraceInfo info;
        info.processName = run.scenario.isEmpty() ? u"interleave"_s : u"interleave: %1"_s.arg(run.scenario);
        info.run = run;
        ok = writeChromeTrace(store, info, file);
    } else {
        const QByteArray csv = summaryToCsv(buildSummary(store, run));
        ok = file.write(csv) == csv.size();
    }
    if (!ok || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void FileActions::exportInteractively(ExportKind kind)
{
    if (m_window->currentRun()->store()->laneCount() == 0) {
        showError(tr("Nothing to export"), tr("Run a lesson or open a trace first."));
        return;
    }
    const bool trace = kind == ExportKind::Trace;
    const QString stem = m_window->currentScenario().isEmpty() ? u"trace"_s : m_window->currentScenario();
    const QString path = askSavePath(trace ? tr("Export Trace") : tr("Export Statistics"), QDir::homePath(),
                                     stem + (trace ? u".json"_s : u".csv"_s),
                                     trace ? tr("Chrome traces (*.json)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(kind, path, &error)) {
        showError(tr("Cannot write %1").arg(QFileInfo(path).fileName()), error);
        return;
    }
    m_lastDir = QFileInfo(path).absolutePath();
    said(trace ? tr("Exported %1: opens in Perfetto (ui.perfetto.dev) and chrome://tracing").arg(QFileInfo(path).fileName())
               : tr("Exported %1").arg(QFileInfo(path).fileName()));
}

void FileActions::showExportImageDialog()
{
    const RunView* view = m_window->runView();
    auto* dialog = new ImageExportDialog(
        {view->timeline()->size(), view->charts()->size(), m_window->size(), QSize(1920, 1080)}, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const auto target = dialog->target();
        const bool svg = dialog->format() == ImageFormat::Svg;
        const QString suffix = svg ? u"svg"_s : u"png"_s;
        QString path = askSavePath(
            tr("Export Image"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
            u"%1-%2.%3"_s.arg(m_window->currentScenario(), ImageExportDialog::targetName(target), suffix),
            svg ? tr("SVG drawings (*.svg)") : tr("PNG pictures (*.png)"));
        if (path.isEmpty())
            return;
        if (!imageFormatForPath(path))
            path += u'.' + suffix;
        QString error;
        const ImageTarget what = target == ImageExportDialog::Timeline ? ImageTarget::Timeline
            : target == ImageExportDialog::Charts                      ? ImageTarget::Charts
            : target == ImageExportDialog::Slide                       ? ImageTarget::Slide
                                                                       : ImageTarget::Window;
        if (exportImage(what, path, dialog->chosenSize(), &error)) {
            m_lastDir = QFileInfo(path).absolutePath();
            said(tr("Exported %1").arg(QFileInfo(path).fileName()));
        } else {
            showError(tr("Cannot export the picture"), error);
        }
    });
    dialog->open();
}

} // namespace interleave
