// The window a teacher puts on the projector: lessons and their settings on the left, the run's
// banner, timeline and charts in the middle, the lesson, statistics, wait-for graph and console
// on the right. It arranges those parts, runs the lesson through one Run, and remembers where it
// was; files, the classroom look and help live in classes of their own.
#pragma once

#include "classroommode.h"
#include "fileactions.h"
#include "imageexport.h"
#include "summary.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QMenu;
class QSettings;
class QSplitter;
class QTimer;

namespace interleave {

class ExperimentActions;
class HelpMenu;
class PinnedRun;
class PythonActions;
struct PythonProgramSpec;
class RunActions;
class RunStatus;
class StepActions;
class LessonPicker;
class Replay;
class Run;
class RunDetails;
class RunView;
struct ImportedTrace;
struct Session;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Restores the last lesson, its settings, theme, presentation mode and window geometry.
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Where the window keeps its settings: organization "Interleave", application "Interleave".
    static std::unique_ptr<QSettings> settings();

    // Selects a lesson (its defaults) and optionally overrides parameter values and speed.
    bool selectScenario(const QString& id, const std::vector<double>& values = {});
    QString currentScenario() const { return m_scenario; }
    // Any speed in Session::MinSpeed..MaxSpeed; one that is not in the list is added to it.
    void setSpeed(double speed);
    double speed() const;

    // The lesson, its settings and the view, as a session file keeps them.
    Session currentSession() const;
    void applySession(const Session& session);
    // Puts an opened trace on screen in place of the run: a trace Interleave wrote brings its
    // lesson and settings back; another tool's stands alone, with no lesson chosen.
    void showRecording(ImportedTrace&& imported, const QString& fileName);
    // The run on screen (or the opened trace's), as the summary and the trace export name it.
    RunDescription runDescription() const;

    QString statusText() const;
    // What a slide says above the timeline: the lesson, its settings and what the banner says.
    SlideText slideText() const;
    QString bannerText() const;

    // The parts, for the command line and tests.
    Run* currentRun() const { return m_run; }
    LessonPicker* picker() const { return m_picker; }
    RunView* runView() const { return m_view; }
    RunDetails* details() const { return m_details; }
    FileActions* files() const { return m_files; }
    ClassroomMode* classroom() const { return m_classroom; }
    HelpMenu* help() const { return m_help; }
    Replay* replay() const { return m_replay; }
    ExperimentActions* experiments() const { return m_experiments; }
    PinnedRun* pinned() const { return m_pinned; }
    StepActions* steps() const { return m_steps; }

public Q_SLOTS:
    void run();       // start, or pause / resume while running (Run, Space)
public:
    // Runs a real Python program (python3, traced) in place of the lesson's run; false with *error
    // when it cannot start (no python3: how to install it). A lesson's twin keeps the lesson and its
    // settings on screen (they are the program's constants); any other program stands alone.
    bool runPython(const PythonProgramSpec& spec, QString* error, bool lessonsTwin = false);
    PythonActions* python() const { return m_python; }
public Q_SLOTS:
    void togglePause();
    void stop();
    void reset();     // stop, clear and start again with the current settings
    // Replays the finished run (or opened recording) from its start; again: back to the end.
    void toggleReplay();

protected:
    void closeEvent(QCloseEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildMenus();
    void addReplayMenu(QMenu* menu);
    void addPinActions(QMenu* menu);
    void pinTraceInteractively();
    void onReplayMoved();
    bool canReplay() const;
    void loadSettings();
    void saveSettings() const;
    void onSettingChanged(const QString& key, double value);
    void onRunFinished(const QString& ended);
    void onDeadlock();
    void refreshOutcome();
    QString staleNote() const; // when the settings moved since the run on screen ended
    void fitSettingsPane();
    void refreshGraph();
    void updateActions();
    bool runOnScreen() const; // a live run of the chosen lesson, not a recording, not cleared

    Run* const m_run;
    QTimer* const m_liveTimer; // outcome, status, graph: a few times a second
    LessonPicker* m_picker = nullptr;
    StepActions* m_steps = nullptr;
    PythonActions* m_python = nullptr;
    RunView* m_view = nullptr;
    RunDetails* m_details = nullptr;
    QSplitter* m_split = nullptr;
    FileActions* m_files = nullptr;
    ClassroomMode* m_classroom = nullptr;
    HelpMenu* m_help = nullptr;
    RunActions* m_actions = nullptr;
    RunStatus* m_status = nullptr;
    Replay* m_replay = nullptr;
    ExperimentActions* m_experiments = nullptr;
    PinnedRun* m_pinned = nullptr;
    QString m_bannerBeforeReplay; // a recording's banner, put back when its replay ends

    QString m_scenario;
};

} // namespace interleave
