// MachineLoadMeter: /proc/stat's busy time of all CPUs against /proc/self/stat's own.
#include "machineload.h"

#include "clock.h"

#include <QFile>
#include <QJsonValue>
#include <QList>
#include <QThread>

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

int allowedCores()
{
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return std::max(1, CPU_COUNT(&set));
#endif
    return std::max(1, QThread::idealThreadCount());
}

QByteArray readSmallFile(const char* path)
{
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    return f.read(4096);
}

} // namespace

MachineLoadMeter::Reading MachineLoadMeter::read()
{
    Reading r;
    r.wallNs = monotonicNs();
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks.
    const QByteArray stat = readSmallFile("/proc/stat");
    if (stat.startsWith("cpu ")) {
        const QList<QByteArray> f = stat.left(stat.indexOf('\n')).simplified().split(' ');
        if (f.size() >= 9) {
            std::int64_t busy = 0;
            for (const int i : {1, 2, 3, 6, 7, 8})
                busy += f[i].toLongLong();
            r.busyTicks = busy;
        }
    }
    // /proc/self/stat: after "(comm)", fields 14-17 are utime stime cutime cstime (ticks);
    // cutime and cstime count the children waited for (worker processes, reaped at their end).
    const QByteArray self = readSmallFile("/proc/self/stat");
    const qsizetype close = self.lastIndexOf(')');
    if (close > 0) {
        const QList<QByteArray> f = self.mid(close + 2).simplified().split(' ');
        // f[0] is field 3 (state): field n is f[n - 3].
        if (f.size() >= 15)
            r.ownTicks = f[11].toLongLong() + f[12].toLongLong() + f[13].toLongLong() + f[14].toLongLong();
    }
    return r;
}

void MachineLoadMeter::start()
{
    m_start = read();
}

std::optional<MachineLoad> MachineLoadMeter::finish() const
{
    if (m_start.busyTicks < 0 || m_start.ownTicks < 0)
        return std::nullopt;
    const Reading end = read();
    if (end.busyTicks < 0 || end.ownTicks < 0 || end.wallNs <= m_start.wallNs)
        return std::nullopt;
    const double tick = 1.0 / double(std::max<long>(1, sysconf(_SC_CLK_TCK)));
    const double wallS = double(end.wallNs - m_start.wallNs) / 1e9;
    const double busyS = double(end.busyTicks - m_start.busyTicks) * tick;
    const double ownS = double(end.ownTicks - m_start.ownTicks) * tick;
    MachineLoad load;
    load.cores = allowedCores();
    load.wallMs = wallS * 1e3;
    load.ownCores = std::clamp(ownS / wallS, 0.0, double(load.cores));
    load.othersCores = std::clamp((busyS - ownS) / wallS, 0.0, double(load.cores));
    return load;
}

QJsonObject MachineLoad::toJson() const
{
    auto r2 = [](double x) { return std::round(x * 100) / 100; };
    return QJsonObject{{u"cores"_s, cores}, {u"run_cores"_s, r2(ownCores)}, {u"others_cores"_s, r2(othersCores)}};
}

std::optional<MachineLoad> MachineLoad::fromJson(const QJsonObject& o)
{
    const int cores = o.value(u"cores"_s).toInt(0);
    if (cores < 1 || cores > 1'000'000)
        return std::nullopt;
    MachineLoad m;
    m.cores = cores;
    m.ownCores = std::clamp(o.value(u"run_cores"_s).toDouble(0), 0.0, double(cores));
    m.othersCores = std::clamp(o.value(u"others_cores"_s).toDouble(0), 0.0, double(cores));
    return m;
}

QString MachineLoad::sentence() const
{
    return u"other programs used %1 of %2 cores during this run"_s.arg(QString::number(othersCores, 'f', 1))
        .arg(cores);
}

} // namespace interleave
