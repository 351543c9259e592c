// The interleave executable end to end: headless lessons give the outcomes theory predicts, and
// every kind of bad input exits 2 with one line naming the value.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <sys/types.h>

#include "interleaveprocess.h"

using namespace Qt::StringLiterals;

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void raceWithLockLosesNothing();
    void raceWithoutLockLosesUpdates();
    void interleavingAlternates();
    void stateTimesAddUpToLaneWallTime();
    void durationCapsTheRun();
    void sigtermStopsTheRunCleanly();
    void summaryToFile();
    void traceToFile();
    void listScenariosJson();
    void helpAndVersion();
    void badInputExits2_data();
    void badInputExits2();

private:
    using Result = interleave::test::ProcessResult;
    static Result run(const QStringList& args, int timeoutMs = 120'000);
    static QJsonObject summary(const QStringList& args);
};

TestCli::Result TestCli::run(const QStringList& args, int timeoutMs)
{
    return interleave::test::runInterleave(args, {}, timeoutMs);
}

QJsonObject TestCli::summary(const QStringList& args)
{
    const Result r = run(QStringList{u"--headless"_s, u"--summary-out"_s, u"-"_s} + args);
    if (r.exitCode != 0) {
        qWarning("exit %d: %s", r.exitCode, r.err.constData());
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), r.out.constData());
    return doc.object();
}

void TestCli::raceWithLockLosesNothing()
{
    const QJsonObject s = summary({u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=4"_s, u"--set"_s,
                                   u"increments=5000"_s, u"--set"_s, u"lock=on"_s, u"--set"_s, u"window_us=5"_s});
    QCOMPARE(s[u"schema"_s].toString(), u"interleave.summary/1"_s);
    QCOMPARE(s[u"ended"_s].toString(), u"completed"_s);
    const QJsonObject o = s[u"outcome"_s].toObject();
    QCOMPARE(o[u"expected"_s].toInteger(), 20000);
    QCOMPARE(o[u"actual"_s].toInteger(), 20000);
    QCOMPARE(o[u"lost_updates"_s].toInteger(), 0);
    const QJsonObject lock = s[u"locks"_s].toArray().first().toObject();
    QCOMPARE(lock[u"name"_s].toString(), u"counter_lock"_s);
    QCOMPARE(lock[u"acquisitions"_s].toInteger(), 20000);
    QCOMPARE(s[u"params"_s].toObject()[u"lock"_s].toBool(), true);
    QCOMPARE(s[u"events"_s].toObject()[u"dropped"_s].toInteger(), 0);
}

void TestCli::raceWithoutLockLosesUpdates()
{
    const QJsonObject s = summary({u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=4"_s, u"--set"_s,
                                   u"increments=20000"_s, u"--set"_s, u"lock=off"_s, u"--set"_s, u"window_us=20"_s});
    const QJsonObject o = s[u"outcome"_s].toObject();
    QCOMPARE(o[u"expected"_s].toInteger(), 80000);
    QVERIFY2(o[u"lost_updates"_s].toInteger() > 0, "a 20 µs window with 4 threads must lose updates");
    QCOMPARE(o[u"expected"_s].toInteger() - o[u"actual"_s].toInteger(), o[u"lost_updates"_s].toInteger());
    // The summary says how, from the recording (tst_explanations checks each against it).
    const QJsonArray examples = o[u"lost_examples"_s].toArray();
    QVERIFY(!examples.isEmpty() && examples.size() <= 20);
    const QJsonObject first = examples.first().toObject();
    for (const QString& key : {u"lost"_s, u"writer"_s, u"sentence"_s})
        QVERIFY2(first.contains(key), qPrintable(key));
    for (const QString& key : {u"thread"_s, u"read"_s, u"read_ms"_s, u"wrote"_s, u"write_ms"_s})
        QVERIFY2(first[u"writer"_s].toObject().contains(key), qPrintable(key));
}

void TestCli::interleavingAlternates()
{
    const QJsonObject s = summary({u"--scenario"_s, u"interleaving"_s, u"--set"_s, u"steps=5"_s, u"--speed"_s, u"5"_s});
    const QJsonObject o = s[u"outcome"_s].toObject();
    QCOMPARE(o[u"lines"_s].toInteger(), 10);
    QVERIFY2(o[u"switches"_s].toInteger() >= 5, qPrintable(u"switches = %1"_s.arg(o[u"switches"_s].toInteger())));
    // Two workers and the main thread.
    QCOMPARE(s[u"threads"_s].toArray().size(), 3);
}

