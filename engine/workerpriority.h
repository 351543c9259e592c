// Worker threads run a little below the thread that draws them: under full CPU load (16 busy
// workers on 2 cores) the window keeps its frame rate, and the workers' shares among themselves
// are unchanged, so what the lesson shows is not distorted.
#pragma once

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#endif

namespace interleave {

// Lowers the calling thread's priority by a few nice levels (Linux; elsewhere a no-op). Raising
// niceness needs no privilege.
inline void lowerCurrentThreadPriority() noexcept
{
#if defined(__linux__)
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (errno != 0)
        return;
    ::setpriority(PRIO_PROCESS, tid, std::min(19, current + 5));
#endif
}

} // namespace interleave
