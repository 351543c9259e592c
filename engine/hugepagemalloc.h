// The heap's large blocks on transparent huge pages, when asked for (INTERLEAVE_HUGE_PAGES=1).
#pragma once

namespace interleave {

// glibc reads its malloc settings once, before main(), from GLIBC_TUNABLES, and
// glibc.malloc.hugetlb=1 asks the kernel for transparent huge pages (madvise) on what malloc maps.
// So a program that wants them starts itself again, once, with the setting added; its children
// (worker processes) inherit it. Call first thing in main().
//
// Off unless INTERLEAVE_HUGE_PAGES=1 is in the environment. In the virtual machines measured
// (docs/performance.md, "huge pages"), the first touch of fresh memory as small pages ran at
// 1.1-1.4 GB/s day after day, while as huge pages it ranged from 40 MB/s to 3 GB/s between runs
// minutes apart: a huge page comes from a large free block, which the host has often taken back,
// and the guest then waits for the host to back all 2 MiB. On the slow days a store's vector that
// doubled stalled the drain for 0.8-1.7 s (the window's GUI thread: a frozen view, and the
// recording rings overflowed at 1 M events/s), against about 0.1 s with small pages. The heap's
// gain on the good days (a drain 1.4x cheaper per event) does not pay for that.
//
// Nothing happens when the setting is there already, when the kernel's transparent huge pages are
// off, under a sanitizer (it brings its own malloc), or when the restart cannot be done (the
// program then goes on as it was).
void restartWithHugePageMalloc(char** argv);

} // namespace interleave
