// Chrome Trace Event export: names, slices, holds, counters, markers and flows, in µs with ns kept.
#include "chromeimport.h"
#include "chrometrace.h"
#include "summary.h"
#include "tracestore.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "testdata.h"

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

class TestChromeTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exportsEveryKindOfEvent();
    void reportsWriteErrors();
    void roundTripGivesTheSameSummary();
    void summaryTextIsTheSummary();

private:
    static void fill(TraceStore& store);
};

void TestChromeTrace::fill(TraceStore& store)
{
    // Two threads hand a lock over and pass one queue item; times in ns.
    store.addLane(0, u"producer"_s, LaneKind::Thread);
    store.addLane(1, u"consumer \"2\""_s, LaneKind::Thread);
    store.addObject(1, u"m"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"q"_s, ObjectKind::Queue, 5);
    store.addTexts({u"hello"_s});
    const std::vector<TraceEvent> a{
        ev(1500, 0, EventKind::LaneBegin, ThreadState::Running),
        ev(2000, 0, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0),
        ev(3000, 0, EventKind::QueuePut, ThreadState::Running, 2, 1, 7),
        ev(4000, 0, EventKind::LockRelease, ThreadState::Running, 1, 1),
        ev(4500, 0, EventKind::Print, ThreadState::Running, 0, 0),
        ev(9000, 0, EventKind::LaneEnd, ThreadState::Running),
    };
    const std::vector<TraceEvent> b{
        ev(1500, 1, EventKind::LaneBegin, ThreadState::Running),
        ev(2500, 1, EventKind::LockWait, ThreadState::WaitingLock, 1, 1),
        ev(4000, 1, EventKind::LockAcquire, ThreadState::Running, 1, 0, 1),
        ev(5000, 1, EventKind::QueueGet, ThreadState::Running, 2, 0, 7),
        ev(6000, 1, EventKind::LockRelease, ThreadState::Running, 1, 0),
        ev(6500, 1, EventKind::LostUpdate, ThreadState::Running, 0, 2),
        ev(9000, 1, EventKind::LaneEnd, ThreadState::Running),
    };
    store.append(a.data(), a.size());
    store.append(b.data(), b.size());
}

