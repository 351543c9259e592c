// writeChromeTrace: streamed by hand (no document in memory), one event per line.
#include "chrometrace.h"

#include "tracestore.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <map>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// Microseconds with three decimals: nanoseconds survive the unit change.
QByteArray us(std::int64_t ns)
{
    const bool negative = ns < 0;
    const std::uint64_t a = negative ? std::uint64_t(-ns) : std::uint64_t(ns);
    QByteArray s = QByteArray::number(a / 1000) + '.' + QByteArray::number(a % 1000).rightJustified(3, '0');
    return negative ? '-' + s : s;
}

QByteArray quoted(const QString& text)
{
    // QJsonValue does the escaping; strip the surrounding array brackets.
    QByteArray a = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

class Writer
{
public:
    explicit Writer(QIODevice& out)
        : m_out(out)
    {
    }
    void event(const QByteArray& json)
    {
        m_buffer += m_first ? "\n" : ",\n";
        m_buffer += json;
        m_first = false;
        if (m_buffer.size() > (1 << 20))
            flush();
    }
    void raw(const QByteArray& bytes) { m_buffer += bytes; }
    bool flush()
    {
        m_ok = m_ok && m_out.write(m_buffer) == m_buffer.size();
        m_buffer.clear();
        return m_ok;
    }

private:
    QIODevice& m_out;
    QByteArray m_buffer;
    bool m_first = true;
    bool m_ok = true;
};

// A hold's args: how long its owner waited for it (contended acquisitions only), open holds.
QByteArray waitArgs(std::int64_t waitNs, bool open)
{
    if (waitNs < 0 && !open)
        return {};
    QByteArray a = ",\"args\":{";
    if (waitNs >= 0)
        a += "\"wait_us\":" + us(waitNs);
    if (open)
        a += QByteArray(waitNs >= 0 ? "," : "") + "\"open\":true";
    return a + "}";
}

QByteArray json(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray objectName(const TraceStore& store, std::uint32_t id)
{
    const ObjectData* o = store.objectById(id);
    return quoted(o ? o->name : u"object-%1"_s.arg(id));
}

// otherData: what the events cannot say (the run's parameters and outcome, the objects declared),
// so that importing the file gives back the same summary.
QJsonObject otherData(const TraceStore& store, const ChromeTraceInfo& info)
{
    QJsonArray objects;
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        const ObjectData& o = store.object(i);
        QJsonObject declared{{u"name"_s, o.name},
                             {u"kind"_s, QString::fromLatin1(objectKindKey(o.kind))},
                             {u"capacity"_s, qint64(o.capacity)}};
        // A lock's figures as the run counted them: holds drawn folded, or aged out of a long
        // run, are fewer than its acquisitions, so a reader cannot count them from the holds.
        if (o.kind == ObjectKind::Lock || o.kind == ObjectKind::Gil)
            declared.insert(u"totals"_s, QJsonObject{{u"acquisitions"_s, qint64(o.acquisitions)},
                                                     {u"contended"_s, qint64(o.contended)},
                                                     {u"wait_ns"_s, qint64(o.waitNsTotal)},
                                                     {u"wait_ns_max"_s, qint64(o.waitNsMax)},
                                                     {u"hold_ns"_s, qint64(o.holdNsTotal)},
                                                     {u"try_failures"_s, qint64(o.tryFailures)}});
        objects.append(declared);
    }
    // The kernel's figures per lane (tid, ns on a CPU, ns on a run queue or -1).
    QJsonArray kernel;
    for (std::size_t l = 0; l < store.laneCount(); ++l) {
        const LaneData& lane = store.lane(l);
        if (lane.kernelRunningNs >= 0)
            kernel.append(QJsonArray{qint64(l + 1), qint64(lane.kernelRunningNs), qint64(lane.kernelReadyNs)});
    }
    QJsonObject other{
        {u"generator"_s, u"interleave"_s},
        // Only a lesson's run is rebuilt as one on import; anything else imports as a plain trace.
        {u"format"_s, info.run.scenario.isEmpty() ? u"chrome-json"_s : QString::fromLatin1(InterleaveTraceFormat)},
        {u"scenario"_s, info.run.scenario},
        {u"params"_s, info.run.params},
        {u"wall_ms"_s, info.run.wallMs},
        {u"ended"_s, info.run.ended},
        {u"outcome"_s, info.run.outcome},
        {u"events"_s, QJsonObject{{u"recorded"_s, qint64(store.eventsRecorded())},
                                  {u"dropped"_s, qint64(store.eventsDropped())},
                                  {u"race_marks_not_kept"_s, qint64(store.markersCapped())},
                                  {u"lock_holds_folded"_s, qint64(store.holdsFolded())}}},
        {u"end_ns"_s, qint64(store.endTime())},
        {u"objects"_s, objects},
    };
    if (!kernel.isEmpty())
        other.insert(u"kernel_ns"_s, kernel);
    if (!info.run.machine.isEmpty())
        other.insert(u"machine"_s, info.run.machine);
    if (!info.run.schedule.isEmpty())
        other.insert(u"schedule"_s, info.run.schedule);
    return other;
}

// A marker as an instant's name and args; no name for markers a reader of the trace has no use for.
std::pair<QByteArray, QByteArray> markerNameAndArgs(const TraceStore& store, const Marker& m)
{
    QByteArray name;
    QByteArray args;
    switch (m.kind) {
    case EventKind::LostUpdate:
        name = "lost update";
        args = "{\"overwritten\":" + QByteArray::number(qlonglong(m.value)) + "}";
        break;
    case EventKind::Print:
        name = "print";
        args = "{\"text\":" + quoted(store.text(std::uint32_t(m.value))) + "}";
        break;
    case EventKind::Marker:
        if (m.aux == std::uint32_t(MarkerType::Deadlock))
            name = "deadlock detected";
        else if (m.aux == std::uint32_t(MarkerType::TaskStart)) {
            name = "task " + QByteArray::number(qlonglong(m.value + 1)) + " starts";
            args = "{\"task\":" + QByteArray::number(qlonglong(m.value)) + "}";
        }
        else if (m.aux == std::uint32_t(MarkerType::TaskNamed)) {
            const QByteArray task = quoted(store.text(std::uint32_t(m.value)));
            name = task.mid(1).chopped(1);
            args = "{\"task_name\":" + task + "}";
        }
        else if (m.aux == std::uint32_t(MarkerType::ProcessStarted))
            name = "process started";
        else if (m.aux == std::uint32_t(MarkerType::InterpreterStarting))
            name = "interpreter start-up";
        else if (m.aux == std::uint32_t(MarkerType::InterpreterReady))
            name = "interpreter ready";
        else if (m.aux == std::uint32_t(MarkerType::Note))
            name = quoted(store.text(std::uint32_t(m.value))).mid(1).chopped(1); // an imported instant
        break;
    case EventKind::QueuePut:
    case EventKind::QueueGet:
        name = m.kind == EventKind::QueuePut ? "put" : "get";
        args = "{\"queue\":" + objectName(store, m.object) + ",\"item\":" + QByteArray::number(m.aux)
            + ",\"depth\":" + QByteArray::number(qlonglong(m.value)) + "}";
        break;
    default:
        break; // race reads and writes are summed up by the outcome and the counter
    }
    return {name, args};
}

// The events of one store, in the order writeChromeTrace gives them; ids of async slices and flows
// count up across the whole file.
class StoreWriter
{
public:
    StoreWriter(const TraceStore& store, QIODevice& out)
        : m_store(store)
        , m_w(out)
    {
    }
    bool write(const ChromeTraceInfo& info);

private:
    static constexpr int Pid = 1;
    static QByteArray tid(std::size_t lane) { return QByteArray::number(qulonglong(lane + 1)); }

    void writeLane(std::size_t l);
    void writeStates(const LaneData& lane, const QByteArray& t);
    void writeMarkers(const LaneData& lane, const QByteArray& t);
    void writeObject(const ObjectData& o);
    void writeHold(const QByteArray& name, std::size_t lane, std::int64_t start, std::int64_t end,
                   const QByteArray& args);
    void writeFlow(const QByteArray& cat, const QByteArray& name, std::size_t lane0, std::int64_t t0,
                   std::size_t lane1, std::int64_t t1);
    void writeQueueItems();

    const TraceStore& m_store;
    Writer m_w;
    const QByteArray m_pid = QByteArray::number(Pid);
    std::uint64_t m_asyncId = 0;
    std::uint64_t m_flowId = 0;
};

bool StoreWriter::write(const ChromeTraceInfo& info)
{
    m_w.raw("{\"displayTimeUnit\":\"ms\",\"otherData\":" + json(otherData(m_store, info)) + ",\"traceEvents\":[");
    m_w.event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + m_pid + ",\"tid\":0,\"args\":{\"name\":"
              + quoted(info.processName) + "}}");
    for (std::size_t l = 0; l < m_store.laneCount(); ++l)
        writeLane(l);
    // Locks (and the GIL): holds as async slices, hand-offs as flows; counters of every object.
    for (std::size_t i = 0; i < m_store.objectCount(); ++i)
        writeObject(m_store.object(i));
    writeQueueItems();
    // An imported trace's flows.
    for (const FlowArrow& f : m_store.flows())
        writeFlow("flow", "\"flow\"", f.lane0, f.t0, f.lane1, f.t1);
    m_w.raw("\n]}\n");
    return m_w.flush();
}