void TestCli::stateTimesAddUpToLaneWallTime()
{
    const QJsonObject s = summary({u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=6"_s, u"--set"_s,
                                   u"increments=3000"_s, u"--set"_s, u"lock=on"_s, u"--set"_s, u"window_us=10"_s});
    const QJsonArray threads = s[u"threads"_s].toArray();
    QCOMPARE(threads.size(), 7);
    for (const QJsonValue& t : threads) {
        double sum = 0;
        const QJsonObject ms = t[u"ms"_s].toObject();
        QCOMPARE(ms.size(), 8); // every state, Paused included
        for (auto it = ms.begin(); it != ms.end(); ++it)
            sum += it.value().toDouble();
        const double wall = t[u"wall_ms"_s].toDouble();
        QVERIFY(wall > 0);
        QVERIFY2(std::abs(sum - wall) <= 0.02 * wall + 0.01,
                 qPrintable(u"%1: states %2 ms, wall %3 ms"_s.arg(t[u"name"_s].toString()).arg(sum).arg(wall)));
    }
}

void TestCli::durationCapsTheRun()
{
    const QJsonObject s = summary({u"--scenario"_s, u"interleaving"_s, u"--set"_s, u"sleep_ms=10000"_s,
                                   u"--duration"_s, u"0.3"_s});
    QCOMPARE(s[u"ended"_s].toString(), u"duration"_s);
    QVERIFY(s[u"wall_ms"_s].toDouble() < 5000);
}

