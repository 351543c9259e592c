// --python: real python3 programs (tests/python/, written for these tests) traced, and what was drawn
// checked against what the programs say of themselves (their printed figures) and the kernel.
#include "pythonprogram.h"
#include "run.h"
#include "tracestore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <signal.h>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

QString program(const QString& name)
{
    return QStringLiteral(PYTHON_TESTS_DIR) + u'/' + name;
}

// A finished run of a program, with what it printed.
struct Traced
{
    std::unique_ptr<Run> run = std::make_unique<Run>();
    QStringList console;
    RunDescription description;

    const TraceStore& store() const { return *run->store(); }
    const LaneData* lane(const QString& name) const
    {
        for (std::size_t i = 0; i < store().laneCount(); ++i) {
            if (store().lane(i).name == name)
                return &store().lane(i);
        }
        return nullptr;
    }
    const ObjectData* object(const QString& name) const
    {
        for (std::size_t i = 0; i < store().objectCount(); ++i) {
            if (store().object(i).name == name)
                return &store().object(i);
        }
        return nullptr;
    }
    double ms(const LaneData& lane, ThreadState s) const
    {
        return double(store().stateTotals(std::size_t(&lane - &store().lane(0)))[std::size_t(s)]) / 1e6;
    }
    double wallMs(const LaneData& lane) const
    {
        return double(store().laneWallNs(std::size_t(&lane - &store().lane(0)))) / 1e6;
    }
    // The program's printed "<key> <value>" figure on a line that starts with `prefix`.
    double printed(const QString& prefix, const QString& key) const
    {
        const QRegularExpression re(u"^"_s + QRegularExpression::escape(prefix) + u".*\\b"_s
                                    + QRegularExpression::escape(key) + u" ([0-9.]+)"_s);
        for (const QString& line : console) {
            const auto m = re.match(line);
            if (m.hasMatch())
                return m.captured(1).toDouble();
        }
        return -1;
    }
};

std::unique_ptr<Traced> trace(const QString& script, const QStringList& args = {}, int timeoutMs = 60000,
                              bool calls = false)
{
    auto t = std::make_unique<Traced>();
    PythonProgramSpec spec;
    spec.script = script;
    spec.args = args;
    spec.calls = calls;
    QString error;
    if (!t->run->startProgram(PythonProgram::entry(spec), u"MainThread"_s, &error, 10)) {
        qWarning("cannot start: %s", qPrintable(error));
        return nullptr;
    }
    QSignalSpy finished(t->run.get(), &Run::finished);
    if (!finished.wait(timeoutMs)) {
        t->run->stop();
        qWarning("%s did not finish", qPrintable(script));
        return nullptr;
    }
    for (std::size_t i = 0; i < t->run->printedCount(); ++i)
        t->console << t->run->printed(i);
    t->description = t->run->description();
    return t;
}

// Time two lanes spend at once in any of `states`.
double overlapMs(const LaneData& a, const LaneData& b, std::initializer_list<ThreadState> states)
{
    auto in = [&](ThreadState s) { return std::find(states.begin(), states.end(), s) != states.end(); };
    std::int64_t total = 0;
    std::size_t j = 0;
    for (const StateInterval& x : a.intervals) {
        if (!in(x.state))
            continue;
        while (j < b.intervals.size() && b.intervals[j].end <= x.start)
            ++j;
        for (std::size_t k = j; k < b.intervals.size() && b.intervals[k].start < x.end; ++k) {
            if (in(b.intervals[k].state))
                total += std::max<std::int64_t>(0, std::min(x.end, b.intervals[k].end)
                                                       - std::max(x.start, b.intervals[k].start));
        }
    }
    return double(total) / 1e6;
}

} // namespace

class TestPython : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void lanesLocksAndQueues();
    void sleepingIsWhatWasSlept();
    void cpuBoundThreadsWaitForTheGil();
    void processesRunInParallel();
    void spawnedChildrenKeepTheirNames();
    void poolTasksOnWorkerLanes();
    void failingProgramKeepsItsTraceback_data();
    void failingProgramKeepsItsTraceback();
    void crashKeepsTheTrace();
    void threadlessProgramShowsMain();
    void libraryPatchedWhenImported();
    void stopEndsProgramAndChildren();
    void raceTwinLosesUpdates();
    void lockFloodCountsEveryAcquisition();
    void callsAreSlicesOfTheirLanes();
    void badInputIsSaid();
    void headlessCommandLine();
    void headlessWithoutPython();
};