void TestChromeTrace::exportsEveryKindOfEvent()
{
    TraceStore store;
    fill(store);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ChromeTraceInfo info;
    info.processName = u"interleave: test"_s;
    info.run.scenario = u"test"_s;
    QVERIFY(writeChromeTrace(store, info, buffer));

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(buffer.data(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonArray events = doc.object()[u"traceEvents"_s].toArray();
    QMap<QString, int> phases;
    QStringList threadNames;
    QList<QJsonObject> slices;
    for (const QJsonValue& v : events) {
        const QJsonObject e = v.toObject();
        phases[e[u"ph"_s].toString()] += 1;
        if (e[u"ph"_s] == u"M"_s && e[u"name"_s] == u"thread_name"_s)
            threadNames << e[u"args"_s][u"name"_s].toString();
        if (e[u"ph"_s] == u"X"_s)
            slices << e;
    }
    QCOMPARE(threadNames, (QStringList{u"producer"_s, u"consumer \"2\""_s})); // escaped and back
    // producer: one Running slice; consumer: Running, Waiting for lock, Running.
    QCOMPARE(phases[u"X"_s], 4);
    QCOMPARE(slices.first()[u"ts"_s].toDouble(), 1.5); // 1500 ns
    QCOMPARE(slices.first()[u"dur"_s].toDouble(), 7.5);
    bool waitNamesTheLock = false;
    for (const QJsonObject& s : slices)
        waitNamesTheLock = waitNamesTheLock
            || (s[u"name"_s] == u"Waiting for lock"_s && s[u"args"_s][u"object"_s] == u"m"_s);
    QVERIFY(waitNamesTheLock);
    QCOMPARE(phases[u"b"_s], 2); // two holds of m
    QCOMPARE(phases[u"e"_s], 2);
    QCOMPARE(phases[u"s"_s], 2); // the lock hand-off and the queue item
    QCOMPARE(phases[u"f"_s], 2);
    QVERIFY(phases[u"C"_s] >= 4); // waiters and depth samples
    QCOMPARE(phases[u"i"_s], 4);  // the print, the lost update, the put and the get
    const QJsonObject other = doc.object()[u"otherData"_s].toObject();
    QCOMPARE(other[u"format"_s].toString(), u"interleave.trace/1"_s);
    QCOMPARE(other[u"scenario"_s].toString(), u"test"_s);
    QCOMPARE(other[u"objects"_s].toArray().size(), 2);
    QCOMPARE(phases[u"M"_s], 1 + 2 * 2); // process name + name and order per thread
}

void TestChromeTrace::reportsWriteErrors()
{
    TraceStore store;
    fill(store);
    QBuffer readOnly;
    readOnly.open(QIODevice::ReadOnly);
    QVERIFY(!writeChromeTrace(store, {}, readOnly));
}

void TestChromeTrace::roundTripGivesTheSameSummary()
{
    TraceStore store;
    fill(store);
    // A hold still open at the end (a deadlock's fork), and a lane still alive.
    store.addLane(2, u"stuck"_s, LaneKind::Pool);
    const std::vector<TraceEvent> c{
        ev(1000, 2, EventKind::LaneBegin, ThreadState::Running),
        ev(1100, 2, EventKind::LockAcquire, ThreadState::Running, 1, 0, 0),
        ev(7000, 2, EventKind::LockWait, ThreadState::WaitingLock, 1, 1),
    };
    store.append(c.data(), c.size());
    // A flood's thinned detail: five short holds of lock n drawn as one (a folded release), and
    // race marks the lanes counted instead of recording them, as the collector hands them over.
    store.addLane(3, u"flood"_s, LaneKind::Thread);
    store.addObject(3, u"n"_s, ObjectKind::Lock, 0);
    TraceEvent folded = ev(2000, 3, EventKind::LockRelease, ThreadState::Running, 3, EventFlags::packFolded(5, 150), 400);
    folded.flags = EventFlags::FoldedHolds;
    store.addTexts({u"fetch \"page\""_s}); // text 1: a traced Python program's pool task, by name
    const std::vector<TraceEvent> d{ev(1000, 3, EventKind::LaneBegin, ThreadState::Running), folded,
                                    ev(2500, 3, EventKind::Marker, ThreadState::Running, 0, 1,
                                       std::uint32_t(MarkerType::TaskNamed)),
                                    ev(3000, 3, EventKind::LaneEnd, ThreadState::Running)};
    store.append(d.data(), d.size());
    store.setThinnedAtSource(1234, 5);
    store.advanceTo(12'345);
    RunDescription run{u"race"_s, QJsonObject{{u"threads"_s, 3}}, 12.345, u"deadlock"_s,
                       QJsonObject{{u"deadlock"_s, true}},
                       QJsonObject{{u"cores"_s, 2}, {u"run_cores"_s, 1.5}, {u"others_cores"_s, 0.25}}, QJsonArray{}};
    ChromeTraceInfo info;
    info.run = run;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeChromeTrace(store, info, buffer));

    QString error;
    const QByteArray& bytes = buffer.data();
    auto imported = importChromeTraceData(std::string_view(bytes.constData(), std::size_t(bytes.size())), &error);
    QVERIFY2(imported, qPrintable(error));
    QVERIFY(imported->ownFormat);
    QVERIFY2(imported->report.skipped.empty(), qPrintable(imported->report.text()));
    TraceStore back;
    back.adopt(std::move(imported->contents));
    const QJsonObject before = buildSummary(store, run);
    const QJsonObject after = buildSummary(back, imported->run);
    QCOMPARE(QJsonDocument(after).toJson(), QJsonDocument(before).toJson());
    QCOMPARE(back.console().size(), store.console().size());
    QCOMPARE(back.lane(2).openHolds.size(), std::size_t(1));
    QCOMPARE(back.lane(1).markers.size(), store.lane(1).markers.size());
    // The folded run's five acquisitions and 150 ns held, not the one hold the file draws.
    QCOMPARE(back.objectById(3)->acquisitions, std::int64_t(5));
    QCOMPARE(back.objectById(3)->holdNsTotal, std::int64_t(150));
    QCOMPARE(back.markersCapped(), std::uint64_t(1234));
    QCOMPARE(back.holdsFolded(), std::uint64_t(5));
    // The named task comes back with its name.
    const auto named = std::find_if(back.lane(3).markers.begin(), back.lane(3).markers.end(), [](const Marker& m) {
        return m.kind == EventKind::Marker && m.aux == std::uint32_t(MarkerType::TaskNamed);
    });
    QVERIFY(named != back.lane(3).markers.end());
    QCOMPARE(back.text(std::uint32_t(named->value)), u"fetch \"page\""_s);
}

void TestChromeTrace::summaryTextIsTheSummary()
{
    // The summary written a thread at a time parses back to buildSummary()'s object, for no
    // lanes, one, and several with kernel figures, with extra top-level keys.
    for (int lanes : {0, 1, 5}) {
        TraceStore store;
        for (int l = 0; l < lanes; ++l) {
            store.addLane(std::uint32_t(l), u"worker \"%1\"\n"_s.arg(l), LaneKind::Thread);
            const TraceEvent e[] = {ev(0, std::uint32_t(l), EventKind::LaneBegin, ThreadState::Running),
                                    ev(1000, std::uint32_t(l), EventKind::KernelTimes, ThreadState::Running, 0, 900, 0),
                                    ev(1000, std::uint32_t(l), EventKind::LaneEnd, ThreadState::Running)};
            store.append(e, 3);
        }
        store.finishBatch();
        const RunDescription run{u"race"_s, QJsonObject{{u"threads"_s, lanes}}, 1.5, u"completed"_s,
                                 QJsonObject{{u"lost_updates"_s, 3}}, QJsonObject{{u"cores"_s, 2}}, QJsonArray{}};
        const QJsonObject extra{{u"source"_s, QJsonObject{{u"file"_s, u"x.json"_s}}}};
        QJsonObject expected = buildSummary(store, run);
        expected.insert(u"source"_s, extra[u"source"_s]);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(summaryJsonText(store, run, extra), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), expected);
    }
}

QTEST_MAIN(TestChromeTrace)
#include "tst_chrometrace.moc"
