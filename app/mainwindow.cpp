// MainWindow: wires the Runner, the Collector and the views; one drain per frame feeds them all.
#include "mainwindow.h"

#include "chartspanel.h"
#include "collector.h"
#include "consoleview.h"
#include "legendbar.h"
#include "lessonview.h"
#include "outcometext.h"
#include "parameterpanel.h"
#include "runner.h"
#include "sessionfile.h"
#include "statsmodels.h"
#include "timelineview.h"
#include "tracesession.h"
#include "tracestore.h"
#include "waitgraphview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // lane order until the user picks a column
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return view;
}

QElapsedTimer& uptime()
{
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return t;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_runner(new Runner(this))
    , m_store(new TraceStore(this))
    , m_collector(new Collector(m_store, this))
    , m_liveTimer(new QTimer(this))
{
    setWindowTitle(u"Interleave"_s);
    setAcceptDrops(true); // .interleave sessions and traces dropped from a file manager
    m_runner->setStopOnDeadlock(false); // keep the deadlocked threads on screen until Stop
    buildActions();
    buildLayout();
    buildMenus();

    connect(m_runner, &Runner::finished, this, &MainWindow::onRunFinished);
    connect(m_runner, &Runner::deadlockDetected, this, &MainWindow::onDeadlock);
    connect(m_runner, &Runner::pausedChanged, this, &MainWindow::updateActions);
    connect(m_params, &ParameterPanel::valueChanged, this, [this](const QString& key, double value) {
        if (!m_runner->isRunning()) {
            refreshOutcome(); // the outcome on screen may now belong to earlier settings
            return;
        }
        const ScenarioInfo* info = m_runner->scenarioInfo();
        const int index = info ? info->schema.indexOf(key) : -1;
        if (index >= 0 && !info->schema.at(index).live) {
            // It shapes the program (thread count, queue, executor): run it again with the change.
            reset();
            statusBar()->showMessage(u"%1 changed: the run started again with it"_s.arg(key), 4000);
            return;
        }
        m_runner->setParam(key, value);
        m_runValues = m_params->values(); // the run goes on with the new value
    });
    m_liveTimer->setInterval(200);
    connect(m_liveTimer, &QTimer::timeout, this, [this] {
        refreshOutcome();
        refreshStatus();
        refreshGraph();
    });
    m_liveTimer->start();

    selectScenario(u"race"_s);
    loadSettings();
    updateActions();
    uptime();
}

MainWindow::~MainWindow()
{
    m_runner->stop();
    saveSettings();
}

void MainWindow::buildActions()
{
    auto* bar = addToolBar(u"Run"_s);
    bar->setObjectName(u"runToolBar"_s);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);

    m_runAction = bar->addAction(style()->standardIcon(QStyle::SP_MediaPlay), u"Run"_s, this, &MainWindow::run);
    m_runAction->setObjectName(u"actionRun"_s);
    m_runAction->setShortcut(Qt::Key_F5);
    m_runAction->setToolTip(u"Run the lesson, or resume it (F5; Space runs or pauses)"_s);
    // Run is disabled while running, so Space, which also pauses, needs an action of its own.
    m_runOrPauseAction = new QAction(u"Run or pause"_s, this);
    m_runOrPauseAction->setObjectName(u"actionRunOrPause"_s);
    m_runOrPauseAction->setShortcut(Qt::Key_Space);
    connect(m_runOrPauseAction, &QAction::triggered, this, &MainWindow::run);
    addAction(m_runOrPauseAction);
    m_pauseAction = bar->addAction(style()->standardIcon(QStyle::SP_MediaPause), u"Pause"_s, this,
                                   &MainWindow::togglePause);
    m_pauseAction->setObjectName(u"actionPause"_s);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(Qt::Key_P);
    m_pauseAction->setToolTip(u"Hold every thread at its next step (P; Space toggles too)"_s);
    m_stopAction = bar->addAction(style()->standardIcon(QStyle::SP_MediaStop), u"Stop"_s, this, &MainWindow::stop);
    m_stopAction->setObjectName(u"actionStop"_s);
    m_stopAction->setShortcut(Qt::Key_Escape);
    m_stopAction->setToolTip(u"Stop every thread now (Esc)"_s);
    m_resetAction = bar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), u"Reset"_s, this,
                                   &MainWindow::reset);
    m_resetAction->setObjectName(u"actionReset"_s);
    m_resetAction->setShortcut(u"Ctrl+R"_s);
    m_resetAction->setToolTip(u"Clear the timeline and run again with these settings (Ctrl+R)"_s);
    bar->addSeparator();

    bar->addWidget(new QLabel(u" Speed "_s, bar));
    m_speed = new QComboBox(bar);
    m_speed->setObjectName(u"speed"_s);
    for (const double s : {0.1, 0.25, 0.5, 1.0, 2.0, 4.0})
        m_speed->addItem(u"%1x"_s.arg(s), s);
    m_speed->setCurrentIndex(3);
    m_speed->setToolTip(u"Time scale of the lesson: 0.5x is half as fast, easier to follow ([ slower, ] faster)"_s);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        m_runner->setSpeed(m_speed->currentData().toDouble());
        if (m_runner->isRunning())
            m_runSpeed = m_speed->currentData().toDouble(); // the run goes on at the new speed
        else
            refreshOutcome(); // the outcome on screen may now belong to another speed
    });
    bar->addWidget(m_speed);
    bar->addSeparator();

    m_followAction = bar->addAction(u"Follow live"_s);
    m_followAction->setObjectName(u"actionFollowLive"_s);
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setShortcut(Qt::Key_F);
    m_followAction->setToolTip(u"Keep the newest moment in view (F)"_s);
    m_fitAction = bar->addAction(style()->standardIcon(QStyle::SP_TitleBarMaxButton), u"Zoom to fit"_s);
    m_fitAction->setObjectName(u"actionZoomToFit"_s);
    m_fitAction->setShortcut(u"Ctrl+0"_s);
    m_fitAction->setToolTip(u"Show the whole run (Ctrl+0)"_s);
    m_zoomInAction = new QAction(u"Zoom in"_s, this);
    m_zoomInAction->setObjectName(u"actionZoomIn"_s);
    // Ctrl++ needs Shift on most layouts: Ctrl+= is the same key without it.
    m_zoomInAction->setShortcuts({QKeySequence(QKeySequence::ZoomIn), QKeySequence(u"Ctrl+="_s)});
    m_zoomOutAction = new QAction(u"Zoom out"_s, this);
    m_zoomOutAction->setObjectName(u"actionZoomOut"_s);
    m_zoomOutAction->setShortcut(QKeySequence::ZoomOut);
    addAction(m_zoomInAction);
    addAction(m_zoomOutAction);
}

