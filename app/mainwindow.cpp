// MainWindow: arranges the parts, runs the chosen lesson through its Run and keeps the banner,
// the wait-for graph and the status bar up to date a few times a second.
#include "mainwindow.h"

#include "chromeimport.h"
#include "experimentactions.h"

#include "explanations.h"
#include "helpmenu.h"
#include "runactions.h"
#include "runstatus.h"
#include "stepactions.h"
#include "legendbar.h"
#include "lessonpicker.h"
#include "lessonview.h"
#include "lessons.h"
#include "parameterpanel.h"
#include "replay.h"
#include "replaybar.h"
#include "run.h"
#include "rundetails.h"
#include "runview.h"
#include "machineload.h"
#include "pinnedrun.h"
#include "pythonactions.h"
#include "pythonprogram.h"
#include "consoleview.h"
#include "traceimport.h"
#include "scenario.h"
#include "sessionfile.h"
#include "timelineview.h"
#include "tracestore.h"
#include "waitgraphview.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QString GeometryKey = u"window/geometry"_s;
const QString StateKey = u"window/state"_s;
const QString SplitterKey = u"window/splitter"_s;
const QString SessionKey = u"lesson/session"_s;
const QString ThemeKey = u"view/theme"_s;
const QString PresentationKey = u"view/presentation"_s;
const QString PresentationPanelsKey = u"view/presentationPanels"_s;
const QString LastDirKey = u"files/lastDir"_s;

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_run(new Run(this))
    , m_liveTimer(new QTimer(this))
{
    setWindowTitle(u"Interleave"_s);
    setAcceptDrops(true); // .interleave sessions and traces dropped from a file manager
    m_run->setStopOnDeadlock(false); // keep the deadlocked threads on screen until Stop

    m_picker = new LessonPicker(this);
    m_view = new RunView(m_run->store(), this);
    m_details = new RunDetails(m_run->store(), this);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(u"mainSplitter"_s);
    // The run's column: a pinned run above the live one when there is one.
    auto* column = new QSplitter(Qt::Vertical, this);
    column->setObjectName(u"runColumn"_s);
    column->addWidget(m_view);
    column->setChildrenCollapsible(false);
    const std::pair<QWidget*, int> parts[] = {{m_picker, 0}, {column, 3}, {m_details, 1}}; // and stretch
    for (const auto& [part, stretch] : parts) {
        m_split->addWidget(part);
        m_split->setStretchFactor(m_split->count() - 1, stretch);
    }
    m_split->setSizes({390, 770, 340}); // the left wide enough for every lesson's settings
    m_split->setCollapsible(1, false);  // the run view never shrinks to nothing
    setCentralWidget(m_split);
    m_files = new FileActions(this);
    m_classroom = new ClassroomMode(this, m_split, m_picker, m_view, m_details);
    m_actions = new RunActions(this, m_view->timeline());
    m_replay = new Replay(m_run->store(), this);
    m_view->replayBar()->setReplay(m_replay);
    m_experiments = new ExperimentActions(this);
    m_pinned = new PinnedRun(this, column, m_view);
    m_steps = new StepActions(this, column, m_run);
    if (auto* bar = findChild<QToolBar*>())
        bar->addAction(m_steps->toggleAction());
    connect(m_steps, &StepActions::message, this, [this](const QString& text) { statusBar()->showMessage(text, 3000); });
    connect(m_view->timeline(), &TimelineView::laneClicked, this, [this](std::uint32_t lane) {
        if (m_steps->isOn() && m_run->isRunning() && m_run->stepMode())
            m_steps->step(lane); // the student clicked the thread to go next
    });
    m_python = new PythonActions(this);
    connect(m_python, &PythonActions::message, this, [this](const QString& text) { statusBar()->showMessage(text, 3000); });
    buildMenus();
    m_status = new RunStatus(statusBar(), m_run, m_view->timeline());

    connect(m_actions, &RunActions::runOrPause, this, &MainWindow::run);
    connect(m_actions, &RunActions::pauseToggled, this, &MainWindow::togglePause);
    connect(m_actions, &RunActions::stopRequested, this, &MainWindow::stop);
    connect(m_actions, &RunActions::resetRequested, this, &MainWindow::reset);
    connect(m_actions, &RunActions::message, this, [this](const QString& text) { statusBar()->showMessage(text, 2000); });
    connect(m_actions, &RunActions::speedChanged, this, [this](double speed) {
        if (m_run->isRunning())
            m_run->setSpeed(speed); // the run goes on at the new speed
        else
            refreshOutcome(); // the outcome on screen may now belong to another speed
    });

    connect(m_picker, &LessonPicker::lessonPicked, this, [this](const QString& id) { selectScenario(id); });
    connect(m_picker->parameterPanel(), &ParameterPanel::valueChanged, this, &MainWindow::onSettingChanged);
    connect(m_run, &Run::finished, this, &MainWindow::onRunFinished);
    connect(m_run, &Run::deadlockDetected, this, &MainWindow::onDeadlock);
    connect(m_run, &Run::pausedChanged, this, &MainWindow::updateActions);
    connect(m_view->replayBar(), &ReplayBar::replayRequested, this, &MainWindow::toggleReplay);
    connect(m_view->replayBar(), &ReplayBar::leaveRequested, this, &MainWindow::toggleReplay);
    connect(m_view->replayBar(), &ReplayBar::stepRequested, this, [this] {
        const int lane = std::max(0, m_view->timeline()->selectedLane());
        if (!m_replay->stepLane(std::size_t(lane)))
            statusBar()->showMessage(tr("No later event on that lane"), 2000);
    });
    connect(m_replay, &Replay::playheadChanged, this, &MainWindow::onReplayMoved);
    connect(m_replay, &Replay::activeChanged, this, [this](bool active) {
        if (!active) {
            m_view->timeline()->setPlayhead(-1);
            m_details->lessonView()->setOutcomeNote({});
            if (!runOnScreen() && !m_run->isEmpty())
                m_view->setBanner(m_bannerBeforeReplay);
            refreshOutcome();
            refreshGraph();
        }
        updateActions();
    });
    m_liveTimer->setInterval(200);
    connect(m_liveTimer, &QTimer::timeout, this, [this] {
        refreshOutcome();
        m_status->refresh(runOnScreen());
        refreshGraph();
    });
    m_liveTimer->start();

    resize(1500, 900);
    selectScenario(ScenarioRegistry::instance().startingId());
    loadSettings();
    updateActions();
}

