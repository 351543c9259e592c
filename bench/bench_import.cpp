// P9 (DESIGN.md section 8): import of a large Chrome trace END TO END THROUGH THE APP, in MB/s of
// wall time and peak resident memory per byte of the file, next to peers on the same file in the
// same run: Python's json.load and, when node is installed, Chrome DevTools' trace engine.
//
//   bench_import [MB]     synthesize a trace of about MB megabytes (default 200) into a temp file
//   bench_import FILE     use FILE instead
//   options: --app PATH   the interleave binary (default: ../app/interleave next to this program,
//                         or $INTERLEAVE_APP); --runs N (default 3, the median is reported)
//
// What is timed is a child process, `interleave --headless --open FILE --summary-out OUT`, from
// fork to its exit: process start, reading the file, the parse, building the store and writing
// the summary. Peak RSS is the child's ru_maxrss (wait4). The file is written just before, so all
// programs read it from the page cache alike. The synthetic trace mixes what real ones hold:
// nested B/E and X slices on 16 threads of two processes, counters, instants and flows, with args.
// The peers are timed the same way (a child process each, median of the same number of runs).
// Beside them, the floor on this host today: a child that only reads the file a piece at a time and
// touches as much fresh memory as the app's import peaked at, on the pages the app's heap asks for
// (small pages unless INTERLEAVE_HUGE_PAGES=1 asks for huge ones and the kernel has them). In this
// virtual machine a fresh huge page's first touch ranged from 40 MB/s to 3 GB/s between runs minutes
// apart, so P9 is also printed as a fraction of that floor.
#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

