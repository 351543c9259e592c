// What an experiment found, while it runs and after: for a repeat, a histogram of one figure of
// its runs with min / median / max; for a sweep, the figure against the swept setting (a line of
// medians per series and a dot per run) with, for a speedup against workers, the ideal line and
// Amdahl's law fitted. Every run is listed; a bar picked selects its runs, and a run chosen can
// be put on screen again (openRunRequested).
#pragma once

#include "experiments.h"

#include <QWidget>

#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace interleave {

class ExperimentRunner;

class ExperimentView : public QWidget
{
    Q_OBJECT
public:
    explicit ExperimentView(const ExperimentRunner* runner, QWidget* parent = nullptr);
    ~ExperimentView() override;

    // Everything again from the runner: after each run, and when an experiment starts or ends.
    void refresh();

    QString figure() const;
    void setFigure(const QString& key);
    QString titleText() const;
    QString summaryText() const; // "10 runs. lost_updates: min 8,102, median 8,650, max 9,104..."
    QString fitText() const;     // Amdahl's fit, per series (empty when there is none)
    QChart* chart() const;
    // The histogram's bars (a repeat) as drawn: runs per bar.
    const std::vector<HistogramBar>& bars() const { return m_bars; }
    // Selects the runs of bar i in the list (as a click on the bar does).
    void selectBar(int index);
    std::vector<int> selectedRuns() const; // indices into the runner's runs()

Q_SIGNALS:
    void openRunRequested(int index);
    void stopRequested();

private:
    void rebuildChart();
    void histogram();
    void sweepChart();
    void fillTable();
    void openSelected();

    const ExperimentRunner* const m_runner;
    QLabel* const m_title;
    QProgressBar* const m_progress;
    QPushButton* const m_stop;
    QComboBox* const m_figure;
    QChartView* const m_chartView;
    QLabel* const m_summary;
    QTableWidget* const m_table;
    QPushButton* const m_open;
    std::vector<HistogramBar> m_bars;
    QString m_fit;
};

} // namespace interleave
