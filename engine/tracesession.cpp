// TraceSession: registration of lanes, objects and text.
#include "tracesession.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace interleave {

thread_local LaneRecorder* LaneRecorder::t_current = nullptr;

LaneRecorder::LaneRecorder(std::uint32_t lane, std::size_t ringCapacity)
    : m_lane(lane)
    , m_ring(ringCapacity)
{
}

LaneRecorder::~LaneRecorder()
{
    if (m_schedstatFd >= 0)
        ::close(m_schedstatFd);
}

namespace {
int currentTid() noexcept
{
#if defined(__linux__)
    return int(::syscall(SYS_gettid));
#else
    return 0;
#endif
}
} // namespace

void LaneRecorder::openSchedstat() noexcept
{
#if defined(__linux__)
    // /proc/self/task/<tid>/schedstat, kept open. A recorder used by a thread other than the one
    // it opened it for (a pool lane on another thread) opens it anew.
    const int tid = currentTid();
    if (tid == m_schedstatTid)
        return;
    if (m_schedstatFd >= 0)
        ::close(m_schedstatFd);
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", tid);
    m_schedstatFd = ::open(path, O_RDONLY | O_CLOEXEC);
    m_schedstatTid = tid;
#endif
}

std::int64_t LaneRecorder::readRunQueueWait() noexcept
{
#if defined(__linux__)
    // "on-cpu-ns run-queue-wait-ns timeslices", read again from offset 0: a fresh snapshot each
    // time (about 0.25 µs, bench_kernelstates).
    if (m_schedstatFd >= 0) {
        char text[96];
        const ssize_t n = ::pread(m_schedstatFd, text, sizeof text - 1, 0);
        if (n > 0) {
            text[n] = 0;
            char* rest = nullptr;
            std::strtoull(text, &rest, 10);
            if (rest && *rest == ' ')
                return std::int64_t(std::strtoull(rest, nullptr, 10));
        }
    }
#endif
    return -1;
}

LaneRecorder::KernelPoint LaneRecorder::kernelNow() noexcept
{
    // The kernel adds run-queue wait when the thread gets a core back, often at the return of a
    // system call: a preemption at the end of one of these reads would count in the wall time
    // but not yet in the wait. Reading the wait again tells; then the reading is taken again.
    openSchedstat();
    KernelPoint p;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const std::int64_t ready = readRunQueueWait();
        p.cpu = threadCpuNs();
        p.t = monotonicNs();
        p.ready = ready;
        if (ready < 0 || readRunQueueWait() == ready)
            break;
    }
    return p;
}

std::int64_t LaneRecorder::kernelCheck(std::int64_t t, EventKind kind) noexcept
{
    if (!m_kernelOn)
        return t;
    const KernelPoint now = kernelNow();
    t = std::max(t, now.t);
    const KernelPoint last = m_check;
    if (!m_kernelStarted) { // the lane's first event (or the first since accounting was turned on)
        m_kernelStarted = true;
        m_base = now;
        m_check = now;
        return t;
    }
    const std::int64_t gap = std::max<std::int64_t>(0, t - m_seen);
    const bool haveReady = now.ready >= 0 && last.ready >= 0;
    // Since the last reading: wall time off a CPU, and the part of it spent on a run queue.
    const std::int64_t offCpu = std::clamp<std::int64_t>((t - last.t) - (now.cpu - last.cpu), 0, gap);
    std::int64_t ready = haveReady ? std::clamp<std::int64_t>(now.ready - last.ready, 0, gap) : 0;
    m_check = now;
    const ThreadState s = m_state;
    if (s == ThreadState::Running || s == ThreadState::Ready) {
        // Off the core while drawn Running: preempted (Ready), or blocked somewhere untraced (an
        // internal mutex, a page fault): the kernel's run-queue wait tells the two apart. Without
        // schedstat, all of it counts as Ready, as CPU time < wall time always did.
        if (!haveReady)
            ready = offCpu;
        ready = std::min(ready, offCpu);
        const std::int64_t blocked = offCpu - ready;
        if (blocked >= MinKernelStateNs)
            recordAt(t - offCpu, EventKind::State, ThreadState::Sleeping);
        if (ready >= MinKernelStateNs)
            recordAt(t - ready, EventKind::State, ThreadState::Ready);
    } else if (ready >= MinKernelStateNs) {
        // Woken from a wait or a sleep, then waiting for a core before it could go on: Ready, at
        // the end of the wait (the kernel adds run-queue wait when the thread gets the core). The
        // little CPU a wait itself takes (going to sleep, waking, a GIL waiter's timeouts) stays
        // part of the wait: the thread runs no lesson code then, and under the GIL only the
        // holder may be drawn Running.
        recordAt(t - ready, EventKind::State, ThreadState::Ready);
    }
    if (kind == EventKind::LaneEnd) {
        recordAt(t, EventKind::KernelTimes, m_state, 0, now.cpu - m_base.cpu, 0);
        if (haveReady && m_base.ready >= 0)
            recordAt(t, EventKind::KernelTimes, m_state, 0, now.ready - m_base.ready, 1);
    }
    return t;
}

