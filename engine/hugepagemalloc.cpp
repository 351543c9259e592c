// restartWithHugePageMalloc(): one exec of /proc/self/exe with GLIBC_TUNABLES extended.
#include "hugepagemalloc.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#if defined(__linux__)
#include <unistd.h>
#endif

namespace interleave {

#if defined(__linux__) && defined(__GLIBC__) && !defined(INTERLEAVE_SANITIZED)
namespace {
constexpr char Tunables[] = "GLIBC_TUNABLES";
constexpr char HugeTlb[] = "glibc.malloc.hugetlb";
constexpr char Restarted[] = "INTERLEAVE_MALLOC_RESTARTED";

bool hugePageMallocAsked()
{
    const char* asked = std::getenv("INTERLEAVE_HUGE_PAGES");
    return asked && std::strcmp(asked, "1") == 0;
}

bool transparentHugePagesOn()
{
    std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string line;
    return std::getline(f, line) && line.find("[never]") == std::string::npos
        && line.find('[') != std::string::npos;
}
} // namespace
#endif

void restartWithHugePageMalloc(char** argv)
{
#if defined(__linux__) && defined(__GLIBC__) && !defined(INTERLEAVE_SANITIZED)
    if (std::getenv(Restarted)) {
        ::unsetenv(Restarted); // this is the restarted program: its children need not know
        return;
    }
    if (!hugePageMallocAsked())
        return;
    const char* tunables = std::getenv(Tunables);
    if ((tunables && std::strstr(tunables, HugeTlb)) || !argv || !argv[0] || !transparentHugePagesOn())
        return;
    const std::string before = tunables ? tunables : "";
    const std::string value = (before.empty() ? std::string() : before + ':') + HugeTlb + "=1";
    ::setenv(Tunables, value.c_str(), 1);
    ::setenv(Restarted, "1", 1);
    ::execv("/proc/self/exe", argv);
    // Still here: the restart failed. Go on with the heap as it is.
    ::unsetenv(Restarted);
    if (tunables)
        ::setenv(Tunables, before.c_str(), 1);
    else
        ::unsetenv(Tunables);
#else
    (void)argv;
#endif
}

} // namespace interleave
