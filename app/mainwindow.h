// The window a teacher puts on the projector: lesson picker and sliders on the left, the live
// timeline and charts in the middle, the lesson, outcome, statistics, wait-for graph and console
// on the right. Menus open and save sessions, export pictures, switch theme and presentation
// mode; the window remembers where it was and what it showed (QSettings).
#pragma once

#include "summary.h"

#include <QFont>
#include <QMainWindow>
#include <QSize>

#include <memory>
#include <vector>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QListWidget;
class QMenu;
class QSettings;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;

namespace interleave {

class ChartsPanel;
class Collector;
class ConsoleView;
class LegendBar;
class LessonView;
class LockStatsModel;
class ParameterPanel;
class QueueStatsModel;
class Runner;
class ThreadStatsModel;
class TimelineView;
class TraceStore;
class WaitGraphView;
struct Session;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Theme { System, Light, Dark };
    enum class ImageTarget { Timeline, Charts, Window };
    static constexpr int NormalLaneHeight = 22;
    static constexpr int PresentationLaneHeight = 36;
    static constexpr double PresentationFontScale = 1.5;
    static constexpr int MaxRecentFiles = 8;

    // Restores the last lesson, its settings, theme, presentation mode and window geometry.
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Where the window keeps its settings: organization "Interleave", application "Interleave".
    static std::unique_ptr<QSettings> settings();

    // Selects a lesson (its defaults) and optionally overrides parameter values and speed.
    bool selectScenario(const QString& id, const std::vector<double>& values = {});
    // Any speed in Session::MinSpeed..MaxSpeed; one that is not in the list is added to it.
    void setSpeed(double speed);
    double speed() const;

    // --- files ---
    // A session (.interleave) or a trace (anything else). Shows no dialog: on failure returns
    // false with one line in *error, and the current lesson and run are left as they were.
    bool openFile(const QString& path, QString* error = nullptr);
    // What is on screen, written as a Chrome trace or as the statistics tables (CSV).
    enum class ExportKind { Trace, Csv };
    bool exportTo(ExportKind kind, const QString& path, QString* error);
    // The run on screen (or the opened trace's), as the summary and the trace export name it.
    RunDescription runDescription() const;
    // openFile, with a warning dialog when it fails (menus, drag and drop, the command line).
    bool openFileInteractively(const QString& path, QString* error = nullptr);
    bool saveSession(const QString& path, QString* error = nullptr);
    Session currentSession() const;
    void applySession(const Session& session);
    QString sessionPath() const { return m_sessionPath; }
    QStringList recentFiles() const;
    // A picture as PNG or SVG (by suffix); an empty size is the size on screen.
    bool exportImage(ImageTarget target, const QString& path, QSize size = {}, QString* error = nullptr);

    // --- classroom ---
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presentation; }
    void setTheme(Theme theme);
    Theme theme() const { return m_theme; }
    // Every action with a text, menus first (in menu order), then toolbar and window actions.
    QList<QAction*> shortcutActions() const;

    // For tests and the command line.
    Runner* runner() const { return m_runner; }
    TraceStore* store() const { return m_store; }
    TimelineView* timeline() const { return m_timeline; }
    ParameterPanel* parameterPanel() const { return m_params; }
    WaitGraphView* waitGraph() const { return m_graph; }
    ThreadStatsModel* threadStats() const { return m_threadStats; }
    LockStatsModel* lockStats() const { return m_lockStats; }
    QueueStatsModel* queueStats() const { return m_queueStats; }
    QString currentScenario() const { return m_scenario; }
    QString statusText() const;
    QString bannerText() const;
    LessonView* lessonView() const { return m_lesson; }

public Q_SLOTS:
    void run();       // start, or resume when paused
    void togglePause();
    void stop();
    void reset();     // stop, clear and start again with the current parameters

    void showOpenDialog();
    void saveSessionInteractively();   // to the session's file, or Save As for a new one
    void saveSessionAsInteractively();
    void showExportImageDialog();
    void exportInteractively(ExportKind kind);
    void showShortcuts();
    void showAbout();

protected:
    void closeEvent(QCloseEvent* e) override;
    void changeEvent(QEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildActions();
    void buildMenus();
    void buildLayout();
    // The trace importer's entry point; kept apart from sessions on purpose.
    bool openTrace(const QString& path, QString* error);
    bool openSession(const QString& path, QString* error);
    void showFileError(const QString& title, const QString& message);
    void addRecentFile(const QString& path);
    void fillRecentMenu();
    void loadSettings();
    void saveSettings() const;
    void applyLook(); // fonts, palette, lane height and panels for the theme and presentation mode
    void updateLessonItems();
    void widenSettingsForPresentation();
    void changeSpeedStep(int step);
    void onRunFinished(const QString& ended);
    void onDeadlock();
    void refreshOutcome();
    QString staleNote() const; // when the settings moved since the run on screen ended
    void fitSettingsPane();
    void refreshStatus();
    void refreshGraph();
    void updateActions();

    Runner* const m_runner;
    TraceStore* const m_store;
    Collector* const m_collector;
    QTimer* const m_liveTimer; // outcome, status, graph: a few times a second

    QListWidget* m_lessons = nullptr;
    ParameterPanel* m_params = nullptr;
    TimelineView* m_timeline = nullptr;
    ChartsPanel* m_charts = nullptr;
    LessonView* m_lesson = nullptr;
    QTabWidget* m_tabs = nullptr;
    WaitGraphView* m_graph = nullptr;
    ConsoleView* m_console = nullptr;
    ThreadStatsModel* m_threadStats = nullptr;
    LockStatsModel* m_lockStats = nullptr;
    QueueStatsModel* m_queueStats = nullptr;
    QLabel* m_banner = nullptr;
    QComboBox* m_speed = nullptr;
    QLabel* m_statusEvents = nullptr;
    QLabel* m_statusDropped = nullptr;
    QLabel* m_statusFrame = nullptr;
    QLabel* m_statusThreads = nullptr;
    QLabel* m_statusState = nullptr;

    QAction* m_runAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_resetAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_runOrPauseAction = nullptr;
    QAction* m_showGilAction = nullptr;
    QAction* m_presentationAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QMenu* m_recentMenu = nullptr;
    QSplitter* m_split = nullptr;

    QString m_scenario;
    QString m_sessionPath;
    QString m_lastDir;
    QFont m_paramsFont; // the font the parameter editors were made with
    QByteArray m_normalSplitter; // the splitter before presentation mode hid the side panels
    bool m_presentation = false;
    LegendBar* m_legend = nullptr;
    bool m_showingTrace = false; // an opened trace is on screen, not a run
    // The runner's run is the one on screen: started from this lesson. Picking a lesson, opening
    // a session or a trace puts it away; its outcome then shows nowhere.
    bool m_runOnScreen = false;
    std::vector<double> m_runValues; // the settings that run had (live changes included)
    double m_runSpeed = 1.0;         // and its speed
    RunDescription m_traceRun;   // the opened trace's run (its scenario is empty for other tools')
    Theme m_theme = Theme::System;
    std::uint64_t m_lastEvents = 0;
    qint64 m_lastEventsAtMs = 0;
};

} // namespace interleave