// A thread: its name, order, state intervals, an imported trace's slices, and its markers.
void StoreWriter::writeLane(std::size_t l)
{
    const LaneData& lane = m_store.lane(l);
    const QByteArray t = tid(l);
    m_w.event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + m_pid + ",\"tid\":" + t + ",\"args\":{\"name\":"
              + quoted(lane.name) + ",\"kind\":\"" + laneKindKey(lane.kind) + "\"}}");
    m_w.event("{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":" + m_pid + ",\"tid\":" + t
              + ",\"args\":{\"sort_index\":" + QByteArray::number(qulonglong(l)) + "}}");
    writeStates(lane, t);
    // An imported trace's named slices, as it had them.
    for (const NamedSlice& n : lane.slices) {
        const QString category = m_store.text(n.category);
        m_w.event("{\"ph\":\"X\",\"cat\":" + quoted(category.isEmpty() ? u"slice"_s : category) + ",\"name\":"
                  + quoted(m_store.text(n.name)) + ",\"pid\":" + m_pid + ",\"tid\":" + t + ",\"ts\":" + us(n.start)
                  + ",\"dur\":" + us(n.end - n.start) + ",\"args\":{\"depth\":" + QByteArray::number(n.depth) + "}}");
    }
    writeMarkers(lane, t);
}