void MainWindow::buildLayout()
{
    // Left: lessons and their sliders.
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    auto* lessonsTitle = new QLabel(u"<b>Lessons</b>"_s, left);
    m_lessons = new QListWidget(left);
    m_lessons->setObjectName(u"lessons"_s);
    m_lessons->setWordWrap(true);
    for (const ScenarioEntry& e : ScenarioRegistry::instance().all()) {
        auto* item = new QListWidgetItem(e.info.title + u'\n' + e.info.summary, m_lessons);
        item->setData(Qt::UserRole, e.info.id);
        item->setToolTip(e.info.summary);
        item->setSizeHint(QSize(0, 2 * m_lessons->fontMetrics().height() + 16));
    }
    connect(m_lessons, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            selectScenario(m_lessons->item(row)->data(Qt::UserRole).toString());
    });
    m_params = new ParameterPanel(left);
    auto* paramsScroll = new QScrollArea(left);
    paramsScroll->setWidget(m_params);
    paramsScroll->setWidgetResizable(true);
    paramsScroll->setFrameShape(QFrame::NoFrame);
    leftLayout->addWidget(lessonsTitle);
    leftLayout->addWidget(m_lessons, 4);
    leftLayout->addWidget(new QLabel(u"<b>Settings</b> (change them while it runs)"_s, left));
    leftLayout->addWidget(paramsScroll, 5);

    // Middle: outcome banner, timeline, legend, charts.
    auto* middle = new QSplitter(Qt::Vertical, this);
    auto* timelineBox = new QWidget(middle);
    auto* timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    m_banner = new QLabel(timelineBox);
    m_banner->setObjectName(u"outcome"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bannerFont = m_banner->font();
    bannerFont.setPointSizeF(bannerFont.pointSizeF() * 1.35);
    bannerFont.setBold(true);
    m_banner->setFont(bannerFont);
    m_banner->setContentsMargins(10, 6, 10, 6);
    m_timeline = new TimelineView(timelineBox);
    m_timeline->setStore(m_store);
    m_timeline->setLaneHeight(NormalLaneHeight);
    timelineLayout->addWidget(m_banner);
    timelineLayout->addWidget(m_timeline, 1);
    m_legend = new LegendBar(timelineBox);
    timelineLayout->addWidget(m_legend);
    m_charts = new ChartsPanel(middle);
    m_charts->setStore(m_store);
    middle->addWidget(timelineBox);
    middle->addWidget(m_charts);
    middle->setStretchFactor(0, 3);
    middle->setStretchFactor(1, 2);
    middle->setSizes({520, 300});

    connect(m_timeline, &TimelineView::viewChanged, m_charts, &ChartsPanel::setTimeRange);
    connect(m_followAction, &QAction::toggled, m_timeline, &TimelineView::setFollowLive);
    connect(m_timeline, &TimelineView::followLiveChanged, m_followAction, &QAction::setChecked);
    connect(m_fitAction, &QAction::triggered, m_timeline, &TimelineView::zoomToFit);
    connect(m_zoomInAction, &QAction::triggered, m_timeline, &TimelineView::zoomIn);
    connect(m_zoomOutAction, &QAction::triggered, m_timeline, &TimelineView::zoomOut);

    // Right: the lesson and everything measured.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"sideTabs"_s);
    m_lesson = new LessonView(m_tabs);
    m_tabs->addTab(m_lesson, u"Lesson"_s);
    m_threadStats = new ThreadStatsModel(m_store, this);
    m_lockStats = new LockStatsModel(m_store, this);
    m_queueStats = new QueueStatsModel(m_store, this);
    auto* stats = new QSplitter(Qt::Vertical, m_tabs);
    stats->setObjectName(u"statistics"_s);
    stats->addWidget(makeTable(m_threadStats, stats));
    stats->addWidget(makeTable(m_lockStats, stats));
    stats->addWidget(makeTable(m_queueStats, stats));
    m_tabs->addTab(stats, u"Statistics"_s);
    m_graph = new WaitGraphView(m_tabs);
    m_tabs->addTab(m_graph, u"Wait-for graph"_s);
    m_console = new ConsoleView(m_tabs);
    m_console->setStore(m_store);
    m_tabs->addTab(m_console, u"Console"_s);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setObjectName(u"mainSplitter"_s);
    m_split->addWidget(left);
    m_split->addWidget(middle);
    m_split->addWidget(m_tabs);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 3);
    m_split->setStretchFactor(2, 1);
    m_split->setSizes({390, 770, 340}); // the left wide enough for every lesson's settings
    setCentralWidget(m_split);

    m_statusState = new QLabel(this);
    m_statusEvents = new QLabel(this);
    m_statusDropped = new QLabel(this);
    m_statusFrame = new QLabel(this);
    m_statusThreads = new QLabel(this);
    statusBar()->addWidget(m_statusState, 1);
    statusBar()->addPermanentWidget(m_statusThreads);
    statusBar()->addPermanentWidget(m_statusEvents);
    statusBar()->addPermanentWidget(m_statusDropped);
    statusBar()->addPermanentWidget(m_statusFrame);
    resize(1500, 900);
}

