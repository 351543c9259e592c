// startChild: QProcess::start, and what a ThreadSanitizer build must add after it.
//
// Qt 6.4 starts a child with clone(CLONE_VM | CLONE_VFORK): until it execs, the child runs in our
// address space on the calling thread's ThreadSanitizer state, enters a scope that ignores
// synchronisation and never leaves it. From then on TSan ignores that thread's releases (every
// unlock), and a later free on another thread is reported as a race with the thread's earlier
// accesses. A 25-line program shows it: a thread reads an object and unlocks a mutex that the
// main thread locks before deleting the object; no report without a QProcess, one with it. One
// AnnotateIgnoreSyncEnd per child started puts the count back (a second one fails TSan's own
// check: the count is exactly one). None is owed when no child was started (no process id), nor
// on the process's main thread, whose count the child leaves alone (three small programs: a
// QThread and a std::thread each owed one per child, three children in a row; the main thread,
// before and after other threads had run, owed none, and an End there fails TSan's check).
#pragma once

#include <QProcess>

#if defined(__SANITIZE_THREAD__)
#define INTERLEAVE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define INTERLEAVE_TSAN 1
#endif
#endif

#ifdef INTERLEAVE_TSAN
#include <unistd.h>
extern "C" void AnnotateIgnoreSyncEnd(const char* file, int line);
#endif

namespace interleave {

inline void afterChildStarted([[maybe_unused]] const QProcess& process)
{
#ifdef INTERLEAVE_TSAN
    if (process.processId() != 0 && ::gettid() != ::getpid())
        AnnotateIgnoreSyncEnd(__FILE__, __LINE__);
#endif
}

inline void startChild(QProcess& process)
{
    process.start();
    afterChildStarted(process);
}

inline void startChild(QProcess& process, const QString& program, const QStringList& arguments)
{
    process.start(program, arguments);
    afterChildStarted(process);
}

} // namespace interleave
