// RunView: the banner, timeline and legend in one box, the charts under it in a splitter.
#include "runview.h"

#include "chartspanel.h"
#include "legendbar.h"
#include "replaybar.h"
#include "timelineview.h"
#include "timerange.h"

#include <QEvent>
#include <QLabel>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

RunView::RunView(const TraceStore* store, QWidget* parent)
    : QWidget(parent)
    , m_banner(new QLabel(this))
    , m_explanation(new QLabel(this))
    , m_timeline(new TimelineView(this))
    , m_legend(new LegendBar(this))
    , m_replayBar(new ReplayBar(this))
    , m_charts(new ChartsPanel(this))
{
    m_banner->setObjectName(u"outcome"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setContentsMargins(10, 6, 10, 6);
    applyBannerFont();
    m_explanation->setObjectName(u"explanation"_s);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explanation->setContentsMargins(10, 6, 10, 6);
    m_explanation->setStyleSheet(u"background: #FFF3D6; color: #222; border-left: 5px solid #FFB000;"_s);
    m_explanation->hide();
    m_timeline->setStore(store);
    m_timeline->setLaneHeight(NormalLaneHeight);
    m_charts->setStore(store);

    auto* split = m_split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false); // a small window keeps a usable timeline
    auto* timelineBox = new QWidget(split);
    auto* timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addWidget(m_banner);
    timelineLayout->addWidget(m_timeline, 1);
    timelineLayout->addWidget(m_explanation);
    timelineLayout->addWidget(m_replayBar);
    timelineLayout->addWidget(m_legend);
    split->addWidget(timelineBox);
    split->addWidget(m_charts);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({520, 300});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    // One visible range for both: zooming the timeline moves the charts with it.
    auto* range = new TimeRange(this);
    m_timeline->setTimeRange(range);
    m_charts->setTimeRange(range);
    connect(m_timeline, &TimelineView::explanationChanged, this, &RunView::showExplanation);
    // The charts under the lanes, moment for moment: same column, same ticks, one cursor.
    connect(m_timeline, &TimelineView::laneColumnChanged, this, &RunView::syncChartColumn);
    connect(m_timeline, &TimelineView::cursorMoved, m_charts, &ChartsPanel::setCursorTime);
    connect(m_charts, &ChartsPanel::chartsShownChanged, this, &RunView::onChartsShown);
    onChartsShown(m_charts->hasCharts());
}

void RunView::syncChartColumn()
{
    const int left = m_timeline->mapTo(this, QPoint(m_timeline->laneAreaLeft(), 0)).x()
                     - m_charts->mapTo(this, QPoint(0, 0)).x();
    m_charts->setPlotColumn(left, int(m_timeline->mapping().width));
}

void RunView::onChartsShown(bool any)
{
    // A lesson without locks, queues or a GIL has no charts: its lanes get the room.
    m_charts->setMaximumHeight(any ? QWIDGETSIZE_MAX : m_charts->fontMetrics().height() * 3);
}

void RunView::resizeEvent(QResizeEvent* e)
{
    QWidget::resizeEvent(e);
    syncChartColumn();
}

void RunView::showExplanation(const QString& title, const QString& sentence)
{
    m_explanation->setVisible(!sentence.isEmpty());
    m_explanation->setText(sentence.isEmpty() ? QString()
                                              : u"<b>%1.</b> %2 <span style='color:#666'>(Esc closes)</span>"_s.arg(
                                                    title.toHtmlEscaped(), sentence.toHtmlEscaped()));
}

QString RunView::explanationText() const
{
    return m_explanation->isHidden() ? QString() : m_explanation->text();
}

RunView::~RunView() = default;

void RunView::setPinnedLook()
{
    m_banner->setStyleSheet(u"background: #E6ECF5; color: #1B2A41; border-left: 5px solid #5B7DB1;"_s);
    m_split->setStretchFactor(0, 7);
    m_split->setStretchFactor(1, 3);
    // After the layout has given the view its height (a view made just now has none yet).
    QTimer::singleShot(0, this, [this] { m_split->setSizes({700, 300}); });
}

void RunView::followRangeOf(const RunView* leader)
{
    m_timeline->setTimeRange(leader->timeline()->timeRange());
    m_charts->setTimeRange(leader->timeline()->timeRange());
}

void RunView::setBanner(const QString& text, const QString& toolTip)
{
    m_banner->setText(text);
    m_banner->setToolTip(toolTip);
}

void RunView::setAlarm(bool alarm)
{
    m_banner->setStyleSheet(alarm ? u"background: #CC0000; color: white;"_s : QString());
}

QString RunView::bannerText() const
{
    return m_banner->text();
}

void RunView::setPresentation(bool on)
{
    m_timeline->setLaneHeight(on ? PresentationLaneHeight : NormalLaneHeight);
    m_charts->setLineWidthScale(on ? 1.75 : 1.0);
}

void RunView::applyBannerFont()
{
    // A size up from the window's font, bold: the sentence the class reads first.
    QFont banner = font();
    if (banner.pointSizeF() > 0)
        banner.setPointSizeF(banner.pointSizeF() * 1.35);
    banner.setBold(true);
    m_banner->setFont(banner);
    QFont explanation = font();
    if (explanation.pointSizeF() > 0)
        explanation.setPointSizeF(explanation.pointSizeF() * 1.15);
    m_explanation->setFont(explanation);
}

void RunView::changeEvent(QEvent* e)
{
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange)
        applyBannerFont();
}

} // namespace interleave