bool MainWindow::selectScenario(const QString& id, const std::vector<double>& values)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(id);
    if (!entry)
        return false;
    if (m_runner->isRunning())
        m_runner->stop();
    m_scenario = id;
    std::vector<double> v = values.empty() ? entry->info.schema.defaults() : values;
    v.resize(std::size_t(entry->info.schema.size()));
    m_params->setSchema(entry->info.schema, v);
    m_lesson->setLesson(id);
    fitSettingsPane();
    m_timeline->setShowGilLane(entry->info.usesGil);
    if (m_showGilAction)
        m_showGilAction->setChecked(entry->info.usesGil);
    for (int row = 0; row < m_lessons->count(); ++row) {
        if (m_lessons->item(row)->data(Qt::UserRole).toString() == id && m_lessons->currentRow() != row) {
            const QSignalBlocker block(m_lessons);
            m_lessons->setCurrentRow(row);
        }
    }
    m_collector->setSession(nullptr); // clears the views
    m_showingTrace = false;
    m_runOnScreen = false; // another lesson's run, or this one's with other settings: not shown
    m_lesson->clearOutcome();
    m_graph->clear();
    m_params->setEnabled(true);
    m_legend->show();
    m_banner->setToolTip(QString());
    m_banner->setText(u"%1 — press Run (Space)"_s.arg(entry->info.title));
    m_banner->setStyleSheet(QString());
    setWindowTitle(u"%1 — Interleave"_s.arg(entry->info.title));
    updateActions();
    return true;
}