void TestPython::initTestCase()
{
    QString error;
    if (findPython3({}, &error).isEmpty())
        QSKIP(qPrintable(error));
    QVERIFY2(!tracerDirectory().isEmpty(), "the tracer is not found");
}

void TestPython::lanesLocksAndQueues()
{
    const auto t = trace(program(u"locks_queue.py"_s));
    QVERIFY(t);
    QCOMPARE(t->description.outcome.value(u"exit_status"_s).toInt(), 0);
    // One lane per thread, named as threading names it.
    for (const QString& name : {u"MainThread"_s, u"locker-0"_s, u"locker-1"_s, u"locker-2"_s, u"producer"_s,
                                u"consumer"_s})
        QVERIFY2(t->lane(name), qPrintable(name));
    // work_lock: three holds of 50 ms each (the program sleeps holding it), so two of them waited.
    const ObjectData* lock = t->object(u"work_lock"_s);
    QVERIFY(lock);
    QCOMPARE(lock->acquisitions, 3);
    QCOMPARE(lock->contended, 2); // they start together at a barrier: two wait
    QVERIFY(lock->holdNsTotal >= 140'000'000);
    const ObjectData* barrier = t->object(u"start_line"_s);
    QVERIFY(barrier);
    double waitedMs = 0;
    for (const QString& name : {u"locker-0"_s, u"locker-1"_s, u"locker-2"_s}) {
        for (const StateInterval& i : t->lane(name)->intervals) {
            if (i.state != ThreadState::WaitingLock)
                continue;
            QVERIFY(i.object == lock->id || i.object == barrier->id);
            if (i.object == lock->id)
                waitedMs += double(i.end - i.start) / 1e6;
        }
    }
    // One waited for one hold, another for two: 150 ms, less what the waiter's start-up overlapped.
    QVERIFY2(waitedMs >= 120 && waitedMs <= 200, qPrintable(QString::number(waitedMs)));
    // The queue: capacity 3, 12 items and the sentinel, a consumer slower than the producer.
    const ObjectData* q = t->object(u"items"_s);
    QVERIFY(q);
    QCOMPARE(q->kind, ObjectKind::Queue);
    QCOMPARE(q->capacity, 3);
    QCOMPARE(q->puts, 13);
    QCOMPARE(q->gets, 13);
    QVERIFY(q->maxDepth <= 3);
    QVERIFY(q->maxDepth >= 2);
    QVERIFY(t->ms(*t->lane(u"producer"_s), ThreadState::BlockedQueue) > 20);
}

void TestPython::sleepingIsWhatWasSlept()
{
    const auto t = trace(program(u"sleepers.py"_s));
    QVERIFY(t);
    for (const QString& name : {u"sleeper-0"_s, u"sleeper-1"_s, u"sleeper-2"_s}) {
        const LaneData* lane = t->lane(name);
        QVERIFY(lane);
        const double slept = t->printed(name, u"slept_ms"_s);
        QVERIFY(slept > 0);
        const double sleeping = t->ms(*lane, ThreadState::Sleeping);
        QVERIFY2(std::abs(sleeping - slept) <= 0.1 * slept,
                 qPrintable(u"%1: drawn %2 ms sleeping, slept %3 ms"_s.arg(name).arg(sleeping).arg(slept)));
        // Sleeping threads never wait for the GIL (at most a sliver at a wake-up).
        QVERIFY2(t->ms(*lane, ThreadState::WaitingGil) <= 0.02 * t->wallMs(*lane),
                 qPrintable(u"%1 waited %2 ms for the GIL"_s.arg(name).arg(t->ms(*lane, ThreadState::WaitingGil))));
    }
}

