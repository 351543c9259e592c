// Experiments: the spread of a repeat is the spread of its runs (checked against the runs it
// lists, counted here), Amdahl's fit finds a serial fraction put into synthetic points, and the
// command line runs real repeats and sweeps and refuses bad ones.
#include "experimentrunner.h"
#include "experiments.h"
#include "lessons.h"
#include "interleaveprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

QJsonObject experiment(const QStringList& args, int timeoutMs = 180'000)
{
    const auto r = test::runInterleave(QStringList{u"--headless"_s, u"--summary-out"_s, u"-"_s} + args, {}, timeoutMs);
    if (r.exitCode != 0)
        qWarning("exit %d: %s", r.exitCode, r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

double medianOf(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

} // namespace

class TestExperiments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spreads();
    void distributionIsOfTheRuns();
    void explanationsAreNotFigures();
    void amdahlFindsTheSerialFraction_data();
    void amdahlFindsTheSerialFraction();
    void amdahlNeedsTwoWorkerCounts();
    void histogramHoldsEveryValueOnce_data();
    void histogramHoldsEveryValueOnce();
    void figuresPutTheLessonsPointFirst();
    void sweepPlansCoverTheRange();
    void repeatRunsRealRuns();
    void sweepRunsEveryValueAndFits();
    void compareSaysWhatTheSummariesSay();
    void badExperimentsAreRefused_data();
    void badExperimentsAreRefused();
};

void TestExperiments::spreads()
{
    QVERIFY(!spreadOf({}));
    const Spread odd = *spreadOf({5, 1, 3});
    QCOMPARE(odd.count, 3);
    QCOMPARE(odd.min, 1.0);
    QCOMPARE(odd.median, 3.0);
    QCOMPARE(odd.max, 5.0);
    QCOMPARE(odd.mean, 3.0);
    const Spread even = *spreadOf({4, 1, 3, 2});
    QCOMPARE(even.median, 2.5);
}

void TestExperiments::distributionIsOfTheRuns()
{
    std::vector<RunOutcome> runs{
        {100, u"completed"_s, QJsonObject{{u"lost_updates"_s, 10}, {u"deadlock"_s, false}, {u"note"_s, u"x"_s}}},
        {300, u"deadlock"_s, QJsonObject{{u"lost_updates"_s, 30}, {u"deadlock"_s, true}, {u"note"_s, u"y"_s}}},
        {200, u"completed"_s, QJsonObject{{u"lost_updates"_s, 20}, {u"deadlock"_s, false}}},
    };
    const QJsonObject d = distributionOf(runs);
    QCOMPARE(d[u"ended"_s].toObject()[u"completed"_s].toInt(), 2);
    QCOMPARE(d[u"ended"_s].toObject()[u"deadlock"_s].toInt(), 1);
    QCOMPARE(d[u"wall_ms"_s].toObject()[u"median"_s].toDouble(), 200.0);
    const QJsonObject lost = d[u"outcome"_s].toObject()[u"lost_updates"_s].toObject();
    QCOMPARE(lost[u"min"_s].toDouble(), 10.0);
    QCOMPARE(lost[u"median"_s].toDouble(), 20.0);
    QCOMPARE(lost[u"max"_s].toDouble(), 30.0);
    QCOMPARE(lost[u"n"_s].toInt(), 3);
    // A switch is how often it was on; text is no figure.
    QCOMPARE(d[u"outcome"_s].toObject()[u"deadlock"_s].toObject()[u"mean"_s].toDouble(), 0.333);
    QVERIFY(!d[u"outcome"_s].toObject().contains(u"note"_s));
}

void TestExperiments::explanationsAreNotFigures()
{
    const QJsonObject o{{u"lost_updates"_s, 3}, {u"lost_examples"_s, QJsonArray{1}}, {u"cycle_steps"_s, QJsonArray{}},
                        {u"cycle_sentence"_s, u"..."_s}, {u"stranded_items"_s, QJsonArray{}}};
    QCOMPARE(outcomeFigures(o), (QJsonObject{{u"lost_updates"_s, 3}}));
}

void TestExperiments::amdahlFindsTheSerialFraction_data()
{
    QTest::addColumn<double>("serial");
    QTest::addColumn<double>("noise"); // relative, uniform
    QTest::newRow("exact 0.25") << 0.25 << 0.0;
    QTest::newRow("exact 0") << 0.0 << 0.0;
    QTest::newRow("exact 1 (a GIL)") << 1.0 << 0.0;
    QTest::newRow("0.1 with 3% noise") << 0.1 << 0.03;
}

void TestExperiments::amdahlFindsTheSerialFraction()
{
    QFETCH(double, serial);
    QFETCH(double, noise);
    QRandomGenerator random(42);
    std::vector<std::pair<double, double>> points;
    for (int n = 1; n <= 8; ++n) {
        const double exact = 1.0 / (serial + (1.0 - serial) / n);
        points.emplace_back(n, exact * (1.0 + noise * (2 * random.generateDouble() - 1)));
    }
    const auto fit = fitAmdahl(points);
    QVERIFY(fit);
    QCOMPARE(fit->points, 8);
    QVERIFY2(std::abs(fit->serialFraction - serial) <= (noise > 0 ? 0.03 : 1e-9),
             qPrintable(u"fitted %1, put in %2"_s.arg(fit->serialFraction).arg(serial)));
    if (noise == 0)
        QVERIFY(fit->rmsError < 1e-9);
}

void TestExperiments::amdahlNeedsTwoWorkerCounts()
{
    QVERIFY(!fitAmdahl({}));
    QVERIFY(!fitAmdahl({{1, 1.0}, {1, 1.02}}));
    QVERIFY(!fitAmdahl({{4, 2.0}})); // one point fits anything
    QVERIFY(fitAmdahl({{1, 1.0}, {2, 1.9}}));
}

void TestExperiments::histogramHoldsEveryValueOnce_data()
{
    QTest::addColumn<std::vector<double>>("values");
    QTest::addColumn<int>("bars");
    QTest::newRow("empty") << std::vector<double>{} << 0;
    QTest::newRow("one value") << std::vector<double>{7, 7, 7} << 1;
    QTest::newRow("counts 0..3, a gap at 2") << std::vector<double>{0, 1, 1, 3} << 4;
    QTest::newRow("counts 792..900") << std::vector<double>{891, 895, 880, 792, 857, 900, 900, 895, 900, 900} << 10;
    QTest::newRow("fractions") << std::vector<double>{0.98, 1.91, 1.5, 0.5, 1.2} << 10;
    QTest::newRow("NaN left out") << std::vector<double>{1, std::nan(""), 2} << 2;
}

// Every finite value in exactly one bar, inside its bounds; bars adjoin and do not overlap.
void TestExperiments::histogramHoldsEveryValueOnce()
{
    QFETCH(std::vector<double>, values);
    QFETCH(int, bars);
    const std::vector<HistogramBar> h = histogramOf(values, 10);
    QCOMPARE(int(h.size()), bars);
    std::vector<int> seen(values.size(), 0);
    for (std::size_t b = 0; b < h.size(); ++b) {
        for (int m : h[b].members) {
            ++seen[std::size_t(m)];
            QVERIFY(values[std::size_t(m)] >= h[b].from && values[std::size_t(m)] <= h[b].to);
        }
        if (b > 0)
            QVERIFY(h[b].from > h[b - 1].to || (h[b].from == h[b - 1].to && h[b].from != std::round(h[b].from)));
    }
    for (std::size_t i = 0; i < values.size(); ++i)
        QCOMPARE(seen[i], std::isnan(values[i]) ? 0 : 1);
}

void TestExperiments::figuresPutTheLessonsPointFirst()
{
    const std::vector<RunOutcome> runs{{10, u"completed"_s, QJsonObject{{u"expected"_s, 4}, {u"lost_updates"_s, 1}, {u"note"_s, u"x"_s}}},
                                       {20, u"completed"_s, QJsonObject{{u"expected"_s, 4}, {u"lost_updates"_s, 2}}}};
    QCOMPARE(figureKeys(runs), (QStringList{u"lost_updates"_s, u"expected"_s, u"wall_ms"_s}));
    QCOMPARE(figureOf(runs[1], u"wall_ms"_s), 20.0);
    QVERIFY(std::isnan(figureOf(runs[0], u"note"_s)));
}

void TestExperiments::sweepPlansCoverTheRange()
{
    const auto card = Lessons::find(u"gil"_s);
    QVERIFY(card);
    const std::vector<double> values = card->schema.defaults();
    QString error;
    const auto plan = sweepPlan(u"gil"_s, card->schema, values, u"workers"_s, 1, 8, 3, 2, 1.0, QString(), &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->points.size(), std::size_t(3)); // 1, 4, 7
    QCOMPARE(plan->points[2].x, 7.0);
    QCOMPARE(plan->total(), 6);
    const int w = card->schema.indexOf(u"workers"_s);
    for (const ExperimentPoint& p : plan->points) {
        QCOMPARE(p.values[std::size_t(w)], p.x);
        for (int i = 0; i < card->schema.size(); ++i)
            if (i != w)
                QCOMPARE(p.values[std::size_t(i)], values[std::size_t(i)]);
    }
    QVERIFY(!sweepPlan(u"gil"_s, card->schema, values, u"executor"_s, 0, 2, 1, 1, 1.0, QString(), &error));
    QVERIFY(error.contains(u"not a number to sweep"_s));
    QVERIFY(!sweepPlan(u"gil"_s, card->schema, values, u"workers"_s, 1, 99, 1, 1, 1.0, QString(), &error));
    QVERIFY(!sweepPlan(u"gil"_s, card->schema, values, u"workers"_s, 1, 4, 1, 1, 1.0, u"tasks"_s, &error));
    QVERIFY(error.contains(u"not a choice"_s));
}

// Three real race runs: each kept, and the spread is the spread of the three, counted here.
void TestExperiments::repeatRunsRealRuns()
{
    const QJsonObject e = experiment({u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=2"_s, u"--set"_s,
                                      u"increments=300"_s, u"--set"_s, u"window_us=100"_s, u"--repeat"_s, u"3"_s});
    QCOMPARE(e[u"schema"_s].toString(), u"interleave.experiment/1"_s);
    QCOMPARE(e[u"repeat"_s].toInt(), 3);
    QVERIFY(e[u"complete"_s].toBool());
    const QJsonArray runs = e[u"runs"_s].toArray();
    QCOMPARE(runs.size(), 3);
    std::vector<double> lost;
    for (const QJsonValue& r : runs) {
        const QJsonObject o = r.toObject()[u"outcome"_s].toObject();
        QCOMPARE(r.toObject()[u"ended"_s].toString(), u"completed"_s);
        QCOMPARE(o[u"expected"_s].toInteger(), 600);
        QCOMPARE(o[u"expected"_s].toInteger() - o[u"actual"_s].toInteger(), o[u"lost_updates"_s].toInteger());
        QVERIFY(!o.contains(u"lost_examples"_s));
        lost.push_back(o[u"lost_updates"_s].toDouble());
    }
    const QJsonObject spread = e[u"distribution"_s].toObject()[u"outcome"_s].toObject()[u"lost_updates"_s].toObject();
    QCOMPARE(spread[u"min"_s].toDouble(), *std::min_element(lost.begin(), lost.end()));
    QCOMPARE(spread[u"max"_s].toDouble(), *std::max_element(lost.begin(), lost.end()));
    QCOMPARE(spread[u"median"_s].toDouble(), medianOf(lost));
    QCOMPARE(e[u"distribution"_s].toObject()[u"ended"_s].toObject()[u"completed"_s].toInt(), 3);
}

// The gil lesson over 1..3 workers: a row per value, each a real run, and Amdahl's law fitted
// to the medians (its arithmetic is checked above on points with a known answer).
void TestExperiments::sweepRunsEveryValueAndFits()
{
    const QJsonObject e = experiment({u"--scenario"_s, u"gil"_s, u"--set"_s, u"tasks=6"_s, u"--set"_s, u"task_ms=20"_s,
                                      u"--sweep"_s, u"workers=1..3"_s});
    QCOMPARE(e[u"sweep"_s].toObject()[u"key"_s].toString(), u"workers"_s);
    const QJsonArray table = e[u"table"_s].toArray();
    QCOMPARE(table.size(), 3);
    std::vector<std::pair<double, double>> medians;
    for (int i = 0; i < 3; ++i) {
        const QJsonObject row = table[i].toObject();
        QCOMPARE(row[u"value"_s].toInt(), i + 1);
        QCOMPARE(row[u"runs"_s].toArray().size(), 1);
        const double speedup = row[u"runs"_s].toArray()[0].toObject()[u"outcome"_s].toObject()[u"speedup"_s].toDouble();
        QVERIFY(speedup > 0);
        medians.emplace_back(i + 1, speedup);
    }
    const QJsonObject fit = e[u"fit"_s].toObject();
    QCOMPARE(fit[u"model"_s].toString(), u"amdahl"_s);
    const auto expected = fitAmdahl(medians);
    QVERIFY(expected);
    QCOMPARE(fit[u"serial_fraction"_s].toDouble(), std::round(expected->serialFraction * 1000) / 1000);
    QCOMPARE(fit[u"points"_s].toArray().size(), 3);
}

// Two recorded runs compared: every difference is the two summaries' own figures, read here.
void TestExperiments::compareSaysWhatTheSummariesSay()
{
    QTemporaryDir dir;
    const QString a = dir.filePath(u"off.json"_s), b = dir.filePath(u"on.json"_s);
    for (const auto& [path, lock] : {std::pair{a, u"lock=off"_s}, std::pair{b, u"lock=on"_s}}) {
        const auto r = test::runInterleave({u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=3"_s, u"--set"_s,
                                            u"increments=200"_s, u"--set"_s, u"window_us=200"_s, u"--set"_s, lock,
                                            u"--trace-out"_s, path},
                                           {}, 60'000);
        QCOMPARE(r.exitCode, 0);
    }
    const auto r = test::runInterleave({u"--headless"_s, u"--compare"_s, a, b, u"--summary-out"_s, u"-"_s}, {}, 60'000);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject c = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(c[u"schema"_s].toString(), u"interleave.comparison/1"_s);
    const QJsonObject sa = c[u"a"_s].toObject()[u"summary"_s].toObject();
    const QJsonObject sb = c[u"b"_s].toObject()[u"summary"_s].toObject();
    const QJsonObject d = c[u"differences"_s].toObject();
    QVERIFY(d[u"same_lesson"_s].toBool());
    // Settings: exactly those whose values differ.
    QStringList differing;
    const QJsonObject pa = sa[u"params"_s].toObject(), pb = sb[u"params"_s].toObject();
    for (const QString& k : pb.keys())
        if (pa.value(k) != pb.value(k))
            differing << k;
    QStringList said;
    for (const QJsonValue& s : d[u"settings"_s].toArray()) {
        said << s[u"key"_s].toString();
        QCOMPARE(s[u"a"_s], pa.value(s[u"key"_s].toString()));
        QCOMPARE(s[u"b"_s], pb.value(s[u"key"_s].toString()));
    }
    QCOMPARE(said, differing);
    QCOMPARE(said, QStringList{u"lock"_s});
    // Figures: each one's a and b are the summaries' outcome (or wall time), its difference b - a.
    bool sawLost = false;
    for (const QJsonValue& f : d[u"figures"_s].toArray()) {
        const QString k = f[u"key"_s].toString();
        const double va = k == "wall_ms"_L1 ? sa[u"wall_ms"_s].toDouble() : sa[u"outcome"_s][k].toDouble();
        const double vb = k == "wall_ms"_L1 ? sb[u"wall_ms"_s].toDouble() : sb[u"outcome"_s][k].toDouble();
        QCOMPARE(f[u"a"_s].toDouble(), va);
        QCOMPARE(f[u"b"_s].toDouble(), vb);
        QVERIFY(std::abs(f[u"difference"_s].toDouble() - (vb - va)) < 1e-9 + 1e-6 * std::abs(vb - va));
        sawLost |= k == "lost_updates"_L1;
    }
    QVERIFY(sawLost);
    QCOMPARE(sb[u"outcome"_s][u"lost_updates"_s].toInt(), 0);
    QVERIFY2(d[u"sentence"_s].toString().startsWith(u"lock on: lost updates 0 (off.json: "_s), qPrintable(d[u"sentence"_s].toString()));
    // A full device is a failed write, said; the device stays a device (written in place).
    const auto full = test::runInterleave({u"--headless"_s, u"--compare"_s, a, b, u"--summary-out"_s, u"/dev/full"_s}, {}, 30'000);
    QCOMPARE(full.exitCode, 1);
    QVERIFY2(full.err.contains("No space left"), full.err.constData());
    QVERIFY(QFileInfo(u"/dev/full"_s).exists() && !QFileInfo(u"/dev/full"_s).isFile());
    // The output may not be one of the inputs; another tool's trace is refused.
    const auto same = test::runInterleave({u"--headless"_s, u"--compare"_s, a, b, u"--summary-out"_s, b}, {}, 30'000);
    QCOMPARE(same.exitCode, 2);
    QVERIFY(same.err.contains("is a trace being compared"));
    QFile foreign(dir.filePath(u"foreign.json"_s));
    QVERIFY(foreign.open(QIODevice::WriteOnly));
    foreign.write(R"({"traceEvents":[{"ph":"X","name":"a","ts":0,"dur":5,"pid":1,"tid":1}]})");
    foreign.close();
    const auto other = test::runInterleave({u"--headless"_s, u"--compare"_s, a, foreign.fileName()}, {}, 30'000);
    QCOMPARE(other.exitCode, 2);
    QVERIFY2(other.err.contains("not a trace Interleave wrote"), other.err.constData());
}

void TestExperiments::badExperimentsAreRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    const QStringList race{u"--headless"_s, u"--scenario"_s, u"race"_s};
    QTest::newRow("repeat 0") << race + QStringList{u"--repeat"_s, u"0"_s} << u"--repeat '0' is not allowed"_s;
    QTest::newRow("repeat 2.5") << race + QStringList{u"--repeat"_s, u"2.5"_s} << u"whole number"_s;
    QTest::newRow("repeat in the window") << QStringList{u"--scenario"_s, u"race"_s, u"--repeat"_s, u"3"_s}
                                         << u"goes with --headless --scenario"_s;
    QTest::newRow("repeat with a trace") << race + QStringList{u"--repeat"_s, u"3"_s, u"--trace-out"_s, u"t.json"_s}
                                        << u"--trace-out and --csv-out are for one run"_s;
    QTest::newRow("sweep a switch") << race + QStringList{u"--sweep"_s, u"lock=0..1"_s} << u"not a number to sweep"_s;
    QTest::newRow("sweep a misspelt key") << race + QStringList{u"--sweep"_s, u"thread=1..4"_s}
                                         << u"race has no setting 'thread'"_s;
    QTest::newRow("sweep downwards") << race + QStringList{u"--sweep"_s, u"threads=8..1"_s} << u"smaller value first"_s;
    QTest::newRow("sweep out of range") << race + QStringList{u"--sweep"_s, u"threads=1..100"_s} << u"threads"_s;
    QTest::newRow("sweep without a range") << race + QStringList{u"--sweep"_s, u"threads=4"_s} << u"no range"_s;
    QTest::newRow("sweep twice") << race + QStringList{u"--sweep"_s, u"threads=1..2"_s, u"--sweep"_s, u"threads=1..3"_s}
                                << u"given 2 times"_s;
    QTest::newRow("compare one trace") << QStringList{u"--headless"_s, u"--compare"_s, u"a.json"_s}
                                      << u"needs two traces"_s;
    QTest::newRow("compare in the window") << QStringList{u"--compare"_s, u"a.json"_s, u"b.json"_s} << u"goes with --headless"_s;
    QTest::newRow("compare and run") << QStringList{u"--headless"_s, u"--compare"_s, u"a.json"_s, u"b.json"_s, u"--scenario"_s, u"race"_s}
                                    << u"--scenario does not go with --compare"_s;
    QTest::newRow("compare missing file") << QStringList{u"--headless"_s, u"--compare"_s, u"/nonexistent/a.json"_s, u"b.json"_s}
                                         << u"a.json"_s;
}

void TestExperiments::badExperimentsAreRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const auto r = test::runInterleave(args, {}, 30'000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
    QVERIFY(r.out.isEmpty()); // nothing ran
}

QTEST_GUILESS_MAIN(TestExperiments)
#include "tst_experiments.moc"
