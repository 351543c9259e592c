// Worker processes: the parent side starts `interleave --process-worker ...` and turns the events
// the child streams back into a lane of its own; the child side runs the tasks.
#pragma once

#include <QString>
#include <QStringList>

namespace interleave {

class RunContext;

struct ProcessTask
{
    int tasks = 1;
    double taskMs = 100;
    QString workload = QStringLiteral("cpu"); // cpu | io | mixed
    double speed = 1.0;
    double cpuScale = 1.0; // computing takes cpuScale x its ms (a free-threaded build's overhead)
};

// The executable to start as a worker: $INTERLEAVE_WORKER_EXE, or this program.
QString processWorkerExecutable();

// Parent side, on a traced lane: starts the process, forwards its events into the calling
// thread's lane until it exits. The lane shows Idle until the child runs (its start-up cost).
// Cancellable: on Stop the child is killed and Cancelled is thrown.
void runInWorkerProcess(RunContext& ctx, const ProcessTask& task);

// Child side: `--process-worker tasks=N task_ms=X workload=cpu speed=S cpu_scale=F`. Streams 32-byte
// TraceEvents on stdout. Returns the process exit code.
int processWorkerMain(const QStringList& arguments);

} // namespace interleave
