// Files through the command line: --trace-out then --open gives back the same summary for every
// lesson; --csv-out; bad files of every kind exit 2 with one line.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result interleave(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(INTERLEAVE_EXE), args);
    Result r;
    if (!p.waitForFinished(120'000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Counts exact, times (and other fractions) within 1 µs = 0.001 ms.
void compareJson(const QJsonValue& a, const QJsonValue& b, const QString& path, QStringList* diffs)
{
    if (a.type() != b.type()) {
        diffs->append(path + u": type"_s);
        return;
    }
    if (a.isObject()) {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.keys() != y.keys())
            diffs->append(path + u": keys "_s + x.keys().join(u',') + u" vs "_s + y.keys().join(u','));
        for (auto it = x.begin(); it != x.end(); ++it)
            compareJson(it.value(), y.value(it.key()), path + u'.' + it.key(), diffs);
    } else if (a.isArray()) {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size()) {
            diffs->append(path + u": %1 vs %2 entries"_s.arg(x.size()).arg(y.size()));
            return;
        }
        for (qsizetype i = 0; i < x.size(); ++i)
            compareJson(x[i], y[i], path + u"[%1]"_s.arg(i), diffs);
    } else if (a.isDouble()) {
        const double x = a.toDouble();
        const double y = b.toDouble();
        const bool integral = x == std::floor(x) && y == std::floor(y) && !path.contains(u"ms"_s);
        if (integral ? x != y : std::abs(x - y) > 0.001 + 1e-9)
            diffs->append(path + u": %1 vs %2"_s.arg(x).arg(y));
    } else if (a != b) {
        diffs->append(path + u": "_s + a.toVariant().toString() + u" vs "_s + b.toVariant().toString());
    }
}

} // namespace

class TestFileIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QStringList>("run");
        auto row = [](const char* name, const QStringList& args) { QTest::newRow(name) << args; };
        row("race", {u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=3"_s, u"--set"_s, u"increments=3000"_s,
                    u"--set"_s, u"window_us=0"_s});
        row("race locked", {u"--scenario"_s, u"race"_s, u"--set"_s, u"lock=on"_s, u"--set"_s, u"increments=2000"_s,
                           u"--set"_s, u"window_us=0"_s});
        row("contention", {u"--scenario"_s, u"contention"_s, u"--set"_s, u"rounds=4"_s, u"--speed"_s, u"4"_s});
        row("deadlock", {u"--scenario"_s, u"deadlock"_s, u"--speed"_s, u"4"_s});
        row("producer_consumer", {u"--scenario"_s, u"producer_consumer"_s, u"--set"_s, u"items=6"_s, u"--speed"_s, u"4"_s});
        row("thread_pool", {u"--scenario"_s, u"thread_pool"_s, u"--set"_s, u"tasks=8"_s, u"--speed"_s, u"4"_s});
        row("gil", {u"--scenario"_s, u"gil"_s, u"--set"_s, u"tasks=6"_s, u"--set"_s, u"task_ms=20"_s});
        row("gil processes", {u"--scenario"_s, u"gil"_s, u"--set"_s, u"executor=processes"_s, u"--set"_s,
                              u"workers=2"_s, u"--set"_s, u"tasks=4"_s, u"--set"_s, u"task_ms=20"_s});
        row("gil interpreters", {u"--scenario"_s, u"gil"_s, u"--set"_s, u"executor=interpreters"_s, u"--set"_s,
                                 u"workers=2"_s, u"--set"_s, u"tasks=4"_s, u"--set"_s, u"task_ms=20"_s});
        row("interleaving", {u"--scenario"_s, u"interleaving"_s, u"--set"_s, u"sleep_ms=20"_s});
        // Floods: race marks beyond the cap are counted, short holds may be drawn folded; the
        // counts and the locks' figures come back from the file as the run had them.
        row("race flood", {u"--scenario"_s, u"race"_s, u"--set"_s, u"threads=2"_s, u"--set"_s, u"increments=400000"_s,
                          u"--set"_s, u"window_us=0"_s});
        row("contention flood", {u"--scenario"_s, u"contention"_s, u"--set"_s, u"threads=4"_s, u"--set"_s,
                                 u"rounds=20000"_s, u"--set"_s, u"critical_ms=0"_s, u"--set"_s, u"outside_ms=0"_s});
    }

    void roundTrip()
    {
        QFETCH(QStringList, run);
        QTemporaryDir dir;
        const QString trace = dir.filePath(u"run.json"_s);
        const QString before = dir.filePath(u"before.json"_s);
        const QString after = dir.filePath(u"after.json"_s);
        const QString again = dir.filePath(u"again.json"_s);
        Result r = interleave(QStringList{u"--headless"_s, u"--duration"_s, u"5"_s} + run
                              + QStringList{u"--trace-out"_s, trace, u"--summary-out"_s, before});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = interleave({u"--headless"_s, u"--open"_s, trace, u"--summary-out"_s, after, u"--trace-out"_s, again});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QJsonObject a = readJson(before);
        const QJsonObject b = readJson(after);
        QVERIFY(!a.isEmpty());
        QVERIFY(a.value(u"threads"_s).toArray().size() > 0);
        QStringList diffs;
        compareJson(a, b, u"summary"_s, &diffs);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));

        // And the re-exported trace imports to the same summary again.
        r = interleave({u"--headless"_s, u"--open"_s, again, u"--summary-out"_s, u"-"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        compareJson(a, QJsonDocument::fromJson(r.out).object(), u"again"_s, &diffs);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(u'\n')));
    }

    void csvOut()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(u"stats.csv"_s);
        const Result r = interleave({u"--headless"_s, u"--scenario"_s, u"producer_consumer"_s, u"--set"_s, u"items=3"_s,
                                     u"--speed"_s, u"4"_s, u"--csv-out"_s, csv, u"--summary-out"_s, u"-"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        const QList<QByteArray> header = lines[0].trimmed().split(',');
        QCOMPARE(header.value(0), QByteArray("table"));
        int threads = 0;
        int queues = 0;
        for (const QByteArray& line : lines.mid(1)) {
            if (line.trimmed().isEmpty())
                continue;
            QCOMPARE(line.trimmed().split(',').size(), header.size()); // every row has every column
            threads += line.startsWith("thread,") ? 1 : 0;
            queues += line.startsWith("queue,") ? 1 : 0;
        }
        QCOMPARE(threads, summary.value(u"threads"_s).toArray().size());
        QCOMPARE(queues, summary.value(u"queues"_s).toArray().size());
        const int puts = int(header.indexOf("puts"));
        QVERIFY(puts > 0);
        for (const QByteArray& line : lines) {
            if (line.startsWith("queue,")) {
                const auto queue = summary.value(u"queues"_s).toArray().at(0).toObject();
                QCOMPARE(line.trimmed().split(',').at(puts).toInt(), queue.value(u"puts"_s).toInt());
            }
        }
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\x03garbage", 11) << u"binary"_s;
        QTest::newRow("truncated") << QByteArray("{\"traceEvents\":[{\"ph\":\"X\",\"na") << u"JSON"_s;
        QTest::newRow("wrong schema") << QByteArray("{\"schema\":\"interleave.summary/1\"}") << u"traceEvents"_s;
        QTest::newRow("not json") << QByteArray("name,value\n1,2\n") << u"does not start"_s;
    }

    void badFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const QString summary = dir.filePath(u"summary.json"_s);
        const Result r = interleave({u"--headless"_s, u"--open"_s, path, u"--summary-out"_s, summary});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1); // one line
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFile::exists(summary)); // nothing half-written
    }

    void openArguments()
    {
        Result r = interleave({u"--headless"_s, u"--open"_s, u"/nonexistent.json"_s, u"--summary-out"_s, u"-"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot open"), r.err.constData());
        r = interleave({u"--headless"_s, u"--open"_s, u"x.json"_s, u"--scenario"_s, u"race"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("not both"), r.err.constData());
        r = interleave({u"--headless"_s, u"--open"_s, u"x.json"_s, u"--set"_s, u"threads=2"_s});
        QCOMPARE(r.exitCode, 2);
        r = interleave({u"--csv-out"_s, u"x.csv"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--headless"), r.err.constData());
        r = interleave({u"a.json"_s, u"b.json"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("one file at a time"), r.err.constData());
    }

    // A session file runs its lesson headless with its settings and speed.
    void headlessSession()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"lesson.interleave"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"schema\":\"interleave.session/1\",\"scenario\":\"race\","
                "\"params\":{\"threads\":2,\"increments\":3000,\"lock\":true},\"speed\":2}");
        f.close();
        Result r = interleave({u"--headless"_s, u"--open"_s, path, u"--duration"_s, u"20"_s, u"--summary-out"_s, u"-"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value(u"scenario"_s).toString(), u"race"_s);
        QCOMPARE(s.value(u"params"_s).toObject().value(u"threads"_s).toInt(), 2);
        QCOMPARE(s.value(u"outcome"_s).toObject().value(u"expected"_s).toInt(), 6000);
        QCOMPARE(s.value(u"outcome"_s).toObject().value(u"lost_updates"_s).toInt(), 0);

        r = interleave({u"--headless"_s, u"--open"_s, path, u"--set"_s, u"threads=3"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("session"), r.err.constData());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"schema\":\"interleave.session/1\",\"scenario\":\"nope\"}");
        f.close();
        r = interleave({u"--headless"_s, u"--open"_s, path, u"--summary-out"_s, u"-"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown scenario"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    // The traces of other tools through the command line: a summary with what was skipped.
    void foreignTraceSummary()
    {
        const QString file = QStringLiteral(SHARED_TRACES_DIR) + u"/catapult-simple_trace.json"_s;
        if (!QFile::exists(file))
            QSKIP("../shared/traces is not here");
        const Result r = interleave({u"--headless"_s, u"--open"_s, file, u"--summary-out"_s, u"-"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value(u"ended"_s).toString(), u"imported"_s);
        const QJsonObject source = s.value(u"source"_s).toObject();
        QCOMPARE(source.value(u"events"_s).toInt(), 37);
        QCOMPARE(source.value(u"skipped"_s).toObject().value(u"P: sample (stack samples are not shown)"_s).toInt(), 3);
        QVERIFY(s.value(u"threads"_s).toArray().size() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestFileIo)
#include "tst_fileio.moc"
