// Be the scheduler: step mode in the window. A checkable Step Mode (toolbar, Run menu, --step)
// makes the next run start with every lesson thread stopped before its first step; the student
// lets one take its step with its number key or a click; Undo replays the run up to the step
// before; Run to Next Event takes turns until something happens; Find a Bad Schedule explores
// every schedule in the background and plays the shortest one that ends badly.
#pragma once

#include <QObject>

#include <atomic>
#include <cstdint>
#include <deque>
#include <vector>

class QAction;
class QMenu;
class QSplitter;
class QTimer;
template<typename T>
class QFutureWatcher;

namespace interleave {

class MainWindow;
class Run;
class StepPanel;
struct ExploreResult;
struct WaitSnapshot;

class StepActions : public QObject
{
    Q_OBJECT
public:
    StepActions(MainWindow* window, QSplitter* column, Run* run);
    ~StepActions() override; // ends a search going on

    void addToMenu(QMenu* menu);
    QAction* toggleAction() const { return m_toggle; }
    bool isOn() const;
    void setOn(bool on);
    StepPanel* panel() const { return m_panel; }

    // MainWindow calls these around starting a run of `lesson` with `values`.
    void prepareStart(const QString& lesson);
    void started(const QString& lesson, const std::vector<double>& values);
    // Lets `lane` take its step; false (with a status line) when it cannot now.
    bool step(std::uint32_t lane);
    void undo();
    void runToNextEvent();
    void findBadSchedule();
    bool searching() const;
    // Starts the lesson again in step mode and takes these steps (lane numbers, "1,2,1,2"), one
    // every paceMs, then hands over; false (said) for text that is not a schedule.
    bool playSchedule(const QString& text, int paceMs = 450);

Q_SIGNALS:
    void message(const QString& text);

private:
    void tick();
    void refresh();
    void makeRoom();
    void refreshShared(const WaitSnapshot& waits);
    bool restartWith(std::vector<std::uint32_t> planned, int paceMs, const QString& afterPlan);
    void onSearchDone();

    MainWindow* const m_window;
    Run* const m_run;
    StepPanel* m_panel = nullptr;
    QSplitter* m_column = nullptr;
    QAction* m_toggle = nullptr;
    QAction* m_undo = nullptr;
    QAction* m_toEvent = nullptr;
    QAction* m_find = nullptr;
    QAction* m_play = nullptr;
    QString m_lastPlayed;
    QTimer* m_timer = nullptr;
    QString m_lesson;
    std::vector<double> m_values;
    std::deque<std::uint32_t> m_planned; // steps to take by themselves (undo, a found schedule)
    int m_paceMs = 0;
    qint64 m_lastPlannedMs = 0;
    int m_toEventLeft = 0; // Run to Next Event: steps it may still take
    QString m_eventBase;   // what "nothing happened yet" looks like
    std::int64_t m_shownSteps = -1;
    std::vector<QString> m_lastKind; // by lane: the kind of its last step taken
    QFutureWatcher<ExploreResult>* m_search = nullptr;
    std::atomic<bool> m_cancelSearch{false};
    QString m_afterPlan; // the status line once the planned steps are taken
};

} // namespace interleave
