// The side of the window: the lesson (text, program, outcome), the statistics tables, the
// wait-for graph and the console, as tabs over one TraceStore.
#pragma once

#include <QStringList>
#include <QTabWidget>

namespace interleave {

class ConsoleView;
class LessonView;
class LockStatsModel;
class QueueStatsModel;
class ThreadStatsModel;
class TraceStore;
class WaitGraphView;

class RunDetails : public QTabWidget
{
    Q_OBJECT
public:
    explicit RunDetails(const TraceStore* store, QWidget* parent = nullptr);
    ~RunDetails() override;

    // The parts a teacher may keep on screen in presentation mode.
    enum Panel {
        Outcome = 1,
        Code = 2,        // the lesson's Python program
        LessonText = 4,
        Statistics = 8,
        WaitGraph = 16,
        Console = 32,
    };
    static constexpr int AllPanels = Outcome | Code | LessonText | Statistics | WaitGraph | Console;
    // Shows only these parts (AllPanels: everything, as normally); the current tab stays if it can.
    void showOnly(int panels);
    int shownPanels() const { return m_shown; }
    // "outcome", "code", "lesson", "statistics", "waitgraph", "console" (settings keys).
    static QStringList panelKeys(int panels);
    static int panelsFromKeys(const QStringList& keys);

    LessonView* lessonView() const { return m_lesson; }
    WaitGraphView* waitGraph() const { return m_graph; }
    ConsoleView* console() const { return m_console; }
    ThreadStatsModel* threadStats() const { return m_threadStats; }
    LockStatsModel* lockStats() const { return m_lockStats; }
    QueueStatsModel* queueStats() const { return m_queueStats; }

private:
    LessonView* const m_lesson;
    ThreadStatsModel* const m_threadStats;
    LockStatsModel* const m_lockStats;
    QueueStatsModel* const m_queueStats;
    WaitGraphView* const m_graph;
    ConsoleView* const m_console;
    QWidget* m_statistics = nullptr;
    int m_shown = AllPanels;
};

} // namespace interleave
