// The live timeline: one lane per thread or process with its states, lock holds and markers, a
// GIL lane on top, a time axis; zoom with the wheel, pan by dragging, follow the live edge.
#pragma once

#include "timemapping.h"
#include "traceevent.h"

#include <QImage>
#include <QWidget>

#include <cstdint>

class QScrollBar;

namespace interleave {

class TraceStore;
struct LaneData;

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    void setStore(const TraceStore* store);
    const TraceStore* store() const { return m_store; }
    void setShowGilLane(bool show);
    bool showsGilLane() const { return m_showGil; }
    // Lane height in pixels (presentation mode makes it thicker).
    void setLaneHeight(int pixels);
    int laneHeight() const { return m_laneHeight; }

    const TimeMapping& mapping() const { return m_map; }
    void setMapping(const TimeMapping& mapping);
    bool followLive() const { return m_follow; }

    // Geometry, for tests and tooltips: the state bar of a store lane, in widget coordinates.
    QRect laneBarRect(int lane) const;
    int laneAreaLeft() const { return m_gutter; }

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

private:
    struct Row
    {
        int y = 0; // top of the state bar
        int lane = -1; // store lane, or -1 for the GIL lane
    };

    void onAppended();
    void onCleared();
    void updateLayout();
    void followEdge();
    void mappingChanged();
    int rowHeight() const { return m_laneHeight + m_holdHeight + m_gap; }
    int rowAt(int y) const; // index into rows(), or -1
    std::vector<Row> rows() const;
    std::int64_t gilObject() const; // object id of the GIL, or 0

    void paintAxis(QPainter& p, bool gridOnly);
    void paintStates(QPainter& p, std::size_t lane, int y);
    void paintHolds(QPainter& p, const LaneData& lane, int y);
    void paintMarkers(QPainter& p, const LaneData& lane, int y);
    void paintGil(QPainter& p, int y);
    void paintSlices(QPainter& p, const LaneData& lane, int y); // imported traces
    void paintFlows(QPainter& p, const std::vector<Row>& rows);
    QString sliceToolTip(const LaneData& lane, int rowY, int y, std::int64_t t) const;
    void paintGutter(QPainter& p, const std::vector<Row>& rows);
    QString toolTipAt(const QPoint& pos) const;

    const TraceStore* m_store = nullptr;
    TimeMapping m_map;
    QScrollBar* const m_vscroll;
    bool m_follow = true;
    bool m_showGil = false;
    bool m_fittedOnce = false;
    int m_gutter = 150;
    int m_axisHeight = 26;
    int m_laneHeight = 22;
    int m_holdHeight = 5;
    int m_gap = 7;
    QPoint m_dragFrom;
    bool m_dragging = false;
    int m_fills = 0;
    QImage m_row; // one lane's pixel columns, reused
    double m_paintMs = 0;
};

} // namespace interleave