void TestPython::cpuBoundThreadsWaitForTheGil()
{
    const auto t = trace(program(u"gil_cpu.py"_s), {u"1.5"_s});
    QVERIFY(t);
    const LaneData* a = t->lane(u"cpu-0"_s);
    const LaneData* b = t->lane(u"cpu-1"_s);
    QVERIFY(a && b);
    for (const LaneData* lane : {a, b}) {
        const double wall = t->wallMs(*lane);
        const double gil = t->ms(*lane, ThreadState::WaitingGil);
        const double running = t->ms(*lane, ThreadState::Running);
        const double cpu = t->printed(lane->name, u"cpu_ms"_s); // the thread's own time.thread_time()
        QVERIFY(cpu > 0);
        // Each waits for the GIL about half its time (the other holds it), and runs what the
        // kernel says it ran.
        QVERIFY2(gil >= 0.25 * wall && gil <= 0.75 * wall,
                 qPrintable(u"%1: %2 ms of %3 waiting for the GIL"_s.arg(lane->name).arg(gil).arg(wall)));
        QVERIFY2(std::abs(running - cpu) <= 0.15 * cpu + 0.05 * wall, // sampling: ±1 ms a switch
                 qPrintable(u"%1: drawn running %2 ms, thread_time %3 ms"_s.arg(lane->name).arg(running).arg(cpu)));
    }
    // Under the GIL they take turns: never both Running at once.
    const double both = overlapMs(*a, *b, {ThreadState::Running});
    QVERIFY2(both <= 0.01 * t->wallMs(*a), qPrintable(u"both running for %1 ms"_s.arg(both)));
    // One GIL holder at a time.
    const ObjectData* gil = t->object(u"GIL"_s);
    QVERIFY(gil);
    QCOMPARE(gil->kind, ObjectKind::Gil);
    QVERIFY(gil->holds.size() > 10);
    for (std::size_t i = 1; i < gil->holds.size(); ++i)
        QVERIFY2(gil->holds[i].start >= gil->holds[i - 1].end, "two GIL holders at once");
}

void TestPython::processesRunInParallel()
{
    const auto t = trace(program(u"processes.py"_s));
    QVERIFY(t);
    const LaneData* a = t->lane(u"spinner-0"_s);
    const LaneData* b = t->lane(u"spinner-1"_s);
    QVERIFY(a && b);
    QCOMPARE(a->kind, LaneKind::Process);
    QCOMPARE(b->kind, LaneKind::Process);
    QCOMPARE(t->description.outcome.value(u"processes"_s).toInt(), 3);
    // Each computes for 1 s, in processes of their own: no GIL between them, so they want a CPU at
    // the same time (on one core they would take turns as Ready).
    const double together = overlapMs(*a, *b, {ThreadState::Running, ThreadState::Ready});
    QVERIFY2(together >= 500, qPrintable(u"together %1 ms"_s.arg(together)));
    for (const LaneData* lane : {a, b}) {
        // It never blocks: Running or Ready (when the machine is busy) all along, no GIL waits.
        const double busy = t->ms(*lane, ThreadState::Running) + t->ms(*lane, ThreadState::Ready);
        QVERIFY2(busy >= 0.8 * t->wallMs(*lane), qPrintable(u"%1 ms of %2"_s.arg(busy).arg(t->wallMs(*lane))));
        QVERIFY(t->ms(*lane, ThreadState::WaitingGil) <= 0.05 * t->wallMs(*lane));
    }
}

void TestPython::spawnedChildrenKeepTheirNames()
{
    const auto t = trace(program(u"spawned.py"_s));
    QVERIFY(t);
    QCOMPARE(t->console.value(0), u"exit codes [0, 0]"_s);
    QStringList processes;
    for (std::size_t i = 0; i < t->store().laneCount(); ++i) {
        if (t->store().lane(i).kind == LaneKind::Process)
            processes << t->store().lane(i).name;
    }
    processes.sort();
    // The resource tracker is multiprocessing's own helper, started with spawn's first child.
    QCOMPARE(processes, (QStringList{u"cruncher-0"_s, u"cruncher-1"_s, u"multiprocessing resource tracker"_s}));
}

