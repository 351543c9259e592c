// The replay controls under the timeline: play / pause, a scrubber over the whole run, the time,
// the speed (0.05x to 4x), a step to the selected lane's next event, and the way back to the end.
#pragma once

#include <QWidget>

#include <cstdint>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace interleave {

class Replay;

class ReplayBar : public QWidget
{
    Q_OBJECT
public:
    explicit ReplayBar(QWidget* parent = nullptr);
    ~ReplayBar() override;

    // The replay it drives (not owned); null shows nothing.
    void setReplay(Replay* replay);
    // Whether there is a finished run to replay (the Replay button is offered).
    void setAvailable(bool available);

    QSlider* scrubber() const { return m_scrubber; }
    QString timeText() const;

Q_SIGNALS:
    void replayRequested(); // the Replay button: begin (and play)
    void stepRequested();   // next event of the selected lane
    void leaveRequested();

private:
    void onActiveChanged(bool active);
    void onPlayhead(std::int64_t t);
    void onPlaying(bool playing);
    void onSpeed(double speed);

    Replay* m_replay = nullptr;
    bool m_available = false;
    QToolButton* const m_start;
    QToolButton* const m_play;
    QSlider* const m_scrubber;
    QLabel* const m_time;
    QComboBox* const m_speed;
    QToolButton* const m_step;
    QToolButton* const m_leave;
    bool m_updating = false; // the scrubber moved by the playhead, not by the user
};

} // namespace interleave
