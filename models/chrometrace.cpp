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
    Writer w(out);
    constexpr int Pid = 1;
    const QByteArray pid = QByteArray::number(Pid);
    auto tid = [](std::size_t lane) { return QByteArray::number(qulonglong(lane + 1)); };

    // otherData: what the events cannot say (the run's parameters and outcome, the objects
    // declared), so that importing the file gives back the same summary.
    QJsonArray objects;
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        const ObjectData& o = store.object(i);
        objects.append(QJsonObject{{u"name"_s, o.name},
                                   {u"kind"_s, QString::fromLatin1(objectKindKey(o.kind))},
                                   {u"capacity"_s, qint64(o.capacity)}});
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
                                  {u"dropped"_s, qint64(store.eventsDropped())}}},
        {u"end_ns"_s, qint64(store.endTime())},
        {u"objects"_s, objects},
    };
    if (!kernel.isEmpty())
        other.insert(u"kernel_ns"_s, kernel);
    if (!info.run.machine.isEmpty())
        other.insert(u"machine"_s, info.run.machine);
    w.raw("{\"displayTimeUnit\":\"ms\",\"otherData\":" + json(other) + ",\"traceEvents\":[");
    w.event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + pid + ",\"tid\":0,\"args\":{\"name\":"
            + quoted(info.processName) + "}}");

    // Threads: names, order, and their state intervals.
    for (std::size_t l = 0; l < store.laneCount(); ++l) {
        const LaneData& lane = store.lane(l);
        const QByteArray t = tid(l);
        w.event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + pid + ",\"tid\":" + t + ",\"args\":{\"name\":"
                + quoted(lane.name) + ",\"kind\":\"" + laneKindKey(lane.kind) + "\"}}");
        w.event("{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":" + pid + ",\"tid\":" + t
                + ",\"args\":{\"sort_index\":" + QByteArray::number(qulonglong(l)) + "}}");
        auto slice = [&](const StateInterval& s) {
            QByteArray e = "{\"ph\":\"X\",\"cat\":\"state\",\"name\":\"" + QByteArray(stateLabel(s.state))
                + "\",\"pid\":" + pid + ",\"tid\":" + t + ",\"ts\":" + us(s.start) + ",\"dur\":" + us(s.end - s.start);
            if (s.object != 0)
                e += ",\"args\":{\"object\":" + objectName(store, s.object) + "}";
            w.event(e + "}");
        };
        for (const StateInterval& s : lane.intervals)
            slice(s);
        if (lane.begun && !lane.ended && store.endTime() > lane.currentStart)
            slice({lane.currentStart, store.endTime(), lane.current, lane.currentObject});
        // An imported trace's named slices, as it had them.
        for (const NamedSlice& n : lane.slices) {
            const QString category = store.text(n.category);
            w.event("{\"ph\":\"X\",\"cat\":" + quoted(category.isEmpty() ? u"slice"_s : category) + ",\"name\":"
                    + quoted(store.text(n.name)) + ",\"pid\":" + pid + ",\"tid\":" + t + ",\"ts\":" + us(n.start)
                    + ",\"dur\":" + us(n.end - n.start) + "}");
        }

        // Markers a reader of the trace wants to find.
        for (const Marker& m : lane.markers) {
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
                else if (m.aux == std::uint32_t(MarkerType::ProcessStarted))
                    name = "process started";
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
            if (name.isEmpty())
                continue;
            w.event("{\"ph\":\"i\",\"s\":\"t\",\"name\":\"" + name + "\",\"pid\":" + pid + ",\"tid\":" + t
                    + ",\"ts\":" + us(m.t) + (args.isEmpty() ? QByteArray() : ",\"args\":" + args) + "}");
        }
    }

    // Locks (and the GIL): holds as async slices, hand-offs as flows.
    std::uint64_t asyncId = 0;
    std::uint64_t flowId = 0;
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        const ObjectData& o = store.object(i);
        if (o.id == 0)
            continue;
        const QByteArray name = quoted(o.name);
        for (std::size_t h = 0; h < o.holds.size(); ++h) {
            const HoldInterval& hold = o.holds[h];
            const QByteArray id = QByteArray::number(qulonglong(++asyncId));
            const QByteArray t = tid(hold.lane);
            w.event("{\"ph\":\"b\",\"cat\":\"lock\",\"name\":" + name + ",\"id\":" + id + ",\"pid\":" + pid + ",\"tid\":" + t
                    + ",\"ts\":" + us(hold.start) + waitArgs(hold.waitNs, false) + "}");
            w.event("{\"ph\":\"e\",\"cat\":\"lock\",\"name\":" + name + ",\"id\":" + id + ",\"pid\":" + pid + ",\"tid\":" + t
                    + ",\"ts\":" + us(hold.end) + "}");
            if (h + 1 < o.holds.size() && o.holds[h + 1].lane != hold.lane) {
                const QByteArray f = QByteArray::number(qulonglong(++flowId));
                w.event("{\"ph\":\"s\",\"cat\":\"hand-off\",\"name\":" + name + ",\"id\":" + f + ",\"pid\":" + pid
                        + ",\"tid\":" + t + ",\"ts\":" + us(hold.end) + "}");
                w.event("{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"hand-off\",\"name\":" + name + ",\"id\":" + f
                        + ",\"pid\":" + pid + ",\"tid\":" + tid(o.holds[h + 1].lane) + ",\"ts\":"
                        + us(o.holds[h + 1].start) + "}");
            }
        }
        // Holds still open at the end (a deadlock's forks): they end with the trace, marked open.
        for (std::size_t l = 0; l < store.laneCount(); ++l) {
            for (const LaneData::OpenHold& open : store.lane(l).openHolds) {
                if (open.object != o.id)
                    continue;
                const QByteArray id = QByteArray::number(qulonglong(++asyncId));
                const QByteArray t = tid(l);
                w.event("{\"ph\":\"b\",\"cat\":\"lock\",\"name\":" + name + ",\"id\":" + id + ",\"pid\":" + pid
                        + ",\"tid\":" + t + ",\"ts\":" + us(open.start) + waitArgs(open.waitNs, true) + "}");
                w.event("{\"ph\":\"e\",\"cat\":\"lock\",\"name\":" + name + ",\"id\":" + id + ",\"pid\":" + pid
                        + ",\"tid\":" + t + ",\"ts\":" + us(std::max(store.endTime(), open.start)) + "}");
            }
        }
        // Counters: waiters per lock, depth per queue, the GIL's holder (lane, -1 free).
        const QByteArray series = o.kind == ObjectKind::Lock ? "waiters"
            : o.kind == ObjectKind::Gil                      ? "holder"
            : o.kind == ObjectKind::Queue                    ? "depth"
                                                             : "value";
        for (const CounterSample& c : o.counter) {
            w.event("{\"ph\":\"C\",\"name\":" + name + ",\"pid\":" + pid + ",\"tid\":0,\"ts\":" + us(c.t)
                    + ",\"args\":{\"" + series + "\":" + QByteArray::number(c.value, 'g', 17) + "}}");
        }
    }

    // Queue items: a flow from each put to the get that took the same item.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::int64_t, std::size_t>> puts;
    std::vector<std::pair<const Marker*, std::size_t>> gets;
    for (std::size_t l = 0; l < store.laneCount(); ++l) {
        for (const Marker& m : store.lane(l).markers) {
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
        const QByteArray f = QByteArray::number(qulonglong(++flowId));
        const QByteArray name = "\"item " + QByteArray::number(get->aux) + "\"";
        w.event("{\"ph\":\"s\",\"cat\":\"queue item\",\"name\":" + name + ",\"id\":" + f + ",\"pid\":" + pid
                + ",\"tid\":" + tid(put->second.second) + ",\"ts\":" + us(put->second.first) + "}");
        w.event("{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"queue item\",\"name\":" + name + ",\"id\":" + f + ",\"pid\":"
                + pid + ",\"tid\":" + tid(lane) + ",\"ts\":" + us(get->t) + "}");
    }

    // An imported trace's flows.
    for (const FlowArrow& f : store.flows()) {
        const QByteArray id = QByteArray::number(qulonglong(++flowId));
        w.event("{\"ph\":\"s\",\"cat\":\"flow\",\"name\":\"flow\",\"id\":" + id + ",\"pid\":" + pid + ",\"tid\":"
                + tid(f.lane0) + ",\"ts\":" + us(f.t0) + "}");
        w.event("{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"flow\",\"name\":\"flow\",\"id\":" + id + ",\"pid\":" + pid
                + ",\"tid\":" + tid(f.lane1) + ",\"ts\":" + us(f.t1) + "}");
    }

    w.raw("\n]}\n");
    return w.flush();
}

} // namespace interleave