void StoreWriter::writeStates(const LaneData& lane, const QByteArray& t)
{
    auto slice = [&](const StateInterval& s) {
        QByteArray e = "{\"ph\":\"X\",\"cat\":\"state\",\"name\":\"" + QByteArray(stateLabel(s.state))
            + "\",\"pid\":" + m_pid + ",\"tid\":" + t + ",\"ts\":" + us(s.start) + ",\"dur\":" + us(s.end - s.start);
        if (s.object != 0)
            e += ",\"args\":{\"object\":" + objectName(m_store, s.object) + "}";
        m_w.event(e + "}");
    };
    for (const StateInterval& s : lane.intervals)
        slice(s);
    if (lane.begun && !lane.ended && m_store.endTime() > lane.currentStart)
        slice({lane.currentStart, m_store.endTime(), lane.current, lane.currentObject});
}

// Markers a reader of the trace wants to find.
void StoreWriter::writeMarkers(const LaneData& lane, const QByteArray& t)
{
    for (const Marker& m : lane.markers) {
        const auto [name, args] = markerNameAndArgs(m_store, m);
        if (name.isEmpty())
            continue;
        m_w.event("{\"ph\":\"i\",\"s\":\"t\",\"name\":\"" + name + "\",\"pid\":" + m_pid + ",\"tid\":" + t
                  + ",\"ts\":" + us(m.t) + (args.isEmpty() ? QByteArray() : ",\"args\":" + args) + "}");
    }
}

