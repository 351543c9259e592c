// What a class looks at: the outcome banner over the live timeline, the state legend, and the
// charts under them, all showing one TraceStore. The window arranges it; Run fills the store.
#pragma once

#include <QWidget>

class QLabel;
class QSplitter;

namespace interleave {

class ChartsPanel;
class LegendBar;
class ReplayBar;
class TimelineView;
class TraceStore;

class RunView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int NormalLaneHeight = 22;
    static constexpr int PresentationLaneHeight = 36;

    explicit RunView(const TraceStore* store, QWidget* parent = nullptr);
    ~RunView() override;

    // The banner: one or two sentences on the run; red for an alarm a class must see (a deadlock).
    void setBanner(const QString& text, const QString& toolTip = {});
    void setAlarm(bool alarm);
    QString bannerText() const;
    // The explanation of what was clicked on the timeline (empty when none is shown).
    QString explanationText() const;
    // Thicker lanes and lines, a larger banner: for a projector.
    void setPresentation(bool on);

    // A run kept for comparison: its banner marked as such (a grey-blue bar at its side), more of
    // its height for the lanes than for the charts.
    void setPinnedLook();
    // Shows the range `leader` shows (its timeline's and charts'), from now on: two runs on one
    // time axis, each from its start.
    void followRangeOf(const RunView* leader);

    TimelineView* timeline() const { return m_timeline; }
    ChartsPanel* charts() const { return m_charts; }
    LegendBar* legend() const { return m_legend; }
    ReplayBar* replayBar() const { return m_replayBar; }

protected:
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void applyBannerFont();
    void showExplanation(const QString& title, const QString& sentence);
    void syncChartColumn();
    void onChartsShown(bool any);

    QLabel* const m_banner;
    QLabel* const m_explanation;
    TimelineView* const m_timeline;
    LegendBar* const m_legend;
    ReplayBar* const m_replayBar;
    ChartsPanel* const m_charts;
    QSplitter* m_split = nullptr;
};

} // namespace interleave