MainWindow::~MainWindow()
{
    m_run->stop();
    saveSettings();
}

std::unique_ptr<QSettings> MainWindow::settings()
{
    return std::make_unique<QSettings>(u"Interleave"_s, u"Interleave"_s);
}

void MainWindow::buildMenus()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    m_files->addToMenu(fileMenu);
    m_python->addToFileMenu(fileMenu);
    QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
    m_actions->addRunMenu(runMenu);
    runMenu->addSeparator();
    m_steps->addToMenu(runMenu);
    m_python->addToRunMenu(runMenu);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_actions->addViewMenu(view);
    view->addSeparator();
    m_classroom->addToMenu(view);
    addReplayMenu(menuBar()->addMenu(tr("Re&play")));
    QMenu* experiment = menuBar()->addMenu(tr("E&xperiment"));
    m_experiments->addToMenu(experiment);
    experiment->addSeparator();
    addPinActions(experiment);
    connect(m_experiments, &ExperimentActions::runningChanged, this, &MainWindow::updateActions);
    m_help = new HelpMenu(this);
}

void MainWindow::addReplayMenu(QMenu* menu)
{
    // Keys of their own: Space, F5 and the arrows keep their meaning for a live run.
    auto add = [&](const QString& name, const QString& text, const QKeySequence& key, auto slot) {
        QAction* a = menu->addAction(text);
        a->setObjectName(name);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        addAction(a); // also while the menu bar is hidden (presentation)
        return a;
    };
    add(u"actionReplay"_s, tr("&Replay the Run / Back to the End"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        [this] { toggleReplay(); });
    add(u"actionReplayPlay"_s, tr("&Play / Pause Replay"), QKeySequence(Qt::Key_K), [this] {
        if (!m_replay->isActive())
            toggleReplay();
        else if (m_replay->isPlaying())
            m_replay->pause();
        else
            m_replay->play();
    });
    add(u"actionReplaySlower"_s, tr("Replay &Slower"), QKeySequence(Qt::Key_J),
        [this] { m_replay->setSpeed(m_replay->speed() / 2); });
    add(u"actionReplayFaster"_s, tr("Replay &Faster"), QKeySequence(Qt::Key_L),
        [this] { m_replay->setSpeed(m_replay->speed() * 2); });
    add(u"actionReplayStep"_s, tr("&Next Event of the Selected Lane"), QKeySequence(Qt::Key_Period), [this] {
        if (m_replay->isActive())
            m_replay->stepLane(std::size_t(std::max(0, m_view->timeline()->selectedLane())));
    });
}

void MainWindow::addPinActions(QMenu* menu)
{
    QAction* pin = menu->addAction(tr("&Pin This Run for Comparison"));
    pin->setObjectName(u"actionPin"_s);
    pin->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    pin->setToolTip(tr("Keep this run on screen above the next one, on the same time axis, and compare them"));
    connect(pin, &QAction::triggered, this, [this] {
        QString error;
        if (!m_pinned->pinCurrent(&error)) {
            statusBar()->showMessage(error, 4000);
            return;
        }
        m_pinned->setPresentation(m_classroom->presentation());
        statusBar()->showMessage(tr("Pinned. Change a setting and run again: the two are compared"), 4000);
        refreshOutcome();
    });
    addAction(pin);
    QAction* file = menu->addAction(tr("Pin a &Trace…"));
    file->setObjectName(u"actionPinTrace"_s);
    file->setToolTip(tr("Compare with a run recorded earlier (a trace Interleave wrote)"));
    connect(file, &QAction::triggered, this, &MainWindow::pinTraceInteractively);
    QAction* unpin = menu->addAction(tr("&Unpin"));
    unpin->setObjectName(u"actionUnpin"_s);
    connect(unpin, &QAction::triggered, this, [this] {
        m_pinned->unpin();
        refreshOutcome();
    });
    unpin->setEnabled(false);
    connect(m_pinned, &PinnedRun::pinnedChanged, unpin, &QAction::setEnabled);
}

void MainWindow::pinTraceInteractively()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Pin a Trace"), m_files->lastDir(),
                                                      tr("Interleave traces (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    std::optional<ImportedTrace> trace = importWithProgress(this, path, &error);
    if (!trace) {
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Cannot pin %1").arg(QFileInfo(path).fileName()), error);
        return;
    }
    if (!m_pinned->pin(std::move(*trace), &error)) {
        QMessageBox::warning(this, tr("Cannot pin %1").arg(QFileInfo(path).fileName()), error);
        return;
    }
    m_pinned->setPresentation(m_classroom->presentation());
    refreshOutcome();
}

bool MainWindow::canReplay() const
{
    return !m_run->isEmpty() && !m_run->isRunning() && m_run->store()->endTime() > 0;
}

void MainWindow::toggleReplay()
{
    if (m_replay->isActive()) {
        m_replay->end();
        return;
    }
    if (!canReplay()) {
        statusBar()->showMessage(m_run->isRunning() ? tr("Stop the run first: a replay plays a finished run")
                                                    : tr("Nothing to replay yet: run a lesson or open a trace"),
                                 3000);
        return;
    }
    TimelineView* timeline = m_view->timeline();
    timeline->zoomToFit(); // the whole run stays in view while it fills in again
    m_bannerBeforeReplay = m_view->bannerText();
    if (!m_replay->begin())
        return;
    m_replay->seek(0);
    m_replay->play();
}

void MainWindow::onReplayMoved()
{
    if (!m_replay->isActive())
        return;
    m_view->timeline()->setPlayhead(m_replay->playhead());
    const QString sentence = replaySentence(m_replay->figures(), m_replay->wholeFigures(), m_replay->playhead(),
                                            m_replay->length());
    m_view->setBanner(sentence);
    m_details->lessonView()->setOutcomeNote(sentence + tr(". The outcome above is the whole run's."));
    m_view->setAlarm(m_replay->figures().deadlockAt >= 0);
    m_details->waitGraph()->setGraph(waitSnapshotAt(*m_run->store(), m_replay->playhead()));
}

// --- the lesson and its run ---------------------------------------------------------------------

bool MainWindow::selectScenario(const QString& id, const std::vector<double>& values)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(id);
    if (!entry)
        return false;
    if (m_experiments->isRunning())
        m_experiments->stop(); // another lesson, or an opened file, ends the experiment first
    m_run->clear(); // another lesson's run, or this one's with other settings: not shown
    m_experiments->clearReveal();
    m_scenario = id;
    std::vector<double> v = values.empty() ? entry->info.schema.defaults() : values;
    v.resize(std::size_t(entry->info.schema.size()));
    m_picker->parameterPanel()->setSchema(entry->info.schema, v);
    m_picker->parameterPanel()->setEnabled(true);
    m_picker->setCurrent(id);
    m_details->lessonView()->setLesson(id, m_picker->parameterPanel()->values());
    fitSettingsPane();
    m_actions->setShowGilLane(entry->info.usesGil);
    m_view->timeline()->setWidestLaneName(entry->info.widestLaneName);
    m_details->waitGraph()->clear();
    m_view->legend()->show();
    m_view->setBanner(tr("%1 — press Run (Space)").arg(entry->info.title));
    m_view->setAlarm(false);
    setWindowTitle(tr("%1 — Interleave").arg(entry->info.title));
    updateActions();
    return true;
}