QByteArray synthesize(qint64 bytes)
{
    QByteArray out;
    out.reserve(bytes + (1 << 20));
    out += "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
    out += R"({"ph":"M","name":"process_name","pid":1,"tid":0,"args":{"name":"renderer"}},)" "\n";
    std::mt19937 rng(7);
    double ts = 1e9;
    std::int64_t n = 0;
    while (out.size() < bytes) {
        const int pid = 1 + int(rng() % 2);
        const int tid = 10 + int(rng() % 8);
        const QByteArray where = ",\"pid\":" + QByteArray::number(pid) + ",\"tid\":" + QByteArray::number(tid);
        ts += double(rng() % 2000) / 10.0;
        const QByteArray t = QByteArray::number(ts, 'f', 3);
        switch (n % 8) {
        case 0:
        case 1:
            out += "{\"ph\":\"X\",\"cat\":\"toplevel\",\"name\":\"ThreadControllerImpl::RunTask\"" + where
                + ",\"ts\":" + t + ",\"dur\":" + QByteArray::number(rng() % 500) + ",\"args\":{\"src_file\":\"../../base/task.cc\",\"src_func\":\"Run\"}},\n";
            break;
        case 2:
            out += "{\"ph\":\"B\",\"cat\":\"v8\",\"name\":\"V8.Execute\"" + where + ",\"ts\":" + t + "},\n";
            break;
        case 3:
            out += "{\"ph\":\"E\",\"cat\":\"v8\",\"name\":\"V8.Execute\"" + where + ",\"ts\":" + t + "},\n";
            break;
        case 4:
            out += "{\"ph\":\"C\",\"name\":\"memory\",\"pid\":" + QByteArray::number(pid) + ",\"ts\":" + t
                + ",\"args\":{\"heap\":" + QByteArray::number(rng() % 100000) + ",\"gpu\":\"" + QByteArray::number(rng() % 100) + "\"}},\n";
            break;
        case 5:
            out += "{\"ph\":\"i\",\"s\":\"t\",\"name\":\"Paint\"" + where + ",\"ts\":" + t + "},\n";
            break;
        case 6:
            out += "{\"ph\":\"s\",\"cat\":\"ipc\",\"name\":\"Send\",\"id\":\"0x" + QByteArray::number(n, 16) + "\"" + where
                + ",\"ts\":" + t + "},\n";
            break;
        default:
            out += "{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"ipc\",\"name\":\"Send\",\"id\":\"0x" + QByteArray::number(n - 1, 16)
                + "\"" + where + ",\"ts\":" + t + "},\n";
            break;
        }
        ++n;
    }
    out += R"({"ph":"X","name":"last","pid":1,"tid":10,"ts":0,"dur":1}]})";
    return out;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// One run of a child process: wall seconds from fork to exit, and its peak resident set.
struct ChildRun
{
    bool ok = false;
    double seconds = 0;
    double peakBytes = 0;
    std::string why; // when !ok: the exit status and the start of what it wrote to stderr
};

ChildRun runChild(const std::vector<std::string>& argv, const QString& stderrPath)
{
    ChildRun result;
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const QByteArray errPath = QFile::encodeName(stderrPath);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
        result.why = "fork failed";
        return result;
    }
    if (pid == 0) {
        const int devNull = ::open("/dev/null", O_RDWR);
        const int err = ::open(errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (devNull >= 0) {
            ::dup2(devNull, 0);
            ::dup2(devNull, 1);
        }
        if (err >= 0)
            ::dup2(err, 2);
        ::execvp(args[0], args.data());
        std::fprintf(stderr, "cannot run %s\n", args[0]);
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid) {
        result.why = "wait4 failed";
        return result;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.peakBytes = double(usage.ru_maxrss) * 1024.0; // kilobytes on Linux
    result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!result.ok) {
        QFile err(stderrPath);
        const QByteArray text = err.open(QIODevice::ReadOnly) ? err.read(400).trimmed() : QByteArray();
        result.why = (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                        : "killed by signal " + std::to_string(WTERMSIG(status)))
            + (text.isEmpty() ? std::string() : ": " + text.toStdString());
    }
    return result;
}

// The median of `runs` runs (wall time and peak RSS each), or nullopt with *why set.
struct Figure
{
    double seconds = 0;
    double peakBytes = 0;
};

std::optional<Figure> measure(const std::vector<std::string>& argv, int runs, const QString& stderrPath,
                              std::string* why)
{
    std::vector<double> seconds;
    std::vector<double> peaks;
    for (int i = 0; i < runs; ++i) {
        const ChildRun r = runChild(argv, stderrPath);
        if (!r.ok) {
            *why = r.why;
            return std::nullopt;
        }
        seconds.push_back(r.seconds);
        peaks.push_back(r.peakBytes);
    }
    return Figure{median(seconds), median(peaks)};
}

bool onPath(const char* program)
{
    const QString found = QStandardPaths::findExecutable(QString::fromLatin1(program));
    return !found.isEmpty();
}

// The DevTools trace engine from npm, installed once into a cache directory (never into the
// repository). Returns the script that parses a file with it, or an empty string with *why set.
QString traceEngineScript(std::string* why)
{
    if (!onPath("node") || !onPath("npm")) {
        *why = "node or npm is not installed";
        return {};
    }
    const QString cache = qEnvironmentVariable("INTERLEAVE_BENCH_CACHE",
                                               QDir::homePath() + QStringLiteral("/.cache/interleave-bench"));
    const QString dir = cache + QStringLiteral("/node");
    const QString package = dir + QStringLiteral("/node_modules/@paulirish/trace_engine");
    const QString entry = package + QStringLiteral("/analyze-trace.mjs");
    if (!QFileInfo::exists(entry)) {
        QDir().mkpath(dir);
        std::fprintf(stderr, "bench_import: installing @paulirish/trace_engine into %s\n", qPrintable(dir));
        std::string err;
        std::vector<std::string> install{"npm", "install", "--prefix", dir.toStdString(), "--no-audit", "--no-fund",
                                         "--silent", "@paulirish/trace_engine"};
        if (onPath("timeout"))
            install.insert(install.begin(), {"timeout", "600"});
        const ChildRun r = runChild(install, dir + QStringLiteral("/npm-stderr.txt"));
        if (!r.ok || !QFileInfo::exists(entry)) {
            *why = "npm install @paulirish/trace_engine failed (" + (r.ok ? std::string("no analyze-trace.mjs") : r.why)
                + ")";
            return {};
        }
    }
    // analyze-trace.mjs reads the file (JSON.parse) and runs every handler of the engine over every
    // event, as DevTools' Performance panel does, then each handler's finalize. A synthetic trace
    // has no page load: the engine may find no "insights", or a handler's finalize (LayerTree) may
    // stop on data only Chrome writes. Every event was handled by then, and that is what is
    // compared; any other error skips this peer.
    const QString script = dir + QStringLiteral("/parse-trace.mjs");
    QFile f(script);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *why = "cannot write " + script.toStdString();
        return {};
    }
    f.write("import {analyzeTrace} from '" + QFile::encodeName(entry) + "';\n"
            "try { await analyzeTrace(process.argv[2]); }\n"
            "catch (e) { if (!/No (insights|data)/.test(String(e && e.message)) && !/finalize|computeParsedTrace/.test(String(e && e.stack))) "
            "{ console.error(String(e)); process.exit(1); } }\n"
            "process.exit(0);\n");
    return script;
}

