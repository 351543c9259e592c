// The window a teacher puts on the projector: lesson picker and sliders on the left, the live
// timeline and charts in the middle, the lesson, outcome, statistics, wait-for graph and console
// on the right.
#pragma once

#include <QMainWindow>

#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QListWidget;
class QTabWidget;
class QTableView;
class QTimer;

namespace interleave {

class ChartsPanel;
class Collector;
class ConsoleView;
class LessonView;
class LockStatsModel;
class ParameterPanel;
class QueueStatsModel;
class Runner;
class ThreadStatsModel;
class TimelineView;
class TraceStore;
class WaitGraphView;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Selects a lesson (its defaults) and optionally overrides parameter values and speed.
    bool selectScenario(const QString& id, const std::vector<double>& values = {});
    void setSpeed(double speed);

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

public Q_SLOTS:
    void run();       // start, or resume when paused
    void togglePause();
    void stop();
    void reset();     // stop, clear and start again with the current parameters

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    void buildActions();
    void buildLayout();
    void onRunFinished(const QString& ended);
    void onDeadlock();
    void refreshOutcome();
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

    QString m_scenario;
    std::uint64_t m_lastEvents = 0;
    qint64 m_lastEventsAtMs = 0;
};

} // namespace interleave
