// StepActions: the window's side of step mode; polls the gate (never blocks the GUI thread).
#include "stepactions.h"

#include "explorer.h"
#include "lessons.h"
#include "mainwindow.h"
#include "pythontwin.h"
#include "run.h"
#include "runner.h"
#include "runview.h"
#include "chartspanel.h"
#include "scenario.h"
#include "stepgate.h"
#include "steppanel.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QAction>
#include <QDateTime>
#include <QFile>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QShortcut>
#include <QSplitter>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

constexpr int TickMs = 30;
constexpr int ToEventMaxSteps = 400;
constexpr std::int64_t SearchCap = 20'000;
constexpr int MaxSearchPreemptions = 3;
constexpr double SearchSeconds = 20;

QString laneName(const Run* run, std::uint32_t lane)
{
    const auto session = run->runner()->session();
    const LaneInfo* info = session ? session->lane(lane) : nullptr;
    return info ? info->name : u"lane %1"_s.arg(lane);
}

QString readProgram(const QString& lesson, const std::vector<double>& values)
{
    QFile f(u":/lessons/"_s + lesson + u".py"_s);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(lesson);
    const PythonTwin twin(QString::fromUtf8(f.readAll()), entry ? entry->info.schema : ParamSchema());
    return twin.program(values);
}

} // namespace

