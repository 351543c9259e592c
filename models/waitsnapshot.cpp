// WaitSnapshot: name lookup with a readable fallback for an id the snapshot did not name.
#include "waitsnapshot.h"

using namespace Qt::StringLiterals;

namespace interleave {

namespace {
QString find(const std::map<std::uint32_t, QString>& names, std::uint32_t id, const QString& fallback)
{
    const auto it = names.find(id);
    return it != names.end() ? it->second : fallback.arg(id);
}
} // namespace

QString WaitSnapshot::laneName(std::uint32_t id) const
{
    return find(laneNames, id, u"thread %1"_s);
}

QString WaitSnapshot::lockName(std::uint32_t id) const
{
    return find(lockNames, id, u"lock %1"_s);
}

} // namespace interleave
