// PythonProgram: starts python3 with the tracer, reads its records and samples the kernel's view of
// every traced thread at 1 kHz, all on the run's main thread, which is the only one to record
// into the program's lanes. How a state is decided: docs/python.md.
#include "pythonprogram.h"

#include "childprocess.h"
#include "clock.h"
#include "runcontext.h"
#include "tracesession.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// The tracer's record kinds and wait kinds (resources/tracer/interleave_tracer.py).
enum RecordKind : std::uint16_t {
    ProcessStart = 1,
    ThreadStart = 2,
    ThreadEnd = 3,
    LockObject = 4,
    QueueObject = 5,
    BlockBegin = 6,
    BlockEnd = 7,
    LockAcquired = 8,
    LockReleased = 9,
    QueuePutRec = 10,
    QueueGetRec = 11,
    TaskStartRec = 12,
    TaskEndRec = 13,
    ProcessEnd = 14,
    LockFolded = 15, // t = first acquisition, value = holds; payload: i64 last release, i64 ns held
    CodeName = 16,   // obj = a function's id; text = its name (--calls)
    CallRec = 17,    // obj = the function's id; t = its return; value = depth << 56 | its start
    CallsShort = 18, // value = calls too short to be written
};
enum WaitKind : std::int64_t { WaitSleep = 1, WaitLock = 2, WaitQueueGet = 3, WaitQueuePut = 4, WaitJoin = 5, WaitOther = 6 };

#pragma pack(push, 1)
struct RecordHeader
{
    std::uint16_t kind;
    std::uint16_t size;
    std::uint32_t pid;
    std::uint32_t tid;
    std::uint32_t obj;
    std::int64_t t;
    std::int64_t value;
};
#pragma pack(pop)
static_assert(sizeof(RecordHeader) == 32);

constexpr std::int64_t DefaultTextLine = 4096; // longer output lines are cut here

} // namespace

QString pythonOutcomeSentence(const QJsonObject& o, bool running)
{
    const QString script = o.value(u"script"_s).toString();
    const QString last = o.value(u"last_line"_s).toString();
    const int threads = o.value(u"threads"_s).toInt();
    const int processes = o.value(u"processes"_s).toInt();
    QString s;
    if (running) {
        s = u"%1 is running: %2 thread%3"_s.arg(script).arg(threads).arg(threads == 1 ? ""_L1 : "s"_L1);
    } else if (o.value(u"exit_status"_s).isNull()) {
        s = u"%1 was stopped"_s.arg(script);
    } else {
        const int status = o.value(u"exit_status"_s).toInt();
        s = status >= 0 ? u"%1 exited with status %2"_s.arg(script).arg(status)
                        : u"%1 was killed by signal %2"_s.arg(script).arg(-status);
        s += u", %1 thread%2"_s.arg(threads).arg(threads == 1 ? ""_L1 : "s"_L1);
    }
    if (processes > 1)
        s += u" in %1 processes"_s.arg(processes);
    if (!last.isEmpty())
        s += u": "_s + last;
    return s;
}

namespace {

bool alarming(const QJsonObject& o)
{
    return !o.value(u"exit_status"_s).isNull() && o.value(u"exit_status"_s).toInt() != 0;
}

// Reads a small /proc file again from its start.
int readAgain(int fd, char* buffer, std::size_t size)
{
    if (fd < 0)
        return -1;
    const ssize_t n = pread(fd, buffer, size - 1, 0);
    if (n <= 0)
        return -1;
    buffer[n] = 0;
    return int(n);
}

} // namespace

namespace {

// A python3 that is a script (a pyenv shim, a wrapper) costs a shell and more at every start, and
// its process is not Python until it execs it: the interpreter it runs is asked for once.
QString interpreterBehind(const QString& found)
{
    QFile f(found);
    if (!f.open(QIODevice::ReadOnly) || f.read(2) != "#!")
        return found;
    static std::mutex mutex;
    static std::map<QString, QString> known;
    {
        std::lock_guard lock(mutex);
        if (const auto it = known.find(found); it != known.end())
            return it->second;
    }
    // Not under the lock: QProcess forks, and a mutex held across a fork is a locked one in the
    // child (ThreadSanitizer says so). Two threads asking at once both ask python3; both answer.
    QString resolved = found;
    QProcess p;
    startChild(p, found, {u"-c"_s, u"import sys; print(sys.executable)"_s});
    if (p.waitForFinished(10000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0) {
        const QString exe = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
        if (QFileInfo(exe).isExecutable())
            resolved = exe;
    } else {
        p.kill();
        p.waitForFinished(1000);
    }
    std::lock_guard lock(mutex);
    known.emplace(found, resolved);
    return resolved;
}

} // namespace

QString findPython3(const QString& preferred, QString* error)
{
    QString want = preferred;
    if (want.isEmpty())
        want = qEnvironmentVariable("INTERLEAVE_PYTHON");
    if (want.isEmpty())
        want = u"python3"_s;
    const QString found = want.contains(u'/') ? (QFileInfo(want).isExecutable() ? want : QString())
                                              : QStandardPaths::findExecutable(want);
    if (!found.isEmpty())
        return interpreterBehind(found);
    if (error) {
        *error = u"%1 was not found; Interleave runs Python programs with the system's python3 (3.8 or "
                 "newer): install it (Debian/Ubuntu: sudo apt install python3; Fedora: sudo dnf install "
                 "python3) or name one with INTERLEAVE_PYTHON=/path/to/python3"_s.arg(want);
    }
    return {};
}

QString tracerDirectory()
{
    const QString fromEnv = qEnvironmentVariable("INTERLEAVE_TRACER_DIR");
    QStringList candidates;
    if (!fromEnv.isEmpty())
        candidates << fromEnv;
    if (QCoreApplication::instance()) {
        const QString bin = QCoreApplication::applicationDirPath();
        candidates << bin + u"/../share/interleave/tracer"_s << bin + u"/tracer"_s;
    }
#ifdef INTERLEAVE_TRACER_SOURCE_DIR
    candidates << QStringLiteral(INTERLEAVE_TRACER_SOURCE_DIR);
#endif
    for (const QString& dir : std::as_const(candidates)) {
        if (QFileInfo::exists(dir + u"/interleave_tracer.py"_s) && QFileInfo::exists(dir + u"/sitecustomize.py"_s))
            return QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    }
    return {};
}

bool checkPythonProgram(const PythonProgramSpec& spec, QString* error)
{
    if (findPython3(spec.python, error).isEmpty())
        return false;
    const QString path = spec.workingDir.isEmpty() ? spec.script : QDir(spec.workingDir).filePath(spec.script);
    const QFileInfo info(path);
    if (spec.script.isEmpty() || !info.isFile() || !info.isReadable()) {
        if (error)
            *error = u"--python: cannot read the program '%1'"_s.arg(spec.script);
        return false;
    }
    if (tracerDirectory().isEmpty()) {
        if (error)
            *error = u"Interleave's Python tracer (interleave_tracer.py) is missing: reinstall Interleave, or "
                     "set INTERLEAVE_TRACER_DIR to its folder"_s;
        return false;
    }
    return true;
}

// Everything one run of the program tracks, owned by the run's main thread.
class PythonProgram::Tracker
{
public:
    Tracker(PythonProgram& program, RunContext& ctx)
        : m_program(program)
        , m_ctx(ctx)
        , m_session(ctx.session())
        , m_mainLane(LaneRecorder::current())
    {
    }
    ~Tracker()
    {
        for (auto& entry : m_threads)
            closeFiles(entry.second);
        for (int fd : {m_fifo, m_fifoKeepOpen, m_output})
            if (fd >= 0)
                ::close(fd);
    }