void MainWindow::showRecording(ImportedTrace&& imported, const QString& fileName)
{
    const RunDescription run = imported.run;
    const ImportReport report = imported.report;
    // A trace Interleave wrote brings its lesson and settings back; others stand alone.
    std::optional<Session> lesson;
    if (imported.ownFormat) {
        const QJsonObject asSession{
            {u"schema"_s, u"interleave.session/1"_s}, {u"scenario"_s, run.scenario}, {u"params"_s, run.params}};
        lesson = parseSession(QJsonDocument(asSession).toJson(), nullptr);
    }
    if (m_experiments->isRunning())
        m_experiments->stop(); // its runs go through this Run: the trace takes it over
    m_run->clear(); // the run ends first: its last outcome must not land on the trace's page
    if (lesson) {
        selectScenario(lesson->scenario, lesson->values);
    } else { // no lesson goes with it: nothing to run or set until one is picked from the list
        m_scenario.clear();
        m_picker->setCurrent(QString());
        m_picker->parameterPanel()->setEnabled(false);
        m_details->lessonView()->setLesson(QString());
        m_details->waitGraph()->clear();
        // A traced Python program Interleave wrote (--python) has thread states and its GIL;
        // another tool's trace has slices coloured by name, not states.
        m_actions->setShowGilLane(imported.ownFormat);
        m_view->setAlarm(false);
        m_view->legend()->setVisible(imported.ownFormat);
        if (imported.ownFormat)
            m_view->timeline()->setWidestLaneName(u"ThreadPoolExecutor-0_3"_s);
    }
    const bool ownProgram = !lesson && imported.ownFormat;
    m_run->adopt(std::move(imported));
    m_view->timeline()->setFollowLive(false);
    m_view->timeline()->zoomToFit();
    QString text;
    if (lesson) {
        text = outcomeText(lesson->scenario, run.outcome, run.ended)
            + tr("\nA recorded run, opened from %1 (%2 ms). Run starts it again, live.").arg(fileName).arg(run.wallMs);
        m_details->lessonView()->setOutcome(lesson->scenario, run.outcome, run.ended);
    } else if (ownProgram) {
        text = outcomeText(run.scenario, run.outcome, run.ended)
            + tr("\nA recorded run of a Python program, opened from %1 (%2 ms).").arg(fileName).arg(run.wallMs);
    } else {
        text = tr("%1: %2 lanes, %3 of %4 events shown")
                   .arg(fileName)
                   .arg(m_run->store()->laneCount())
                   .arg(report.kept)
                   .arg(report.events);
        if (!report.skipped.empty() || !report.warnings.isEmpty())
            text += tr(" (hover for what was skipped)");
        text += tr("\nA trace from another tool: named slices as it recorded them, no thread states.");
    }
    m_view->setBanner(text, report.text().toHtmlEscaped().replace(u"\n"_s, u"<br>"_s));
    setWindowTitle(tr("%1 — Interleave").arg(fileName));
    updateActions();
}