void StoreWriter::writeObject(const ObjectData& o)
{
    if (o.id == 0)
        return;
    const QByteArray name = quoted(o.name);
    for (std::size_t h = 0; h < o.holds.size(); ++h) {
        const HoldInterval& hold = o.holds[h];
        writeHold(name, hold.lane, hold.start, hold.end, waitArgs(hold.waitNs, false));
        if (h + 1 < o.holds.size() && o.holds[h + 1].lane != hold.lane)
            writeFlow("hand-off", name, hold.lane, hold.end, o.holds[h + 1].lane, o.holds[h + 1].start);
    }
    // Holds still open at the end (a deadlock's forks): they end with the trace, marked open.
    for (std::size_t l = 0; l < m_store.laneCount(); ++l) {
        for (const LaneData::OpenHold& open : m_store.lane(l).openHolds) {
            if (open.object == o.id)
                writeHold(name, l, open.start, std::max(m_store.endTime(), open.start), waitArgs(open.waitNs, true));
        }
    }
    // Counters: waiters per lock, depth per queue, the GIL's holder (lane, -1 free).
    const QByteArray series = o.kind == ObjectKind::Lock ? "waiters"
        : o.kind == ObjectKind::Gil                      ? "holder"
        : o.kind == ObjectKind::Queue                    ? "depth"
                                                         : "value";
    for (const CounterSample& c : o.counter) {
        m_w.event("{\"ph\":\"C\",\"name\":" + name + ",\"pid\":" + m_pid + ",\"tid\":0,\"ts\":" + us(c.t)
                  + ",\"args\":{\"" + series + "\":" + QByteArray::number(c.value, 'g', 17) + "}}");
    }
}

// A lock hold as an async b/e pair.
void StoreWriter::writeHold(const QByteArray& name, std::size_t lane, std::int64_t start, std::int64_t end,
                            const QByteArray& args)
{
    const QByteArray id = QByteArray::number(qulonglong(++m_asyncId));
    const QByteArray t = tid(lane);
    m_w.event("{\"ph\":\"b\",\"cat\":\"lock\",\"name\":" + name + ",\"id\":" + id + ",\"pid\":" + m_pid + ",\"tid\":" + t
              + ",\"ts\":" + us(start) + args + "}");
    m_w.event("{\"ph\":\"e\",\"cat\":\"lock\",\"name\":" + name + ",\"id\":" + id + ",\"pid\":" + m_pid + ",\"tid\":" + t
              + ",\"ts\":" + us(end) + "}");
}

// A flow as an s/f pair; name is JSON (quoted).
void StoreWriter::writeFlow(const QByteArray& cat, const QByteArray& name, std::size_t lane0, std::int64_t t0,
                            std::size_t lane1, std::int64_t t1)
{
    const QByteArray f = QByteArray::number(qulonglong(++m_flowId));
    m_w.event("{\"ph\":\"s\",\"cat\":\"" + cat + "\",\"name\":" + name + ",\"id\":" + f + ",\"pid\":" + m_pid
              + ",\"tid\":" + tid(lane0) + ",\"ts\":" + us(t0) + "}");
    m_w.event("{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"" + cat + "\",\"name\":" + name + ",\"id\":" + f + ",\"pid\":"
              + m_pid + ",\"tid\":" + tid(lane1) + ",\"ts\":" + us(t1) + "}");
}

// Queue items: a flow from each put to the get that took the same item.
void StoreWriter::writeQueueItems()
{
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::int64_t, std::size_t>> puts;
    std::vector<std::pair<const Marker*, std::size_t>> gets;
    for (std::size_t l = 0; l < m_store.laneCount(); ++l) {
        for (const Marker& m : m_store.lane(l).markers) {
            if (m.kind == EventKind::QueuePut)
                puts[{m.object, m.aux}] = {m.t, l};
            else if (m.kind == EventKind::QueueGet)
                gets.emplace_back(&m, l);
        }
    }
    for (const auto& [get, lane] : gets) {
        const auto put = puts.find({get->object, get->aux});
        if (put == puts.end() || put->second.first > get->t)
            continue;
        writeFlow("queue item", "\"item " + QByteArray::number(get->aux) + "\"", put->second.second,
                  put->second.first, lane, get->t);
    }
}

} // namespace

const char* objectKindKey(ObjectKind kind)
{
    switch (kind) {
    case ObjectKind::Lock:
        return "lock";
    case ObjectKind::Queue:
        return "queue";
    case ObjectKind::Gil:
        return "gil";
    case ObjectKind::Counter:
        return "counter";
    }
    return "lock";
}

bool writeChromeTrace(const TraceStore& store, const ChromeTraceInfo& info, QIODevice& out)
{
    return StoreWriter(store, out).write(info);
}

} // namespace interleave
