// ExperimentActions: the dialogs, the runner on the window's Run, and the results window.
#include "experimentactions.h"

#include "chromeimport.h"
#include "experimentdialog.h"
#include "experimentrunner.h"
#include "experimentview.h"
#include "lessonpicker.h"
#include "lessons.h"
#include "mainwindow.h"
#include "parameterpanel.h"
#include "predictdialog.h"
#include "run.h"

#include <QAction>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace interleave {

ExperimentActions::ExperimentActions(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_runner(new ExperimentRunner(window->currentRun(), this))
{
    connect(m_runner, &ExperimentRunner::runStarted, this, [this](int index, int total) {
        m_window->statusBar()->showMessage(tr("Experiment: run %1 of %2").arg(index + 1).arg(total));
        if (m_view)
            m_view->refresh();
    });
    connect(m_runner, &ExperimentRunner::runDone, this, [this] {
        if (m_view)
            m_view->refresh();
    });
    connect(m_runner, &ExperimentRunner::finished, this, [this](bool complete) {
        if (m_view)
            m_view->refresh();
        const int n = int(m_runner->runs().size());
        QString text = complete ? tr("Experiment done: %1 runs").arg(n) : tr("Experiment stopped after %1 of %2 runs").arg(n).arg(m_runner->plan().total());
        if (!m_runner->failure().isEmpty())
            text += u": "_s + m_runner->failure();
        m_window->statusBar()->showMessage(text, 5000);
        Q_EMIT runningChanged(false);
    });
}

ExperimentActions::~ExperimentActions() = default;

void ExperimentActions::addToMenu(QMenu* menu)
{
    auto add = [&](const QString& name, const QString& text, const QKeySequence& key, auto slot) {
        QAction* a = menu->addAction(text);
        a->setObjectName(name);
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        m_window->addAction(a); // also while the menu bar is hidden (presentation)
        return a;
    };
    m_repeat = add(u"actionRepeat"_s, tr("&Repeat the Lesson…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                   [this] { showDialog(false); });
    m_repeat->setToolTip(tr("Run the lesson many times as it is set and see how the outcome varies"));
    m_sweep = add(u"actionSweep"_s, tr("S&weep a Setting…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W),
                  [this] { showDialog(true); });
    m_sweep->setToolTip(tr("Run the lesson at every value of one setting and chart the outcome against it"));
    m_results = add(u"actionExperimentResults"_s, tr("Show &Results"), QKeySequence(), [this] { showView(); });
    m_stop = add(u"actionStopExperiment"_s, tr("&Stop the Experiment"), QKeySequence(), [this] { stop(); });
    menu->addSeparator();
    m_ask = add(u"actionAskQuestion"_s, tr("&Ask a Question, Then Run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q),
                [this] { ask(); });
    m_ask->setToolTip(tr("Predict, then reveal: one of the lesson's questions, the class's guesses, then the run that answers it"));
    m_askFirst = menu->addAction(tr("Ask Before Running in &Presentation Mode"));
    m_askFirst->setObjectName(u"actionAskFirst"_s);
    m_askFirst->setCheckable(true);
    m_askFirst->setChecked(true);
    connect(m_window->currentRun(), &Run::started, this, &ExperimentActions::onRunStarted);
    connect(m_window->currentRun(), &Run::finished, this, &ExperimentActions::onRunFinished);
    update(true, false);
}

void ExperimentActions::update(bool haveLesson, bool running)
{
    const bool busy = m_runner->isRunning();
    if (m_repeat) {
        m_repeat->setEnabled(haveLesson && !running && !busy);
        m_sweep->setEnabled(haveLesson && !running && !busy);
        m_results->setEnabled(m_view != nullptr);
        m_stop->setEnabled(busy);
        m_ask->setEnabled(haveLesson && !running && !busy);
    }
}

bool ExperimentActions::asksBeforeRun(bool presentation) const
{
    return presentation && m_askFirst && m_askFirst->isChecked() && !m_armed && !m_runner->isRunning()
        && !questionsOf(m_window->currentScenario()).empty();
}

bool ExperimentActions::ask()
{
    const std::vector<Question> questions = questionsOf(m_window->currentScenario());
    if (questions.empty()) {
        m_window->statusBar()->showMessage(tr("This lesson has no questions"), 3000);
        return false;
    }
    PredictDialog dialog(questions, m_nextQuestion % int(questions.size()), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    return askWith(dialog.questionIndex(), dialog.hands(), dialog.guess());
}

bool ExperimentActions::askWith(int index, const std::vector<int>& hands, std::optional<double> guess)
{
    const std::vector<Question> questions = questionsOf(m_window->currentScenario());
    if (index < 0 || index >= int(questions.size()))
        return false;
    const Question& q = questions[std::size_t(index)];
    QString error;
    const auto values = questionValues(q, &error);
    if (!values) {
        QMessageBox::warning(m_window, tr("Cannot ask that question"), error);
        return false;
    }
    m_nextQuestion = index + 1;
    if (m_window->currentRun()->isRunning())
        m_window->stop();
    m_window->selectScenario(q.lesson, *values); // the question's settings, on screen as well
    m_window->setSpeed(q.speed);
    m_armed = Prediction{q, hands, guess};
    m_window->run();
    if (!m_window->currentRun()->isRunning()) { // it could not start
        m_armed.reset();
        return false;
    }
    return true;
}

void ExperimentActions::onRunStarted()
{
    m_reveal.clear();
    m_active = std::move(m_armed);
    m_armed.reset();
}

void ExperimentActions::onRunFinished()
{
    if (!m_active)
        return;
    const RunDescription d = m_window->currentRun()->description();
    const QJsonObject summary = answerSummary(d.outcome, d.wallMs, d.ended);
    const Prediction& p = *m_active;
    if (p.question.guessNumber()) {
        m_reveal = p.guess ? revealGuessText(p.question, *p.guess, summary)
                           : tr("Answer: %1.").arg(answerText(p.question, summary));
    } else {
        m_reveal = interleave::revealText(p.question, p.hands, summary);
    }
    m_active.reset();
}

ExperimentView* ExperimentActions::view() const
{
    return m_view;
}

bool ExperimentActions::isRunning() const
{
    return m_runner->isRunning();
}

void ExperimentActions::showDialog(bool sweep)
{
    const auto lesson = Lessons::find(m_window->currentScenario());
    if (!lesson)
        return;
    ExperimentDialog dialog(sweep ? ExperimentDialog::Kind::Sweep : ExperimentDialog::Kind::Repeat, *lesson,
                            m_window->picker()->parameterPanel()->values(), m_window->speed(), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (const auto plan = dialog.plan(&error))
        start(*plan);
    else
        QMessageBox::warning(m_window, tr("Cannot run the experiment"), error);
}

bool ExperimentActions::start(const ExperimentPlan& plan, bool quiet)
{
    if (m_window->currentRun()->isRunning())
        m_window->stop(); // the run on screen gives way to the experiment's
    QString error;
    if (!m_runner->start(plan, &error)) {
        if (!quiet)
            QMessageBox::warning(m_window, tr("Cannot run the experiment"), error);
        return false;
    }
    showView();
    m_view->refresh();
    Q_EMIT runningChanged(true);
    return true;
}

void ExperimentActions::stop()
{
    m_runner->stop();
}

void ExperimentActions::showView()
{
    if (!m_view) {
        m_view = new ExperimentView(m_runner, m_window);
        m_view->setWindowFlag(Qt::Window);
        m_view->setWindowTitle(tr("Experiment — Interleave"));
        m_view->resize(760, 680);
        connect(m_view, &ExperimentView::stopRequested, this, &ExperimentActions::stop);
        connect(m_view, &ExperimentView::openRunRequested, this, &ExperimentActions::showRun);
        if (m_results)
            m_results->setEnabled(true);
    }
    m_view->show();
    m_view->raise();
}

bool ExperimentActions::showRun(int index)
{
    const auto& runs = m_runner->runs();
    if (m_runner->isRunning()) {
        m_window->statusBar()->showMessage(tr("The experiment is still running: stop it, or wait, to look at one run"), 4000);
        return false;
    }
    if (index < 0 || std::size_t(index) >= runs.size() || !runs[std::size_t(index)].recording) {
        m_window->statusBar()->showMessage(tr("That run's recording was not kept: only its outcome is known"), 4000);
        return false;
    }
    const ExperimentRun& r = runs[std::size_t(index)];
    ImportedTrace trace;
    trace.contents = *r.recording; // a copy: the experiment keeps its own
    trace.run = r.description;
    trace.ownFormat = true;
    m_window->showRecording(std::move(trace), tr("run %1 of the experiment").arg(index + 1));
    m_window->raise();
    return true;
}

} // namespace interleave