double loadAverage()
{
    double load[1] = {0};
    return ::getloadavg(load, 1) == 1 ? load[0] : -1.0;
}

QString defaultApp(const char* argv0)
{
    if (qEnvironmentVariableIsSet("INTERLEAVE_APP"))
        return qEnvironmentVariable("INTERLEAVE_APP");
    const QString self = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath();
    const QString dir = QFileInfo(self.isEmpty() ? QString::fromLocal8Bit(argv0) : self).absolutePath();
    return QDir::cleanPath(dir + QStringLiteral("/../app/interleave"));
}

// Whether the app's heap asks for transparent huge pages (engine/hugepagemalloc.cpp decides alike:
// only when INTERLEAVE_HUGE_PAGES=1 and the kernel has them).
bool appUsesHugePages()
{
    if (qgetenv("INTERLEAVE_HUGE_PAGES") != "1")
        return false;
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    return std::getline(f, line) && line.find("[never]") == std::string::npos;
}

// The floor child: read FILE in 1 MiB pieces, touch BYTES of fresh memory once per 4 KiB.
int floorMain(const char* path, double bytes, bool huge)
{
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0) {
        std::fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    std::vector<char> piece(std::size_t(1) << 20);
    std::uint64_t sum = 0;
    for (;;) {
        const ssize_t n = ::read(fd, piece.data(), piece.size());
        if (n <= 0)
            break;
        sum += std::uint8_t(piece[std::size_t(n - 1)]);
    }
    ::close(fd);
    const std::size_t size = std::size_t(bytes);
    void* memory = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        std::fprintf(stderr, "cannot map %zu bytes\n", size);
        return 1;
    }
    ::madvise(memory, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    auto* p = static_cast<volatile char*>(memory);
    for (std::size_t i = 0; i < size; i += 4096)
        p[i] = char(sum);
    return 0;
}

