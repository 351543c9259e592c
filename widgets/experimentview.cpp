// ExperimentView: a chart and a list of runs, rebuilt from the runner after every run (a few per
// second at most: each is a whole run of a lesson).
#include "experimentview.h"

#include "experimentrunner.h"
#include "lessons.h"
#include "statepalette.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// 8,650 or 0.981: whole numbers grouped, others to three significant digits.
QString number(double v)
{
    if (!std::isfinite(v))
        return u"-"_s;
    if (v == std::round(v) && std::abs(v) < 1e15)
        return QLocale().toString(qint64(v));
    return QLocale().toString(v, 'g', 3);
}

// The setting's value as the settings panel writes it ("4", "on").
QString settingText(const ExperimentPlan& plan, double x)
{
    if (const auto card = Lessons::find(plan.lesson)) {
        const int i = card->schema.indexOf(plan.sweepKey);
        if (i >= 0)
            return card->schema.at(i).valueText(x);
    }
    return number(x);
}

QColor seriesColor(int i)
{
    // The lesson states' colours, which the class already reads as distinct.
    static const ThreadState order[] = {ThreadState::Running, ThreadState::WaitingLock, ThreadState::BlockedQueue,
                                        ThreadState::WaitingGil, ThreadState::Sleeping};
    return StatePalette::state(order[std::size_t(i) % std::size(order)]);
}

} // namespace

