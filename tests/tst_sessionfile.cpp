// Session files: what is written reads back the same; every kind of bad file is refused with a
// message that says what is wrong.
#include "scenario.h"
#include "sessionfile.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

class TestSessionFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripsEveryScenario();
    void minimalFileGivesDefaults();
    void acceptsTextFormsOfValues();
    void badContentsAreRefused_data();
    void badContentsAreRefused();
    void readsAndWritesFiles();
    void refusesMissingHugeAndFolderPaths();
};

void TestSessionFile::roundTripsEveryScenario()
{
    for (const ScenarioEntry& e : ScenarioRegistry::instance().all()) {
        auto s = defaultSession(e.info.id);
        QVERIFY(s);
        // Move every parameter away from its default, within its range.
        for (int i = 0; i < e.info.schema.size(); ++i) {
            const ParamSpec& spec = e.info.schema.at(i);
            s->values[std::size_t(i)] = spec.defaultValue == spec.max ? spec.min : spec.max;
        }
        s->speed = 2.5;
        s->followLive = false;
        s->visibleStartNs = 123'456'789;
        s->visibleEndNs = 2'000'000'001;
        s->showGilLane = !s->showGilLane;
        QString error;
        const auto back = parseSession(toFileContents(*s), &error);
        QVERIFY2(back, qPrintable(e.info.id + u": "_s + error));
        QCOMPARE(*back, *s);
        QVERIFY(*back != *defaultSession(e.info.id));
    }
}

void TestSessionFile::minimalFileGivesDefaults()
{
    QString error;
    const auto s = parseSession(R"({"schema": "interleave.session/1", "scenario": "gil"})", &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(*s, *defaultSession(u"gil"_s));
    QVERIFY(s->showGilLane); // the gil lesson shows its GIL lane unless the file says otherwise
    QCOMPARE(s->speed, 1.0);
    QVERIFY(s->followLive);
    QVERIFY(!s->hasVisibleRange());
}

void TestSessionFile::acceptsTextFormsOfValues()
{
    QString error;
    const auto s = parseSession(R"({"schema": "interleave.session/1", "scenario": "race",
                                    "params": {"threads": "6", "lock": "on", "window_us": 20}})",
                                &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->values, scenarioValues(u"race"_s, {u"threads=6"_s, u"lock=on"_s, u"window_us=20"_s}));
    const auto d = parseSession(R"({"schema": "interleave.session/1", "scenario": "deadlock",
                                    "params": {"strategy": "trylock"}})",
                                &error);
    QVERIFY2(d, qPrintable(error));
    QCOMPARE(d->values, scenarioValues(u"deadlock"_s, {u"strategy=trylock"_s}));
}