void MainWindow::fitSettingsPane()
{
    // A lesson's settings (a spin box "10 per producer", a row of choice buttons) must show
    // whole: widen the left pane to them when it is narrower, taking the room from the lesson text
    // on the right first (the timeline in the middle is what the class looks at).
    if (!m_split || m_split->count() < 2 || !isVisible())
        return; // before the window is shown the splitter has no real sizes yet
    QWidget* left = m_split->widget(0);
    const QMargins margins = left->layout() ? left->layout()->contentsMargins() : QMargins();
    const int need = m_params->minimumSizeHint().width() + margins.left() + margins.right()
        + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4;
    QList<int> sizes = m_split->sizes();
    if (sizes.size() < 2 || sizes[0] <= 0 || sizes[0] >= need)
        return;
    int extra = need - sizes[0];
    sizes[0] = need;
    if (sizes.size() > 2) {
        const int fromRight = std::min(extra, std::max(0, sizes[2] - 300));
        sizes[2] -= fromRight;
        extra -= fromRight;
    }
    sizes[1] = std::max(200, sizes[1] - extra);
    m_split->setSizes(sizes);
}

void MainWindow::setSpeed(double speed)
{
    speed = std::clamp(speed, Session::MinSpeed, Session::MaxSpeed);
    int at = 0;
    while (at < m_speed->count() && m_speed->itemData(at).toDouble() < speed * (1 - 1e-9))
        ++at;
    // A speed from the command line or a session that the list lacks joins it, in order.
    if (at == m_speed->count() || std::abs(m_speed->itemData(at).toDouble() - speed) > speed * 1e-9)
        m_speed->insertItem(at, u"%1x"_s.arg(speed), speed);
    m_speed->setCurrentIndex(at);
}

double MainWindow::speed() const
{
    return m_speed->currentData().toDouble();
}

void MainWindow::changeSpeedStep(int step)
{
    m_speed->setCurrentIndex(std::clamp(m_speed->currentIndex() + step, 0, m_speed->count() - 1));
    statusBar()->showMessage(u"Speed %1"_s.arg(m_speed->currentText()), 2000);
}

void MainWindow::run()
{
    // Space and the Run button share this: start; or, while running, pause or resume.
    if (m_runner->isRunning()) {
        if (m_runner->isPaused())
            m_runner->setPaused(false);
        else if (!m_runner->isDeadlocked())
            m_runner->setPaused(true); // Space toggles
        updateActions();
        return;
    }
    QString error;
    if (!m_runner->start(m_scenario, m_params->values(), m_speed->currentData().toDouble(), &error)) {
        QMessageBox::warning(this, u"Cannot start"_s, error);
        return;
    }
    m_collector->setSession(m_runner->session());
    m_collector->start(16);
    m_showingTrace = false;
    m_runOnScreen = true;
    m_runValues = m_params->values();
    m_runSpeed = m_speed->currentData().toDouble();
    m_banner->setToolTip(QString());
    m_timeline->setFollowLive(true);
    m_banner->setStyleSheet(QString());
    m_tabs->setCurrentWidget(m_lesson);
    updateActions();
}

