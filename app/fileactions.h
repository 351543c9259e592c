// What the File menu does: open sessions and traces (the dialog, recent files, drag and drop),
// save sessions, export the trace, the statistics and pictures. A bad file never touches what
// is on screen; every write is all or nothing.
#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>

class QMenu;
class QMimeData;

namespace interleave {

class MainWindow;

class FileActions : public QObject
{
    Q_OBJECT
public:
    enum class ExportKind { Trace, Csv };
    enum class ImageTarget { Timeline, Charts, Window, Slide };
    static constexpr int MaxRecentFiles = 8;

    explicit FileActions(MainWindow* window);
    ~FileActions() override;

    // Open, Open Recent, Save, Save As, the exports and Quit.
    void addToMenu(QMenu* file);

    // A session (.interleave) or a trace (anything else). Shows no dialog: on failure returns
    // false with one line in *error, and the current lesson and run are left as they were.
    bool openFile(const QString& path, QString* error = nullptr);
    // openFile, with a warning dialog when it fails (menus, drag and drop, the command line).
    bool openFileInteractively(const QString& path, QString* error = nullptr);
    bool saveSession(const QString& path, QString* error = nullptr);
    // What is on screen, written as a Chrome trace or as the statistics tables (CSV).
    bool exportTo(ExportKind kind, const QString& path, QString* error);
    // A picture as PNG or SVG (by suffix); an empty size is the size on screen.
    bool exportImage(ImageTarget target, const QString& path, QSize size = {}, QString* error = nullptr);

    QString sessionPath() const { return m_sessionPath; }
    QStringList recentFiles() const;
    QString lastDir() const { return m_lastDir; }
    void setLastDir(const QString& dir) { m_lastDir = dir; }

    // The first local file of a drag that the window can open; empty for none.
    static QString droppableFile(const QMimeData* mime);

public Q_SLOTS:
    void showOpenDialog();
    void saveSessionInteractively(); // to the session's file, or Save As for a new one
    void saveSessionAsInteractively();
    void exportInteractively(ExportKind kind);
    void showExportImageDialog();

private:
    bool openSession(const QString& path, QString* error);
    bool openTrace(const QString& path, QString* error);
    void showError(const QString& title, const QString& message);
    void addRecentFile(const QString& path);
    void fillRecentMenu();
    // A save dialog starting in the last folder (or `fallback`), suggesting `name`.
    QString askSavePath(const QString& title, const QString& fallback, const QString& name, const QString& filter);
    void said(const QString& message);

    MainWindow* const m_window;
    QMenu* m_recentMenu = nullptr;
    QString m_sessionPath;
    QString m_lastDir;
};

} // namespace interleave