void TestSessionFile::badContentsAreRefused_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("message"); // a part of the one-line error

    const QByteArray good = R"({"schema": "interleave.session/1", "scenario": "race", "params": {"threads": 4}, "speed": 2})";
    auto with = [](const char* rest) -> QByteArray {
        return QByteArray(R"({"schema": "interleave.session/1", )") + rest + '}';
    };

    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("only whitespace") << QByteArray("  \n\t ") << u"empty"_s;
    QTest::newRow("truncated") << good.left(good.size() - 9) << u"truncated"_s;
    QTest::newRow("cut after the brace") << QByteArray("{") << u"truncated"_s;
    QTest::newRow("corrupt") << QByteArray(good).replace(':', ';') << u"not valid JSON"_s;
    QTest::newRow("trailing garbage") << QByteArray(good + "xyz") << u"not valid JSON"_s;
    QTest::newRow("binary png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << u"binary"_s;
    QTest::newRow("invalid utf-8") << QByteArray("{\"schema\": \"\xff\xfe\"}") << u"binary"_s;
    QTest::newRow("huge") << QByteArray(QByteArray(R"({"schema": "interleave.session/1", "pad": ")")
                                            + QByteArray(Session::MaxFileBytes, 'x') + "\"}")
                          << u"at most 1"_s;
    QTest::newRow("a list") << QByteArray("[1, 2]") << u"a list"_s;
    QTest::newRow("no schema") << QByteArray(R"({"scenario": "race"})") << u"not an Interleave session"_s;
    QTest::newRow("summary file") << QByteArray(R"({"schema": "interleave.summary/1", "scenario": "race"})")
                                  << u"interleave.summary/1"_s;
    QTest::newRow("newer version") << QByteArray(R"({"schema": "interleave.session/2", "scenario": "race"})")
                                   << u"newer Interleave"_s;
    QTest::newRow("no scenario") << with(R"("speed": 1)") << u"\"scenario\" must name a lesson"_s;
    QTest::newRow("unknown scenario") << with(R"("scenario": "mandelbrot")") << u"unknown scenario 'mandelbrot'"_s;
    QTest::newRow("params a list") << with(R"("scenario": "race", "params": [4])") << u"\"params\" must be"_s;
    QTest::newRow("unknown parameter") << with(R"("scenario": "race", "params": {"cores": 4})")
                                       << u"unknown parameter 'cores'"_s;
    QTest::newRow("out of range") << with(R"("scenario": "race", "params": {"threads": 100000})")
                                  << u"out of range"_s;
    QTest::newRow("not whole") << with(R"("scenario": "race", "params": {"threads": 2.5})") << u"not whole"_s;
    QTest::newRow("bad choice") << with(R"("scenario": "deadlock", "params": {"strategy": "polite"})")
                                << u"naive|ordered|trylock"_s;
    QTest::newRow("choice as number") << with(R"("scenario": "deadlock", "params": {"strategy": 1})")
                                      << u"naive|ordered|trylock"_s;
    QTest::newRow("bad switch") << with(R"("scenario": "race", "params": {"lock": "maybe"})") << u"on|off"_s;
    QTest::newRow("null value") << with(R"("scenario": "race", "params": {"threads": null})") << u"null"_s;
    QTest::newRow("speed zero") << with(R"("scenario": "race", "speed": 0)") << u"speed 0"_s;
    QTest::newRow("speed text") << with(R"("scenario": "race", "speed": "fast")") << u"speed text"_s;
    QTest::newRow("view a number") << with(R"("scenario": "race", "view": 3)") << u"\"view\" must be"_s;
    QTest::newRow("follow text") << with(R"("scenario": "race", "view": {"follow_live": "yes"})")
                                 << u"follow_live"_s;
    QTest::newRow("range backwards") << with(R"("scenario": "race", "view": {"visible": {"from_ms": 5, "to_ms": 1}})")
                                     << u"before it starts"_s;
    QTest::newRow("range missing end") << with(R"("scenario": "race", "view": {"visible": {"from_ms": 5}})")
                                       << u"to_ms"_s;
    // Misspelt keys would leave defaults in place without a word: each is named, with a guess.
    QTest::newRow("misspelt speed") << with(R"("scenario": "race", "sped": 2)")
                                    << u"unknown key \"sped\" (did you mean \"speed\"?)"_s;
    QTest::newRow("misspelt params") << with(R"("scenario": "race", "param": {"threads": 8})")
                                     << u"unknown key \"param\" (did you mean \"params\"?)"_s;
    QTest::newRow("misspelt view key") << with(R"("scenario": "race", "view": {"follow": true})")
                                       << u"unknown key \"follow\" in \"view\""_s;
    QTest::newRow("misspelt range key") << with(R"("scenario": "race", "view": {"visible": {"from": 1, "to_ms": 5}})")
                                        << u"(did you mean \"from_ms\"?)"_s;
    QTest::newRow("misspelt parameter") << with(R"("scenario": "race", "params": {"thread": 8})")
                                        << u"unknown parameter 'thread' for race (did you mean 'threads'?)"_s;
    QTest::newRow("a key nothing like") << with(R"("scenario": "race", "colour": "red")")
                                        << u"unknown key \"colour\"; allowed: schema"_s;
}

void TestSessionFile::badContentsAreRefused()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, message);
    QString error;
    const auto s = parseSession(contents, &error);
    QVERIFY(!s);
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error)); // one line
}

void TestSessionFile::readsAndWritesFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"lesson.interleave"_s);
    auto s = defaultSession(u"producer_consumer"_s);
    s->values = scenarioValues(u"producer_consumer"_s, {u"capacity=3"_s, u"consumer_style=empty_check"_s});
    s->speed = 0.5;
    QString error;
    QVERIFY2(writeSessionFile(path, *s, &error), qPrintable(error));
    const auto back = readSessionFile(path, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, *s);

    // What a person reads in the file.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(o.value(u"schema"_s).toString(), u"interleave.session/1"_s);
    QCOMPARE(o.value(u"params"_s).toObject().value(u"consumer_style"_s).toString(), u"empty_check"_s);
    QCOMPARE(o.value(u"params"_s).toObject().value(u"capacity"_s).toInt(), 3);

    QVERIFY(!writeSessionFile(dir.filePath(u"no/such/folder/x.interleave"_s), *s, &error));
    QVERIFY2(error.contains(u"cannot write"_s), qPrintable(error));
}

void TestSessionFile::refusesMissingHugeAndFolderPaths()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!readSessionFile(dir.filePath(u"gone.interleave"_s), &error));
    QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    QVERIFY(!readSessionFile(dir.path(), &error));
    QVERIFY2(error.contains(u"folder"_s), qPrintable(error));

    const QString huge = dir.filePath(u"huge.interleave"_s);
    QFile f(huge);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(5 * Session::MaxFileBytes)); // sparse: it is never read
    f.close();
    QVERIFY(!readSessionFile(huge, &error));
    QVERIFY2(error.contains(u"huge.interleave"_s) && error.contains(u"at most"_s), qPrintable(error));

    const QString bad = dir.filePath(u"bad.interleave"_s);
    QFile b(bad);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write(R"({"schema": "interleave.session/1", "scenario": "nope"})");
    b.close();
    QVERIFY(!readSessionFile(bad, &error));
    QVERIFY2(error.startsWith(u"bad.interleave: "_s), qPrintable(error)); // names the file
}

QTEST_GUILESS_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
