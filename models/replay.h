// A finished run as it was at one moment: what its store held up to a playhead, as a store's
// contents (for the views to show) and as figures so far ("lost so far: 1,204").
#pragma once

#include "tracestore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <memory>

namespace interleave {

// Everything `full` recorded up to t (ns since the start): intervals cut at t, the state at t
// open as the live store keeps it, holds open at t open, markers, samples and console lines up to
// t; statistics counted from what is kept (a run whose oldest detail aged out replays from there).
TraceContents contentsUpTo(const TraceStore& full, std::int64_t t);

// The figures a class follows during a replay, counted from what was recorded up to the playhead.
struct ReplayFigures
{
    std::int64_t lostSoFar = 0;        // updates lost (lost-update marks' counts)
    bool anyRaceMarks = false;
    std::int64_t deadlockAt = -1;      // the deadlock mark's time, when it is up to the playhead
    std::int64_t puts = 0;
    std::int64_t gets = 0;
    bool anyQueue = false;
    std::int64_t gilHandOffs = 0;      // contended GIL acquisitions
    bool anyGil = false;
};
ReplayFigures replayFigures(const TraceStore& upTo);
// "Replay at 1.204 s of 4.512 s: 1,204 updates lost so far": the figures so far, for what the
// whole run has (a race shows "0 updates lost so far" before its first).
QString replaySentence(const ReplayFigures& soFar, const ReplayFigures& whole, std::int64_t t, std::int64_t end);

// The time of the next event after t on a lane (a state change, a hold's start or end, a mark),
// or -1 when there is none: "step to the next event of the selected lane".
std::int64_t nextEventOnLane(const TraceStore& store, std::size_t laneIndex, std::int64_t t);

// Plays a finished run again in the store the views show: begin() takes what the store holds as
// the recording, seek() shows it as it was at a moment, end() puts the whole run back. Playing
// moves the playhead with the wall clock times the speed (0.05x to 4x); a new run or an opened
// trace (the store cleared) ends the replay.
class Replay : public QObject
{
    Q_OBJECT
public:
    static constexpr double MinSpeed = 0.05;
    static constexpr double MaxSpeed = 4.0;

    explicit Replay(TraceStore* shown, QObject* parent = nullptr);
    ~Replay() override;

    // False (nothing changes) when the store holds nothing to replay.
    bool begin();
    void end();
    bool isActive() const { return m_recording != nullptr; }
    const TraceStore* recording() const { return m_recording.get(); }

    std::int64_t playhead() const { return m_playhead; }
    std::int64_t length() const;
    void seek(std::int64_t t);
    void play(); // from the start when at the end
    void pause();
    bool isPlaying() const { return m_timer.isActive(); }
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    // To the next event of the lane (index in the recording) after the playhead; false when none.
    bool stepLane(std::size_t laneIndex);
    ReplayFigures figures() const { return m_figures; }
    ReplayFigures wholeFigures() const { return m_whole; }

Q_SIGNALS:
    void activeChanged(bool active);
    void playingChanged(bool playing);
    void playheadChanged(std::int64_t t);
    void speedChanged(double speed);

private:
    void tick();
    void onStoreCleared();

    TraceStore* const m_shown;
    std::unique_ptr<TraceStore> m_recording;
    std::int64_t m_playhead = 0;
    double m_speed = 1.0;
    ReplayFigures m_figures;
    ReplayFigures m_whole;
    QTimer m_timer;
    QElapsedTimer m_wall;
    std::int64_t m_lastTick = 0;
};

} // namespace interleave
