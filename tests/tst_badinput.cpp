// Bad input that the other tests do not reach: exports to a full disk or an unwritable folder,
// devices and pipes given as input files, and numbers beyond the importer's integer fields.
// The whole table is in docs/robustness.md.
#include "chromeimport.h"
#include "interleaveprocess.h"
#include "sessionfile.h"

#include <QFileInfo>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace interleave;
using namespace Qt::StringLiterals;

namespace {

using Result = interleave::test::ProcessResult;
using interleave::test::runInterleave;

bool isCharacterDevice(const char* path)
{
    struct stat st{};
    return ::stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

// stderr is exactly one line, starting with "interleave: ".
bool oneLine(const QByteArray& err)
{
    return err.startsWith("interleave: ") && err.count('\n') == 1 && err.endsWith('\n');
}

const QStringList ShortRace{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--set"_s, u"increments=50"_s,
                            u"--set"_s, u"window_us=0"_s};

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commandLineValues_data();
    void commandLineValues();
    void exportToAFullDisk_data();
    void exportToAFullDisk();
    void exportToAFullStdout_data();
    void exportToAFullStdout();
    void exportIntoAnUnwritableFolder_data();
    void exportIntoAnUnwritableFolder();
    void devicesAndPipesAsInput_data();
    void devicesAndPipesAsInput();
    void sessionFromADeviceOrPipe();
    void numbersBeyondIntegerFields();
    void fileNameTooLongIsRefusedBeforeTheRun();
    void outputsNeverOverwriteInputsOrEachOther_data();
    void outputsNeverOverwriteInputsOrEachOther();
};

void TestBadInput::commandLineValues_data()
{
    // Beyond tst_cli's rows: the edges of number parsing, empty values, and options that clash.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QStringList race{u"--headless"_s, u"--scenario"_s, u"race"_s};
    QTest::newRow("empty --scenario") << QStringList{u"--headless"_s, u"--scenario"_s, u""_s} << u"--scenario"_s;
    QTest::newRow("blank --scenario") << QStringList{u"--scenario"_s, u"  "_s} << u"--scenario"_s;
    QTest::newRow("speed nan") << race + QStringList{u"--speed"_s, u"nan"_s} << u"'nan'"_s;
    QTest::newRow("speed inf") << race + QStringList{u"--speed"_s, u"inf"_s} << u"'inf'"_s;
    QTest::newRow("speed beyond double") << race + QStringList{u"--speed"_s, u"1e309"_s} << u"'1e309'"_s;
    QTest::newRow("negative duration") << race + QStringList{u"--duration"_s, u"-1"_s} << u"--duration"_s;
    QTest::newRow("integer in exponent form") << race + QStringList{u"--set"_s, u"threads=1e3"_s} << u"'1e3'"_s;
    QTest::newRow("hexadecimal integer") << race + QStringList{u"--set"_s, u"threads=0x10"_s} << u"'0x10'"_s;
    QTest::newRow("integer with a fraction") << race + QStringList{u"--set"_s, u"threads=4.0"_s} << u"'4.0'"_s;
    QTest::newRow("empty switch") << race + QStringList{u"--set"_s, u"lock="_s} << u"on|off"_s;
    QTest::newRow("beyond the range") << race + QStringList{u"--set"_s, u"increments=10000001"_s} << u"1..10000000"_s;
    QTest::newRow("negative --quit-after") << QStringList{u"--quit-after"_s, u"-5"_s} << u"--quit-after"_s;
    QTest::newRow("empty --open") << QStringList{u"--headless"_s, u"--open"_s, u""_s} << u"--open"_s;
    QTest::newRow("--json alone") << QStringList{u"--json"_s} << u"--list-scenarios"_s;
    QTest::newRow("--set without a lesson") << QStringList{u"--set"_s, u"threads=2"_s} << u"--scenario"_s;
    QTest::newRow("two outputs on stdout") << race + QStringList{u"--summary-out"_s, u"-"_s, u"--csv-out"_s, u"-"_s}
                                           << u"stdout"_s;
    QTest::newRow("--scenario twice") << QStringList{u"--scenario"_s, u"race"_s, u"--scenario"_s, u"gil"_s}
                                      << u"--scenario given 2 times ('race', then 'gil')"_s;
    QTest::newRow("--speed twice") << race + QStringList{u"--speed"_s, u"2"_s, u"--speed"_s, u"3"_s} << u"--speed"_s;
    const QString longValue(120'000, u'x');
    QTest::newRow("a 120 KB value is cut in the message") << QStringList{u"--scenario"_s, longValue}
                                                          << u"…(119920 characters)…"_s;
}

void TestBadInput::commandLineValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Result r = runInterleave(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(mentions), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.size() < 1000, "a message echoes a value whole");
}

void TestBadInput::fileNameTooLongIsRefusedBeforeTheRun()
{
    // It failed after the run (exit 1) while a missing folder failed before it (exit 2).
    QTemporaryDir dir;
    const QString path = dir.filePath(QString(300, u'a') + u".json"_s);
    const Result r = runInterleave(ShortRace + QStringList{u"--summary-out"_s, path});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains("file name is 305 bytes long"), r.err.constData());
    QVERIFY(r.out.isEmpty()); // nothing ran
    QVERIFY(r.err.size() < 400);
}

