// Experiments in the window (offscreen): a repeat runs real runs one after another on the
// window's Run, its histogram holds every run once and its summary is the runs' spread (counted
// here from the runs' own outcomes); a bar picked selects its runs and a run shown again is the
// run as it was recorded; a sweep draws a line per executor with Amdahl's fit; Stop ends it.
#include "experimentactions.h"
#include "experimentdialog.h"
#include "experimentrunner.h"
#include "experimentview.h"
#include "lessons.h"
#include "mainwindow.h"
#include "pinnedrun.h"
#include "predictdialog.h"
#include "questions.h"
#include "runview.h"
#include "timelineview.h"
#include "run.h"
#include "tracestore.h"

#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestExperimentWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void repeatKeepsEveryRun();
    void sweepDrawsALinePerExecutorWithAFit();
    void dialogsMakeThePlanTheySay();
    void stopEndsTheExperiment();
    void pinnedRunIsComparedInWords();
    void questionIsAskedThenRevealed();
    void predictDialogCountsHands();

private:
    QTemporaryDir m_settings;
};

void TestExperimentWindow::initTestCase()
{
    QVERIFY(m_settings.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    qputenv("INTERLEAVE_WORKER_EXE", QByteArrayLiteral(INTERLEAVE_EXE));
}

void TestExperimentWindow::repeatKeepsEveryRun()
{
    MainWindow w;
    w.show();
    const auto values = scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=200"_s, u"window_us=200"_s});
    QVERIFY(w.selectScenario(u"race"_s, values));
    const auto plan = repeatPlan(u"race"_s, values, 6, 1.0);
    QVERIFY(plan);
    QSignalSpy done(w.experiments()->runner(), &ExperimentRunner::finished);
    QSignalSpy started(w.currentRun(), &Run::started);
    QVERIFY(w.experiments()->start(*plan, true));
    QVERIFY(done.wait(120'000));
    QCOMPARE(done.first().first().toBool(), true);
    QCOMPARE(started.size(), 6); // six real runs on the window's Run
    const auto& runs = w.experiments()->runner()->runs();
    QCOMPARE(int(runs.size()), 6);

    // Each run's outcome is its own recording's: expected - actual, and the marks it recorded.
    std::vector<double> lost;
    for (const ExperimentRun& r : runs) {
        QCOMPARE(r.outcome.ended, u"completed"_s);
        const QJsonObject o = r.outcome.outcome;
        QCOMPARE(o[u"expected"_s].toInteger(), 600);
        QCOMPARE(o[u"expected"_s].toInteger() - o[u"actual"_s].toInteger(), o[u"lost_updates"_s].toInteger());
        QVERIFY(r.recording);
        lost.push_back(o[u"lost_updates"_s].toDouble());
    }
    ExperimentView* view = w.experiments()->view();
    QVERIFY(view && view->isVisible());
    QCOMPARE(view->figure(), u"lost_updates"_s);
    // Every run in exactly one bar; the bars cover min..max.
    int inBars = 0;
    std::vector<int> seen(6, 0);
    for (const HistogramBar& bar : view->bars()) {
        for (int m : bar.members) {
            ++seen[std::size_t(m)];
            QVERIFY(lost[std::size_t(m)] >= bar.from && lost[std::size_t(m)] <= bar.to);
        }
        inBars += int(bar.members.size());
    }
    QCOMPARE(inBars, 6);
    QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
    // The summary says the spread of these six, counted here.
    std::vector<double> sorted = lost;
    std::sort(sorted.begin(), sorted.end());
    const double median = (sorted[2] + sorted[3]) / 2;
    const QString summary = view->summaryText();
    QVERIFY2(summary.contains(QLocale().toString(qint64(sorted.front()))), qPrintable(summary));
    QVERIFY2(summary.contains(QLocale().toString(qint64(sorted.back()))), qPrintable(summary));
    const QString medianText = median == std::round(median) ? QLocale().toString(qint64(median)) : QLocale().toString(median, 'g', 3);
    QVERIFY2(summary.contains(u"median "_s + medianText), qPrintable(summary));
    QVERIFY2(summary.contains(u"completed 6"_s), qPrintable(summary));

    // The bar of the greatest loss selects that run; showing it puts its recording on screen.
    const int last = int(view->bars().size()) - 1;
    view->selectBar(last);
    const std::vector<int> picked = view->selectedRuns();
    QCOMPARE(picked, [&] {
        std::vector<int> m = view->bars()[std::size_t(last)].members;
        std::sort(m.begin(), m.end());
        return m;
    }());
    const int pick = picked.front();
    QVERIFY(w.experiments()->showRun(pick));
    QVERIFY(w.currentRun()->isRecording());
    QCOMPARE(w.currentRun()->description().outcome[u"lost_updates"_s].toDouble(), lost[std::size_t(pick)]);
    QCOMPARE(w.currentRun()->store()->laneCount(), runs[std::size_t(pick)].recording->lanes.size());
    QVERIFY(w.bannerText().contains(QLocale().toString(qint64(lost[std::size_t(pick)]))) || w.bannerText().contains(QString::number(qint64(lost[std::size_t(pick)]))));
}

void TestExperimentWindow::sweepDrawsALinePerExecutorWithAFit()
{
    MainWindow w;
    w.show();
    const auto card = Lessons::find(u"gil"_s);
    QVERIFY(card);
    const auto values = scenarioValues(u"gil"_s, {u"tasks=4"_s, u"task_ms=40"_s, u"interpreter_startup_ms=0"_s});
    QVERIFY(w.selectScenario(u"gil"_s, values));
    QString error;
    const auto plan = sweepPlan(u"gil"_s, card->schema, values, u"workers"_s, 1, 2, 1, 1, 1.0, u"executor"_s, &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->total(), 6); // threads, processes, interpreters x workers 1, 2
    QSignalSpy done(w.experiments()->runner(), &ExperimentRunner::finished);
    QVERIFY(w.experiments()->start(*plan, true));
    QVERIFY(done.wait(180'000));
    QVERIFY(done.first().first().toBool());
    ExperimentView* view = w.experiments()->view();
    QCOMPARE(view->figure(), u"speedup"_s);
    // A line of medians per executor, a fit per executor, and the ideal line.
    QStringList names;
    for (QAbstractSeries* s : view->chart()->series())
        names << s->name();
    for (const QString& executor : {u"threads"_s, u"processes"_s, u"interpreters"_s}) {
        QVERIFY2(names.contains(u"executor "_s + executor), qPrintable(names.join(u" | "_s)));
        QVERIFY2(view->fitText().contains(u"executor "_s + executor + u": serial fraction"_s), qPrintable(view->fitText()));
    }
    QVERIFY(std::any_of(names.begin(), names.end(), [](const QString& n) { return n.startsWith(u"ideal"_s); }));
    // The medians drawn are the runs' speedups (one run per point).
    for (QAbstractSeries* s : view->chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (!line || !line->name().startsWith(u"executor "_s) || line->name().contains(u"Amdahl"_s))
            continue;
        QCOMPARE(line->count(), 2);
        for (const QPointF& p : line->points()) {
            bool found = false;
            for (const ExperimentRun& r : w.experiments()->runner()->runs()) {
                const ExperimentPoint& point = plan->points[std::size_t(r.point)];
                if (u"executor "_s + card->schema.at(card->schema.indexOf(u"executor"_s)).valueText(point.values[1]) == line->name()
                    && point.x == p.x())
                    found = std::abs(figureOf(r.outcome, u"speedup"_s) - p.y()) < 1e-9;
            }
            QVERIFY2(found, qPrintable(u"%1 at %2"_s.arg(line->name()).arg(p.x())));
        }
    }
}

void TestExperimentWindow::dialogsMakeThePlanTheySay()
{
    const auto card = Lessons::find(u"gil"_s);
    const std::vector<double> values = card->schema.defaults();
    ExperimentDialog sweep(ExperimentDialog::Kind::Sweep, *card, values, 1.0);
    // The gil lesson's point is preset: workers 1..8, a line per executor.
    QCOMPARE(sweep.setting()->currentData().toString(), u"workers"_s);
    QCOMPARE(sweep.lineForEach()->currentData().toString(), u"executor"_s);
    QCOMPARE(sweep.from()->value(), 1.0);
    QCOMPARE(sweep.to()->value(), 8.0);
    sweep.runs()->setValue(2);
    const auto plan = sweep.plan();
    QVERIFY(plan);
    QCOMPARE(plan->total(), 8 * 3 * 2);
    QVERIFY2(sweep.countText().contains(u"= 48 runs"_s), qPrintable(sweep.countText()));
    // A range given the wrong way round cannot start, and says why.
    sweep.from()->setValue(6);
    sweep.to()->setValue(2);
    QString error;
    QVERIFY(!sweep.plan(&error));
    QVERIFY2(error.contains(u"smaller value first"_s), qPrintable(error));
    QVERIFY(sweep.countText().startsWith(u"Cannot run that"_s));

    ExperimentDialog repeat(ExperimentDialog::Kind::Repeat, *card, values, 2.0);
    repeat.runs()->setValue(7);
    const auto r = repeat.plan();
    QVERIFY(r);
    QCOMPARE(r->total(), 7);
    QCOMPARE(r->speed, 2.0);
    QCOMPARE(r->points.front().values, values);
}

void TestExperimentWindow::stopEndsTheExperiment()
{
    MainWindow w;
    w.show();
    // Runs that would take a minute each: Stop must not wait for them.
    const auto values = scenarioValues(u"race"_s, {u"threads=2"_s, u"increments=60000"_s, u"window_us=1000"_s});
    QVERIFY(w.selectScenario(u"race"_s, values));
    QSignalSpy done(w.experiments()->runner(), &ExperimentRunner::finished);
    QVERIFY(w.experiments()->start(*repeatPlan(u"race"_s, values, 5, 1.0), true));
    QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->isRunning(), 10'000);
    QElapsedTimer clock;
    clock.start();
    w.stop();
    if (done.isEmpty())
        QVERIFY(done.wait(10'000));
    QCOMPARE(done.size(), 1);
    QCOMPARE(done.first().first().toBool(), false);
    QVERIFY(!w.currentRun()->isRunning());
    QVERIFY(!w.experiments()->isRunning());
    QVERIFY(w.experiments()->runner()->runs().empty()); // the run cut short is not an outcome
    QVERIFY2(clock.elapsed() < 5'000, qPrintable(QString::number(clock.elapsed())));
    // The window is free again: Run starts a run of its own.
    w.run();
    QVERIFY(w.currentRun()->isRunning());
    w.stop();

    // Another lesson picked (or a file opened) while an experiment runs ends the experiment.
    done.clear();
    QVERIFY(w.experiments()->start(*repeatPlan(u"race"_s, values, 5, 1.0), true));
    QTRY_VERIFY_WITH_TIMEOUT(w.currentRun()->isRunning(), 10'000);
    QVERIFY(w.selectScenario(u"deadlock"_s));
    QVERIFY(!w.experiments()->isRunning());
    QVERIFY(!w.currentRun()->isRunning());
    QCOMPARE(done.size(), 1);
}

// Lock off, pinned; lock on, run: both on one time axis, and the banner says the difference.
void TestExperimentWindow::pinnedRunIsComparedInWords()
{
    MainWindow w;
    w.resize(1400, 1000);
    w.show();
    auto values = scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=200"_s, u"window_us=200"_s});
    QVERIFY(w.selectScenario(u"race"_s, values));
    QSignalSpy finished(w.currentRun(), &Run::finished);
    w.run();
    QVERIFY(finished.wait(60'000));
    const RunDescription off = w.currentRun()->description();
    QVERIFY(off.outcome[u"lost_updates"_s].toInteger() > 0);
    QVERIFY(w.pinned()->pinCurrent());
    QVERIFY(w.pinned()->isPinned());
    QVERIFY(w.pinned()->view()->isVisible());
    QCOMPARE(w.pinned()->run()->store()->laneCount(), w.currentRun()->store()->laneCount());
    QCOMPARE(w.pinned()->view()->timeline()->timeRange(), w.runView()->timeline()->timeRange());
    QVERIFY(w.pinned()->bannerText().startsWith(u"Pinned: "_s));
    QVERIFY(w.pinned()->bannerText().contains(u"lock off"_s));

    values = scenarioValues(u"race"_s, {u"threads=3"_s, u"increments=200"_s, u"window_us=200"_s, u"lock=on"_s});
    QVERIFY(w.selectScenario(u"race"_s, values));
    QVERIFY(w.pinned()->isPinned()); // another run of the lesson keeps the pin
    finished.clear();
    w.run();
    QVERIFY(finished.wait(60'000));
    const RunDescription on = w.currentRun()->description();
    QCOMPARE(on.outcome[u"lost_updates"_s].toInteger(), 0);
    const double ratio = on.wallMs / off.wallMs;
    const QString speed = ratio >= 1.05   ? u"%1x slower"_s.arg(QLocale().toString(ratio, 'f', 2))
                          : ratio <= 1 / 1.05 ? u"%1x faster"_s.arg(QLocale().toString(1 / ratio, 'f', 2))
                                            : u"as fast"_s;
    const QString expected = u"Against the pinned run: lock on: lost updates 0 (pinned: %1), "_s.arg(
                                 QLocale().toString(off.outcome[u"lost_updates"_s].toInteger()))
                             + speed;
    QTRY_VERIFY2(w.bannerText().contains(expected), qPrintable(w.bannerText() + u" / expected: "_s + expected));
    w.pinned()->unpin();
    QVERIFY(!w.pinned()->isPinned());
    QVERIFY(!w.pinned()->view()->isVisible());
}

// Race question 1 with hands raised: the run uses the question's settings, and the banner reveals
// the answer, which this test works out from the run's own counts.
void TestExperimentWindow::questionIsAskedThenRevealed()
{
    MainWindow w;
    w.show();
    QVERIFY(w.selectScenario(u"race"_s));
    QVERIFY(w.experiments()->asksBeforeRun(true));
    QVERIFY(!w.experiments()->asksBeforeRun(false));
    const std::vector<Question> questions = questionsOf(u"race"_s);
    QVERIFY(questions.size() >= 2);
    const Question& q = questions[0];
    QCOMPARE(q.choices.size(), std::size_t(3));
    QSignalSpy finished(w.currentRun(), &Run::finished);
    QVERIFY(w.experiments()->askWith(0, {0, 2, 7}, std::nullopt));
    QVERIFY(w.currentRun()->isRunning());
    QVERIFY(finished.wait(120'000));
    const RunDescription d = w.currentRun()->description();
    QCOMPARE(d.params[u"threads"_s].toInt(), 4); // the defaults, as the question says
    const qint64 lost = d.outcome[u"lost_updates"_s].toInteger();
    const qint64 expected = d.outcome[u"expected"_s].toInteger();
    const int right = lost == 0 ? 0 : 2 * lost <= expected ? 1 : 2;
    const QString banner = w.bannerText();
    QVERIFY2(banner.contains(u"Answer: "_s + q.choices[std::size_t(right)].label), qPrintable(banner));
    QVERIFY2(banner.contains(u"Predicted: "_s + q.choices[2].label + u" (7 hands)"_s), qPrintable(banner));
    // The next run without a question says no more about it.
    w.run();
    QTRY_VERIFY_WITH_TIMEOUT(!w.bannerText().contains(u"Predicted"_s), 5000);
    w.stop();
}

void TestExperimentWindow::predictDialogCountsHands()
{
    const std::vector<Question> questions = questionsOf(u"race"_s);
    PredictDialog dialog(questions, 0);
    QVERIFY(dialog.questionText().contains(u"12,000"_s));
    const QList<QPushButton*> choices = dialog.findChildren<QPushButton*>();
    QPushButton* more = nullptr;
    for (QPushButton* b : choices)
        if (b->text().contains(questions[0].choices[2].label))
            more = b;
    QVERIFY(more);
    more->click();
    more->click();
    QCOMPARE(dialog.hands(), (std::vector<int>{0, 0, 2}));
    dialog.setQuestionIndex(1); // a number to guess
    QVERIFY(dialog.question().guessNumber());
    QVERIFY(!dialog.guess());
    dialog.setGuess(5);
    QCOMPARE(*dialog.guess(), 5.0);
}

QTEST_MAIN(TestExperimentWindow)
#include "tst_experimentwindow.moc"