StepActions::StepActions(MainWindow* window, QSplitter* column, Run* run)
    : QObject(window)
    , m_window(window)
    , m_run(run)
    , m_panel(new StepPanel(column))
    , m_timer(new QTimer(this))
{
    column->addWidget(m_panel);
    column->setStretchFactor(column->indexOf(m_panel), 1);
    m_panel->hide();
    m_timer->setInterval(TickMs);
    connect(m_timer, &QTimer::timeout, this, &StepActions::tick);
    connect(m_panel, &StepPanel::stepRequested, this, &StepActions::step);
    connect(m_panel, &StepPanel::undoRequested, this, &StepActions::undo);
    connect(m_panel, &StepPanel::runToEventRequested, this, &StepActions::runToNextEvent);
    connect(m_panel, &StepPanel::findRequested, this, &StepActions::findBadSchedule);

    m_toggle = new QAction(tr("&Step Mode"), this);
    m_toggle->setObjectName(u"actionStepMode"_s);
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_toggle->setToolTip(tr("Be the scheduler: the lesson's threads wait before each step and you choose "
                            "who goes next (keys 1-9) (Ctrl+Shift+T)"));
    m_column = column;
    connect(m_toggle, &QAction::toggled, this, [this](bool on) {
        m_panel->setVisible(on);
        // Charts over time say little when the student sets the pace: the panel takes their room.
        m_window->runView()->charts()->setVisible(!on);
        if (on)
            makeRoom();
        if (m_run->isRunning() || (!on && m_run->stepMode())) {
            m_run->stop(); // a run is either stepped from its start or not at all
            if (on)
                m_window->run();
        }
        Q_EMIT message(on ? tr("Step mode: press Run, then a thread's number to let it take its next step")
                          : tr("Step mode off"));
    });
    auto add = [&](const QString& name, const QString& text, const QKeySequence& key, auto slot) {
        auto* a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        window->addAction(a); // also while the menu bar is hidden (presentation)
        return a;
    };
    m_undo = add(u"actionStepUndo"_s, tr("&Undo Step"), QKeySequence::Undo, [this] { undo(); });
    m_toEvent = add(u"actionStepToEvent"_s, tr("Run to &Next Event"), QKeySequence(Qt::Key_N), [this] { runToNextEvent(); });
    m_find = add(u"actionStepFind"_s, tr("&Find a Bad Schedule"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                 [this] { findBadSchedule(); });
    m_play = add(u"actionStepPlay"_s, tr("&Play a Schedule…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), [this] {
        bool ok = false;
        const QString text = QInputDialog::getText(m_window, tr("Play a Schedule"),
                                                   tr("The threads to step, in order (lane numbers, main is 0), "
                                                      "as --schedule and the summary write them:"),
                                                   QLineEdit::Normal, m_lastPlayed, &ok);
        if (ok && !text.trimmed().isEmpty())
            playSchedule(text);
    });
    window->addAction(m_toggle);
    for (int k = 1; k <= 9; ++k) {
        // Actions, not bare shortcuts, so that F1's list of keys shows them.
        add(u"actionStepThread%1"_s.arg(k), tr("Let Thread %1 Take Its Step").arg(k), QKeySequence(Qt::Key_0 + k), [this, k] {
            if (isOn())
                step(std::uint32_t(k));
        });
    }
}

StepActions::~StepActions()
{
    if (m_search) {
        m_cancelSearch.store(true);
        m_search->waitForFinished();
    }
}

void StepActions::addToMenu(QMenu* menu)
{
    menu->addAction(m_toggle);
    menu->addAction(m_undo);
    menu->addAction(m_toEvent);
    menu->addAction(m_find);
    menu->addAction(m_play);
}

bool StepActions::playSchedule(const QString& text, int paceMs)
{
    QString bad;
    const auto parsed = parseSchedule(text, &bad);
    if (!parsed) {
        Q_EMIT message(tr("'%1' is not a lane number: write lane numbers separated by commas, e.g. 1,2,1,2").arg(bad.left(40)));
        return false;
    }
    const std::vector<std::uint32_t>& lanes = *parsed;
    m_lastPlayed = text.trimmed();
    setOn(true);
    return restartWith(lanes, paceMs, tr("Played the schedule %1; your turn now.").arg(scheduleText(lanes)));
}

void StepActions::makeRoom()
{
    // The timeline keeps the larger part of the column; the panel takes two fifths of it, unless
    // it has that much already (the splitter's handle may have moved it).
    QList<int> sizes = m_column->sizes();
    int total = 0;
    for (const int s : sizes)
        total += s;
    const int panel = m_column->indexOf(m_panel);
    if (total <= 0 || panel < 1 || sizes[panel] >= total / 3)
        return;
    for (int& s : sizes)
        s = 0;
    sizes[panel] = total * 2 / 5;
    sizes[panel - 1] = total - sizes[panel];
    m_column->setSizes(sizes);
}

bool StepActions::isOn() const
{
    return m_toggle->isChecked();
}

void StepActions::setOn(bool on)
{
    m_toggle->setChecked(on);
}

bool StepActions::searching() const
{
    return m_search != nullptr;
}

void StepActions::prepareStart(const QString& lesson)
{
    // Only a lesson with steps runs stepped: another's threads would wait at a lock or a queue
    // for a scheduler that never comes.
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(lesson);
    m_run->setStepMode(isOn() && entry && !entry->info.stepOutcomeKeys.isEmpty());
}

void StepActions::started(const QString& lesson, const std::vector<double>& values)
{
    if (!isOn())
        return;
    m_afterPlan.clear();
    m_lesson = lesson;
    m_values = values;
    m_shownSteps = -1;
    m_lastKind.clear();
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(lesson);
    if (entry && entry->info.stepOutcomeKeys.isEmpty()) {
        m_panel->setStatus(tr("%1 has no steps to take by hand: it runs as usual. Step mode is for race, deadlock, "
                              "producer_consumer, interleaving and shared_data.").arg(entry->info.title));
        return;
    }
    makeRoom();
    m_panel->setProgram(readProgram(lesson, values));
    m_panel->setStatus(tr("Waiting for the threads to reach their first step…"));
    m_timer->start();
}

bool StepActions::step(std::uint32_t lane)
{
    StepGate* gate = m_run->isRunning() ? m_run->runner()->stepGate() : nullptr;
    if (!gate) {
        Q_EMIT message(tr("No stepping run: turn on Step Mode and press Run"));
        return false;
    }
    QString error;
    const StepSnapshot s = gate->snapshot();
    QString kind;
    for (const StepOffer& o : s.offers) {
        if (o.lane == lane)
            kind = o.kind;
    }
    if (!gate->grant(lane, &error)) {
        Q_EMIT message(tr("Thread %1: %2").arg(lane).arg(error));
        return false;
    }
    if (m_lastKind.size() <= lane)
        m_lastKind.resize(lane + 1);
    m_lastKind[lane] = kind;
    return true;
}

void StepActions::tick()
{
    StepGate* gate = m_run->isRunning() ? m_run->runner()->stepGate() : nullptr;
    if (!gate) {
        m_timer->stop();
        m_planned.clear();
        m_toEventLeft = 0;
        const RunDescription d = m_run->description();
        const QString outcome = outcomeText(d.scenario, d.outcome, d.ended);
        m_panel->setStatus((m_afterPlan.isEmpty() ? QString() : m_afterPlan + u"\n"_s)
                           + tr("The run is over: %1. Undo goes back a step; Run starts again.").arg(outcome));
        m_afterPlan.clear();
        m_panel->setRows({});
        const auto schedule = m_run->runner()->schedule();
        m_panel->setShared(tr("Outcome: %1").arg(outcome));
        m_panel->setSchedule(tr("Schedule (%1 steps): %2").arg(schedule.size()).arg(scheduleText(schedule)));
        return;
    }
    const StepSnapshot s = gate->snapshot();
    if (!s.quiet || s.allFinished)
        return;
    std::vector<std::uint32_t> enabled;
    for (const StepOffer& o : s.offers) {
        if (o.enabled)
            enabled.push_back(o.lane);
    }
    if (enabled.empty() && !s.offers.empty()) {
        // Nobody can take a step: the threads block for real and the run shows why.
        m_planned.clear();
        m_toEventLeft = 0;
        m_shownSteps = -1;
        refresh(); // every thread's last wish, before they go and block for real
        m_panel->setStatus((m_afterPlan.isEmpty() ? QString() : m_afterPlan + u"\n"_s)
                           + tr("No thread can take its step: each waits for a lock another holds. Deadlock."));
        m_afterPlan.clear();
        gate->release();
        return;
    }
    if (!m_planned.empty()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_paceMs > 0 && now - m_lastPlannedMs < m_paceMs) {
            refresh();
            return;
        }
        const std::uint32_t lane = m_planned.front();
        m_planned.pop_front();
        m_lastPlannedMs = now;
        if (!step(lane))
            m_planned.clear();
        if (m_planned.empty() && !m_afterPlan.isEmpty())
            m_panel->setStatus(m_afterPlan);
        m_panel->setBusy(!m_planned.empty() || searching());
        return;
    }
    if (m_toEventLeft > 0) {
        // What counts as an event: the outcome turns alarming, a thread has to wait, a thread ends.
        QString now = Lessons::isAlarming(m_lesson, m_run->runner()->outcome()) ? u"alarm"_s : QString();
        for (const StepOffer& o : s.offers)
            now += o.enabled ? QString() : u" %1"_s.arg(o.lane);
        now += u" %1"_s.arg(s.offers.size());
        if (!m_eventBase.isNull() && now != m_eventBase) {
            m_toEventLeft = 0;
            refresh();
            return;
        }
        m_eventBase = now;
        // Turns: the next thread after the last one that stepped (an interleaving, not a run-through).
        const auto schedule = gate->schedule();
        const std::uint32_t last = schedule.empty() ? 0 : schedule.back();
        std::uint32_t next = enabled.front();
        for (const std::uint32_t lane : enabled) {
            if (lane > last) {
                next = lane;
                break;
            }
        }
        --m_toEventLeft;
        step(next);
        return;
    }
    refresh();
}

