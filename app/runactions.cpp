// RunActions: each command made once, with its key and tooltip, and placed in bar and menus.
#include "runactions.h"

#include "sessionfile.h"
#include "timelineview.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QStyle>
#include <QToolBar>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

QAction* makeAction(QObject* parent, const QString& text, const QString& name, const QKeySequence& key,
                    const QString& tip = {})
{
    auto* a = new QAction(text, parent);
    a->setObjectName(name);
    a->setShortcut(key);
    a->setToolTip(tip);
    return a;
}

} // namespace

RunActions::RunActions(QMainWindow* window, TimelineView* timeline)
    : QObject(window)
{
    auto* bar = window->addToolBar(u"Run"_s);
    bar->setObjectName(u"runToolBar"_s);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    const auto icon = [bar](QStyle::StandardPixmap p) { return bar->style()->standardIcon(p); };

    m_run = makeAction(window, tr("Run"), u"actionRun"_s, Qt::Key_F5,
                       tr("Run the lesson, or resume it (F5; Space runs or pauses)"));
    m_run->setIcon(icon(QStyle::SP_MediaPlay));
    // Run is disabled while running, so Space, which also pauses, needs an action of its own.
    m_runOrPause = makeAction(window, tr("Run or pause"), u"actionRunOrPause"_s, Qt::Key_Space);
    m_pause = makeAction(window, tr("Pause"), u"actionPause"_s, Qt::Key_P,
                         tr("Hold every thread at its next step (P; Space toggles too)"));
    m_pause->setIcon(icon(QStyle::SP_MediaPause));
    m_pause->setCheckable(true);
    m_stop = makeAction(window, tr("Stop"), u"actionStop"_s, Qt::Key_Escape, tr("Stop every thread now (Esc)"));
    m_stop->setIcon(icon(QStyle::SP_MediaStop));
    m_reset = makeAction(window, tr("Reset"), u"actionReset"_s, QKeySequence(u"Ctrl+R"_s),
                         tr("Clear the timeline and run again with these settings (Ctrl+R)"));
    m_reset->setIcon(icon(QStyle::SP_BrowserReload));
    connect(m_run, &QAction::triggered, this, &RunActions::runOrPause);
    connect(m_runOrPause, &QAction::triggered, this, &RunActions::runOrPause);
    connect(m_pause, &QAction::triggered, this, &RunActions::pauseToggled);
    connect(m_stop, &QAction::triggered, this, &RunActions::stopRequested);
    connect(m_reset, &QAction::triggered, this, &RunActions::resetRequested);
    bar->addActions({m_run, m_pause, m_stop, m_reset});
    window->addAction(m_runOrPause);
    bar->addSeparator();

    bar->addWidget(new QLabel(tr(" Speed "), bar));
    m_speed = new QComboBox(bar);
    m_speed->setObjectName(u"speed"_s);
    for (const double s : {0.1, 0.25, 0.5, 1.0, 2.0, 4.0})
        m_speed->addItem(u"%1x"_s.arg(s), s);
    m_speed->setCurrentIndex(3);
    m_speed->setToolTip(tr("Time scale of the lesson: 0.5x is half as fast, easier to follow ([ slower, ] faster)"));
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT speedChanged(speed()); });
    bar->addWidget(m_speed);
    bar->addSeparator();

    m_follow = makeAction(window, tr("Follow live"), u"actionFollowLive"_s, Qt::Key_F,
                          tr("Keep the newest moment in view (F)"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QAction::toggled, timeline, &TimelineView::setFollowLive);
    connect(timeline, &TimelineView::followLiveChanged, m_follow, &QAction::setChecked);
    m_fit = makeAction(window, tr("Zoom to fit"), u"actionZoomToFit"_s, QKeySequence(u"Ctrl+0"_s),
                       tr("Show the whole run (Ctrl+0)"));
    m_fit->setIcon(icon(QStyle::SP_TitleBarMaxButton));
    connect(m_fit, &QAction::triggered, timeline, &TimelineView::zoomToFit);
    bar->addActions({m_follow, m_fit});
    m_zoomIn = makeAction(window, tr("Zoom in"), u"actionZoomIn"_s, QKeySequence::ZoomIn);
    // Ctrl++ needs Shift on most layouts: Ctrl+= is the same key without it.
    m_zoomIn->setShortcuts({QKeySequence(QKeySequence::ZoomIn), QKeySequence(u"Ctrl+="_s)});
    connect(m_zoomIn, &QAction::triggered, timeline, &TimelineView::zoomIn);
    m_zoomOut = makeAction(window, tr("Zoom out"), u"actionZoomOut"_s, QKeySequence::ZoomOut);
    connect(m_zoomOut, &QAction::triggered, timeline, &TimelineView::zoomOut);
    window->addActions({m_zoomIn, m_zoomOut});

    m_showGil = makeAction(window, tr("Show &GIL Lane"), u"actionShowGilLane"_s, Qt::Key_G);
    m_showGil->setCheckable(true);
    m_showGil->setChecked(timeline->showsGilLane());
    connect(m_showGil, &QAction::toggled, timeline, &TimelineView::setShowGilLane);
}

RunActions::~RunActions() = default;

void RunActions::addRunMenu(QMenu* run)
{
    run->addActions({m_run, m_runOrPause, m_pause, m_stop, m_reset});
    run->addSeparator();
    QAction* slower = run->addAction(tr("Slower"), this, [this] { changeSpeedStep(-1); });
    slower->setObjectName(u"actionSlower"_s);
    slower->setShortcut(Qt::Key_BracketLeft);
    QAction* faster = run->addAction(tr("Faster"), this, [this] { changeSpeedStep(+1); });
    faster->setObjectName(u"actionFaster"_s);
    faster->setShortcut(Qt::Key_BracketRight);
}

void RunActions::addViewMenu(QMenu* view)
{
    view->addActions({m_follow, m_fit, m_zoomIn, m_zoomOut});
    view->addSeparator();
    view->addAction(m_showGil);
}

void RunActions::update(bool haveLesson, bool running, bool paused, bool deadlocked)
{
    m_run->setText(paused ? tr("Resume") : tr("Run"));
    m_run->setEnabled((!running || paused) && haveLesson);
    m_reset->setEnabled(haveLesson);
    m_pause->setEnabled(running && !deadlocked);
    m_pause->setChecked(paused);
    m_stop->setEnabled(running);
}

void RunActions::setSpeed(double speed)
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

double RunActions::speed() const
{
    return m_speed->currentData().toDouble();
}

void RunActions::setShowGilLane(bool on)
{
    m_showGil->setChecked(on);
}

void RunActions::changeSpeedStep(int step)
{
    m_speed->setCurrentIndex(std::clamp(m_speed->currentIndex() + step, 0, m_speed->count() - 1));
    Q_EMIT message(tr("Speed %1").arg(m_speed->currentText()));
}

} // namespace interleave
