// A lesson's threads run a few nice levels below the thread that drains and draws them.
//
// Sixteen CPU-bound workers on two cores otherwise leave the window's thread one seventeenth of the
// machine: its 16 ms frame comes 100-200 ms late and, at flood rates, the drain falls behind the
// rings (DESIGN.md P6, P2b). Among themselves the workers keep equal shares, so what a lesson shows
// (who runs, who waits) is unchanged, and their Ready time is still what the kernel says it was
// (every Ready interval comes from the thread's own schedstat). Against other programs nothing
// changes where the desktop or the terminal session gives each program a group of its own (systemd's
// per-application cgroups, the kernel's autogroup): nice weighs threads within a group. Only a
// program in the same group (a build started from the same terminal) gets more of the machine than
// the workers would otherwise leave it.
#pragma once

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#endif

namespace interleave {

inline constexpr int WorkerNiceOffset = 5;

// Lowers the calling thread's priority by WorkerNiceOffset nice levels (Linux; elsewhere a no-op).
// Raising niceness needs no privilege.
inline void lowerCurrentThreadPriority() noexcept
{
#if defined(__linux__)
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (errno != 0)
        return;
    ::setpriority(PRIO_PROCESS, tid, std::min(19, current + WorkerNiceOffset));
#endif
}

} // namespace interleave