ExperimentView::ExperimentView(const ExperimentRunner* runner, QWidget* parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_title(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_figure(new QComboBox(this))
    , m_chartView(new QChartView(new QChart, this))
    , m_summary(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_open(new QPushButton(tr("Show This Run"), this))
{
    setObjectName(u"experimentView"_s);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stop->setToolTip(tr("Stop the experiment: the run going on is cut short and not counted"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(260);
    m_chartView->chart()->legend()->setAlignment(Qt::AlignBottom);
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Setting"), tr("Ended"), tr("Wall time"), tr("Figure")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_open->setToolTip(tr("Put the selected run on the timeline again, as it was recorded (Enter)"));

    auto* top = new QHBoxLayout;
    top->addWidget(m_progress, 1);
    top->addWidget(m_stop);
    auto* pick = new QHBoxLayout;
    auto* figureLabel = new QLabel(tr("&Figure:"), this);
    figureLabel->setBuddy(m_figure);
    pick->addWidget(figureLabel);
    pick->addWidget(m_figure, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(m_open);
    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_summary);
    lowerLayout->addWidget(m_table, 1);
    lowerLayout->addLayout(bottom);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chartView);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(top);
    layout->addLayout(pick);
    layout->addWidget(split, 1);

    connect(m_stop, &QPushButton::clicked, this, &ExperimentView::stopRequested);
    connect(m_figure, &QComboBox::currentIndexChanged, this, [this] {
        rebuildChart();
        fillTable();
    });
    connect(m_open, &QPushButton::clicked, this, &ExperimentView::openSelected);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &ExperimentView::openSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_open->setEnabled(!selectedRuns().empty()); });
    m_open->setEnabled(false);
    refresh();
}

ExperimentView::~ExperimentView() = default;

QString ExperimentView::figure() const
{
    return m_figure->currentData().toString();
}

void ExperimentView::setFigure(const QString& key)
{
    const int i = m_figure->findData(key);
    if (i >= 0)
        m_figure->setCurrentIndex(i);
}

QString ExperimentView::titleText() const
{
    return m_title->text();
}

QString ExperimentView::summaryText() const
{
    return m_summary->text();
}

QString ExperimentView::fitText() const
{
    return m_fit;
}

QChart* ExperimentView::chart() const
{
    return m_chartView->chart();
}

void ExperimentView::refresh()
{
    const ExperimentPlan& plan = m_runner->plan();
    const auto card = Lessons::find(plan.lesson);
    const QString lesson = card ? card->title : plan.lesson;
    const int done = int(m_runner->runs().size());
    if (plan.sweepKey.isEmpty()) {
        m_title->setText(tr("%1, run %2 times").arg(lesson).arg(plan.repeat));
    } else {
        const auto [lo, hi] = std::minmax_element(plan.points.begin(), plan.points.end(),
                                                  [](const auto& a, const auto& b) { return a.x < b.x; });
        m_title->setText(plan.points.empty() ? lesson
                                             : tr("%1: %2 from %3 to %4%5")
                                                   .arg(lesson, plan.sweepKey, settingText(plan, lo->x), settingText(plan, hi->x),
                                                        plan.repeat > 1 ? tr(", %1 runs each").arg(plan.repeat) : QString()));
    }
    m_progress->setRange(0, std::max(1, plan.total()));
    m_progress->setValue(done);
    m_progress->setFormat(m_runner->isRunning() ? tr("run %1 of %2").arg(std::min(done + 1, plan.total())).arg(plan.total())
                          : m_runner->isComplete() ? tr("%1 runs, done").arg(done)
                                                   : tr("stopped after %1 of %2 runs").arg(done).arg(plan.total()));
    m_stop->setEnabled(m_runner->isRunning());

    // The figures the runs have, the one chosen kept.
    const QString chosen = figure();
    const QStringList keys = figureKeys(m_runner->allOutcomes());
    QStringList shown;
    for (int i = 0; i < m_figure->count(); ++i)
        shown << m_figure->itemData(i).toString();
    if (shown != keys) {
        const QSignalBlocker quiet(m_figure);
        m_figure->clear();
        for (const QString& k : keys)
            m_figure->addItem(k == "wall_ms"_L1 ? tr("wall time (ms)") : QString(k).replace(u'_', u' '), k);
        const int keep = m_figure->findData(chosen);
        m_figure->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    rebuildChart();
    fillTable();
}

void ExperimentView::rebuildChart()
{
    QChart* chart = m_chartView->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis), delete axis;
    m_bars.clear();
    m_fit.clear();
    if (m_runner->plan().sweepKey.isEmpty())
        histogram();
    else
        sweepChart();
}

void ExperimentView::histogram()
{
    const QString key = figure();
    const std::vector<RunOutcome> runs = m_runner->allOutcomes();
    std::vector<double> values;
    for (const RunOutcome& r : runs)
        values.push_back(figureOf(r, key));
    const auto spread = spreadOf([&] {
        std::vector<double> finite;
        std::copy_if(values.begin(), values.end(), std::back_inserter(finite), [](double v) { return std::isfinite(v); });
        return finite;
    }());
    QChart* chart = m_chartView->chart();
    QString label = m_figure->currentText();
    if (!spread) {
        chart->setTitle(tr("No run has finished yet"));
        m_summary->setText(QString());
        return;
    }
    m_bars = histogramOf(values, 10);
    auto* set = new QBarSet(tr("runs"));
    set->setColor(seriesColor(0));
    QStringList categories;
    int most = 0;
    for (const HistogramBar& bar : m_bars) {
        *set << double(bar.members.size());
        most = std::max(most, int(bar.members.size()));
        categories << number(bar.from); // a bar's lowest value; the axis title says how wide
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.9);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    const HistogramBar& first = m_bars.front();
    const bool whole = first.to - first.from == std::round(first.to - first.from);
    if (first.to != first.from) // the bars' width, so a label's value reads as "from"
        x->setTitleText(whole ? tr("%1 (bars of %2 values, each labelled with its lowest)").arg(label, number(first.to - first.from + 1))
                              : tr("%1 (bars %2 wide, each labelled with its lowest value)").arg(label, number(first.to - first.from)));
    else
        x->setTitleText(label);
    auto* y = new QValueAxis;
    y->setRange(0, std::max(1, most));
    y->setTickCount(std::min(most, 5) + 1);
    y->setLabelFormat(u"%d"_s);
    y->setTitleText(tr("runs"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->hide();
    chart->setTitle(tr("%1: min %2, median %3, max %4 (%5 runs)")
                        .arg(label, number(spread->min), number(spread->median), number(spread->max))
                        .arg(spread->count));
    connect(set, &QBarSet::clicked, this, &ExperimentView::selectBar);

    // Each way the runs ended, counted: a deadlock in 3 of 20 is the lesson.
    std::map<QString, int> ended;
    for (const RunOutcome& r : runs)
        ++ended[r.ended];
    QStringList endings;
    for (const auto& [how, n] : ended)
        endings << u"%1 %2"_s.arg(how).arg(n);
    m_summary->setText(tr("%1 runs. %2: min %3, median %4, max %5, mean %6. Ended: %7.")
                           .arg(spread->count)
                           .arg(label, number(spread->min), number(spread->median), number(spread->max), number(spread->mean),
                                endings.join(u", "_s)));
}

void ExperimentView::sweepChart()
{
    const ExperimentPlan& plan = m_runner->plan();
    const QString key = figure();
    const QString label = m_figure->currentText();
    QChart* chart = m_chartView->chart();
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    x->setTitleText(plan.sweepKey);
    y->setTitleText(label);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->legend()->show();

    // The series in the plan's order; per series its points' medians and each run.
    QStringList names;
    for (const ExperimentPoint& p : plan.points) {
        if (!names.contains(p.series))
            names << p.series;
    }
    double xMin = INFINITY, xMax = -INFINITY, yMax = 0;
    for (const ExperimentPoint& p : plan.points)
        xMin = std::min(xMin, p.x), xMax = std::max(xMax, p.x);
    QStringList lines;
    QStringList fits;
    const bool speedup = key == "speedup"_L1 && (plan.sweepKey == "workers"_L1 || plan.sweepKey == "threads"_L1);
    for (int s = 0; s < names.size(); ++s) {
        auto* medians = new QLineSeries;
        auto* dots = new QScatterSeries;
        const QString name = names[s].isEmpty() ? label : names[s];
        medians->setName(name);
        QPen pen(seriesColor(s), 3);
        medians->setPen(pen);
        dots->setColor(seriesColor(s));
        dots->setBorderColor(seriesColor(s).darker(130));
        dots->setMarkerSize(7);
        std::vector<std::pair<double, double>> forFit;
        double bestAt = NAN, best = -INFINITY;
        for (int p = 0; p < int(plan.points.size()); ++p) {
            if (plan.points[std::size_t(p)].series != names[s])
                continue;
            std::vector<double> values;
            for (const RunOutcome& r : m_runner->outcomesOf(p)) {
                const double v = figureOf(r, key);
                if (std::isfinite(v))
                    values.push_back(v);
            }
            const auto spread = spreadOf(values);
            if (!spread)
                continue;
            const double at = plan.points[std::size_t(p)].x;
            for (double v : values)
                dots->append(at, v), yMax = std::max(yMax, v);
            medians->append(at, spread->median);
            forFit.emplace_back(at, spread->median);
            if (spread->median > best)
                best = spread->median, bestAt = at;
        }
        // One line per series: from the first value to the last, and the highest.
        QString line;
        if (!forFit.empty()) {
            line = tr("%1: %2 at %3 = %4 … %5 at %6; highest %7 at %8")
                       .arg(name, number(forFit.front().second), plan.sweepKey, settingText(plan, forFit.front().first),
                            number(forFit.back().second), settingText(plan, forFit.back().first), number(best),
                            settingText(plan, bestAt));
        }
        chart->addSeries(medians);
        chart->addSeries(dots);
        for (QAbstractSeries* series : {static_cast<QAbstractSeries*>(medians), static_cast<QAbstractSeries*>(dots)})
            series->attachAxis(x), series->attachAxis(y);
        chart->legend()->markers(dots).constFirst()->setVisible(false);
        if (speedup) {
            if (const auto fit = fitAmdahl(forFit)) {
                auto* fitted = new QLineSeries;
                fitted->setName(tr("%1: Amdahl, serial %2").arg(name, number(fit->serialFraction)));
                QPen dotted(seriesColor(s).lighter(120), 2, Qt::DotLine);
                fitted->setPen(dotted);
                for (int i = 0; i <= 40; ++i) {
                    const double n = xMin + (xMax - xMin) * i / 40.0;
                    fitted->append(n, fit->predict(std::max(1.0, n)));
                }
                chart->addSeries(fitted);
                fitted->attachAxis(x), fitted->attachAxis(y);
                chart->legend()->markers(fitted).constFirst()->setVisible(false); // the title says what dots mean
                fits << tr("%1: serial fraction %2 (rms error %3)").arg(name, number(fit->serialFraction), number(fit->rmsError));
                line += tr("; Amdahl's law: serial fraction %1").arg(number(fit->serialFraction));
            }
        }
        if (!line.isEmpty())
            lines << line;
    }
    if (speedup && std::isfinite(xMin)) {
        auto* ideal = new QLineSeries;
        ideal->setName(tr("ideal: speedup = %1").arg(plan.sweepKey));
        ideal->setPen(QPen(palette().color(QPalette::WindowText), 1.5, Qt::DashLine));
        ideal->append(xMin, xMin);
        ideal->append(xMax, xMax);
        chart->addSeries(ideal);
        ideal->attachAxis(x), ideal->attachAxis(y);
        yMax = std::max(yMax, xMax);
    }
    if (!std::isfinite(xMin)) {
        xMin = 0;
        xMax = 1;
    }
    x->setRange(xMin, xMax == xMin ? xMin + 1 : xMax);
    if (xMax - xMin >= 1 && xMin == std::round(xMin) && xMax == std::round(xMax)) {
        // Whole settings (workers, threads): a tick at whole values only.
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(xMin);
        x->setTickInterval(std::max(1.0, std::ceil((xMax - xMin) / 8)));
        x->setLabelFormat(u"%d"_s);
    } else {
        x->setLabelFormat(u"%g"_s);
    }
    y->setRange(0, yMax > 0 ? yMax * 1.05 : 1);
    y->applyNiceNumbers();
    y->setLabelFormat(u"%g"_s);
    m_fit = fits.join(u"\n"_s);
    chart->setTitle(m_fit.isEmpty() ? tr("%1 against %2: a dot per run, a line through the medians").arg(label, plan.sweepKey)
                                    : tr("%1 against %2: dots are runs, dotted lines Amdahl's law fitted").arg(label, plan.sweepKey));
    const int cores = QThread::idealThreadCount();
    if (speedup && xMax > cores) // the machine's limit, not the program's, beyond its cores
        lines << tr("This machine has %1 cores: no speedup above %1 is possible here, so beyond %1 %2 the fit "
                    "measures the cores as well as the program.")
                     .arg(cores)
                     .arg(plan.sweepKey);
    m_summary->setText(lines.join(u"\n"_s));
}

void ExperimentView::fillTable()
{
    const ExperimentPlan& plan = m_runner->plan();
    const auto& runs = m_runner->runs();
    const QString key = figure();
    m_table->setRowCount(int(runs.size()));
    m_table->horizontalHeaderItem(4)->setText(m_figure->currentText());
    for (int i = 0; i < int(runs.size()); ++i) {
        const ExperimentRun& r = runs[std::size_t(i)];
        const ExperimentPoint& p = plan.points[std::size_t(r.point)];
        QString setting = plan.sweepKey.isEmpty() ? tr("as set") : u"%1 = %2"_s.arg(plan.sweepKey, settingText(plan, p.x));
        if (!p.series.isEmpty())
            setting = p.series + u", "_s + setting;
        const QStringList cells{QString::number(i + 1), setting, r.outcome.ended, tr("%1 ms").arg(number(std::round(r.outcome.wallMs))),
                                number(figureOf(r.outcome, key))};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c == 0 || c >= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!r.recording)
                item->setToolTip(tr("Its recording was not kept (over the experiment's memory budget): only its outcome"));
            m_table->setItem(i, c, item);
        }
    }
    m_table->resizeColumnsToContents();
}

void ExperimentView::selectBar(int index)
{
    if (index < 0 || std::size_t(index) >= m_bars.size())
        return;
    m_table->clearSelection();
    const auto mode = m_table->selectionMode();
    m_table->setSelectionMode(QAbstractItemView::MultiSelection);
    for (int run : m_bars[std::size_t(index)].members)
        m_table->selectRow(run);
    m_table->setSelectionMode(mode);
    if (!m_bars[std::size_t(index)].members.empty())
        m_table->scrollToItem(m_table->item(m_bars[std::size_t(index)].members.front(), 0));
}

std::vector<int> ExperimentView::selectedRuns() const
{
    std::vector<int> rows;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows())
        rows.push_back(i.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void ExperimentView::openSelected()
{
    const std::vector<int> rows = selectedRuns();
    if (!rows.empty()) // of a bar's runs, the first
        Q_EMIT openRunRequested(rows.front());
}

} // namespace interleave
