// P2b (DESIGN.md section 8): the lessons at their own rates, headless and in the window.
//
// Every case is a lesson at up to 16 threads flat out (race at 1e7 increments, contention with no
// work inside or outside the lock, ...). It runs twice:
//   headless  through the interleave binary (`--headless --scenario ... --summary-out FILE`),
//             drained every 10 ms on its main thread, as the command line does;
//   window    a MainWindow in this process (offscreen), started with its Run button's slot and
//             drained and painted every 16 ms, as on screen.
// Each run reports events dropped (the target: 0), what was thinned by rule and counted (race
// marks not kept, lock holds folded), whether the statistics are exact (lock acquisitions equal
// threads x operations; in the window, where the store is at hand, race marks kept plus not kept
// equal two per increment and the lost-update marks add up to the updates lost) and the peak
// resident set: the headless process's (wait4), the window's from its start (VmHWM, reset first).
// The race with its lock (16 threads x 1e6, and x 1e7) has a RESULT line of its own, P2bl: it is
// the flood that dropped last (a drain short of CPU let the set-aside fill).
//
//   bench_lessons [--interleave PATH] [--quick]
#include "hugepagemalloc.h"
#include "mainwindow.h"
#include "run.h"
#include "summary.h"
#include "tracestore.h"

#include "testdata.h" // scenarioValues(), shared with the tests

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace interleave;
using interleave::test::scenarioValues;
using namespace Qt::StringLiterals;