void StepActions::refresh()
{
    StepGate* gate = m_run->isRunning() ? m_run->runner()->stepGate() : nullptr;
    if (!gate)
        return;
    const StepSnapshot s = gate->snapshot();
    if (!s.quiet)
        return;
    const WaitSnapshot waits = m_run->waitSnapshot();
    refreshShared(waits);
    if (s.steps == m_shownSteps)
        return; // the rows stand until the next step; the shared line follows the recording
    m_shownSteps = s.steps;
    const QString program = readProgram(m_lesson, m_values);
    std::vector<StepRow> rows;
    for (const StepOffer& o : s.offers) {
        StepRow r;
        r.lane = o.lane;
        r.name = laneName(m_run, o.lane);
        r.next = o.text;
        r.detail = o.detail;
        r.enabled = o.enabled;
        if (!o.enabled) {
            r.why = tr("not possible now");
            for (const auto& e : waits.edges) {
                if (!e.waits && o.text.endsWith(waits.lockName(e.lock)))
                    r.why = tr("%1 holds %2").arg(waits.laneName(e.lane), waits.lockName(e.lock));
            }
            if (o.kind == "get"_L1)
                r.why = tr("the queue is empty");
            else if (o.kind == "put"_L1)
                r.why = tr("the queue is full");
        }
        const QString previous = o.lane < m_lastKind.size() ? m_lastKind[o.lane] : QString();
        r.line = StepPanel::lineOfStep(program, m_lesson, o.kind, o.text, previous, o.lane == 0);
        rows.push_back(r);
    }
    m_panel->setRows(rows);
    if (m_planned.empty() && m_toEventLeft == 0 && !searching()) {
        QStringList keys;
        for (const StepRow& r : rows) {
            if (r.enabled && r.lane <= 9)
                keys << QString::number(r.lane);
        }
        m_panel->setStatus(keys.isEmpty() ? tr("Click a thread to let it step")
                                          : tr("Your turn, scheduler: press %1 to let that thread take its next step")
                                                .arg(keys.join(tr(" or "))));
    }
}