void TestCli::sigtermStopsTheRunCleanly()
{
    // A long run, stopped by SIGTERM once it is under way (its first line printed: the handlers
    // are in place by then): it ends "stopped", exit 0, the summary still written.
    QTemporaryDir dir;
    const QString out = dir.filePath(u"summary.json"_s);
    QProcess p;
    p.start(QStringLiteral(INTERLEAVE_EXE), {u"--headless"_s, u"--scenario"_s, u"interleaving"_s, u"--set"_s, u"steps=1000"_s,
                                              u"--set"_s, u"sleep_ms=100"_s, u"--summary-out"_s, out});
    QVERIFY(p.waitForStarted(10'000));
    QVERIFY(p.waitForReadyRead(60'000));
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(30'000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject s = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(s[u"ended"_s].toString(), u"stopped"_s);
    QVERIFY(s[u"outcome"_s].toObject()[u"lines"_s].toInt() < 2000);
}

void TestCli::summaryToFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"summary.json"_s);
    const Result r = run({u"--headless"_s, u"--scenario"_s, u"interleaving"_s, u"--set"_s, u"sleep_ms=1"_s, u"--set"_s, u"steps=5"_s,
                          u"--summary-out"_s, path});
    QCOMPARE(r.exitCode, 0);
    // The console lines go to stdout when the summary goes to a file.
    QVERIFY(r.out.contains("thread-1: step 1 of 5"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(f.readAll()).object()[u"scenario"_s].toString(), u"interleaving"_s);
}

void TestCli::traceToFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"trace.json"_s);
    const Result r = run({u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"increments=100"_s, u"--set"_s,
                          u"lock=on"_s, u"--set"_s, u"window_us=0"_s, u"--trace-out"_s, path});
    QCOMPARE(r.exitCode, 0);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray events = QJsonDocument::fromJson(f.readAll()).object()[u"traceEvents"_s].toArray();
    int slices = 0;
    int holds = 0;
    for (const QJsonValue& e : events) {
        slices += e[u"ph"_s] == u"X"_s ? 1 : 0;
        holds += e[u"ph"_s] == u"b"_s ? 1 : 0;
    }
    QVERIFY(slices >= 5); // main + 4 workers, at least one state each
    QCOMPARE(holds, 400); // 4 threads x 100 increments under the lock
}

void TestCli::listScenariosJson()
{
    const Result r = run({u"--list-scenarios"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray list = QJsonDocument::fromJson(r.out).object()[u"scenarios"_s].toArray();
    QStringList ids;
    for (const QJsonValue& v : list)
        ids << v[u"id"_s].toString();
    QCOMPARE(ids.size(), 9);
    QVERIFY(ids.contains(u"race"_s));
    QVERIFY(ids.contains(u"interleaving"_s));
    QVERIFY(ids.contains(u"shared_data"_s));
    QVERIFY(ids.contains(u"pipeline"_s));
    for (const QJsonValue& v : list) {
        const QJsonArray params = v[u"params"_s].toArray();
        QVERIFY(!params.isEmpty());
        for (const QJsonValue& p : params) {
            QVERIFY(!p[u"key"_s].toString().isEmpty());
            QVERIFY(!p[u"help"_s].toString().isEmpty());
            QVERIFY(p.toObject().contains(u"default"_s));
        }
    }
    // The gil lesson's executors include sub-interpreters (PEP 734), with their start-up cost, and
    // gil off is the free-threaded build, with its single-thread cost.
    QJsonObject gil;
    for (const QJsonValue& v : list)
        gil = v[u"id"_s] == u"gil"_s ? v.toObject() : gil;
    QJsonObject byKey;
    for (const QJsonValue& p : gil[u"params"_s].toArray())
        byKey.insert(p[u"key"_s].toString(), p);
    QCOMPARE(byKey[u"executor"_s][u"choices"_s].toArray(),
             (QJsonArray{u"threads"_s, u"processes"_s, u"interpreters"_s}));
    QCOMPARE(byKey[u"interpreter_startup_ms"_s][u"type"_s].toString(), u"int"_s);
    QCOMPARE(byKey[u"interpreter_startup_ms"_s][u"unit"_s].toString(), u"ms"_s);
    QVERIFY(byKey[u"interpreter_startup_ms"_s][u"default"_s].toInt() > 0);
    QCOMPARE(byKey[u"free_threaded_overhead_pct"_s][u"type"_s].toString(), u"int"_s);
    const int overhead = byKey[u"free_threaded_overhead_pct"_s][u"default"_s].toInt();
    QVERIFY2(overhead >= 5 && overhead <= 10, "Python 3.14's documentation: roughly 5-10%");
    QVERIFY(byKey[u"gil"_s][u"help"_s].toString().contains(u"free-threaded"_s));
}

void TestCli::helpAndVersion()
{
    Result r = run({u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--headless"));
    r = run({u"--version"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("interleave "));
}

void TestCli::badInputExits2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QStringList race{u"--headless"_s, u"--scenario"_s, u"race"_s};
    QTest::newRow("unknown scenario") << QStringList{u"--headless"_s, u"--scenario"_s, u"nope"_s} << u"'nope'"_s;
    QTest::newRow("unknown key") << race + QStringList{u"--set"_s, u"colour=red"_s} << u"'colour'"_s;
    QTest::newRow("out of range") << race + QStringList{u"--set"_s, u"threads=0"_s} << u"1..64"_s;
    QTest::newRow("too large") << race + QStringList{u"--set"_s, u"threads=1000"_s} << u"1..64"_s;
    QTest::newRow("wrong type") << race + QStringList{u"--set"_s, u"threads=four"_s} << u"'four'"_s;
    QTest::newRow("bad switch") << race + QStringList{u"--set"_s, u"lock=maybe"_s} << u"on|off"_s;
    QTest::newRow("malformed set") << race + QStringList{u"--set"_s, u"threads"_s} << u"key=value"_s;
    QTest::newRow("empty key") << race + QStringList{u"--set"_s, u"=4"_s} << u"key=value"_s;
    QTest::newRow("unwritable output") << race + QStringList{u"--summary-out"_s, u"/nonexistent-dir/s.json"_s}
                                       << u"/nonexistent-dir/s.json"_s;
    QTest::newRow("output is a directory") << race + QStringList{u"--summary-out"_s, u"/tmp"_s} << u"'/tmp'"_s;
    QTest::newRow("unwritable trace") << race + QStringList{u"--trace-out"_s, u"/nonexistent-dir/t.json"_s}
                                      << u"/nonexistent-dir/t.json"_s;
    QTest::newRow("trace without headless") << QStringList{u"--scenario"_s, u"race"_s, u"--trace-out"_s, u"t.json"_s}
                                            << u"--headless"_s;
    QTest::newRow("bad speed") << race + QStringList{u"--speed"_s, u"0"_s} << u"--speed"_s;
    QTest::newRow("bad duration") << race + QStringList{u"--duration"_s, u"soon"_s} << u"--duration"_s;
    QTest::newRow("unknown option") << QStringList{u"--headless"_s, u"--frobnicate"_s} << u"frobnicate"_s;
    QTest::newRow("headless without scenario") << QStringList{u"--headless"_s} << u"--scenario"_s;
    QTest::newRow("stray argument") << race + QStringList{u"extra"_s} << u"'extra'"_s;
}

void TestCli::badInputExits2()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Result r = run(args, 30'000);
    QCOMPARE(r.exitCode, 2);
    const QString err = QString::fromLocal8Bit(r.err).trimmed();
    QVERIFY2(!err.contains(u'\n'), qPrintable(u"more than one line: "_s + err));
    QVERIFY2(err.contains(mentions), qPrintable(err));
    QVERIFY(err.startsWith(u"interleave: "_s));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
