// The live timeline: one lane per thread or process with its states, lock holds and markers, a
// GIL lane on top, a time axis; zoom with the wheel, pan by dragging, follow the live edge. The
// range shown is a TimeRange, shared with the charts. The view keeps input, layout and the frame
// loop; each kind of lane or overlay has its painter (StateLanePainter, HoldPainter, MarkerPainter,
// GilLanePainter, SlicePainter, TimeAxisPainter, LaneNamePainter) and TimelineToolTip the text.
#pragma once

#include "explanations.h"
#include "statelanepainter.h"
#include "timelineframe.h"
#include "timemapping.h"
#include "timerange.h"

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <vector>

class QScrollBar;

namespace interleave {

class TraceStore;

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    void setStore(const TraceStore* store);
    const TraceStore* store() const { return m_store; }
    void setShowGilLane(bool show);
    // The widest lane name the lesson will make (e.g. "philosopher-12"): the names' column is
    // that wide from the start, so it does not jump as threads appear.
    void setWidestLaneName(const QString& name);
    bool showsGilLane() const { return m_showGil; }
    // Lane height in pixels (presentation mode makes it thicker).
    void setLaneHeight(int pixels);
    int laneHeight() const { return m_laneHeight; }

    // The range shown, shared with other views (the charts); without one the view has its own.
    void setTimeRange(TimeRange* range);
    TimeRange* timeRange() const;

    // The range in this view's pixels. setMapping() shows its range (the width stays the view's).
    const TimeMapping& mapping() const { return m_map; }
    void setMapping(const TimeMapping& mapping);
    bool followLive() const;

    // Geometry, for tests and tooltips: the state bar of a store lane, in widget coordinates.
    QRect laneBarRect(int lane) const;
    int laneAreaLeft() const { return m_gutter; }

    // Why the mark or wait under a click is there (explainAt), highlighted on the lanes until
    // cleared (Esc, a click on nothing, a new run). Returns whether there was anything to explain.
    bool explainAt(const QPoint& pos);
    void clearExplanation();
    const Explanation& explanation() const { return m_explanation; }
    // The store lane last clicked (-1: none yet): what "next event" of a replay steps along.
    int selectedLane() const { return m_selectedLane; }
    // A replay's playhead, drawn as a line across the lanes (-1: none).
    void setPlayhead(std::int64_t t);

    // Cost of the last frame: fill operations issued and milliseconds spent painting.
    int lastFillCount() const { return m_fills; }
    double lastPaintMs() const { return m_paintMs; }

    QSize sizeHint() const override { return {900, 420}; }
    QSize minimumSizeHint() const override { return {300, 120}; }

public Q_SLOTS:
    void setFollowLive(bool follow);
    void zoomIn();
    void zoomOut();
    void zoomToFit();

Q_SIGNALS:
    void viewChanged(std::int64_t t0, std::int64_t t1);
    void followLiveChanged(bool follow);
    // The time under the pointer over the lanes (-1: the pointer left them): for a cursor line
    // across the charts.
    void cursorMoved(std::int64_t t);
    // The lanes' column moved or changed width (names got wider, the view was resized).
    void laneColumnChanged();
    // A click on a thread's lane (its lane id, as the session numbers lanes): step mode lets that
    // thread take its step.
    void laneClicked(std::uint32_t laneId);
    // A click explained something (or cleared it: both empty).
    void explanationChanged(const QString& title, const QString& sentence);

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void changeEvent(QEvent* e) override;
    void leaveEvent(QEvent* e) override;

private:
    using Row = TimelineRow;

    void onAppended();
    void onCleared();
    void onRangeChanged();
    void updateLayout();
    void widthChanged();
    void followEdge();
    // Shows m's range (its zoom exactly: the mapping is kept when the range comes back unchanged).
    void showMapping(const TimeMapping& m);
    TimeRange& range() const { return *m_range; }
    int rowHeight() const { return m_laneHeight + m_holdHeight + m_gap; }
    int rowAt(int y) const; // index into rows(), or -1
    std::vector<Row> rows() const;

    TimelineFrame frame();
    void paintHistoryCap(QPainter& p, TimelineFrame& f);
    void paintLaneNames(QPainter& p, const TimelineFrame& f, const std::vector<Row>& rows);
    QString toolTipAt(const QPoint& pos) const;
    void paintExplanation(QPainter& p, const std::vector<Row>& rows) const;
    void focusExplanation();

    const TraceStore* m_store = nullptr;
    TimeRangeLink m_range;
    TimeMapping m_map; // the range in this view's pixels, rebuilt when the range changes
    QScrollBar* const m_vscroll;
    QString m_widestName = QStringLiteral("thread-12");
    bool m_showGil = false;
    int m_gutter = 150;
    int m_axisHeight = 26;
    int m_laneHeight = 22;
    int m_holdHeight = 5;
    int m_gap = 7;
    QPoint m_dragFrom;
    QPoint m_pressedAt;
    bool m_dragging = false;
    bool m_moved = false; // the press became a drag: not a click
    Explanation m_explanation;
    int m_selectedLane = -1;
    std::int64_t m_playhead = -1;
    std::int64_t m_cursor = -1; // the time under the pointer
    int m_fills = 0;
    StateLanePainter m_states;
    // What the cached names' column shows: redrawn when any of it changes.
    struct NamesKey
    {
        struct Name
        {
            int y = 0;
            int lane = -1;
            bool ended = false;
            QString name;
            friend bool operator==(const Name&, const Name&) = default;
        };
        QSize size;
        int gutter = 0;
        int axisHeight = 0;
        int laneHeight = 0;
        double dpr = 1;
        qint64 palette = 0;
        QString font;
        bool laneKey = false;
        std::vector<Name> rows;
        friend bool operator==(const NamesKey&, const NamesKey&) = default;
    };
    NamesKey m_namesKey;
    QImage m_namesImage;
    double m_paintMs = 0;
};

} // namespace interleave