void TestPython::poolTasksOnWorkerLanes()
{
    const auto t = trace(program(u"pool.py"_s));
    QVERIFY(t);
    QCOMPARE(t->console.value(0), u"28"_s);
    int workers = 0;
    int tasks = 0;
    for (std::size_t i = 0; i < t->store().laneCount(); ++i) {
        const LaneData& lane = t->store().lane(i);
        if (lane.kind != LaneKind::Pool)
            continue;
        ++workers;
        QVERIFY(lane.name.startsWith(u"ThreadPoolExecutor"_s));
        for (const Marker& m : lane.markers) {
            if (m.kind == EventKind::Marker && m.aux == std::uint32_t(MarkerType::TaskNamed)) {
                ++tasks; // labelled with the callable the program submitted
                QCOMPARE(t->store().text(std::uint32_t(m.value)), u"task"_s);
            }
        }
    }
    QCOMPARE(workers, 2);
    QCOMPARE(tasks, 8);
}

void TestPython::failingProgramKeepsItsTraceback_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("expected");
    QTest::newRow("exception") << u"fails.py"_s << u"ValueError: this program fails on purpose"_s;
    QTest::newRow("syntax error") << u"syntax_error.py"_s << u"SyntaxError"_s;
}

void TestPython::failingProgramKeepsItsTraceback()
{
    QFETCH(QString, script);
    QFETCH(QString, expected);
    const auto t = trace(program(script));
    QVERIFY(t);
    QCOMPARE(t->description.outcome.value(u"exit_status"_s).toInt(), 1);
    QCOMPARE(t->description.ended, u"completed"_s);
    const QString console = t->console.join(u'\n');
    QVERIFY2(console.contains(expected), qPrintable(console));
    if (script == "fails.py"_L1) {
        QVERIFY(console.contains(u"Traceback (most recent call last)"_s));
        QVERIFY(console.contains(u"about to fail"_s));
        // The traceback is the program's own: no frame of the tracer in it.
        QVERIFY2(!console.contains(u"interleave_tracer"_s), qPrintable(console));
        QVERIFY(t->lane(u"worker"_s));
    }
}

void TestPython::crashKeepsTheTrace()
{
    const auto t = trace(program(u"crash.py"_s));
    QVERIFY(t);
    QCOMPARE(t->description.outcome.value(u"exit_status"_s).toInt(), -9);
    QVERIFY(t->console.contains(u"about to crash"_s));
    const ObjectData* lock = t->object(u"lock"_s);
    QVERIFY(lock);
    QCOMPARE(lock->acquisitions, 5);
    QVERIFY(t->lane(u"worker"_s));
}

void TestPython::threadlessProgramShowsMain()
{
    const auto t = trace(program(u"no_threads.py"_s));
    QVERIFY(t);
    QCOMPARE(t->store().laneCount(), std::size_t(1));
    const LaneData* main = t->lane(u"MainThread"_s);
    QVERIFY(main);
    QCOMPARE(main->kind, LaneKind::Main);
    QVERIFY(t->ms(*main, ThreadState::Running) > 0);
    QVERIFY(t->console.value(0).startsWith(u"total "_s));
}