void StepActions::refreshShared(const WaitSnapshot& waits)
{
    StepGate* gate = m_run->runner()->stepGate();
    // The shared state: what the lesson's outcome says so far, and who holds which lock.
    const QJsonObject outcome = m_run->runner()->outcome();
    QStringList shared;
    if (m_lesson == "race"_L1)
        shared << tr("counter = %1 (%2 increments done)").arg(outcome.value(u"actual"_s).toInteger())
                      .arg(outcome.value(u"expected"_s).toInteger());
    else if (m_lesson == "producer_consumer"_L1) {
        shared << tr("produced %1, consumed %2").arg(outcome.value(u"produced"_s).toInteger())
                      .arg(outcome.value(u"consumed"_s).toInteger());
        // The queue's contents as the recording counts them (puts less gets; sentinels included).
        const TraceStore* store = m_run->store();
        for (std::size_t i = 0; i < store->objectCount(); ++i) {
            const ObjectData& q = store->object(i);
            if (q.kind != ObjectKind::Queue)
                continue;
            const qint64 items = q.puts - q.gets;
            shared << (q.capacity > 0 ? tr("%1 holds %2 of %3").arg(q.name).arg(items).arg(q.capacity)
                                      : tr("%1 holds %2").arg(q.name).arg(items));
        }
    }
    else if (m_lesson == "deadlock"_L1)
        shared << tr("meals eaten: %1").arg(outcome.value(u"meals"_s).toInteger());
    else if (m_lesson == "shared_data"_L1)
        shared << tr("total = %1").arg(outcome.value(u"actual"_s).toInteger());
    else if (m_lesson == "interleaving"_L1)
        shared << tr("lines printed: %1, switches: %2").arg(outcome.value(u"lines"_s).toInteger())
                      .arg(outcome.value(u"switches"_s).toInteger());
    for (const auto& e : waits.edges) {
        if (!e.waits)
            shared << tr("%1 held by %2").arg(waits.lockName(e.lock), waits.laneName(e.lane));
    }
    m_panel->setShared(tr("Shared: ") + shared.join(u"  ·  "_s));
    const auto schedule = gate->schedule();
    m_panel->setSchedule(tr("Schedule so far (%1 steps): %2").arg(schedule.size()).arg(scheduleText(schedule)));
}

bool StepActions::restartWith(std::vector<std::uint32_t> planned, int paceMs, const QString& afterPlan)
{
    m_run->stop();
    m_window->run(); // starts the lesson again in step mode, with the current settings
    if (!m_run->isRunning() || !m_run->stepMode())
        return false;
    m_planned.assign(planned.begin(), planned.end());
    m_afterPlan = afterPlan;
    m_paceMs = paceMs;
    m_lastPlannedMs = 0;
    m_panel->setBusy(!m_planned.empty());
    return true;
}