bool MainWindow::runOnScreen() const
{
    return !m_run->isEmpty() && !m_run->isRecording();
}

RunDescription MainWindow::runDescription() const
{
    if (!m_run->isEmpty()) // only the run on screen: a lesson picked since has cleared it
        return m_run->description();
    RunDescription run;
    run.scenario = m_scenario;
    if (const ScenarioEntry* entry = ScenarioRegistry::instance().find(m_scenario))
        run.params = entry->info.schema.valuesJson(m_picker->parameterPanel()->values());
    return run;
}

void MainWindow::onSettingChanged(const QString& key, double value)
{
    m_details->lessonView()->setValue(key, value); // the Python tab's constant follows
    if (!m_run->isRunning()) {
        refreshOutcome(); // the outcome on screen may now belong to earlier settings
        return;
    }
    const ScenarioInfo* info = m_run->lesson();
    const int index = info ? info->schema.indexOf(key) : -1;
    if (index >= 0 && !info->schema.at(index).live) {
        // It shapes the program (thread count, queue, executor): run it again with the change.
        reset();
        statusBar()->showMessage(tr("%1 changed: the run started again with it").arg(key), 4000);
        return;
    }
    m_run->setParam(key, value); // the run goes on with the new value
}

void MainWindow::fitSettingsPane()
{
    // A lesson's settings must show whole; before the window is shown the splitter has no sizes.
    if (isVisible())
        m_picker->widenIn(m_split, false);
}