void LaneRecorder::acquireUncontended(std::uint32_t object, std::int64_t waiters, bool sameHolder) noexcept
{
    const bool folding = waiters <= EventFlags::MaxFoldedWaiters && underPressure();
    if (!folding) {
        record(EventKind::LockAcquire, m_state, object, waiters, 0); // records what was held back first
        return;
    }
    observe(); // may record a state, and what was held back with it
    const std::int64_t t = m_seen;
    m_foldScale = underDeepPressure() ? DeepFoldScale : 1;
    const bool extends = sameHolder && m_openObject == 0 && m_run.object == object && m_run.count < MaxFoldedHolds
        && t - m_run.lastEnd <= FoldGapNs * m_foldScale && t - m_run.first <= FoldSpanNs * m_foldScale;
    if (m_heldPending && !extends)
        writeHeldRun();
    m_openObject = object;
    m_openAt = t;
    m_openWaiters = waiters;
    m_heldPending = true;
}

bool LaneRecorder::releaseFolded(std::uint32_t object, std::int64_t waiters) noexcept
{
    if (object == 0 || m_openObject != object)
        return false; // its acquisition is recorded: so is its release
    const std::int64_t t = std::max(monotonicNs(), m_openAt);
    if (t - m_openAt > FoldHoldNs * m_foldScale) {
        writeHeldRun();
        return false;
    }
    if (m_run.count == 0) {
        m_run.object = object;
        m_run.first = m_openAt;
        m_run.firstWaiters = m_openWaiters;
    }
    ++m_run.count;
    m_run.heldNs += t - m_openAt;
    m_run.previousEnd = m_run.lastEnd;
    m_run.lastStart = m_openAt;
    m_run.lastEnd = t;
    m_run.lastStartWaiters = m_openWaiters;
    m_run.lastEndWaiters = waiters;
    m_openObject = 0;
    observeAt(t); // a kernel check here records the run first: it is complete
    return true;
}

void LaneRecorder::writeHeldRun() noexcept
{
    m_heldPending = false;
    const HeldRun run = m_run;
    m_run = HeldRun{};
    if (run.count > 0) {
        // A thread waited at the last release: that hold may be the one it took the lock from.
        const bool lastExact = run.lastEndWaiters > 0;
        const std::int64_t folded = run.count - (lastExact ? 1 : 0);
        if (folded > 0) {
            const std::int64_t end = lastExact ? run.previousEnd : run.lastEnd;
            const std::int64_t heldNs = run.heldNs - (lastExact ? run.lastEnd - run.lastStart : 0);
            write(end, EventKind::LockRelease, m_state, run.object,
                  EventFlags::packFolded(folded, heldNs, run.firstWaiters), std::uint32_t(end - run.first),
                  EventFlags::FoldedHolds);
            if (folded > 1)
                bump(m_holdsFolded, std::uint64_t(folded));
        }
        if (lastExact) {
            write(run.lastStart, EventKind::LockAcquire, m_state, run.object, run.lastStartWaiters, 0, 0);
            write(run.lastEnd, EventKind::LockRelease, m_state, run.object, run.lastEndWaiters, 0, 0);
        }
    }
    if (m_openObject != 0) {
        write(m_openAt, EventKind::LockAcquire, m_state, m_openObject, m_openWaiters, 0, 0);
        m_openObject = 0;
    }
}

TraceSession::TraceSession(std::size_t ringCapacity)
    : m_startNs(monotonicNs())
    , m_ringCapacity(ringCapacity)
{
}

TraceSession::~TraceSession() = default;

LaneRecorder* TraceSession::addLane(const QString& name, LaneKind kind)
{
    auto info = std::make_unique<LaneInfo>();
    std::lock_guard lock(m_mutex);
    info->id = std::uint32_t(m_lanes.size());
    info->name = name;
    info->kind = kind;
    info->recorder = std::make_unique<LaneRecorder>(info->id, m_ringCapacity);
    LaneRecorder* r = info->recorder.get();
    m_lanes.push_back(std::move(info));
    return r;
}

