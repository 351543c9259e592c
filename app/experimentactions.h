// What the Experiment menu does: repeat the lesson N times, sweep one of its settings, and show
// what came out in a window of its own (histogram or chart, every run listed); a run picked there
// is put on the timeline again from its recording. The runs go through the window's own Run, so
// the class watches each one live.
#pragma once

#include <QObject>
#include <QPointer>

#include "questions.h"

#include <optional>
#include <vector>

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
    // Predict, then reveal. ask(): the lesson's question chosen in a dialog, its settings applied,
    // the run started; false when the lesson has no questions or the dialog was cancelled.
    bool ask();
    // Run asks first: in presentation mode, when "Ask Before Running" is on and the lesson has
    // questions (and not for the run a question itself starts).
    bool asksBeforeRun(bool presentation) const;
    // The reveal of the last question's run ("Predicted: ... Answer: ..."), empty when the run on
    // screen did not answer a question.
    QString revealText() const { return m_reveal; }
    void clearReveal() { m_reveal.clear(); }
    // Starts question `index` of the lesson with this prediction (what the dialog does; tests).
    bool askWith(int index, const std::vector<int>& hands, std::optional<double> guess);

    // Puts run `index` of the experiment on screen from its recording; false when it was not kept.
    bool showRun(int index);

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void showDialog(bool sweep);
    void onRunStarted();
    void onRunFinished();
    void showView();

    MainWindow* const m_window;
    ExperimentRunner* const m_runner;
    QPointer<ExperimentView> m_view;
    QAction* m_repeat = nullptr;
    QAction* m_sweep = nullptr;
    QAction* m_results = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_ask = nullptr;
    QAction* m_askFirst = nullptr;
    // The question whose run is about to start (armed) or going on (active), with its prediction.
    struct Prediction
    {
        Question question;
        std::vector<int> hands;
        std::optional<double> guess;
    };
    std::optional<Prediction> m_armed;
    std::optional<Prediction> m_active;
    QString m_reveal;
    int m_nextQuestion = 0; // asked in turn
};

} // namespace interleave