void MainWindow::setSpeed(double speed)
{
    m_actions->setSpeed(speed);
}

double MainWindow::speed() const
{
    return m_actions->speed();
}

void MainWindow::run()
{
    if (m_experiments->isRunning()) { // its runs follow each other; Stop ends it
        statusBar()->showMessage(tr("An experiment is running: Stop (Esc) ends it"), 3000);
        return;
    }
    // Space and the Run button share this: start; or, while running, pause or resume.
    if (m_run->isRunning()) {
        if (m_run->isPaused() || !m_run->isDeadlocked())
            m_run->setPaused(!m_run->isPaused()); // Space toggles
        updateActions();
        return;
    }
    // Predict, then reveal: in class, a lesson's question comes before its run (the question's
    // own run starts from there).
    if (!m_steps->isOn() && m_experiments->asksBeforeRun(m_classroom->presentation())) { // a stepped run asks nothing
        m_experiments->ask();
        return;
    }
    QString error;
    m_steps->prepareStart(m_scenario);
    if (!m_run->start(m_scenario, m_picker->parameterPanel()->values(), speed(), &error)) {
        QMessageBox::warning(this, tr("Cannot start"), error);
        return;
    }
    m_steps->started(m_scenario, m_picker->parameterPanel()->values());
    m_view->setBanner(m_view->bannerText()); // the same words, without an opened trace's tooltip
    m_view->setAlarm(false);
    m_view->legend()->show();
    m_view->timeline()->setFollowLive(true);
    m_details->setCurrentWidget(m_details->lessonView());
    updateActions();
}

bool MainWindow::runPython(const PythonProgramSpec& spec, QString* error, bool lessonsTwin)
{
    if (m_experiments->isRunning()) {
        *error = tr("An experiment is running: Stop (Esc) ends it first");
        return false;
    }
    if (!checkPythonProgram(spec, error))
        return false;
    if (m_replay->isActive())
        toggleReplay(); // back to the end before a new run
    if (!m_run->startProgram(PythonProgram::entry(spec), u"MainThread"_s, error))
        return false;
    // The lesson on the left stays (Run runs it); a program that is not its twin is named above.
    // (Leaving no lesson picked does not hold: the list picks its first when it is shown.)
    const QString title = PythonProgram::entry(spec).info.title;
    if (!lessonsTwin)
        setWindowTitle(tr("%1 — Interleave").arg(title));
    m_actions->setShowGilLane(true); // the program's GIL, decided from the kernel's view
    m_view->timeline()->setWidestLaneName(u"ThreadPoolExecutor-0_3"_s);
    m_view->setBanner(tr("%1: running under python3").arg(title));
    m_view->setAlarm(false);
    m_view->legend()->show();
    m_view->timeline()->setFollowLive(true);
    m_details->setCurrentWidget(m_details->console()); // the program's own output
    updateActions();
    return true;
}

void MainWindow::togglePause()
{
    if (m_run->isRunning() && !m_run->isDeadlocked())
        m_run->setPaused(!m_run->isPaused());
    updateActions();
}

void MainWindow::stop()
{
    if (m_experiments->isRunning())
        m_experiments->stop();
    m_run->stop();
    updateActions();
}

void MainWindow::reset()
{
    if (m_experiments->isRunning())
        return run(); // says why not
    m_run->clear();
    run();
}

void MainWindow::onRunFinished(const QString& ended)
{
    if (m_view->timeline()->followLive())
        m_view->timeline()->zoomToFit(); // the whole run, now that it is over
    refreshOutcome();
    m_status->refresh(runOnScreen());
    if (ended == "failed"_L1)
        QMessageBox::warning(this, tr("The run failed"), m_run->failure());
    updateActions();
}

