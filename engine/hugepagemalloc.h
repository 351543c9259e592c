// The heap's large blocks on transparent huge pages.
#pragma once

namespace interleave {

// A page fault costs microseconds in a virtual machine, and a store that grows by hundreds of
// megabytes in a flood pays one per 4 KiB page it touches: the drain into the store took 600-900
// ns per event on a busy 2-core guest, 90-130 ns with huge pages (DESIGN.md P3). glibc reads its
// malloc settings once, before main(), from GLIBC_TUNABLES, and glibc.malloc.hugetlb=1 asks the
// kernel for transparent huge pages (madvise) on what malloc maps. So a program that wants them
// starts itself again, once, with the setting added; its children (worker processes) inherit it.
// Nothing happens when the setting is there already, when the kernel's transparent huge pages are
// off, under a sanitizer (it brings its own malloc), or when the restart cannot be done (the
// program then goes on as it was). Call first thing in main().
void restartWithHugePageMalloc(char** argv);

} // namespace interleave
