// Worker processes, both sides. The child records on its own session and ships raw events; the
// clocks agree because CLOCK_MONOTONIC is system-wide.
#include "processworker.h"

#include "childprocess.h"
#include "clock.h"
#include "runcontext.h"
#include "tracesession.h"
#include "workload.h"

#include <QCoreApplication>
#include <QProcess>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace interleave {

QString processWorkerExecutable()
{
    const QString fromEnv = qEnvironmentVariable("INTERLEAVE_WORKER_EXE");
    return fromEnv.isEmpty() ? QCoreApplication::applicationFilePath() : fromEnv;
}

void runInWorkerProcess(RunContext& ctx, const ProcessTask& task)
{
    LaneRecorder* rec = LaneRecorder::current();
    if (rec) {
        // This thread only forwards the child's events; the child accounts for its own thread.
        rec->setKernelAccounting(false);
        rec->setState(ThreadState::Idle); // not running yet: the process is starting
    }
    QProcess process;
    process.setProgram(processWorkerExecutable());
    process.setArguments({u"--process-worker"_s, u"tasks=%1"_s.arg(task.tasks), u"task_ms=%1"_s.arg(task.taskMs),
                          u"workload=%1"_s.arg(task.workload), u"speed=%1"_s.arg(task.speed),
                          u"cpu_scale=%1"_s.arg(task.cpuScale, 0, 'g', 17),
                          u"kernel_rate=%1"_s.arg(kernelIterationsPerUs(), 0, 'g', 17)});
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    if (g_clockCalibration.tsc) {
        // The child converts its TSC reads exactly as we do: its events line up with ours.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(ClockCalibrationEnv), QString::fromStdString(g_clockCalibration.toString()));
        process.setProcessEnvironment(env);
    }
    startChild(process);

    auto killChild = [&] {
        process.kill();
        process.waitForFinished(1000);
    };
    QByteArray buffer;
    std::int64_t lastT = 0;
    for (;;) {
        if (ctx.stopRequested()) {
            killChild();
            throw Cancelled{};
        }
        const bool finished = process.state() == QProcess::NotRunning;
        if (!finished)
            process.waitForReadyRead(20);
        buffer += process.readAllStandardOutput();
        std::size_t used = 0;
        while (buffer.size() - qsizetype(used) >= qsizetype(sizeof(TraceEvent))) {
            TraceEvent e;
            std::memcpy(&e, buffer.constData() + used, sizeof e);
            used += sizeof e;
            if (!rec)
                continue;
            const std::int64_t t = std::max(e.t, lastT);
            lastT = t;
            switch (e.kind) {
            case EventKind::LaneBegin:
                rec->recordAt(t, EventKind::Marker, e.state, 0, 0, std::uint32_t(MarkerType::ProcessStarted));
                break;
            case EventKind::LaneEnd:
                rec->recordAt(t, EventKind::State, ThreadState::Idle); // exiting
                break;
            default:
                rec->recordAt(t, e.kind, e.state, 0, e.value, e.aux);
                break;
            }
        }
        buffer.remove(0, qsizetype(used));
        if (finished && process.bytesAvailable() == 0)
            break;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw std::runtime_error("a worker process failed (exit code " + std::to_string(process.exitCode()) + ")");
}

int processWorkerMain(const QStringList& arguments)
{
    // No lowering here: the child inherits the nice value of the worker thread that started it
    // (Linux copies the forking thread's), which is the workers' already. Lowering it again put
    // process workers 10 levels below the window and 5 below the thread workers they are compared
    // with in the gil lesson (seen with ps: threads at 5, --process-worker children at 10).
    ProcessTask task;
    for (const QString& a : arguments) {
        const QString key = a.section(u'=', 0, 0);
        const QString value = a.section(u'=', 1);
        if (key == "tasks"_L1)
            task.tasks = std::max(0, value.toInt());
        else if (key == "task_ms"_L1)
            task.taskMs = std::max(0.0, value.toDouble());
        else if (key == "workload"_L1)
            task.workload = value;
        else if (key == "speed"_L1)
            task.speed = value.toDouble() > 0 ? value.toDouble() : 1.0;
        else if (key == "cpu_scale"_L1 && value.toDouble() > 0)
            task.cpuScale = value.toDouble();
        else if (key == "kernel_rate"_L1 && value.toDouble() > 0)
            setKernelIterationsPerUs(value.toDouble());
    }
    auto session = std::make_shared<TraceSession>();
    RunContext ctx(session, ParamSchema{}, {}, task.speed);
    LaneRecorder* rec = session->addLane(u"process"_s, LaneKind::Process);
    auto ship = [&] {
        rec->ring().drain([](const TraceEvent* first, std::size_t n) {
            std::fwrite(first, sizeof(TraceEvent), n, stdout);
        });
        std::fflush(stdout);
    };
    ctx.runAsLane(rec, [&] {
        for (int i = 0; i < task.tasks; ++i) {
            if (task.workload == "io"_L1) {
                ioWork(ctx, task.taskMs);
            } else if (task.workload == "mixed"_L1) {
                cpuWork(ctx, task.taskMs / 2 * task.cpuScale);
                ioWork(ctx, task.taskMs / 2);
            } else {
                cpuWork(ctx, task.taskMs * task.cpuScale);
            }
            ship();
        }
    });
    ship();
    return 0;
}

} // namespace interleave