namespace {

struct Case
{
    QString scenario;
    QStringList sets;
    std::int64_t lockOps = -1; // lock acquisitions the run must count exactly (-1: not checked)
    std::int64_t increments = -1; // race: threads x increments (-1: not a race case)
    bool lockFlood = false;       // one of the P2bl cases
};

struct Outcome
{
    bool ran = false;
    QString error;
    std::int64_t recorded = 0;
    std::int64_t dropped = 0;
    std::int64_t notKept = 0;
    std::int64_t folded = 0;
    double seconds = 0;
    double peakMiB = 0;
    QStringList inexact; // statistics that are not what a run that kept everything would say
};

std::vector<Case> cases(bool quick)
{
    const std::int64_t big = quick ? 1'000'000 : 10'000'000;
    std::vector<Case> c{
        {u"race"_s, {u"threads=4"_s, u"increments=%1"_s.arg(big), u"lock=false"_s, u"window_us=0"_s}, -1, 4 * big},
        {u"race"_s, {u"threads=16"_s, u"increments=%1"_s.arg(big), u"lock=false"_s, u"window_us=0"_s}, -1, 16 * big},
        {u"race"_s, {u"threads=16"_s, u"increments=1000000"_s, u"lock=true"_s, u"window_us=0"_s}, 16'000'000, 16'000'000,
         true},
        {u"contention"_s,
         {u"threads=16"_s, u"critical_ms=0"_s, u"outside_ms=0"_s, u"rounds=100000"_s},
         1'600'000},
        {u"contention"_s,
         {u"threads=16"_s, u"locks=8"_s, u"critical_ms=0"_s, u"outside_ms=0"_s, u"rounds=100000"_s},
         1'600'000},
        {u"producer_consumer"_s,
         {u"producers=16"_s, u"consumers=16"_s, u"produce_ms=0"_s, u"consume_ms=0"_s, u"items=1000"_s}},
        {u"thread_pool"_s, {u"pool_size=16"_s, u"tasks=1000"_s, u"task_ms=0"_s, u"task_jitter_ms=0"_s}},
        {u"interleaving"_s, {u"threads=16"_s, u"steps=1000"_s, u"sleep_ms=0"_s}},
        {u"gil"_s, {u"workers=16"_s, u"tasks=1000"_s, u"task_ms=1"_s}},
        {u"shared_data"_s, {u"threads=16"_s, u"increments=20000"_s, u"strategy=shared_lock"_s}, 320'000},
        {u"pipeline"_s, {u"batches=1000"_s, u"loaders=16"_s, u"prefetch=32"_s, u"load_ms=0"_s, u"train_ms=1"_s}},
    };
    if (quick)
        c.erase(c.begin() + 1); // race 16 x 1e6 is the third case already
    else
        c.insert(c.begin() + 3, Case{u"race"_s,
                                     {u"threads=16"_s, u"increments=10000000"_s, u"lock=true"_s, u"window_us=0"_s},
                                     160'000'000, 160'000'000, true});
    return c;
}

QString label(const Case& c)
{
    return c.scenario + u' ' + c.sets.join(u' ');
}

// What the summary says, and the checks it allows.
void readSummary(const QJsonObject& summary, const Case& c, Outcome* o)
{
    const QJsonObject events = summary[u"events"_s].toObject();
    o->recorded = events[u"recorded"_s].toInteger();
    o->dropped = events[u"dropped"_s].toInteger();
    o->notKept = events[u"race_marks_not_kept"_s].toInteger();
    o->folded = events[u"lock_holds_folded"_s].toInteger();
    if (summary[u"ended"_s].toString() != u"completed"_s)
        o->inexact << u"ended: "_s + summary[u"ended"_s].toString();
    if (c.lockOps >= 0) {
        std::int64_t acquisitions = 0;
        for (const QJsonValue& v : summary[u"locks"_s].toArray())
            acquisitions += v.toObject()[u"acquisitions"_s].toInteger();
        if (acquisitions != c.lockOps)
            o->inexact << u"lock acquisitions %1 of %2"_s.arg(acquisitions).arg(c.lockOps);
    }
    if (c.increments >= 0) {
        const QJsonObject outcome = summary[u"outcome"_s].toObject();
        if (outcome[u"expected"_s].toInteger() != c.increments)
            o->inexact << u"expected %1 of %2"_s.arg(outcome[u"expected"_s].toInteger()).arg(c.increments);
    }
}

// Starts the headless runs from a small process forked at the start, before the window and its
// stores exist: a child forked from this process, grown large by the window's runs, would carry
// that resident set into its ru_maxrss (the kernel keeps the high-water mark across exec).
// Requests on a pipe: the stderr path and the arguments, NUL-separated; reply: exit status and
// the child's ru_maxrss (wait4).
class Spawner
{
public:
    struct Reply
    {
        int status = -1;
        long maxRssKb = 0;
    };

    // Forks the spawner; call while this process is still single-threaded.
    bool start()
    {
        int request[2];
        int reply[2];
        if (::pipe(request) != 0 || ::pipe(reply) != 0)
            return false;
        const pid_t pid = ::fork();
        if (pid < 0)
            return false;
        if (pid == 0) {
            ::close(request[1]);
            ::close(reply[0]);
            serve(request[0], reply[1]);
            ::_exit(0);
        }
        ::close(request[0]);
        ::close(reply[1]);
        m_request = request[1];
        m_reply = reply[0];
        m_pid = pid;
        return true;
    }
    ~Spawner()
    {
        if (m_pid > 0) {
            ::close(m_request); // the spawner reads end of file and exits
            ::close(m_reply);
            ::waitpid(m_pid, nullptr, 0);
        }
    }

    // Runs argv[0] with argv, stdin and stdout on /dev/null, stderr into errPath; waits for it.
    std::optional<Reply> run(const std::vector<std::string>& argv, const std::string& errPath)
    {
        std::string message = errPath + '\0';
        for (const std::string& a : argv)
            message += a + '\0';
        const std::uint32_t size = std::uint32_t(message.size());
        Reply r;
        if (!writeAll(m_request, &size, sizeof size) || !writeAll(m_request, message.data(), size)
            || !readAll(m_reply, &r, sizeof r))
            return std::nullopt;
        return r;
    }

private:
    static bool writeAll(int fd, const void* data, std::size_t n)
    {
        const char* p = static_cast<const char*>(data);
        while (n > 0) {
            const ssize_t k = ::write(fd, p, n);
            if (k <= 0)
                return false;
            p += k;
            n -= std::size_t(k);
        }
        return true;
    }
    static bool readAll(int fd, void* data, std::size_t n)
    {
        char* p = static_cast<char*>(data);
        while (n > 0) {
            const ssize_t k = ::read(fd, p, n);
            if (k <= 0)
                return false;
            p += k;
            n -= std::size_t(k);
        }
        return true;
    }
    [[noreturn]] static void serve(int in, int out)
    {
        for (;;) {
            std::uint32_t size = 0;
            if (!readAll(in, &size, sizeof size))
                ::_exit(0);
            std::string message(size, '\0');
            if (!readAll(in, message.data(), size))
                ::_exit(0);
            std::vector<char*> parts;
            for (std::size_t at = 0; at < message.size(); at = message.find('\0', at) + 1)
                parts.push_back(message.data() + at);
            const char* errPath = parts.front();
            std::vector<char*> args(parts.begin() + 1, parts.end());
            args.push_back(nullptr);
            Reply r;
            const pid_t pid = ::fork();
            if (pid == 0) {
                const int devNull = ::open("/dev/null", O_RDWR);
                const int err = ::open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
                if (devNull >= 0) {
                    ::dup2(devNull, 0);
                    ::dup2(devNull, 1);
                }
                if (err >= 0)
                    ::dup2(err, 2);
                ::execv(args[0], args.data());
                ::_exit(127);
            }
            rusage usage{};
            if (pid > 0 && ::wait4(pid, &r.status, 0, &usage) == pid)
                r.maxRssKb = usage.ru_maxrss; // kilobytes on Linux
            if (!writeAll(out, &r, sizeof r))
                ::_exit(0);
        }
    }

    int m_request = -1;
    int m_reply = -1;
    pid_t m_pid = -1;
};

Outcome runHeadless(Spawner& spawner, const QString& binary, const Case& c)
{
    Outcome o;
    QTemporaryDir dir;
    const QString summaryFile = dir.filePath(u"summary.json"_s);
    // Headless runs stop after 10 s unless told otherwise: every case runs to its end.
    QStringList args{u"--headless"_s, u"--scenario"_s,    c.scenario,  u"--summary-out"_s,
                     summaryFile,     u"--duration"_s,    u"600"_s};
    for (const QString& s : c.sets)
        args << u"--set"_s << s;
    // Through the spawner, for the child's own peak resident set (wait4; QProcess reaps it unseen).
    std::vector<std::string> argv{binary.toStdString()};
    for (const QString& a : args)
        argv.push_back(a.toStdString());
    const QByteArray errPath = QFile::encodeName(dir.filePath(u"stderr.txt"_s));
    QElapsedTimer t;
    t.start();
    const std::optional<Spawner::Reply> reply = spawner.run(argv, errPath.toStdString());
    if (!reply || !WIFEXITED(reply->status)) {
        o.error = u"did not finish"_s;
        return o;
    }
    const int status = reply->status;
    o.seconds = double(t.nsecsElapsed()) / 1e9;
    o.peakMiB = double(reply->maxRssKb) / 1024.0;
    QFile f(summaryFile);
    if (!f.open(QIODevice::ReadOnly)) {
        QFile err(QFile::decodeName(errPath));
        const QString text = err.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(err.read(400)) : QString();
        o.error = u"no summary (exit %1): %2"_s.arg(WEXITSTATUS(status)).arg(text);
        return o;
    }
    readSummary(QJsonDocument::fromJson(f.readAll()).object(), c, &o);
    o.ran = true;
    return o;
}

// Race marks kept plus not kept, two per increment; lost-update marks add up to the updates lost.
void checkRaceStore(const TraceStore& store, const QJsonObject& outcome, const Case& c, Outcome* o)
{
    std::int64_t kept = 0;
    std::int64_t marked = 0;
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        for (const Marker& m : store.lane(i).markers) {
            kept += m.kind == EventKind::RaceRead || m.kind == EventKind::RaceWrite ? 1 : 0;
            marked += m.kind == EventKind::LostUpdate ? m.value : 0;
        }
    }
    // The window's store keeps a history cap (1 M markers): once the oldest aged out, the race
    // marks still held are a part of the run and can only be checked not to exceed it. Not so the
    // lost-update marks: a write over a stale write gives a negative one (their sum is exact only
    // whole), so a part of them may add up to more than the updates lost; they are checked whole.
    const bool whole = store.agedOut() == 0;
    const std::int64_t marks = kept + std::int64_t(store.markersCapped());
    if (whole ? marks != 2 * c.increments : marks > 2 * c.increments)
        o->inexact << u"race marks %1 of %2"_s.arg(marks).arg(2 * c.increments);
    const std::int64_t lost = c.increments - outcome[u"actual"_s].toInteger();
    if (whole && marked != lost)
        o->inexact << u"lost-update marks %1 for %2 lost"_s.arg(marked).arg(lost);
}

// This process's peak resident set since the last reset (VmHWM), MiB; 0 when /proc does not say.
double peakRssMiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

// Writing 5 to clear_refs sets VmHWM to what is resident now (Linux 4.0 and later).
void resetPeakRss()
{
    QFile clear(u"/proc/self/clear_refs"_s);
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

Outcome runWindow(MainWindow& w, const Case& c)
{
    Outcome o;
    resetPeakRss();
    if (!w.selectScenario(c.scenario, scenarioValues(c.scenario, c.sets))) {
        o.error = u"the window did not take the settings"_s;
        return o;
    }
    QEventLoop loop;
    bool finished = false;
    const auto connection = QObject::connect(w.currentRun(), &Run::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QElapsedTimer t;
    t.start();
    w.run();
    QTimer::singleShot(600'000, &loop, &QEventLoop::quit);
    if (!finished)
        loop.exec();
    QObject::disconnect(connection);
    o.seconds = double(t.nsecsElapsed()) / 1e9;
    o.peakMiB = peakRssMiB();
    if (!finished) {
        w.stop();
        o.error = u"did not finish in 10 minutes"_s;
        return o;
    }
    const TraceStore& store = *w.currentRun()->store();
    const RunDescription run = w.runDescription();
    readSummary(buildSummary(store, run), c, &o);
    if (c.increments >= 0 && c.lockOps < 0)
        checkRaceStore(store, run.outcome, c, &o);
    o.ran = true;
    return o;
}

void printRow(const char* where, const Case& c, const Outcome& o)
{
    if (!o.ran) {
        std::printf("| %s | %s | - | - | - | - | - | %s |\n", where, qPrintable(label(c)), qPrintable(o.error));
        return;
    }
    std::printf("| %s | %s | %.1f s | %lld | **%lld** | %lld / %lld | %.0f MiB | %s |\n", where, qPrintable(label(c)),
                o.seconds, static_cast<long long>(o.recorded), static_cast<long long>(o.dropped),
                static_cast<long long>(o.notKept), static_cast<long long>(o.folded), o.peakMiB,
                o.inexact.isEmpty() ? "exact" : qPrintable(o.inexact.join(u"; "_s)));
}

} // namespace

int main(int argc, char** argv)
{
    interleave::restartWithHugePageMalloc(argv); // the heap as the app has it
    Spawner spawner;
    if (!spawner.start()) {
        std::fprintf(stderr, "bench_lessons: cannot start the process that starts the headless runs\n");
        return 1;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's settings stay out of the user's
    QString binary = QCoreApplication::applicationDirPath() + u"/../app/interleave"_s;
    bool quick = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--interleave") == 0 && i + 1 < argc)
            binary = QString::fromLocal8Bit(argv[++i]);
        else if (std::strcmp(argv[i], "--quick") == 0)
            quick = true;
    }
    std::printf("\nP2b the lessons at their own rates: events dropped, thinned by rule (race marks not kept / lock "
                "holds folded), statistics\n");
    std::printf("| where | lesson and settings | run | events recorded | dropped | not kept / folded | peak RSS | "
                "statistics |\n|---|---|---|---|---|---|---|---|\n");
    std::int64_t droppedTotal = 0;
    int runs = 0;
    int bad = 0;
    // P2bl: the race with its lock.
    std::int64_t lockDropped = 0;
    int lockRuns = 0;
    int lockBad = 0;
    double lockPeakMiB = 0;
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    for (const Case& c : cases(quick)) {
        for (const bool window : {false, true}) {
            const Outcome o = window ? runWindow(w, c) : runHeadless(spawner, binary, c);
            printRow(window ? "window" : "headless", c, o);
            std::fflush(stdout);
            ++runs;
            droppedTotal += o.dropped;
            const bool isShort = !o.ran || o.dropped != 0 || !o.inexact.isEmpty();
            bad += isShort ? 1 : 0;
            if (c.lockFlood) {
                ++lockRuns;
                lockDropped += o.dropped;
                lockBad += isShort ? 1 : 0;
                lockPeakMiB = std::max(lockPeakMiB, o.peakMiB);
            }
        }
    }
    // Peak RSS target: the set-aside (128 MiB at most), the store's history cap (about 200 MB) and
    // the rings (8 MiB a lane) fit well within 1 GiB; before issue 14's last change this case
    // reached 1.0-1.6 GB.
    constexpr double RssTargetMiB = 1024;
    const bool lockMet = lockBad == 0 && lockPeakMiB <= RssTargetMiB;
    std::printf("RESULT P2bl | the race with its lock, 16 threads x 1e6%s, %d runs headless and in the window: events "
                "dropped, runs short, peak RSS (worst) | %lld dropped, %d of %d short, %.0f MiB | 0 dropped, statistics "
                "exact, peak RSS <= %.0f MiB | %.2f | %s\n",
                quick ? "" : " and x 1e7", lockRuns, static_cast<long long>(lockDropped), lockBad, lockRuns,
                lockPeakMiB, RssTargetMiB, lockBad == 0 && lockPeakMiB > 0 ? RssTargetMiB / lockPeakMiB : 0.0,
                lockMet ? "pass" : "short");
    std::printf("RESULT P2b | the lessons' own rates, %d runs headless and in the window: events dropped, runs short "
                "| %lld dropped, %d of %d short | 0 dropped, statistics exact | %s | %s\n",
                runs, static_cast<long long>(droppedTotal), bad, runs, bad == 0 ? "1.00" : "0.00",
                bad == 0 ? "pass" : "short");
    return 0;
}
