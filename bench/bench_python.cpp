// P10: a traced Python program's wall time (`--python`) against the same program run untraced, for
// the lessons' Python twins at their defaults and a realistic threaded program (bench/python/).
// Each program runs untraced, traced, and traced with its function calls (--calls) in turn, `rounds`
// times; the medians are compared. --calls has no target: its cost is said, not judged.
//
//   bench_python [rounds] [name]   (default 3 rounds of every program; name: only those whose file
//                                  name contains it)
#include "pythonprogram.h"
#include "run.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QEventLoop>
#include <QProcess>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

// CPU time (user + system) of the children reaped so far, in ms: the program's processes, whichever
// way they ran. Less sensitive than wall time to what else the machine is doing.
double childrenCpuMs()
{
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return (double(u.ru_utime.tv_sec) + double(u.ru_stime.tv_sec)) * 1e3
        + (double(u.ru_utime.tv_usec) + double(u.ru_stime.tv_usec)) / 1e3;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Wall time of `python3 script` from its start to its exit, output discarded.
double untraced(const QString& python, const QString& script)
{
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(QProcess::nullDevice());
    QElapsedTimer clock;
    clock.start();
    p.start(python, {script});
    p.waitForFinished(-1);
    return double(clock.nsecsElapsed()) / 1e6;
}

// The same under Interleave: from the run's start (python3 not yet started) to its end, the
// program's output read, its threads sampled and recorded, the store filled as in the window.
double traced(const QString& script, QString* ended, bool calls = false)
{
    Run run;
    PythonProgramSpec spec;
    spec.script = script;
    spec.calls = calls;
    QString error;
    QEventLoop loop;
    QObject::connect(&run, &Run::finished, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    if (!run.startProgram(PythonProgram::entry(spec), u"MainThread"_s, &error, 16)) {
        std::fprintf(stderr, "bench_python: %s\n", qPrintable(error));
        return -1;
    }
    loop.exec();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    const QJsonValue status = run.description().outcome.value(u"exit_status"_s);
    *ended = status.isNull() ? run.description().ended : u"exit %1"_s.arg(status.toInt());
    return ms;
}

QString loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(u' ', 0, 2) : u"?"_s;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    QString error;
    const QString python = findPython3({}, &error);
    if (python.isEmpty()) {
        std::fprintf(stderr, "bench_python: %s\n", qPrintable(error));
        return 1;
    }
    const QDir lessons(QStringLiteral(LESSONS_DIR));
    QStringList programs;
    for (const QString& f : lessons.entryList({u"*.py"_s}, QDir::Files, QDir::Name))
        programs << lessons.filePath(f);
    programs << QStringLiteral(BENCH_PYTHON_DIR "/realistic.py");
    if (argc > 2) {
        const QString only = QString::fromLocal8Bit(argv[2]);
        programs.removeIf([&](const QString& p) { return !QFileInfo(p).fileName().contains(only); });
    }
    constexpr double Target = 1.3;
    double worst = 0;
    double worstCalls = 0;
    QString worstName;
    bool failed = false;
    std::printf("P10: traced / untraced wall time, median of %d rounds each (%s; load %s)\n", rounds,
                qPrintable(python), qPrintable(loadAverage()));
    std::printf("%-22s %12s %12s %8s %10s %10s %8s %10s %8s  %s\n", "program", "untraced ms", "traced ms", "ratio",
                "cpu ms", "traced cpu", "ratio", "calls ms", "ratio", "traced run");
    for (const QString& script : std::as_const(programs)) {
        std::vector<double> plain, withTracer, plainCpu, tracedCpu, withCalls;
        QString ended;
        for (int r = 0; r < rounds; ++r) {
            double cpu = childrenCpuMs();
            plain.push_back(untraced(python, script));
            plainCpu.push_back(childrenCpuMs() - cpu);
            cpu = childrenCpuMs();
            const double t = traced(script, &ended);
            if (t < 0)
                return 1;
            tracedCpu.push_back(childrenCpuMs() - cpu);
            withTracer.push_back(t);
            QString callsEnded;
            withCalls.push_back(traced(script, &callsEnded, true));
        }
        const double a = median(plain);
        const double b = median(withTracer);
        const double ratio = b / a;
        const QString name = QFileInfo(script).fileName();
        const double c = median(withCalls);
        std::printf("%-22s %12.1f %12.1f %8.3f %10.1f %10.1f %8.3f %10.1f %8.3f  %s\n", qPrintable(name), a, b, ratio,
                    median(plainCpu), median(tracedCpu), median(tracedCpu) / std::max(1.0, median(plainCpu)), c,
                    c / a, qPrintable(ended));
        worstCalls = std::max(worstCalls, c / a);
        std::fflush(stdout);
        failed = failed || ended != "exit 0"_L1;
        if (ratio > worst) {
            worst = ratio;
            worstName = name;
        }
    }
    std::printf("load at the end %s\n", qPrintable(loadAverage()));
    std::printf("P10c (no target): traced with --calls / untraced wall time, worst of %lld programs: %.3fx\n",
                static_cast<long long>(programs.size()), worstCalls);
    std::printf("RESULT P10 | traced / untraced wall time, worst of %lld programs (%s) | %.3fx | <= %.1fx | %.2f | %s\n",
                static_cast<long long>(programs.size()), qPrintable(worstName), worst, Target, Target / worst,
                worst <= Target ? "met" : "short");
    return failed ? 1 : 0;
}