void TraceSession::finishLane(std::uint32_t lane)
{
    std::lock_guard lock(m_mutex);
    if (lane < m_lanes.size())
        m_lanes[lane]->finished.store(true, std::memory_order_release);
}

std::uint32_t TraceSession::addObject(const QString& name, ObjectKind kind, std::int64_t capacity)
{
    std::lock_guard lock(m_mutex);
    ObjectInfo o;
    o.id = std::uint32_t(m_objects.size() + 1);
    o.name = name;
    o.kind = kind;
    o.capacity = capacity;
    m_objects.push_back(o);
    return o.id;
}

std::uint32_t TraceSession::addText(const QString& text)
{
    std::lock_guard lock(m_mutex);
    m_texts.push_back(text);
    m_printed.push_back(std::uint32_t(m_texts.size() - 1));
    return m_printed.back();
}

void TraceSession::renameLane(std::uint32_t lane, const QString& name)
{
    std::lock_guard lock(m_mutex);
    m_renames.emplace_back(lane, name);
}

std::vector<std::pair<std::uint32_t, QString>> TraceSession::renamesSince(std::size_t from) const
{
    std::lock_guard lock(m_mutex);
    if (from >= m_renames.size())
        return {};
    return {m_renames.begin() + std::ptrdiff_t(from), m_renames.end()};
}

std::uint32_t TraceSession::addLabel(const QString& text)
{
    std::lock_guard lock(m_mutex);
    m_texts.push_back(text);
    return std::uint32_t(m_texts.size() - 1);
}

std::size_t TraceSession::printedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_printed.size();
}

QString TraceSession::printed(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_printed.size() ? m_texts[m_printed[index]] : QString();
}

QString TraceSession::text(std::uint32_t id) const
{
    std::lock_guard lock(m_mutex);
    return id < m_texts.size() ? m_texts[id] : QString();
}

std::size_t TraceSession::textCount() const
{
    std::lock_guard lock(m_mutex);
    return m_texts.size();
}

std::size_t TraceSession::laneCount() const
{
    std::lock_guard lock(m_mutex);
    return m_lanes.size();
}

LaneInfo* TraceSession::lane(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_lanes.size() ? m_lanes[index].get() : nullptr;
}

std::vector<ObjectInfo> TraceSession::objects(std::size_t from) const
{
    std::lock_guard lock(m_mutex);
    if (from >= m_objects.size())
        return {};
    return {m_objects.begin() + std::ptrdiff_t(from), m_objects.end()};
}

std::uint64_t TraceSession::droppedTotal() const
{
    std::lock_guard lock(m_mutex);
    std::uint64_t n = 0;
    for (const auto& l : m_lanes)
        n += l->recorder->ring().dropped();
    return n;
}

TraceSession::Thinned TraceSession::thinnedTotal() const
{
    std::lock_guard lock(m_mutex);
    Thinned n;
    for (const auto& l : m_lanes) {
        n.raceMarks += l->recorder->raceMarksThinned();
        n.holdsFolded += l->recorder->holdsFolded();
    }
    return n;
}

void TraceSession::setPausedAt(bool paused, std::int64_t t)
{
    std::lock_guard lock(m_mutex);
    const bool now = m_pauseEdges.size() % 2 == 1;
    if (paused == now)
        return;
    m_pauseEdges.push_back(m_pauseEdges.empty() ? t : std::max(t, m_pauseEdges.back()));
}

std::vector<std::int64_t> TraceSession::pauseEdges(std::size_t from) const
{
    std::lock_guard lock(m_mutex);
    if (from >= m_pauseEdges.size())
        return {};
    return {m_pauseEdges.begin() + std::ptrdiff_t(from), m_pauseEdges.end()};
}

std::int64_t pausedNsIn(const std::vector<std::int64_t>& edges, std::int64_t a, std::int64_t b)
{
    std::int64_t paused = 0;
    for (std::size_t i = 0; i < edges.size(); i += 2) {
        const std::int64_t p0 = edges[i];
        const std::int64_t p1 = i + 1 < edges.size() ? edges[i + 1] : INT64_MAX;
        const std::int64_t lo = std::max(a, p0);
        const std::int64_t hi = std::min(b, p1);
        if (hi > lo)
            paused += hi - lo;
    }
    return paused;
}

std::int64_t TraceSession::pausedNsBetween(std::int64_t a, std::int64_t b) const
{
    std::lock_guard lock(m_mutex);
    return pausedNsIn(m_pauseEdges, a, b);
}

} // namespace interleave
