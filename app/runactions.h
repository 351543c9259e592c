// The commands that drive a run and move the view: Run (and Space, which also pauses), Pause,
// Stop, Reset, the speed, Follow live, zoom, and the GIL lane; as the toolbar, the Run menu and
// the View menu show them.
#pragma once

#include <QObject>

class QAction;
class QComboBox;
class QMainWindow;
class QMenu;

namespace interleave {

class TimelineView;

class RunActions : public QObject
{
    Q_OBJECT
public:
    // Adds the toolbar to the window; the view commands act on `timeline`.
    RunActions(QMainWindow* window, TimelineView* timeline);
    ~RunActions() override;

    void addRunMenu(QMenu* run);
    void addViewMenu(QMenu* view);
    // What can be done now: a lesson is chosen, a run is going on, paused, deadlocked.
    void update(bool haveLesson, bool running, bool paused, bool deadlocked);

    // Any speed in Session::MinSpeed..MaxSpeed; one that is not in the list is added to it.
    void setSpeed(double speed);
    double speed() const;
    void setShowGilLane(bool on);

Q_SIGNALS:
    void runOrPause(); // Run, F5 and Space
    void pauseToggled();
    void stopRequested();
    void resetRequested();
    void speedChanged(double speed);
    void message(const QString& text);

private:
    void changeSpeedStep(int step);

    QAction* m_run = nullptr;
    QAction* m_runOrPause = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_reset = nullptr;
    QAction* m_follow = nullptr;
    QAction* m_fit = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_showGil = nullptr;
    QComboBox* m_speed = nullptr;
};

} // namespace interleave