void MainWindow::onDeadlock()
{
    refreshGraph();
    refreshOutcome();
    m_view->setAlarm(true);
    m_details->setCurrentWidget(m_details->waitGraph());
    updateActions();
}

void MainWindow::refreshOutcome()
{
    if (!runOnScreen() || m_replay->isActive())
        return;
    const RunDescription run = m_run->description();
    const QString ended = m_run->isRunning() ? (m_run->isDeadlocked() ? u"deadlock"_s : QString()) : run.ended;
    QString text = outcomeText(run.scenario, run.outcome, ended);
    if (m_run->isDeadlocked() && m_run->isRunning())
        text += tr("\nEvery thread in the cycle waits for a lock another one holds: none can go on. Press Stop.");
    // A timing read while other programs took cores is not the lesson's truth: say so.
    if (const auto machine = MachineLoad::fromJson(run.machine); machine && machine->busy() && !m_run->isRunning()) {
        QString sentence = machine->sentence();
        sentence[0] = sentence[0].toUpper();
        text += u"\n"_s + sentence + tr(", so its threads had less of the machine than the lesson assumes.");
    }
    if (const QString reveal = m_experiments->revealText(); !reveal.isEmpty() && !m_run->isRunning())
        text += u"\n"_s + reveal;
    if (m_pinned->isPinned() && !m_run->isRunning())
        text += u"\n"_s + m_pinned->comparisonWith(run);
    const QString stale = m_run->isRunning() ? QString() : staleNote();
    if (!stale.isEmpty())
        text += u"\n"_s + stale;
    m_view->setBanner(text);
    m_details->lessonView()->setOutcome(run.scenario, run.outcome, ended);
    m_details->lessonView()->setOutcomeNote(stale);
}

QString MainWindow::staleNote() const
{
    // Settings moved since the run ended: say which, so nobody reads the old outcome as theirs.
    const ScenarioInfo* info = m_run->lesson();
    const std::vector<double> was = m_run->values();
    const std::vector<double> now = m_picker->parameterPanel()->values();
    if (!info || info->schema.size() == 0 || (now == was && speed() == m_run->speed()))
        return {}; // (a program with no settings, a Python program's, has none to be stale)
    QStringList changed;
    for (int i = 0; i < info->schema.size() && std::size_t(i) < std::min(now.size(), was.size()); ++i) {
        if (now[std::size_t(i)] == was[std::size_t(i)])
            continue;
        const ParamSpec& spec = info->schema.at(i);
        changed << u"%1 was %2"_s.arg(spec.key, spec.valueText(was[std::size_t(i)]));
    }
    if (speed() != m_run->speed())
        changed << u"speed was %1x"_s.arg(m_run->speed());
    return tr("These results are from the earlier settings (%1). Press Run to see the new ones.")
        .arg(changed.join(u", "_s));
}

QString MainWindow::bannerText() const
{
    return m_view->bannerText();
}

SlideText MainWindow::slideText() const
{
    SlideText s;
    const RunDescription run = runDescription();
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(run.scenario);
    if (!entry) {
        s.title = windowTitle();
        s.outcome = m_view->bannerText().section(u'\n', 0, 0);
        return s;
    }
    s.title = entry->info.title;
    QStringList settings;
    for (int i = 0; i < entry->info.schema.size(); ++i) {
        const ParamSpec& spec = entry->info.schema.at(i);
        const QJsonValue v = run.params.value(spec.key);
        if (v.isUndefined())
            continue;
        QString value = spec.valueText(v.isBool() ? (v.toBool() ? 1.0 : 0.0)
                                       : v.isString() ? double(spec.choices.indexOf(v.toString()))
                                                      : v.toDouble());
        if (!spec.unit.isEmpty() && spec.unit != spec.key) // "threads 4", not "threads 4 threads"
            value += u' ' + spec.unit;
        settings << spec.key + u' ' + value;
    }
    s.settings = settings.join(u", "_s);
    s.outcome = m_view->bannerText().section(u'\n', 0, 0); // what the class sees: the run, or the replay's moment
    s.alarm = !m_replay->isActive() && entry->info.alarming && entry->info.alarming(run.outcome);
    return s;
}

