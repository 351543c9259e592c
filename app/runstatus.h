// The status bar's figures for the run on screen: its state, the threads alive, events per
// second, events dropped and the timeline's last frame time.
#pragma once

#include <QObject>
#include <QString>

#include <cstdint>

class QLabel;
class QStatusBar;

namespace interleave {

class Run;
class TimelineView;

class RunStatus : public QObject
{
    Q_OBJECT
public:
    RunStatus(QStatusBar* bar, const Run* run, const TimelineView* timeline);
    ~RunStatus() override;

    // showsRun: the run is the one on screen (not cleared for another lesson, not a recording).
    void refresh(bool showsRun);
    // "Running", "Paused", "Deadlocked — …", "Finished: completed after 812 ms", "Ready".
    QString stateText(bool showsRun) const;

private:
    const Run* const m_run;
    const TimelineView* const m_timeline;
    QLabel* const m_state;
    QLabel* const m_threads;
    QLabel* const m_events;
    QLabel* const m_dropped;
    QLabel* const m_frame;
    std::uint64_t m_lastEvents = 0;
    qint64 m_lastEventsAtMs = 0;
};

} // namespace interleave