    void run();

private:
    struct Pending
    {
        std::int64_t t = 0;
        std::uint64_t seq = 0;
        enum Type : std::uint8_t { LaneBegin, Kernel, Begin, End, Event, Folded, GilOn, GilOff, LaneEnd, Print, Call } type = Kernel;
        ThreadState state = ThreadState::Running; // Kernel: the kernel's state; Begin: the wait's
        EventKind kind = EventKind::State;
        std::uint32_t object = 0;
        std::int64_t value = 0;
        std::uint32_t aux = 0;
    };
    struct Thread
    {
        std::uint32_t pid = 0;
        std::uint32_t tid = 0;
        LaneRecorder* rec = nullptr;
        bool pool = false;
        bool ended = false;       // no more samples
        bool laneEnded = false;   // LaneEnd pushed
        bool notYet = false;      // the main thread before the tracer said hello: not sampled
        int statFd = -1;
        int schedFd = -1;
        int syscallFd = -1;
        int wchanFd = -1;
        bool sampled = false;
        std::int64_t lastT = 0, lastCpu = 0, lastWait = 0;
        std::int64_t baseCpu = -1, baseWait = -1;
        // As read from the tracer (ahead of what is on the lane).
        bool inBlock = false;
        std::int64_t blockSince = 0;
        std::int64_t untimedSince = 0; // in an untimed futex wait since (0: not)
        std::int64_t cpuBank = 0; // CPU time the kernel reported less the Running drawn
        ThreadState kernelState = ThreadState::Running; // the last pushed
        bool kernelPushed = false;
        // As put on the lane.
        bool laneInBlock = false;
        ThreadState laneKernel = ThreadState::Running;
        std::vector<Pending> pending;
        std::uint64_t seq = 0;
        std::int64_t recordedT = 0;
    };
    struct Process
    {
        std::uint32_t pid = 0;
        QString name;
        std::uint32_t gil = 0;
        Thread* holder = nullptr;
        std::int64_t lastRelease = 0;
        bool gone = false;
    };

    static std::uint64_t key(std::uint32_t pid, std::uint32_t tid) { return (std::uint64_t(pid) << 32) | tid; }
    void start();
    void loop();
    void readFifo();
    void readOutput(bool all);
    void handle(const RecordHeader& h, const QString& text, const char* payload);
    // The thread's track, made (with its lane, beginning at t) when it is new.
    Thread* thread(std::uint32_t pid, std::uint32_t tid, std::int64_t t, const QString& name = {}, bool pool = false);
    Process& process(std::uint32_t pid);
    void openFiles(Thread& th);
    void closeFiles(Thread& th);
    void sample(std::int64_t now);
    ThreadState blockedAs(Thread& th, std::int64_t now);
    void push(Thread& th, Pending p);
    void emitUpTo(std::int64_t horizon);
    void emitLane(Thread& th, std::int64_t horizon);
    void endThread(Thread& th, std::int64_t t);
    void endProcess(std::uint32_t pid, std::int64_t t);
    void kill();
    std::uint32_t objectFor(std::uint32_t obj, ObjectKind kind = ObjectKind::Lock);
    void gilRelease(Process& p, std::int64_t t);

