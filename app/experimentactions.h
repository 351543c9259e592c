// What the Experiment menu does: repeat the lesson N times, sweep one of its settings, and show
// what came out in a window of its own (histogram or chart, every run listed); a run picked there
// is put on the timeline again from its recording. The runs go through the window's own Run, so
// the class watches each one live.
#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;

namespace interleave {

class ExperimentRunner;
class ExperimentView;
class MainWindow;
struct ExperimentPlan;

class ExperimentActions : public QObject
{
    Q_OBJECT
public:
    explicit ExperimentActions(MainWindow* window);
    ~ExperimentActions() override;

    void addToMenu(QMenu* menu);
    // Starts a plan without a dialog (the dialogs call it; so do tests). False, with a message
    // box unless quiet, when it cannot start.
    bool start(const ExperimentPlan& plan, bool quiet = false);
    void stop();
    bool isRunning() const;
    void update(bool haveLesson, bool running);

    ExperimentRunner* runner() const { return m_runner; }
    ExperimentView* view() const; // null until the first experiment
    // Puts run `index` of the experiment on screen from its recording; false when it was not kept.
    bool showRun(int index);

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void showDialog(bool sweep);
    void showView();

    MainWindow* const m_window;
    ExperimentRunner* const m_runner;
    QPointer<ExperimentView> m_view;
    QAction* m_repeat = nullptr;
    QAction* m_sweep = nullptr;
    QAction* m_results = nullptr;
    QAction* m_stop = nullptr;
};

} // namespace interleave