void StepActions::undo()
{
    if (!isOn() || searching())
        return;
    std::vector<std::uint32_t> schedule = m_run->runner()->schedule();
    if (schedule.empty()) {
        Q_EMIT message(tr("Nothing to undo: no step taken yet"));
        return;
    }
    schedule.pop_back();
    const QString back = tr("Back one step (the run replayed its first %1 steps)").arg(schedule.size());
    if (restartWith(schedule, 0, back) && schedule.empty())
        m_panel->setStatus(back);
}

void StepActions::runToNextEvent()
{
    if (!isOn() || !m_run->isRunning() || !m_run->runner()->stepGate())
        return;
    m_eventBase = QString();
    m_toEventLeft = ToEventMaxSteps;
    m_panel->setStatus(tr("Taking turns until something happens…"));
}

void StepActions::findBadSchedule()
{
    if (!isOn() || searching() || m_lesson.isEmpty())
        return;
    m_cancelSearch.store(false);
    m_panel->setBusy(true);
    m_panel->setStatus(tr("Trying every schedule (up to %L1)…").arg(SearchCap));
    m_search = new QFutureWatcher<ExploreResult>(this);
    connect(m_search, &QFutureWatcherBase::finished, this, &StepActions::onSearchDone);
    const QString lesson = m_lesson;
    const std::vector<double> values = m_values;
    m_search->setFuture(QtConcurrent::run([lesson, values, this] {
        // As CHESS searches: few preemptions first (bugs usually need few), so the schedule
        // found is among the simplest, and the search ends soon where one exists.
        ExploreResult r;
        for (int bound = 0; bound <= MaxSearchPreemptions && !m_cancelSearch.load(); ++bound) {
            ExploreOptions options;
            options.maxSchedules = SearchCap;
            options.maxSeconds = SearchSeconds;
            options.preemptionBound = bound;
            options.progress = [this](std::int64_t) { return !m_cancelSearch.load(); };
            r = explore(lesson, values, options);
            r.searchedBound = bound;
            const bool found = std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const auto& o) { return o.alarming; });
            if (found || !r.error.isEmpty() || r.pruned == 0)
                break; // found, failed, or the bound no longer cut anything: every schedule was run
        }
        return r;
    }));
}

void StepActions::onSearchDone()
{
    const ExploreResult r = m_search->result();
    m_search->deleteLater();
    m_search = nullptr;
    m_panel->setBusy(false);
    if (!r.error.isEmpty()) {
        m_panel->setStatus(tr("The search failed: %1").arg(r.error));
        return;
    }
    const ExploredOutcome* best = nullptr;
    for (const ExploredOutcome& o : r.outcomes) {
        if (o.alarming && (!best || o.shortest.size() < best->shortest.size()))
            best = &o;
    }
    const QString counted = r.complete && r.pruned == 0
        ? tr("all %L1 schedules").arg(r.schedules)
        : r.searchedBound == 1 ? tr("%L1 schedules with at most one preemption").arg(r.schedules)
                               : tr("%L1 schedules with at most %2 preemptions").arg(r.schedules).arg(r.searchedBound);
    if (!best) {
        m_panel->setStatus(tr("No schedule ends badly: %1 tried, every one gives %2").arg(counted,
                              r.outcomes.empty() ? QString() : r.outcomes.front().key));
        return;
    }
    QStringList others; // the other outcomes the search met, with how many schedules gave each
    for (const ExploredOutcome& o : r.outcomes) {
        if (&o != best)
            others << tr("%1: %L2").arg(o.key).arg(o.count);
    }
    const QString after = tr("Played the shortest bad schedule found, %1 steps. Of %2, %3 end with %4 (others: %5).")
                              .arg(best->shortest.size())
                              .arg(counted)
                              .arg(best->count)
                              .arg(best->key, others.join(u", "_s));
    const std::vector<std::uint32_t> plan = best->shortest;
    if (restartWith(plan, 450, after))
        m_panel->setStatus(tr("Playing the shortest schedule that ends badly: %1").arg(scheduleText(plan)));
}

} // namespace interleave