void MainWindow::togglePause()
{
    if (m_runner->isRunning() && !m_runner->isDeadlocked())
        m_runner->setPaused(!m_runner->isPaused());
    updateActions();
}

void MainWindow::stop()
{
    m_runner->stop();
    updateActions();
}

void MainWindow::reset()
{
    m_runner->stop();
    m_collector->setSession(nullptr);
    run();
}

void MainWindow::onRunFinished(const QString& ended)
{
    m_collector->drain();
    m_collector->stop();
    if (m_timeline->followLive())
        m_timeline->zoomToFit(); // the whole run, now that it is over
    refreshOutcome();
    refreshStatus();
    if (ended == "failed"_L1)
        QMessageBox::warning(this, u"The run failed"_s, m_runner->failure());
    updateActions();
}

void MainWindow::onDeadlock()
{
    refreshGraph();
    refreshOutcome();
    m_banner->setStyleSheet(u"background: #CC0000; color: white;"_s);
    m_tabs->setCurrentWidget(m_graph);
    updateActions();
}

void MainWindow::refreshOutcome()
{
    if (m_showingTrace || !m_runOnScreen || m_scenario.isEmpty() || !m_runner->context())
        return;
    const QString ended = m_runner->isRunning() ? (m_runner->isDeadlocked() ? u"deadlock"_s : QString())
                                                : m_runner->ended();
    const QJsonObject outcome = m_runner->outcome();
    QString text = outcomeText(m_scenario, outcome, ended);
    if (m_runner->isDeadlocked() && m_runner->isRunning())
        text += u"\nEvery thread in the cycle waits for a lock another one holds: none can go on. Press Stop."_s;
    // A timing read while other programs took cores is not the lesson's truth: say so.
    if (const auto machine = m_runner->machineLoad(); machine && machine->busy() && !m_runner->isRunning()) {
        QString sentence = machine->sentence();
        sentence[0] = sentence[0].toUpper();
        text += u"\n"_s + sentence + u", so its threads had less of the machine than the lesson assumes."_s;
    }
    const QString stale = m_runner->isRunning() ? QString() : staleNote();
    if (!stale.isEmpty())
        text += u"\n"_s + stale;
    m_banner->setText(text);
    m_lesson->setOutcome(m_scenario, outcome, ended);
    m_lesson->setOutcomeNote(stale);
}

QString MainWindow::staleNote() const
{
    // Settings moved since the run ended: say which, so nobody reads the old outcome as theirs.
    const ScenarioInfo* info = m_runner->scenarioInfo();
    const std::vector<double> now = m_params->values();
    const double speedNow = m_speed->currentData().toDouble();
    if (!info || (now == m_runValues && speedNow == m_runSpeed))
        return {};
    QStringList changed;
    for (int i = 0; i < info->schema.size() && std::size_t(i) < now.size() && std::size_t(i) < m_runValues.size(); ++i) {
        if (now[std::size_t(i)] == m_runValues[std::size_t(i)])
            continue;
        const QJsonValue was = info->schema.at(i).toJson(m_runValues[std::size_t(i)]);
        const QString text = was.isBool() ? (was.toBool() ? u"on"_s : u"off"_s)
            : was.isString()              ? was.toString()
                                          : QString::number(was.toDouble());
        changed << u"%1 was %2"_s.arg(info->schema.at(i).key, text);
    }
    if (speedNow != m_runSpeed)
        changed << u"speed was %1x"_s.arg(m_runSpeed);
    return u"These results are from the earlier settings (%1). Press Run to see the new ones."_s.arg(
        changed.join(u", "_s));
}