QString MainWindow::statusText() const
{
    return m_status->stateText(runOnScreen());
}

void MainWindow::refreshGraph()
{
    if (runOnScreen() && !m_replay->isActive())
        m_details->waitGraph()->setGraph(m_run->waitSnapshot());
}

void MainWindow::updateActions()
{
    m_actions->update(!m_scenario.isEmpty(), m_run->isRunning(), m_run->isRunning() && m_run->isPaused(),
                      m_run->isDeadlocked());
    m_view->replayBar()->setAvailable(canReplay() && !m_experiments->isRunning());
    m_status->refresh(runOnScreen());
    // While an experiment runs, its plan holds the lesson and settings.
    const bool experimenting = m_experiments->isRunning();
    m_picker->setEnabled(!experimenting);
    m_experiments->update(!m_scenario.isEmpty(), m_run->isRunning());
}

// --- the session and the settings ---------------------------------------------------------------

void MainWindow::applySession(const Session& s)
{
    selectScenario(s.scenario, s.values);
    setSpeed(s.speed);
    TimelineView* timeline = m_view->timeline();
    m_actions->setShowGilLane(s.showGilLane);
    if (s.hasVisibleRange()) {
        TimeMapping m = timeline->mapping();
        m.t0 = s.visibleStartNs;
        m.nsPerPixel = std::clamp(double(s.visibleEndNs - s.visibleStartNs) / std::max(1.0, m.width),
                                  TimeMapping::MinNsPerPixel, TimeMapping::MaxNsPerPixel);
        timeline->setFollowLive(false); // the range as saved; following may move it below
        timeline->setMapping(m);
    }
    timeline->setFollowLive(s.followLive);
}

Session MainWindow::currentSession() const
{
    const TimelineView* timeline = m_view->timeline();
    Session s;
    s.scenario = m_scenario;
    s.values = m_picker->parameterPanel()->values();
    s.speed = speed();
    s.followLive = timeline->followLive();
    s.visibleStartNs = timeline->mapping().t0;
    s.visibleEndNs = timeline->mapping().t1();
    s.showGilLane = timeline->showsGilLane();
    return s;
}

void MainWindow::loadSettings()
{
    const auto s = settings();
    m_files->setLastDir(s->value(LastDirKey).toString());
    m_classroom->setTheme(ClassroomMode::themeFromName(s->value(ThemeKey).toString()));
    // The last lesson and its settings, read like a session file: one a newer or older version
    // wrote that no longer fits is dropped, and the window starts with the defaults.
    if (auto last = parseSession(s->value(SessionKey).toString().toUtf8(), nullptr)) {
        last->followLive = true; // the view of a run that is gone means nothing now
        last->visibleStartNs = last->visibleEndNs = 0;
        applySession(*last);
    }
    restoreGeometry(s->value(GeometryKey).toByteArray());
    restoreState(s->value(StateKey).toByteArray());
    m_split->restoreState(s->value(SplitterKey).toByteArray());
    m_classroom->setPresentationPanels(RunDetails::panelsFromKeys(s->value(PresentationPanelsKey).toStringList()));
    m_classroom->setPresentation(s->value(PresentationKey, false).toBool());
}

void MainWindow::saveSettings() const
{
    const auto s = settings();
    s->setValue(GeometryKey, saveGeometry());
    s->setValue(StateKey, saveState());
    s->setValue(SplitterKey, m_classroom->splitterState());
    s->setValue(SessionKey, QString::fromUtf8(QJsonDocument(toJson(currentSession())).toJson(QJsonDocument::Compact)));
    s->setValue(ThemeKey, ClassroomMode::themeName(m_classroom->theme()));
    s->setValue(PresentationKey, m_classroom->presentation());
    s->setValue(PresentationPanelsKey, RunDetails::panelKeys(m_classroom->presentationPanels()));
    s->setValue(LastDirKey, m_files->lastDir());
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    m_run->stop();
    saveSettings();
    e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e)
{
    if (!FileActions::droppableFile(e->mimeData()).isEmpty())
        e->acceptProposedAction();
    else
        e->ignore();
}

void MainWindow::dropEvent(QDropEvent* e)
{
    const QString path = FileActions::droppableFile(e->mimeData());
    if (path.isEmpty()) {
        e->ignore();
        return;
    }
    e->acceptProposedAction();
    m_files->openFileInteractively(path);
}

} // namespace interleave