void printRow(const char* what, const Figure& f, double megabytes, double fileBytes)
{
    std::printf("| %s | %.3f | %.1f | %.0f MiB (%.2fx the file) |\n", what, f.seconds, megabytes / f.seconds,
                f.peakBytes / 1048576.0, f.peakBytes / fileBytes);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 5 && std::string(argv[1]) == "--floor")
        return floorMain(argv[2], std::atof(argv[3]), std::atoi(argv[4]) != 0);
    QCoreApplication app(argc, argv);
    QString app_ = defaultApp(argv[0]);
    QString input;
    int mb = 200;
    int runs = 3;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg == QStringLiteral("--app") && i + 1 < argc) {
            app_ = QString::fromLocal8Bit(argv[++i]);
        } else if (arg == QStringLiteral("--runs") && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else {
            bool isNumber = false;
            const int n = arg.toInt(&isNumber);
            if (isNumber)
                mb = n;
            else
                input = arg;
        }
    }
    if (!QFileInfo(app_).isExecutable()) {
        std::fprintf(stderr, "bench_import: the app is not at %s (build the interleave target, or give --app)\n",
                     qPrintable(app_));
        return 2;
    }
    QTemporaryDir temp;
    if (!temp.isValid()) {
        std::fprintf(stderr, "bench_import: cannot make a temporary directory\n");
        return 2;
    }
    QString label = input;
    if (input.isEmpty()) {
        input = temp.filePath(QStringLiteral("synthetic.json"));
        QFile f(input);
        const QByteArray data = synthesize(qint64(mb) << 20);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.flush()) {
            std::fprintf(stderr, "bench_import: cannot write %s\n", qPrintable(input));
            return 2;
        }
        label = QStringLiteral("synthetic");
    }
    const double fileBytes = double(QFileInfo(input).size());
    const double megabytes = fileBytes / 1e6;
    const std::string file = QFile::encodeName(input).toStdString();
    const QString summaryPath = temp.filePath(QStringLiteral("summary.json"));
    const QString stderrPath = temp.filePath(QStringLiteral("stderr.txt"));

    std::string why;
    const std::optional<Figure> ours =
        measure({QFile::encodeName(app_).toStdString(), "--headless", "--open", file, "--summary-out",
                 QFile::encodeName(summaryPath).toStdString()},
                runs, stderrPath, &why);
    if (!ours) {
        std::fprintf(stderr, "bench_import: the import through the app failed: %s\n", why.c_str());
        return 1;
    }
    // The summary says how many events the app read: a check that it read the file, not a figure.
    qint64 events = -1;
    {
        QFile f(summaryPath);
        if (f.open(QIODevice::ReadOnly))
            events = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("source")).toObject()
                         .value(QStringLiteral("events")).toInteger(-1);
    }
    if (events <= 0) {
        std::fprintf(stderr, "bench_import: the app's summary names no events read\n");
        return 1;
    }

    // The floor touches what the app's import kept at its peak (its RSS less the binary's start-up
    // share is not subtracted: the floor is, if anything, too slow, which flatters nothing).
    const bool huge = appUsesHugePages();
    std::string floorWhy;
    const std::optional<Figure> floor =
        measure({QFile::encodeName(QCoreApplication::applicationFilePath()).toStdString(), "--floor", file,
                 std::to_string(ours->peakBytes), huge ? "1" : "0"},
                runs, stderrPath, &floorWhy);

    std::string pythonWhy;
    std::optional<Figure> python;
    if (onPath("python3"))
        python = measure({"python3", "-c", "import json,sys; json.load(open(sys.argv[1]))", file}, runs, stderrPath,
                         &pythonWhy);
    else
        pythonWhy = "python3 is not installed";
    std::string engineWhy;
    std::optional<Figure> engine;
    const QString script = traceEngineScript(&engineWhy);
    if (!script.isEmpty())
        engine = measure({"node", "--max-old-space-size=16384", QFile::encodeName(script).toStdString(), file}, runs,
                         stderrPath, &engineWhy);

    std::printf("\nP9 import of a large Chrome trace through the app (%s: %.1f MB, %lld events; median of %d runs; "
                "load %.2f)\n",
                qPrintable(label), megabytes, static_cast<long long>(events), runs, loadAverage());
    std::printf("| what (a child process each, from start to exit) | seconds | MB/s | peak RSS |\n|---|---|---|---|\n");
    printRow("interleave --headless --open FILE --summary-out OUT", *ours, megabytes, fileBytes);
    if (floor)
        printRow(huge ? "floor: read the file, first touch of the app's peak RSS in fresh memory (huge pages, as the app)"
                      : "floor: read the file, first touch of the app's peak RSS in fresh memory (small pages, as the app)",
                 *floor, megabytes, fileBytes);
    else
        std::printf("| floor: skipped (%s) | - | - | - |\n", floorWhy.c_str());
    if (python)
        printRow("python3: json.load (a whole DOM, nothing built from it)", *python, megabytes, fileBytes);
    else
        std::printf("| python3 json.load: skipped (%s) | - | - | - |\n", pythonWhy.c_str());
    if (engine)
        printRow("node: DevTools trace engine (@paulirish/trace_engine: JSON.parse, every handler; finalize may stop "
                 "early on a synthetic trace)",
                 *engine, megabytes, fileBytes);
    else
        std::printf("| DevTools trace engine: skipped (%s) | - | - | - |\n", engineWhy.c_str());

    const double rate = megabytes / ours->seconds;
    const double rss = ours->peakBytes / fileBytes;
    std::printf("RESULT P9 | import of a %.0f MB Chrome trace through the app (start, read, parse, store, summary) | "
                "%.0f MB/s | >= 200 MB/s | %.2f | %s\n",
                megabytes, rate, rate / 200.0, rate >= 200 ? "pass" : "short");
    std::printf("RESULT P9m | peak RSS of that import, per byte of the file | %.2fx | <= 1.5x | %.2f | %s\n", rss,
                1.5 / rss, rss <= 1.5 ? "pass" : "short");
    if (floor)
        std::printf("RESULT P9f | floor on this host: read the file, first touch of as much fresh memory as P9's peak "
                    "(%s pages) | %.0f MB/s (P9 at %.2f of it) | (no target; for comparison) | - | info\n",
                    huge ? "huge" : "small", megabytes / floor->seconds, floor->seconds / ours->seconds);
    if (python)
        std::printf("RESULT P9py | peer: Python json.load on the same file | %.0f MB/s | (no target; for comparison) | "
                    "- | info\n",
                    megabytes / python->seconds);
    if (engine)
        std::printf("RESULT P9dt | peer: DevTools trace engine (node) on the same file | %.1f MB/s | (no target; for "
                    "comparison) | - | info\n",
                    megabytes / engine->seconds);
    return 0;
}