    PythonProgram& m_program;
    RunContext& m_ctx;
    TraceSession& m_session;
    LaneRecorder* const m_mainLane;
    QTemporaryDir m_dir;
    int m_fifo = -1;
    int m_fifoKeepOpen = -1;
    int m_output = -1;
    pid_t m_child = -1;
    std::uint32_t m_rootPid = 0;
    bool m_rootExited = false;
    QByteArray m_fifoBuffer;
    QByteArray m_outputBuffer;
    std::map<std::uint64_t, Thread> m_threads; // (pid, tid)
    std::map<std::uint32_t, Process> m_processes;
    std::map<std::uint32_t, std::uint32_t> m_objects; // tracer's object id -> session object
    std::map<std::uint32_t, std::uint32_t> m_functions; // tracer's function id -> its name's text id
    std::map<std::uint32_t, int> m_waiters;           // session lock object -> threads waiting
    std::int64_t m_nextSample = 0;
    std::int64_t m_emitted = 0; // everything before this is on the lanes
    std::size_t m_sampled = 0;  // threads read at the last sample
};

void PythonProgram::Tracker::run()
{
    m_mainLane->setKernelAccounting(false); // this thread forwards; the program's threads are accounted for
    m_mainLane->recordAt(systemMonotonicNs(), EventKind::State, ThreadState::Idle); // python3 starting
    start();
    try {
        loop();
    } catch (const Cancelled&) {
        kill();
        readFifo();
        const std::int64_t now = systemMonotonicNs();
        for (auto& [k, th] : m_threads)
            endThread(th, now);
        emitUpTo(INT64_MAX);
        m_program.m_stopped.store(true);
        throw;
    }
}

void PythonProgram::Tracker::start()
{
    QString error;
    const QString python = findPython3(m_program.m_spec.python, &error);
    if (python.isEmpty())
        throw std::runtime_error(error.toStdString());
    const QString tracer = tracerDirectory();
    if (tracer.isEmpty())
        throw std::runtime_error("Interleave's Python tracer (interleave_tracer.py) is missing");
    if (!m_dir.isValid())
        throw std::runtime_error("cannot make a temporary folder for the trace pipe");
    const QByteArray fifoPath = QFile::encodeName(m_dir.filePath(u"trace"_s));
    if (::mkfifo(fifoPath.constData(), 0600) != 0)
        throw std::runtime_error(std::string("cannot make the trace pipe: ") + std::strerror(errno));
    m_fifo = ::open(fifoPath.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    // Held open so that the pipe never reads as ended while processes come and go.
    m_fifoKeepOpen = ::open(fifoPath.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fifo < 0 || m_fifoKeepOpen < 0)
        throw std::runtime_error(std::string("cannot open the trace pipe: ") + std::strerror(errno));
#ifdef F_SETPIPE_SZ
    ::fcntl(m_fifo, F_SETPIPE_SZ, 1 << 20); // a burst of records never makes the program wait for us
#endif
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    m_output = out[0];
    ::fcntl(m_output, F_SETFL, O_NONBLOCK);

    // Its environment: ours, with the tracer first on PYTHONPATH and output unbuffered (the console
    // shows lines as they are printed).
    std::vector<QByteArray> envStrings;
    for (char** e = environ; *e; ++e) {
        const QByteArray entry(*e);
        if (entry.startsWith("PYTHONPATH=") || entry.startsWith("INTERLEAVE_TRACE"))
            continue;
        envStrings.push_back(entry);
    }
    QByteArray pythonPath = "PYTHONPATH=" + QFile::encodeName(tracer);
    if (!qEnvironmentVariableIsEmpty("PYTHONPATH"))
        pythonPath += ':' + qgetenv("PYTHONPATH");
    envStrings.push_back(pythonPath);
    envStrings.push_back("INTERLEAVE_TRACE_PATH=" + fifoPath);
    envStrings.push_back("INTERLEAVE_TRACE_ROOT=1");
    if (m_program.m_spec.calls)
        envStrings.push_back("INTERLEAVE_TRACE_CALLS=1");
    envStrings.push_back("PYTHONUNBUFFERED=1");
    std::vector<char*> envp;
    for (QByteArray& s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<QByteArray> argStrings{QFile::encodeName(python), QFile::encodeName(m_program.m_spec.script)};
    for (const QString& a : m_program.m_spec.args)
        argStrings.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& s : argStrings)
        argv.push_back(s.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    QByteArray cwd;
    if (!m_program.m_spec.workingDir.isEmpty()) {
        cwd = QFile::encodeName(m_program.m_spec.workingDir);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))
        posix_spawn_file_actions_addchdir_np(&actions, cwd.constData());
#endif
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // A process group of its own: Stop ends the program and every process it started at once.
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    if (rc != 0)
        throw std::runtime_error("cannot start " + python.toStdString() + ": " + std::strerror(rc));
    m_child = pid;
    m_rootPid = std::uint32_t(pid);
    m_program.m_processes.store(1);
    // The main thread's lane is this one; its kernel files are the process's.
    Thread& main = m_threads[key(m_rootPid, m_rootPid)];
    main.pid = main.tid = m_rootPid;
    main.rec = m_mainLane;
    main.recordedT = systemMonotonicNs();
    // Sampled once the tracer says python3 is up: until then the process may still be a launcher
    // (a pyenv shim, a shell) on its way to exec python3, and the lane shows Idle (starting).
    main.notYet = true;
    Process& p = process(m_rootPid);
    p.name = u"MainProcess"_s;
    m_program.m_threads.store(1);
    m_nextSample = systemMonotonicNs();
}

PythonProgram::Tracker::Process& PythonProgram::Tracker::process(std::uint32_t pid)
{
    Process& p = m_processes[pid];
    if (p.pid == 0) {
        p.pid = pid;
        p.gil = m_session.addObject(pid == m_rootPid ? u"GIL"_s : u"GIL (pid %1)"_s.arg(pid), ObjectKind::Gil);
    }
    return p;
}

void PythonProgram::Tracker::openFiles(Thread& th)
{
    const QByteArray base = QByteArray("/proc/") + QByteArray::number(th.pid) + "/task/" + QByteArray::number(th.tid) + "/";
    th.statFd = ::open(QByteArray(base + "stat").constData(), O_RDONLY | O_CLOEXEC);
    th.schedFd = ::open(QByteArray(base + "schedstat").constData(), O_RDONLY | O_CLOEXEC);
    th.syscallFd = ::open(QByteArray(base + "syscall").constData(), O_RDONLY | O_CLOEXEC);
    th.wchanFd = ::open(QByteArray(base + "wchan").constData(), O_RDONLY | O_CLOEXEC);
    if (th.schedFd < 0 || th.statFd < 0)
        th.ended = true; // gone already (a thread that lived less than a sample)
}

void PythonProgram::Tracker::closeFiles(Thread& th)
{
    for (int* fd : {&th.statFd, &th.schedFd, &th.syscallFd, &th.wchanFd}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

PythonProgram::Tracker::Thread* PythonProgram::Tracker::thread(std::uint32_t pid, std::uint32_t tid, std::int64_t t,
                                                               const QString& name, bool pool)
{
    auto it = m_threads.find(key(pid, tid));
    if (it != m_threads.end())
        return &it->second;
    Process& p = process(pid);
    Thread& th = m_threads[key(pid, tid)];
    th.pid = pid;
    th.tid = tid;
    th.pool = pool;
    QString laneName = name;
    LaneKind kind = pool ? LaneKind::Pool : LaneKind::Thread;
    if (tid == pid) {
        kind = LaneKind::Process;
        if (laneName.isEmpty())
            laneName = u"process %1"_s.arg(pid);
        p.name = laneName;
        m_program.m_processes.fetch_add(1);
    } else {
        if (laneName.isEmpty())
            laneName = u"thread %1"_s.arg(tid);
        if (pid != m_rootPid)
            laneName = (p.name.isEmpty() ? u"pid %1"_s.arg(pid) : p.name) + u": "_s + laneName;
    }
    th.rec = m_session.addLane(laneName, kind);
    th.rec->setKernelAccounting(false);
    th.recordedT = t;
    m_program.m_threads.fetch_add(1);
    openFiles(th);
    Pending begin;
    begin.t = t;
    begin.type = Pending::LaneBegin;
    push(th, begin);
    return &th;
}

std::uint32_t PythonProgram::Tracker::objectFor(std::uint32_t obj, ObjectKind kind)
{
    if (obj == 0)
        return 0;
    auto it = m_objects.find(obj);
    if (it != m_objects.end())
        return it->second;
    // A record about an object whose announcement was lost (a spawned child's copy of a queue).
    const std::uint32_t id = m_session.addObject(u"object %1"_s.arg(obj & 0xFFFFF), kind);
    m_objects.emplace(obj, id);
    return id;
}

void PythonProgram::Tracker::push(Thread& th, Pending p)
{
    p.seq = th.seq++;
    th.pending.push_back(p);
}

void PythonProgram::Tracker::gilRelease(Process& p, std::int64_t t)
{
    if (!p.holder)
        return;
    Pending off;
    off.t = t;
    off.type = Pending::GilOff;
    off.object = p.gil;
    push(*p.holder, off);
    p.holder = nullptr;
    p.lastRelease = t;
}

void PythonProgram::Tracker::handle(const RecordHeader& h, const QString& text, const char* payload)
{
    const std::int64_t t = h.t;
    switch (h.kind) {
    case ProcessStart: {
        if (h.pid == m_rootPid) {
            Thread& main = m_threads[key(m_rootPid, m_rootPid)];
            if (main.notYet) {
                main.notYet = false;
                openFiles(main);
            }
            Pending running; // python3 is up: the main lane was Idle until now
            running.t = t;
            running.type = Pending::Kernel;
            running.state = ThreadState::Running;
            push(main, running);
            return;
        }
        Process& p = process(h.pid);
        const bool known = m_threads.count(key(h.pid, h.pid)) != 0;
        Thread* main = thread(h.pid, h.pid, t, text);
        if (known && !text.isEmpty() && p.name != text) // a spawned child names itself once it works
            m_session.renameLane(main->rec->lane(), text);
        p.name = text;
        return;
    }
    case ThreadStart: {
        thread(h.pid, h.tid, t, text, h.value == 1);
        return;
    }
    case ThreadEnd:
        endThread(*thread(h.pid, h.tid, t), t);
        return;
    case ProcessEnd:
        return; // its end is when its threads are gone from /proc (it may still write output)
    case CodeName:
        m_functions.emplace(h.obj, m_session.addLabel(text.isEmpty() ? u"?"_s : text));
        return;
    case CallsShort:
        m_program.m_callsShort.fetch_add(std::max<std::int64_t>(0, h.value), std::memory_order_relaxed);
        return;
    case LockObject:
    case QueueObject:
        if (!m_objects.count(h.obj)) {
            const bool queue = h.kind == QueueObject;
            m_objects.emplace(h.obj, m_session.addObject(text.isEmpty() ? u"object %1"_s.arg(h.obj & 0xFFFFF) : text,
                                                         queue ? ObjectKind::Queue : ObjectKind::Lock,
                                                         queue ? h.value : 0));
        }
        return;
    default:
        break;
    }
    Thread* th = thread(h.pid, h.tid, t);
    Process& proc = process(h.pid);
    Pending p;
    p.t = t;
    switch (h.kind) {
    case BlockBegin: {
        const bool queue = h.value == WaitQueueGet || h.value == WaitQueuePut;
        p.type = Pending::Begin;
        p.object = objectFor(h.obj, queue ? ObjectKind::Queue : ObjectKind::Lock);
        p.state = h.value == WaitSleep ? ThreadState::Sleeping
            : queue                    ? ThreadState::BlockedQueue
                                       : ThreadState::WaitingLock;
        p.kind = h.value == WaitLock ? EventKind::LockWait : queue ? EventKind::QueueBlock : EventKind::State;
        p.aux = h.value == WaitQueuePut ? 1 : 0;
        if (h.value == WaitLock)
            p.value = ++m_waiters[p.object];
        th->inBlock = true;
        th->blockSince = t;
        if (proc.holder == th)
            gilRelease(proc, t); // a blocking call lets the GIL go
        push(*th, p);
        return;
    }
    case BlockEnd:
        p.type = Pending::End;
        if (h.value == WaitLock) {
            const std::uint32_t o = objectFor(h.obj);
            m_waiters[o] = std::max(0, m_waiters[o] - 1);
        }
        th->inBlock = false;
        push(*th, p);
        return;
    case LockAcquired:
        p.type = Pending::Event;
        p.kind = EventKind::LockAcquire;
        p.object = objectFor(h.obj);
        p.value = m_waiters[p.object];
        p.aux = h.value ? 1 : 0;
        push(*th, p);
        return;
    case LockReleased:
        p.type = Pending::Event;
        p.kind = EventKind::LockRelease;
        p.object = objectFor(h.obj);
        p.value = m_waiters[p.object];
        push(*th, p);
        return;
    case LockFolded: {
        // A run of short uncontended holds: one hold over its span, its holds counted one by one.
        std::int64_t last = 0;
        std::int64_t held = 0;
        std::memcpy(&last, payload, 8);
        std::memcpy(&held, payload + 8, 8);
        p.t = std::max(last, t);
        p.type = Pending::Folded;
        p.object = objectFor(h.obj);
        p.value = EventFlags::packFolded(std::clamp<std::int64_t>(h.value, 1, LaneRecorder::MaxFoldedHolds),
                                         std::clamp<std::int64_t>(held, 0, 0xFFFFFFFF));
        p.aux = std::uint32_t(std::clamp<std::int64_t>(p.t - t, 0, 0xFFFFFFFF));
        push(*th, p);
        return;
    }
    case QueuePutRec:
    case QueueGetRec:
        p.type = Pending::Event;
        p.kind = h.kind == QueuePutRec ? EventKind::QueuePut : EventKind::QueueGet;
        p.object = objectFor(h.obj, ObjectKind::Queue);
        p.value = h.value;
        push(*th, p);
        return;
    case CallRec: {
        if (m_program.m_calls.load(std::memory_order_relaxed) >= MaxCalls) {
            m_program.m_callsOverCap.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        const auto name = m_functions.find(h.obj);
        if (name == m_functions.end())
            return; // a function named by a process that is not ours to read
        m_program.m_calls.fetch_add(1, std::memory_order_relaxed);
        p.type = Pending::Call;
        p.object = name->second;
        p.value = h.value & ((std::int64_t(1) << 56) - 1);
        p.aux = std::uint32_t(std::uint64_t(h.value) >> 56);
        push(*th, p);
        return;
    }
    case TaskStartRec:
    case TaskEndRec:
        p.type = Pending::Event;
        p.kind = EventKind::Marker;
        p.value = h.value;
        p.aux = std::uint32_t(h.kind == TaskStartRec ? MarkerType::TaskStart : MarkerType::TaskEnd);
        if (h.kind == TaskStartRec && !text.isEmpty()) { // the callable's name says more than a number
            p.aux = std::uint32_t(MarkerType::TaskNamed);
            p.value = m_session.addLabel(text);
        }
        push(*th, p);
        return;
    default:
        return; // a record of a newer tracer: skipped
    }
}

void PythonProgram::Tracker::readFifo()
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(m_fifo, buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_fifoBuffer.append(buffer, n);
    }
    qsizetype used = 0;
    while (m_fifoBuffer.size() - used >= qsizetype(sizeof(RecordHeader))) {
        RecordHeader h;
        std::memcpy(&h, m_fifoBuffer.constData() + used, sizeof h);
        if (m_fifoBuffer.size() - used < qsizetype(sizeof h) + h.size)
            break;
        const char* payload = m_fifoBuffer.constData() + used + sizeof h;
        const QString text = h.kind == LockFolded ? QString() : QString::fromUtf8(payload, h.size);
        if (h.kind != LockFolded || h.size == 16)
            handle(h, text, payload);
        used += qsizetype(sizeof h) + h.size;
    }
    m_fifoBuffer.remove(0, used);
}

void PythonProgram::Tracker::readOutput(bool all)
{
    char buffer[65536];
    // At most a few reads a turn: a program that prints flat out does not starve the sampler.
    for (int i = 0; i < (all ? 1 << 20 : 4); ++i) {
        const ssize_t n = ::read(m_output, buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_outputBuffer.append(buffer, n);
    }
    const std::int64_t now = systemMonotonicNs();
    Thread& main = m_threads[key(m_rootPid, m_rootPid)];
    qsizetype from = 0;
    auto line = [&](qsizetype end) {
        QString text = QString::fromLocal8Bit(m_outputBuffer.constData() + from, end - from);
        if (text.endsWith(u'\r'))
            text.chop(1);
        Pending p;
        p.t = now;
        p.type = Pending::Print;
        p.value = m_session.addText(text);
        push(main, p);
        if (!text.trimmed().isEmpty()) {
            std::lock_guard lock(m_program.m_mutex);
            m_program.m_lastLine = text.trimmed().left(200);
        }
    };
    for (;;) {
        const qsizetype nl = m_outputBuffer.indexOf('\n', from);
        if (nl < 0)
            break;
        line(std::min(nl, from + DefaultTextLine));
        from = nl + 1;
    }
    if (m_outputBuffer.size() - from > DefaultTextLine || (all && m_outputBuffer.size() > from)) {
        line(m_outputBuffer.size());
        from = m_outputBuffer.size();
    }
    m_outputBuffer.remove(0, from);
}

// What a thread that is in Python code (in no traced call) but was off the CPUs most of the last
// sample waits for, from the system call it is in now:
// - a futex wait with a timeout is the GIL's (CPython waits for it 5 ms at a time, then asks the
//   holder to drop it); an untimed one is too while it is short (the GIL's mutex, the hand-over),
//   and after UntimedGilNs it is some lock the tracer does not see (a pool's idle wait);
// - any other system call is blocking I/O: Sleeping;
// - "running": in no system call at all, so not blocked: the kernel's CPU time is behind.
ThreadState PythonProgram::Tracker::blockedAs(Thread& th, std::int64_t now)
{
    constexpr std::int64_t UntimedGilNs = 20'000'000;
    char buffer[256];
    if (readAgain(th.syscallFd, buffer, sizeof buffer) > 0) {
        if (std::strncmp(buffer, "running", 7) == 0) {
            th.untimedSince = 0;
            return ThreadState::Running; // in no system call: it runs, or waits for a CPU
        }
        char* end = nullptr;
        const long nr = std::strtol(buffer, &end, 10);
        if (end != buffer) {
            if (nr != SYS_futex) {
                th.untimedSince = 0;
                return ThreadState::Sleeping;
            }
            // futex(uaddr, op, val, timeout, ...): the fourth argument.
            unsigned long long args[4] = {0, 0, 0, 0};
            const char* p = end;
            for (unsigned long long& a : args) {
                char* next = nullptr;
                a = std::strtoull(p, &next, 16);
                p = next;
            }
            if (args[3] != 0) {
                th.untimedSince = 0;
                return ThreadState::WaitingGil;
            }
            if (th.untimedSince == 0)
                th.untimedSince = now;
            if (now - th.untimedSince < UntimedGilNs)
                return ThreadState::WaitingGil;
            return th.pool ? ThreadState::Idle : ThreadState::Sleeping;
        }
    }
    if (readAgain(th.wchanFd, buffer, sizeof buffer) > 0)
        return std::strstr(buffer, "futex") ? ThreadState::WaitingGil : ThreadState::Sleeping;
    return ThreadState::WaitingGil;
}

// One round of kernel readings. A thread's state is sampled, not integrated: /proc's state letter
// says at this instant whether it runs or wants to (R) or is blocked (S, D), without the lag of
// the CPU time the kernel adds up only at its ticks (4 ms at HZ=250). The period up to the sample
// is drawn in that state. An R period is Running while the kernel's CPU time for the thread keeps
// up with the Running drawn (allowing it to lag by LagNs: a tick and a little), else Ready: the
// thread wants a CPU and gets none.
void PythonProgram::Tracker::sample(std::int64_t now)
{
    m_program.m_samples.fetch_add(1, std::memory_order_relaxed);
    struct Reading
    {
        Thread* th;
        std::int64_t a, dt;
        ThreadState state;
    };
    std::vector<Reading> readings;
    readings.reserve(m_threads.size());
    m_sampled = 0;
    char buffer[512];
    for (auto& [k, th] : m_threads) {
        if (th.ended || th.notYet)
            continue;
        char letter = 0;
        if (readAgain(th.statFd, buffer, sizeof buffer) > 0) {
            if (const char* close = std::strrchr(buffer, ')'); close && close[1] == ' ')
                letter = close[2];
        }
        if (letter == 0 || letter == 'Z' || letter == 'X' || readAgain(th.schedFd, buffer, sizeof buffer) <= 0) {
            // Gone: its process exited, or it did without a word (a thread of a killed child).
            endThread(th, now);
            continue;
        }
        ++m_sampled;
        char* end = nullptr;
        const std::int64_t cpu = std::strtoll(buffer, &end, 10);
        const std::int64_t wait = std::strtoll(end, nullptr, 10);
        if (th.baseCpu < 0) {
            th.baseCpu = cpu;
            th.baseWait = wait;
        }
        th.cpuBank += std::max<std::int64_t>(0, cpu - th.lastCpu);
        th.lastCpu = cpu;
        th.lastWait = wait;
        if (!th.sampled) {
            th.sampled = true;
            th.cpuBank = 0;
            th.lastT = now;
            continue;
        }
        Reading r{&th, th.lastT, std::max<std::int64_t>(1, now - th.lastT), ThreadState::Running};
        th.lastT = now;
        if (letter == 'R') {
            constexpr std::int64_t LagNs = 6'000'000;
            th.untimedSince = 0;
            if (th.cpuBank - r.dt < -LagNs)
                r.state = ThreadState::Ready; // drawn Running would run ahead of its CPU time
        } else if (th.inBlock) {
            r.state = ThreadState::Sleeping; // the traced call's state is drawn instead
        } else {
            r.state = blockedAs(th, now);
            if (r.state == ThreadState::Running) // between the letter and the system call it woke
                r.state = ThreadState::WaitingGil;
        }
        readings.push_back(r);
    }
    // The GIL, per process: of its threads in Python code that run or want to, the one that held it
    // keeps it, else one that runs; at most one at a time. The others in Python code cannot run
    // without it: a waiter the GIL's timeout woke, runnable a moment, still waits for the GIL.
    std::map<std::uint32_t, const Reading*> holders;
    for (const Reading& r : readings) {
        if (r.th->inBlock || (r.state != ThreadState::Running && r.state != ThreadState::Ready))
            continue;
        const Reading*& best = holders[r.th->pid];
        const Process& proc = m_processes[r.th->pid];
        auto rank = [&](const Reading& x) {
            return (proc.holder == x.th ? 4 : 0) + (x.state == ThreadState::Running ? 2 : 0);
        };
        if (!best || rank(r) > rank(*best))
            best = &r;
    }
    for (Reading& r : readings) {
        Thread& th = *r.th;
        Process& proc = process(th.pid);
        auto found = holders.find(th.pid);
        const bool holds = found != holders.end() && found->second == &r;
        if (!holds && !th.inBlock && (r.state == ThreadState::Running || r.state == ThreadState::Ready))
            r.state = ThreadState::WaitingGil;
        if (!th.kernelPushed || th.kernelState != r.state) {
            Pending p;
            p.t = r.a;
            p.type = Pending::Kernel;
            p.state = r.state;
            p.object = r.state == ThreadState::WaitingGil ? proc.gil : 0;
            push(th, p);
        }
        const bool waited = th.kernelPushed && th.kernelState == ThreadState::WaitingGil;
        th.kernelState = r.state;
        th.kernelPushed = true;
        if (r.state == ThreadState::Running)
            th.cpuBank -= r.dt;
        else if (r.state != ThreadState::Ready)
            th.cpuBank = std::min<std::int64_t>(th.cpuBank, 0); // the CPU a wait takes (a GIL waiter's
                                                                // timeouts) is part of the wait; a debt stays
        if (holds && proc.holder != &th) {
            const std::int64_t from = std::max(r.a, proc.lastRelease);
            gilRelease(proc, from);
            Pending on;
            on.t = from;
            on.type = Pending::GilOn;
            on.object = proc.gil;
            on.aux = waited ? 1 : 0;
            push(th, on);
            proc.holder = &th;
            m_program.m_gilSwitches.fetch_add(1, std::memory_order_relaxed);
        } else if (!holds && proc.holder == &th) {
            gilRelease(proc, std::max(r.a, proc.lastRelease));
        }
    }
}

void PythonProgram::Tracker::endThread(Thread& th, std::int64_t t)
{
    if (th.laneEnded)
        return;
    th.laneEnded = true;
    th.ended = true;
    char buffer[128];
    if (readAgain(th.schedFd, buffer, sizeof buffer) > 0) {
        // A thread that exited (a zombie's) may read as less than it was: keep the larger.
        char* end = nullptr;
        th.lastCpu = std::max<std::int64_t>(th.lastCpu, std::strtoll(buffer, &end, 10));
        th.lastWait = std::max<std::int64_t>(th.lastWait, std::strtoll(end, nullptr, 10));
    }
    closeFiles(th);
    Process& proc = process(th.pid);
    if (proc.holder == &th)
        gilRelease(proc, t);
    Pending p;
    p.t = t;
    p.type = Pending::LaneEnd;
    push(th, p);
}

void PythonProgram::Tracker::emitLane(Thread& th, std::int64_t horizon)
{
    if (th.pending.empty())
        return;
    std::stable_sort(th.pending.begin(), th.pending.end(),
                     [](const Pending& a, const Pending& b) { return a.t != b.t ? a.t < b.t : a.seq < b.seq; });
    LaneRecorder* rec = th.rec;
    std::size_t i = 0;
    for (; i < th.pending.size() && th.pending[i].t <= horizon; ++i) {
        const Pending& p = th.pending[i];
        // Never back in time on a lane: a record that came late goes where the lane is.
        const std::int64_t t = std::max(p.t, th.recordedT);
        th.recordedT = t;
        const ThreadState shown = rec->state();
        switch (p.type) {
        case Pending::LaneBegin:
            rec->recordAt(t, EventKind::LaneBegin, ThreadState::Running);
            th.laneKernel = ThreadState::Running;
            break;
        case Pending::Kernel:
            th.laneKernel = p.state;
            if (!th.laneInBlock && p.state != shown) {
                if (p.state == ThreadState::WaitingGil)
                    rec->recordAt(t, EventKind::GilWait, p.state, p.object, 1);
                else
                    rec->recordAt(t, EventKind::State, p.state);
            }
            break;
        case Pending::Begin:
            th.laneInBlock = true;
            rec->recordAt(t, p.kind, p.state, p.object, p.value, p.aux);
            break;
        case Pending::End:
            th.laneInBlock = false;
            // Back in Python code: it holds the GIL again (the kernel's next reading says more).
            th.laneKernel = ThreadState::Running;
            rec->recordAt(t, EventKind::State, ThreadState::Running);
            break;
        case Pending::Event:
            rec->recordAt(t, p.kind, shown, p.object, p.value, p.aux);
            break;
        case Pending::Folded:
            // The recorder has no call for a folded run with a time of its own: written as it
            // writes one (LaneRecorder::releaseFolded), into the lane's ring.
            if (TraceEvent* e = rec->ring().claim()) {
                e->t = t;
                e->value = p.value;
                e->lane = rec->lane();
                e->object = p.object;
                e->kind = EventKind::LockRelease;
                e->state = shown;
                e->flags = EventFlags::FoldedHolds;
                e->aux = p.aux;
                rec->ring().publish();
            }
            break;
        case Pending::GilOn:
            rec->recordAt(t, EventKind::GilAcquire, th.laneInBlock ? shown : th.laneKernel, p.object, 0, p.aux);
            break;
        case Pending::GilOff:
            rec->recordAt(t, EventKind::GilRelease, shown, p.object, 0);
            break;
        case Pending::Print:
            rec->recordAt(t, EventKind::Print, shown, 0, p.value);
            break;
        case Pending::Call:
            rec->recordAt(t, EventKind::Call, shown, p.object, std::min(p.value, t), p.aux);
            break;
        case Pending::LaneEnd:
            if (th.baseCpu >= 0) {
                rec->recordAt(t, EventKind::KernelTimes, shown, 0, th.lastCpu - th.baseCpu, 0);
                rec->recordAt(t, EventKind::KernelTimes, shown, 0, th.lastWait - th.baseWait, 1);
            }
            if (rec != m_mainLane) {
                rec->recordAt(t, EventKind::LaneEnd, shown);
                m_session.finishLane(rec->lane());
            } else {
                rec->recordAt(t, EventKind::State, ThreadState::Idle); // the run's own end closes it
            }
            break;
        }
    }
    th.pending.erase(th.pending.begin(), th.pending.begin() + std::ptrdiff_t(i));
}

void PythonProgram::Tracker::emitUpTo(std::int64_t horizon)
{
    for (auto& [k, th] : m_threads)
        emitLane(th, horizon);
    m_emitted = horizon;
}

void PythonProgram::Tracker::kill()
{
    if (m_child > 0 && !m_rootExited) {
        ::kill(-m_child, SIGKILL);
        int status = 0;
        while (::waitpid(m_child, &status, 0) < 0 && errno == EINTR) {
        }
        m_rootExited = true;
    } else if (m_child > 0) {
        ::kill(-m_child, SIGKILL); // what the program left running
    }
}

void PythonProgram::Tracker::loop()
{
    for (;;) {
        const std::int64_t now = systemMonotonicNs();
        const std::int64_t wait = std::max<std::int64_t>(0, m_nextSample - now);
        pollfd fds[2] = {{m_fifo, POLLIN, 0}, {m_output, POLLIN, 0}};
        const timespec timeout{time_t(wait / 1'000'000'000), long(wait % 1'000'000'000)};
        ::ppoll(fds, m_output >= 0 ? 2 : 1, &timeout, nullptr);
        m_ctx.throwIfStopped();
        readFifo();
        if (m_output >= 0)
            readOutput(false);
        const std::int64_t t = systemMonotonicNs();
        if (t >= m_nextSample) {
            sample(t);
            // 1 kHz up to 50 threads; beyond, slower, so that reading /proc (about 5 us a thread)
            // stays within a tenth of a core.
            const std::int64_t period = std::max<std::int64_t>(SamplePeriodNs, std::int64_t(m_sampled) * 20'000);
            m_nextSample = std::max(m_nextSample + period, t + period / 2);
            emitUpTo(t - LagNs);
        }
        if (!m_rootExited) {
            int status = 0;
            const pid_t r = ::waitpid(m_child, &status, WNOHANG);
            if (r == m_child) {
                m_rootExited = true;
                m_program.m_exitStatus.store(WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
            }
        }
        if (m_rootExited) {
            const std::int64_t end = systemMonotonicNs();
            ::kill(-m_child, SIGKILL); // processes it left behind write nothing more
            readFifo();
            readOutput(true);
            for (auto& [k, th] : m_threads)
                endThread(th, end);
            emitUpTo(INT64_MAX);
            return;
        }
    }
}

PythonProgram::PythonProgram(PythonProgramSpec spec)
    : m_spec(std::move(spec))
{
}

PythonProgram::~PythonProgram() = default;

ScenarioEntry PythonProgram::entry(const PythonProgramSpec& spec)
{
    ScenarioEntry e;
    e.info.id = QString::fromLatin1(ScenarioId);
    e.info.title = spec.title.isEmpty() ? u"Python: %1"_s.arg(QFileInfo(spec.script).fileName()) : spec.title;
    e.info.summary = u"a real python3 program, traced: its threads, locks, queues and the GIL"_s;
    e.info.outcomeKeys = QStringList{u"exit_status"_s, u"threads"_s, u"processes"_s, u"gil_switches"_s};
    e.info.usesGil = true;
    e.info.outcomeSentence = pythonOutcomeSentence;
    e.info.alarming = alarming;
    e.info.widestLaneName = u"ThreadPoolExecutor-0_3"_s;
    e.create = [spec] { return std::make_unique<PythonProgram>(spec); };
    return e;
}

void PythonProgram::run(RunContext& ctx)
{
    Tracker tracker(*this, ctx);
    tracker.run();
}

QJsonObject PythonProgram::outcome(const RunContext&) const
{
    QJsonObject o;
    o.insert(u"script"_s, QFileInfo(m_spec.script).fileName());
    const int status = m_exitStatus.load();
    o.insert(u"exit_status"_s, status == -1000 ? QJsonValue() : QJsonValue(status));
    o.insert(u"threads"_s, m_threads.load());
    o.insert(u"processes"_s, m_processes.load());
    o.insert(u"gil_switches"_s, double(m_gilSwitches.load()));
    o.insert(u"kernel_samples"_s, double(m_samples.load()));
    if (m_spec.calls) {
        o.insert(u"calls"_s, double(m_calls.load()));               // drawn as slices
        o.insert(u"calls_short"_s, double(m_callsShort.load()));    // under 20 µs: counted, not drawn
        o.insert(u"calls_over_cap"_s, double(m_callsOverCap.load())); // beyond MaxCalls: counted
    }
    std::lock_guard lock(m_mutex);
    o.insert(u"last_line"_s, m_lastLine);
    return o;
}

QString PythonProgram::endReason() const
{
    return u"completed"_s;
}

} // namespace interleave
