// ReplayBar: buttons and a scrubber over a Replay; the Replay does the work.
#include "replaybar.h"

#include "replay.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

constexpr int ScrubberSteps = 10'000; // a 10 s run in 1 ms steps

QString seconds(std::int64_t ns)
{
    return QString::number(double(ns) / 1e9, 'f', 3) + u" s"_s;
}

} // namespace

ReplayBar::ReplayBar(QWidget* parent)
    : QWidget(parent)
    , m_start(new QToolButton(this))
    , m_play(new QToolButton(this))
    , m_scrubber(new QSlider(Qt::Horizontal, this))
    , m_time(new QLabel(this))
    , m_speed(new QComboBox(this))
    , m_step(new QToolButton(this))
    , m_leave(new QToolButton(this))
{
    setObjectName(u"replayBar"_s);
    m_start->setObjectName(u"replayStart"_s);
    m_start->setText(tr("▶ Replay the run"));
    m_start->setToolTip(tr("Play the finished run again from its start, slowly if you like (Ctrl+Shift+R)"));
    m_start->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_play->setObjectName(u"replayPlay"_s);
    m_play->setToolTip(tr("Play or pause the replay (K)"));
    m_play->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_scrubber->setObjectName(u"replayScrubber"_s);
    m_scrubber->setRange(0, ScrubberSteps);
    m_scrubber->setToolTip(tr("Drag to any moment of the run: everything shows the run as it was then"));
    m_scrubber->setAccessibleName(tr("Replay position"));
    m_time->setObjectName(u"replayTime"_s);
    m_time->setMinimumWidth(m_time->fontMetrics().horizontalAdvance(u"00.000 s / 00.000 s"_s));
    m_speed->setObjectName(u"replaySpeed"_s);
    m_speed->setToolTip(tr("Replay speed (J slower, L faster)"));
    for (double s : {0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0})
        m_speed->addItem(u"%1x"_s.arg(s), s);
    m_speed->setCurrentIndex(m_speed->findData(1.0));
    m_step->setObjectName(u"replayStep"_s);
    m_step->setText(tr("Next event"));
    m_step->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    m_step->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_step->setToolTip(tr("Move to the next event of the lane last clicked (.)"));
    m_leave->setObjectName(u"replayLeave"_s);
    m_leave->setText(tr("Back to the end ✕"));
    m_leave->setToolTip(tr("Leave the replay: the whole run again (Ctrl+Shift+R)"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_start);
    layout->addWidget(m_play);
    layout->addWidget(m_scrubber, 1);
    layout->addWidget(m_time);
    layout->addWidget(m_speed);
    layout->addWidget(m_step);
    layout->addWidget(m_leave);
    layout->addStretch(); // the Replay button alone stays at the left

    connect(m_start, &QToolButton::clicked, this, &ReplayBar::replayRequested);
    connect(m_step, &QToolButton::clicked, this, &ReplayBar::stepRequested);
    connect(m_leave, &QToolButton::clicked, this, &ReplayBar::leaveRequested);
    connect(m_play, &QToolButton::clicked, this, [this] {
        if (!m_replay)
            return;
        if (m_replay->isPlaying())
            m_replay->pause();
        else
            m_replay->play();
    });
    connect(m_scrubber, &QSlider::valueChanged, this, [this](int v) {
        if (m_updating || !m_replay || !m_replay->isActive())
            return;
        m_replay->pause();
        m_replay->seek(std::int64_t(std::llround(double(v) / ScrubberSteps * double(m_replay->length()))));
    });
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (m_replay && i >= 0)
            m_replay->setSpeed(m_speed->itemData(i).toDouble());
    });
    onActiveChanged(false);
}

ReplayBar::~ReplayBar() = default;

void ReplayBar::setReplay(Replay* replay)
{
    if (m_replay)
        disconnect(m_replay, nullptr, this, nullptr);
    m_replay = replay;
    if (m_replay) {
        connect(m_replay, &Replay::activeChanged, this, &ReplayBar::onActiveChanged);
        connect(m_replay, &Replay::playheadChanged, this, &ReplayBar::onPlayhead);
        connect(m_replay, &Replay::playingChanged, this, &ReplayBar::onPlaying);
        connect(m_replay, &Replay::speedChanged, this, &ReplayBar::onSpeed);
        onSpeed(m_replay->speed());
    }
    onActiveChanged(m_replay && m_replay->isActive());
}

void ReplayBar::setAvailable(bool available)
{
    m_available = available;
    onActiveChanged(m_replay && m_replay->isActive());
}

QString ReplayBar::timeText() const
{
    return m_time->text();
}

void ReplayBar::onActiveChanged(bool active)
{
    m_start->setVisible(!active);
    m_start->setEnabled(m_available);
    for (QWidget* w : {static_cast<QWidget*>(m_play), static_cast<QWidget*>(m_scrubber),
                       static_cast<QWidget*>(m_time), static_cast<QWidget*>(m_speed), static_cast<QWidget*>(m_step),
                       static_cast<QWidget*>(m_leave)})
        w->setVisible(active);
    setVisible(active || m_available);
    if (active && m_replay)
        onPlayhead(m_replay->playhead());
    onPlaying(m_replay && m_replay->isPlaying());
}

void ReplayBar::onPlayhead(std::int64_t t)
{
    if (!m_replay)
        return;
    const std::int64_t length = m_replay->length();
    m_updating = true;
    m_scrubber->setValue(length > 0 ? int(std::llround(double(t) / double(length) * ScrubberSteps)) : 0);
    m_updating = false;
    m_time->setText(u"%1 / %2"_s.arg(seconds(t), seconds(length)));
}

void ReplayBar::onPlaying(bool playing)
{
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void ReplayBar::onSpeed(double speed)
{
    const int i = m_speed->findData(speed);
    const QSignalBlocker quiet(m_speed);
    if (i >= 0) {
        m_speed->setCurrentIndex(i);
    } else {
        m_speed->addItem(u"%1x"_s.arg(speed), speed);
        m_speed->setCurrentIndex(m_speed->count() - 1);
    }
}

} // namespace interleave
