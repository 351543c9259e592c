// Live charts under the timeline: lock waiters, queue depth (with capacity), and GIL held against
// threads running, over the range of a TimeRange shared with the timeline. Each counter is kept
// as a CounterPyramid, decimated to the minimum and maximum of each pen-wide (2 px) column, and
// handed over once per frame when its points changed. The lines are drawn by a ChartLinesItem in
// each chart; Qt Charts keeps the axes, grid and legend (its series stay empty, for the legend).
#pragma once

#include "counterpyramid.h"
#include "timerange.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QWidget>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QTimer;
class QValueAxis;

class QGraphicsRectItem;

namespace interleave {

class ChartLinesItem;
class ChartTimeAxis;
class TraceStore;
struct ObjectData;

class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    enum Chart { LockWaiters, QueueDepth, GilAndCores, ChartCount };

    explicit ChartsPanel(QWidget* parent = nullptr);
    ~ChartsPanel() override;

    // Follows store: refreshes on appended() and empties on cleared() by itself (connecting
    // appended() to refresh() as well is harmless: refreshes coalesce).
    void setStore(const TraceStore* store);
    const TraceStore* store() const;

    // Follows range (shared with the timeline) from now on; null: a range of the panel's own,
    // following the whole run (the default).
    void setTimeRange(TimeRange* range);
    TimeRange* timeRange() const;
    // Shows [t0, t1] (ns since the session start), no longer following: sets the range (the range
    // shown already is left alone, following or not).
    void setTimeRange(std::int64_t t0, std::int64_t t1);
    // Shows the whole run, 0 .. store->endTime(), as it grows.
    void followLive();
    bool isFollowingLive() const;
    // The range shown now.
    std::int64_t rangeStart() const;
    std::int64_t rangeEnd() const;

    // Line widths times `scale`: thicker lines read better on a projector (presentation mode).
    void setLineWidthScale(double scale);
    double lineWidthScale() const { return m_lineScale; }

    // The plot areas' left edge and width in the panel's coordinates: the timeline's lane column,
    // so that a moment is at the same x in both (width <= 0: the panel's own layout).
    void setPlotColumn(int left, int width);
    // The time under the pointer over the timeline (-1: none), drawn as a line across the plots.
    void setCursorTime(std::int64_t t);
    // Whether any chart is shown (the lesson has locks, queues or a GIL).
    bool hasCharts() const;
    // The labels under a chart's plot, as drawn (tests).
    QStringList timeLabels(Chart chart) const;
    QList<double> timeGridXs(Chart chart) const; // the time axis's grid lines (ChartTimeAxis::gridLineXs)
    bool cursorShown(Chart chart) const;

    // Asks for a redraw: the work happens at most once per frame (~16 ms), on the next event loop
    // pass; while the panel is hidden it waits until it is shown.
    void refresh();
    // Does the work now, whether visible or not (tests, benchmarks).
    void refreshNow();

    // --- for tests and benchmarks ---------------------------------------------------------------
    bool isChartShown(Chart chart) const;
    int seriesCount(Chart chart) const;
    QString seriesName(Chart chart, int series) const;
    int pointsInSeries(Chart chart, int series) const;
    // A series' points in axis units (seconds, count), as its ChartLinesItem draws them.
    QList<QPointF> seriesPoints(Chart chart, int series) const;
    // The plot area's width in pixels (counters are decimated to columns of 2 of them).
    int plotWidth(Chart chart) const;
    // Milliseconds the last refresh took (reading the store, decimating, handing the lines over).
    double lastRefreshMs() const { return m_lastRefreshMs; }
    // Series the last refresh handed new points (a series whose points did not change is left).
    int lastSeriesReplaced() const { return m_lastReplaced; }
    QChart* chart(Chart chart) const;

Q_SIGNALS:
    // After each refresh, with every series up to date.
    void refreshed();
    // A chart appeared where there was none, or the last one went.
    void chartsShownChanged(bool any);

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    enum class Role { Counter, Capacity, GilHeld, Running };
    struct Binding
    {
        Role role = Role::Counter;
        std::uint32_t object = 0;
        QLineSeries* series = nullptr; // empty: the legend's entry, name and pen
    };
    struct Part
    {
        QChartView* view = nullptr;
        QChart* chart = nullptr;
        QValueAxis* x = nullptr;
        QValueAxis* y = nullptr;
        ChartLinesItem* lines = nullptr; // the bindings' lines, in the same order
        std::vector<Binding> bindings;
        std::size_t folded = 0; // series beyond MaxSeriesPerChart, not drawn
        std::vector<QGraphicsRectItem*> pausedBands; // grey over the spans the run was paused
        std::shared_ptr<ChartTimeAxis> time; // the x axis's ticks and labels, as the timeline's
    };

public:
    // A chart draws at most this many series; a trace with thousands of counters gets the first
    // ones and a title that says how many more there are (Qt Charts' legend and series
    // bookkeeping is quadratic: ten thousand series took minutes to build and to tear down).
    static constexpr std::size_t MaxSeriesPerChart = 24;
    std::size_t foldedSeries() const;
    // The paused spans drawn over a chart now (a grey band each), with their left and right
    // edges in the chart's scene coordinates.
    std::vector<std::pair<double, double>> pausedBands(Chart chart) const;

private:
    TimeRange& range() const { return *m_range; }
    void onAppended();
    void onCleared();
    void syncSeries();
    void rebuildSeries(Part& part, const std::vector<Binding>& wanted);
    void drawPausedBands(std::int64_t t0, std::int64_t t1);
    void styleSeries(Chart chart);
    void applyPalette();
    void updateTitles();
    void alignPlots();
    int columnsFor(const Part& part) const;
    // A series' points: counters decimated to `columns` min/max columns, "threads running"
    // sampled `samples` times across the range.
    QList<QPointF> pointsFor(const Binding& b, std::int64_t t0, std::int64_t t1, std::int64_t dataEnd, int columns,
                             int samples);
    // The pyramid a counter series is decimated from, brought up to date with the store.
    const CounterPyramid& pyramid(Role role, const ObjectData& object);
    QList<QPointF> runningPoints(std::int64_t t0, std::int64_t t1, int columns) const;
    void setAxes(Part& part, std::int64_t t0, std::int64_t t1, double maxY);

    QPointer<const TraceStore> m_store;
    TimeRangeLink m_range;
    std::array<Part, ChartCount> m_parts{};
    QLabel* const m_placeholder;
    QTimer* const m_timer;
    QElapsedTimer m_sinceRefresh; // throttles refreshes to one per frame
    std::map<std::pair<Role, std::uint32_t>, CounterPyramid> m_pyramids; // per counter series
    bool m_pendingWhileHidden = false;
    bool m_dark = false;
    bool m_themed = false;
    double m_lastRefreshMs = 0;
    int m_lastReplaced = 0;
    double m_lineScale = 1.0;
    int m_columnLeft = -1;
    int m_columnWidth = 0;
};

} // namespace interleave
