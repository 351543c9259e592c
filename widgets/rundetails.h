// The side of the window: the lesson (text, program, outcome), the statistics tables, the
// wait-for graph and the console, as tabs over one TraceStore.
#pragma once

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
};

} // namespace interleave