QString MainWindow::bannerText() const
{
    return m_banner->text();
}

void MainWindow::refreshStatus()
{
    const qint64 now = uptime().elapsed();
    const std::uint64_t events = m_store->eventsRecorded();
    if (now - m_lastEventsAtMs >= 1000 || events < m_lastEvents) {
        const double perSecond = now > m_lastEventsAtMs && events >= m_lastEvents
            ? double(events - m_lastEvents) * 1000.0 / double(now - m_lastEventsAtMs)
            : 0;
        m_statusEvents->setText(u"%1 events/s"_s.arg(perSecond, 0, 'f', 0));
        m_lastEvents = events;
        m_lastEventsAtMs = now;
    }
    QString dropped = u"%1 dropped"_s.arg(m_store->eventsDropped());
    if (m_store->markersCapped() > 0)
        dropped += u", %1 race marks not kept"_s.arg(m_store->markersCapped());
    m_statusDropped->setText(dropped);
    m_statusDropped->setToolTip(
        u"Dropped: events lost because a thread's recording ring was full (the trace has gaps there).\n"
        "Race marks: read/write marks past %1 per thread are counted, not stored; lost updates are always kept."_s
            .arg(TraceStore::RaceMarkerCap));
    m_statusDropped->setStyleSheet(m_store->eventsDropped() > 0 ? u"color: #CC0000; font-weight: bold;"_s : QString());
    m_statusFrame->setText(u"frame %1 ms"_s.arg(m_timeline->lastPaintMs(), 0, 'f', 1));
    const int alive = m_runner->isRunning() && m_runner->context() ? m_runner->context()->liveWorkers() : 0;
    m_statusThreads->setText(u"%1 threads alive"_s.arg(alive));
    m_statusState->setText(statusText());
}

QString MainWindow::statusText() const
{
    if (m_runner->isRunning()) {
        if (m_runner->isDeadlocked())
            return u"Deadlocked — the threads are stuck; Stop ends them"_s;
        return m_runner->isPaused() ? u"Paused"_s : u"Running"_s;
    }
    if (!m_runner->ended().isEmpty())
        return u"Finished: %1 after %2 ms"_s.arg(m_runner->ended()).arg(m_runner->wallMs(), 0, 'f', 0);
    return u"Ready"_s;
}

void MainWindow::refreshGraph()
{
    RunContext* ctx = m_runner->context();
    if (!ctx || !m_runOnScreen)
        return;
    const auto session = m_runner->session();
    auto cycle = ctx->waitGraph().cycle();
    auto edges = ctx->waitGraph().edges();
    if (cycle && edges.empty()) {
        // After Stop the waiters are gone: redraw the cycle as it was when it formed.
        for (std::size_t i = 0; i < cycle->lanes.size(); ++i) {
            edges.push_back({cycle->lanes[i], cycle->locks[i], true});
            edges.push_back({cycle->lanes[(i + 1) % cycle->lanes.size()], cycle->locks[i], false});
        }
    }
    m_graph->setGraph(
        edges, cycle,
        [session](std::uint32_t lane) {
            const LaneInfo* l = session->lane(lane);
            return l ? l->name : u"lane-%1"_s.arg(lane);
        },
        [session](std::uint32_t lock) {
            const auto objects = session->objects();
            return lock >= 1 && lock <= objects.size() ? objects[lock - 1].name : u"lock-%1"_s.arg(lock);
        });
}

void MainWindow::updateActions()
{
    const bool running = m_runner->isRunning();
    const bool paused = running && m_runner->isPaused();
    m_runAction->setText(paused ? u"Resume"_s : u"Run"_s);
    m_runAction->setEnabled((!running || paused) && !m_scenario.isEmpty());
    m_resetAction->setEnabled(!m_scenario.isEmpty());
    m_pauseAction->setEnabled(running && !m_runner->isDeadlocked());
    m_pauseAction->setChecked(paused);
    m_stopAction->setEnabled(running);
    m_statusState->setText(statusText());
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    m_runner->stop();
    saveSettings();
    e->accept();
}

} // namespace interleave