// The tracer patches queue, concurrent.futures and multiprocessing when the program imports them,
// not up front (that cost every traced start ~17 ms): a queue first imported by a running thread is
// still traced, and the program starts with the same modules loaded as it does untraced.
void TestPython::libraryPatchedWhenImported()
{
    const QString script = program(u"late_import.py"_s);
    const auto t = trace(script);
    QVERIFY(t);
    QCOMPARE(t->description.outcome.value(u"exit_status"_s).toInt(), 0);
    QString error;
    QProcess untraced;
    untraced.start(findPython3({}, &error), {script});
    QVERIFY(untraced.waitForFinished(30'000));
    const QString plainFirst = QString::fromUtf8(untraced.readAllStandardOutput()).section(u'\n', 0, 0);
    QVERIFY(plainFirst.startsWith(u"loaded at start:"_s));
    QCOMPARE(t->console.value(0), plainFirst);
    const ObjectData* q = t->object(u"jobs"_s);
    QVERIFY(q);
    QCOMPARE(q->kind, ObjectKind::Queue);
    QCOMPARE(q->capacity, 2);
    QCOMPARE(q->puts, 6);
    QCOMPARE(q->gets, 6);
}

void TestPython::stopEndsProgramAndChildren()
{
    Run run;
    PythonProgramSpec spec;
    spec.script = program(u"forever.py"_s);
    QString error;
    QVERIFY2(run.startProgram(PythonProgram::entry(spec), u"MainThread"_s, &error, 10), qPrintable(error));
    // The program says its child's pid once the child runs.
    QTRY_VERIFY_WITH_TIMEOUT(run.printedCount() > 0, 30000);
    const QString line = run.printed(0);
    QVERIFY2(line.startsWith(u"child "_s), qPrintable(line));
    const pid_t child = pid_t(line.mid(6).toInt());
    QVERIFY(child > 0);
    QCOMPARE(::kill(child, 0), 0);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(run.stop());
    qInfo("stopped in %lld ms", static_cast<long long>(clock.elapsed()));
    QCOMPARE(run.description().ended, u"stopped"_s);
    // The child is gone too (reaped by whoever adopted it once its parent died).
    QTRY_VERIFY_WITH_TIMEOUT(::kill(child, 0) != 0, 5000);
    QVERIFY(run.description().outcome.value(u"exit_status"_s).isNull());
}

void TestPython::raceTwinLosesUpdates()
{
    const auto t = trace(QDir(QStringLiteral(LESSONS_DIR)).filePath(u"race.py"_s));
    QVERIFY(t);
    int workers = 0; // "Thread-1 (worker)" since Python 3.10, "Thread-1" before
    for (std::size_t i = 0; i < t->store().laneCount(); ++i)
        workers += t->store().lane(i).kind == LaneKind::Thread && t->store().lane(i).name.startsWith(u"Thread-"_s);
    QCOMPARE(workers, 4);
    // The twin's own count (lock off by default): updates were lost.
    const double lost = t->printed(u"expected"_s, u"lost_updates:"_s);
    QVERIFY2(lost > 0, qPrintable(t->console.join(u'\n')));
    QVERIFY(t->description.outcome.value(u"last_line"_s).toString().contains(u"lost_updates"_s));
}

// shared_data's twin takes one lock 200,000 times from four threads (most holds folded into runs
// by the tracer): the lock's acquisitions are the program's own count, exactly; its waits are at
// most the times the program found the lock taken; and its holds, folded or not, never overlap.
void TestPython::lockFloodCountsEveryAcquisition()
{
    const auto t = trace(QDir(QStringLiteral(LESSONS_DIR)).filePath(u"shared_data.py"_s));
    QVERIFY(t);
    const double acquisitions = t->printed(u"expected"_s, u"lock_acquisitions:"_s);
    const double contended = t->printed(u"expected"_s, u"contended:"_s);
    QVERIFY2(acquisitions > 0 && contended >= 0, qPrintable(t->console.join(u'\n')));
    const ObjectData* lock = t->object(u"total_lock"_s);
    QVERIFY(lock);
    QCOMPARE(double(lock->acquisitions), acquisitions);
    // The program counts a failed try; the tracer a wait that followed (the lock may be free by then).
    QVERIFY2(double(lock->contended) <= contended,
             qPrintable(u"%1 waits drawn, %2 found taken"_s.arg(lock->contended).arg(contended)));
    std::vector<HoldInterval> holds;
    for (std::size_t i = 0; i < t->store().laneCount(); ++i) {
        for (const HoldInterval& h : t->store().lane(i).holds) {
            if (h.object == lock->id)
                holds.push_back(h);
        }
    }
    QVERIFY(!holds.empty());
    std::sort(holds.begin(), holds.end(), [](const HoldInterval& a, const HoldInterval& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < holds.size(); ++i)
        QVERIFY2(holds[i].start >= holds[i - 1].end,
                 qPrintable(u"holds overlap: lanes %1 and %2 at %3 ns"_s.arg(holds[i - 1].lane).arg(holds[i].lane)
                                .arg(holds[i].start)));
}

// --calls: each worker's calls as nested slices of its lane, named as Python names them; the
// time drawn for middle() is what the program measured around its own calls; calls under 20 µs
// are counted, not drawn.
void TestPython::callsAreSlicesOfTheirLanes()
{
    const auto t = trace(program(u"calls.py"_s), {}, 60000, true);
    QVERIFY(t);
    QCOMPARE(t->description.outcome.value(u"exit_status"_s).toInt(), 0);
    for (const QString& name : {u"w0"_s, u"w1"_s}) {
        const LaneData* lane = t->lane(name);
        QVERIFY(lane);
        std::map<QString, int> count;
        std::map<QString, int> depth;
        double middleMs = 0;
        for (const NamedSlice& s : lane->slices) {
            const QString fn = t->store().text(s.name);
            ++count[fn];
            depth[fn] = s.depth;
            QVERIFY(s.start >= lane->begin && s.end <= (lane->ended ? lane->end : t->store().endTime()));
            if (fn == "middle"_L1) {
                middleMs += double(s.end - s.start) / 1e6;
                QVERIFY2(s.end - s.start >= 10'000'000, "middle() sleeps 10 ms");
            }
        }
        QCOMPARE(count[u"worker"_s], 1);
        QCOMPARE(count[u"middle"_s], 5);
        QCOMPARE(count[u"leaf"_s], 15);
        QCOMPARE(count.count(u"tiny"_s), std::size_t(0)); // the main thread's, and too short anyway
        QCOMPARE(depth[u"worker"_s], 0);
        QCOMPARE(depth[u"middle"_s], 1);
        QCOMPARE(depth[u"leaf"_s], 2);
        // Each leaf lies inside one of its lane's middle() calls.
        for (const NamedSlice& leaf : lane->slices) {
            if (t->store().text(leaf.name) != "leaf"_L1)
                continue;
            bool inside = false;
            for (const NamedSlice& m : lane->slices)
                inside = inside || (t->store().text(m.name) == "middle"_L1 && m.start <= leaf.start && leaf.end <= m.end);
            QVERIFY(inside);
        }
        const double printed = t->printed(name, u"middle_ms"_s);
        QVERIFY2(printed > 0, qPrintable(t->console.join(u'\n')));
        QVERIFY2(std::abs(middleMs - printed) <= 0.1 * printed,
                 qPrintable(u"%1: middle() drawn %2 ms, measured %3 ms"_s.arg(name).arg(middleMs).arg(printed)));
    }
    // The main thread only computes at the end: its calls still reach the lane when they happened
    // (a call written late would be drawn stretched to where the lane had got to).
    const LaneData* main = t->lane(u"MainThread"_s);
    QVERIFY(main);
    double spinMs = 0;
    int spins = 0;
    for (const NamedSlice& s : main->slices) {
        if (t->store().text(s.name) == "spin"_L1) {
            spinMs += double(s.end - s.start) / 1e6;
            ++spins;
        }
    }
    QCOMPARE(spins, 3);
    const double spinPrinted = t->printed(u"main"_s, u"spin_ms"_s);
    QVERIFY2(std::abs(spinMs - spinPrinted) <= 0.1 * spinPrinted,
             qPrintable(u"spin() drawn %1 ms, measured %2 ms"_s.arg(spinMs).arg(spinPrinted)));
    QVERIFY(t->description.outcome.value(u"calls_short"_s).toDouble() >= 2000);
    QCOMPARE(t->description.outcome.value(u"calls_over_cap"_s).toDouble(), 0.0);
}

void TestPython::badInputIsSaid()
{
    QString error;
    QVERIFY(findPython3(u"/nonexistent/python3"_s, &error).isEmpty());
    QVERIFY2(error.contains(u"install"_s), qPrintable(error));
    PythonProgramSpec spec;
    spec.script = program(u"no_such_program.py"_s);
    QVERIFY(!checkPythonProgram(spec, &error));
    QVERIFY2(error.contains(u"no_such_program.py"_s), qPrintable(error));
}

void TestPython::headlessCommandLine()
{
    // The program's output on stdout, its exit status in the summary and in ours, the trace kept.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess p;
    p.start(QStringLiteral(INTERLEAVE_EXE),
            {u"--headless"_s, u"--python"_s, program(u"fails.py"_s), u"--summary-out"_s, dir.filePath(u"s.json"_s),
             u"--trace-out"_s, dir.filePath(u"t.json"_s)});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(out.contains(u"ValueError: this program fails on purpose"_s), qPrintable(out));
    QFile summaryFile(dir.filePath(u"s.json"_s));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    const QJsonObject summary = QJsonDocument::fromJson(summaryFile.readAll()).object();
    QCOMPARE(summary.value(u"scenario"_s).toString(), u"python"_s);
    QCOMPARE(summary.value(u"outcome"_s).toObject().value(u"exit_status"_s).toInt(), 1);
    // The trace opens again as the run it was: the same threads and outcome.
    QProcess reopen;
    reopen.start(QStringLiteral(INTERLEAVE_EXE),
                 {u"--headless"_s, u"--open"_s, dir.filePath(u"t.json"_s), u"--summary-out"_s, u"-"_s});
    QVERIFY(reopen.waitForFinished(60000));
    QCOMPARE(reopen.exitCode(), 0);
    const QJsonObject again = QJsonDocument::fromJson(reopen.readAllStandardOutput()).object();
    QCOMPARE(again.value(u"scenario"_s).toString(), u"python"_s);
    QCOMPARE(again.value(u"threads"_s).toArray().size(), summary.value(u"threads"_s).toArray().size());
    QCOMPARE(again.value(u"outcome"_s).toObject().value(u"exit_status"_s).toInt(), 1);
    // Arguments after the script are the program's; after "--" all of them.
    QProcess q;
    q.start(QStringLiteral(INTERLEAVE_EXE), {u"--headless"_s, u"--python"_s, program(u"gil_cpu.py"_s), u"0.2"_s});
    QVERIFY(q.waitForFinished(60000));
    QCOMPARE(q.exitCode(), 0);
    QVERIFY(QString::fromUtf8(q.readAllStandardOutput()).contains(u"cpu-1 cpu_ms"_s));
    // --calls after the script is ours: the calls go into the trace and come back from it.
    QProcess c;
    c.start(QStringLiteral(INTERLEAVE_EXE), {u"--headless"_s, u"--python"_s, program(u"calls.py"_s), u"--calls"_s,
                                             u"--trace-out"_s, dir.filePath(u"c.json"_s), u"--summary-out"_s, u"-"_s});
    QVERIFY(c.waitForFinished(60000));
    QCOMPARE(c.exitCode(), 0);
    const QByteArray cOut = c.readAllStandardOutput();
    const QJsonObject withCalls = QJsonDocument::fromJson(cOut.mid(cOut.indexOf('{'))).object();
    QVERIFY2(withCalls.value(u"outcome"_s).toObject().value(u"calls"_s).toDouble() >= 2 * (1 + 5 + 15), cOut.constData());
    QProcess back;
    back.start(QStringLiteral(INTERLEAVE_EXE),
               {u"--headless"_s, u"--open"_s, dir.filePath(u"c.json"_s), u"--summary-out"_s, u"-"_s});
    QVERIFY(back.waitForFinished(60000));
    QCOMPARE(back.exitCode(), 0);
    int slices = 0;
    for (const QJsonValue& th : QJsonDocument::fromJson(back.readAllStandardOutput()).object().value(u"threads"_s).toArray())
        slices += th.toObject().value(u"slices"_s).toInt();
    QCOMPARE(double(slices), withCalls.value(u"outcome"_s).toObject().value(u"calls"_s).toDouble());
    // --calls is for a program only.
    QProcess refused;
    refused.start(QStringLiteral(INTERLEAVE_EXE), {u"--headless"_s, u"--scenario"_s, u"race"_s, u"--calls"_s});
    QVERIFY(refused.waitForFinished(60000));
    QCOMPARE(refused.exitCode(), 2);
    QVERIFY(QString::fromLocal8Bit(refused.readAllStandardError()).contains(u"--calls goes with --python"_s));
}

void TestPython::headlessWithoutPython()
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"INTERLEAVE_PYTHON"_s, u"/nonexistent/python3"_s);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(INTERLEAVE_EXE), {u"--headless"_s, u"--python"_s, program(u"no_threads.py"_s)});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(u"install"_s) && err.count(u'\n') == 1, qPrintable(err));
}

QTEST_GUILESS_MAIN(TestPython)
#include "tst_python.moc"