void TestBadInput::outputsNeverOverwriteInputsOrEachOther_data()
{
    QTest::addColumn<QStringList>("args");  // "IN" is the input file's path, "DIR" the folder
    QTest::addColumn<QString>("mentions");
    QTest::newRow("--trace-out is the opened trace")
        << QStringList{u"--headless"_s, u"--open"_s, u"IN"_s, u"--trace-out"_s, u"IN"_s} << u"overwrite the input"_s;
    QTest::newRow("another name for it")
        << QStringList{u"--headless"_s, u"--open"_s, u"IN"_s, u"--summary-out"_s, u"DIR/./in.json"_s}
        << u"overwrite the input"_s;
    QTest::newRow("a hard link to it")
        << QStringList{u"--headless"_s, u"--open"_s, u"IN"_s, u"--csv-out"_s, u"DIR/link.json"_s}
        << u"overwrite the input"_s;
    QTest::newRow("summary and trace on one path")
        << QStringList{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--summary-out"_s, u"DIR/x.json"_s,
                       u"--trace-out"_s, u"DIR/x.json"_s}
        << u"--summary-out and --trace-out both write"_s;
    QTest::newRow("summary and CSV on one new path, named two ways")
        << QStringList{u"--headless"_s, u"--scenario"_s, u"race"_s, u"--summary-out"_s, u"DIR/new.csv"_s,
                       u"--csv-out"_s, u"DIR/../out/new.csv"_s}
        << u"--summary-out and --csv-out both write"_s;
    QTest::newRow("the window's screenshot over the opened file")
        << QStringList{u"--open"_s, u"IN"_s, u"--screenshot"_s, u"IN"_s} << u"overwrite the input"_s;
}

void TestBadInput::outputsNeverOverwriteInputsOrEachOther()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath(u"out"_s)));
    const QString folder = dir.filePath(u"out"_s);
    const QString input = QDir(folder).filePath(u"in.json"_s);
    const QByteArray trace = R"({"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5}]})";
    {
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(trace);
    }
    QVERIFY(::link(QFile::encodeName(input).constData(), QFile::encodeName(QDir(folder).filePath(u"link.json"_s)).constData()) == 0);
    for (QString& a : args) {
        if (a == "IN"_L1)
            a = input;
        a.replace(u"DIR"_s, folder);
    }
    const Result r = runInterleave(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(mentions), r.err.constData());
    // Nothing was written: the input is as it was, and no output appeared.
    QFile f(input);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), trace);
    QVERIFY(!QFile::exists(QDir(folder).filePath(u"x.json"_s)));
    QVERIFY(!QFile::exists(QDir(folder).filePath(u"new.csv"_s)));
}

void TestBadInput::exportToAFullDisk_data()
{
    QTest::addColumn<QString>("option");
    QTest::newRow("summary") << u"--summary-out"_s;
    QTest::newRow("trace") << u"--trace-out"_s;
    QTest::newRow("csv") << u"--csv-out"_s;
}

void TestBadInput::exportToAFullDisk()
{
    QFETCH(QString, option);
    if (!isCharacterDevice("/dev/full"))
        QSKIP("no /dev/full here");
    const Result r = runInterleave(ShortRace + QStringList{option, u"/dev/full"_s});
    // The run went well; its output could not be written: a failure at run time.
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains(QByteArray(option.toLatin1() + " '/dev/full'")), r.err.constData());
    // Written in place, not replaced by a regular file (QSaveFile's rename would do that as root).
    QVERIFY(isCharacterDevice("/dev/full"));
}

void TestBadInput::exportToAFullStdout_data()
{
    QTest::addColumn<QString>("option");
    QTest::newRow("summary") << u"--summary-out"_s;
    QTest::newRow("csv") << u"--csv-out"_s;
}

void TestBadInput::exportToAFullStdout()
{
    QFETCH(QString, option);
    if (!isCharacterDevice("/dev/full"))
        QSKIP("no /dev/full here");
    const Result r = runInterleave(ShortRace + QStringList{option, u"-"_s}, u"/dev/full"_s);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains(QByteArray(option.toLatin1() + " to stdout")), r.err.constData());
}

void TestBadInput::exportIntoAnUnwritableFolder_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("needsNonRoot");
    // /proc takes no new files, not even from root.
    QTest::newRow("summary into /proc") << u"--summary-out"_s << u"/proc/interleave-summary.json"_s << false;
    QTest::newRow("trace into /proc") << u"--trace-out"_s << u"/proc/interleave-trace.json"_s << false;
    QTest::newRow("csv into /proc") << u"--csv-out"_s << u"/proc/interleave.csv"_s << false;
    // A folder without write permission stops everyone but root.
    QTest::newRow("summary into a read-only folder") << u"--summary-out"_s << u"READONLY/s.json"_s << true;
    QTest::newRow("trace into a read-only folder") << u"--trace-out"_s << u"READONLY/t.json"_s << true;
}

void TestBadInput::exportIntoAnUnwritableFolder()
{
    QFETCH(QString, option);
    QFETCH(QString, file);
    QFETCH(bool, needsNonRoot);
    if (needsNonRoot && ::geteuid() == 0)
        QSKIP("root writes into read-only folders; the /proc rows cover this case");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString readOnly = dir.filePath(u"readonly"_s);
    QVERIFY(QDir().mkdir(readOnly));
    QVERIFY(QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    file.replace(u"READONLY"_s, readOnly);

    const Result r = runInterleave(ShortRace + QStringList{option, file});
    QFile::setPermissions(readOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // Found before the run starts: bad arguments.
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains(file.toLocal8Bit()), r.err.constData());
    QVERIFY(r.out.isEmpty()); // nothing ran
    QVERIFY(!QFileInfo::exists(file));
}

void TestBadInput::devicesAndPipesAsInput_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("/dev/zero (endless)") << u"/dev/zero"_s;
    QTest::newRow("/dev/urandom (endless binary)") << u"/dev/urandom"_s;
    QTest::newRow("/dev/null") << u"/dev/null"_s;
    QTest::newRow("a FIFO nobody writes to") << u"FIFO"_s;
}

void TestBadInput::devicesAndPipesAsInput()
{
    QFETCH(QString, file);
    QTemporaryDir dir;
    if (file == "FIFO"_L1) {
        file = dir.filePath(u"trace.json"_s);
        QVERIFY(::mkfifo(QFile::encodeName(file).constData(), 0600) == 0);
    }
    if (!QFileInfo::exists(file))
        QSKIP("not on this system");
    // Before the fix, /dev/zero was read until memory ran out and a FIFO blocked for ever.
    const Result r = runInterleave({u"--headless"_s, u"--open"_s, file, u"--summary-out"_s, u"-"_s}, {}, 30'000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(oneLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains("not a regular file"), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestBadInput::sessionFromADeviceOrPipe()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(u"lesson.interleave"_s);
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    for (const QString& path : {fifo, u"/dev/zero"_s}) {
        if (!QFileInfo::exists(path))
            continue;
        QString error;
        QVERIFY(!readSessionFile(path, &error)); // returns at once, without blocking
        QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
    }
}

void TestBadInput::numbersBeyondIntegerFields()
{
    // Queue items, depths, lost updates and task numbers far outside their integer fields (found
    // by fuzz_chromeimport: the conversion was undefined behaviour). They are clamped, not refused.
    const QByteArray trace = R"({"otherData":{"format":"interleave.trace/1","generator":"interleave",
        "scenario":"producer_consumer","objects":[{"capacity":5,"kind":"queue","name":"q"}]},"traceEvents":[
        {"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"main","kind":"main"}},
        {"ph":"X","cat":"state","name":"Running","pid":1,"tid":1,"ts":0,"dur":10},
        {"ph":"i","s":"t","name":"put","pid":1,"tid":1,"ts":1,"args":{"queue":"q","item":4294967296,"depth":1e300}},
        {"ph":"i","s":"t","name":"get","pid":1,"tid":1,"ts":2,"args":{"queue":"q","item":-1,"depth":-1e300}},
        {"ph":"i","s":"t","name":"lost update","pid":1,"tid":1,"ts":3,"args":{"overwritten":9.3e18}},
        {"ph":"i","s":"t","name":"task start","pid":1,"tid":1,"ts":4,"args":{"task":-9.3e18}}]})";
    QString error;
    const auto t = importChromeTraceData(std::string_view(trace.constData(), std::size_t(trace.size())), &error);
    QVERIFY2(t, qPrintable(error));
    QVERIFY(t->ownFormat);
    QCOMPARE(t->contents.objects.size(), std::size_t(1));
    QCOMPARE(t->contents.objects[0].puts, std::int64_t(1));
    QCOMPARE(t->contents.objects[0].gets, std::int64_t(1));
    QCOMPARE(t->contents.objects[0].maxDepth, std::numeric_limits<std::int64_t>::max());
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
