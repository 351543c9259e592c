// Explorer: a depth-first search over the choice points of step mode, one fresh run per schedule.
#include "explorer.h"

#include "clock.h"
#include "functionthread.h"
#include "runcontext.h"
#include "scenario.h"
#include "stepdriver.h"
#include "stepgate.h"
#include "tracesession.h"

#include <QJsonArray>
#include <QThread>

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

constexpr std::int64_t QuietTimeoutNs = 10'000'000'000; // a thread on its way to its next step
constexpr int EndTimeoutMs = 5000;                       // the run ending once the gate opened

// A choice point of one run: what could step, in the order the search tries them.
struct Node
{
    std::vector<std::uint32_t> options; // the default choice first, then the others by lane
    std::size_t index = 0;              // the option taken
    std::optional<std::uint32_t> last;  // the lane that stepped before
    int preemptionsBefore = 0;

    bool preempts(std::uint32_t lane) const
    {
        return last && lane != *last && std::find(options.begin(), options.end(), *last) != options.end();
    }
};

struct OneRun
{
    QString error;
    QJsonObject outcome;
    QString ended;
    bool cut = false;
    std::vector<std::uint32_t> schedule;
    std::vector<QString> steps;
    std::vector<Node> nodes;
};

OneRun runOne(const ScenarioEntry& entry, const std::vector<double>& values, const std::vector<std::uint32_t>& prefix,
              std::int64_t maxSteps)
{
    OneRun r;
    auto session = std::make_shared<TraceSession>(std::size_t(1) << 10); // the events are not kept
    auto ctx = std::make_unique<RunContext>(session, entry.info.schema, values, 1.0);
    std::unique_ptr<Scenario> scenario = entry.create();
    LaneRecorder* mainLane = session->addLane(u"main"_s, LaneKind::Main);
    StepGate& gate = ctx->enableStepMode();
    gate.join(mainLane->lane());
    std::atomic<bool> mainDone{false};
    RunContext* c = ctx.get();
    Scenario* s = scenario.get();
    std::unique_ptr<QThread> main(new FunctionThread([c, s, mainLane, &gate, &mainDone] {
        c->runAsLane(mainLane, [&] { s->run(*c); });
        gate.leave(mainLane->lane());
        mainDone.store(true, std::memory_order_release);
    }));
    main->start();

    auto laneName = [&](std::uint32_t lane) {
        const LaneInfo* info = session->lane(lane);
        return info ? info->name : u"lane %1"_s.arg(lane);
    };
    std::optional<std::uint32_t> last;
    int preemptions = 0;
    bool stuck = false;
    for (;;) {
        const StepSnapshot snap = gate.waitQuiet(QuietTimeoutNs);
        if (!snap.quiet) {
            r.error = u"a thread did not reach its next step within %1 s"_s.arg(QuietTimeoutNs / 1'000'000'000);
            break;
        }
        if (snap.allFinished)
            break;
        std::vector<std::uint32_t> enabled;
        for (const StepOffer& o : snap.offers) {
            if (o.enabled)
                enabled.push_back(o.lane);
        }
        if (enabled.empty()) {
            gate.release(); // nobody can step: the real primitives show why (the wait-for graph)
            stuck = true;
            break;
        }
        if (snap.steps >= maxSteps) {
            r.cut = true;
            break;
        }
        Node node;
        node.last = last;
        node.preemptionsBefore = preemptions;
        const auto first = defaultChoice(snap, last);
        node.options.push_back(*first);
        for (const std::uint32_t lane : enabled) {
            if (lane != *first)
                node.options.push_back(lane);
        }
        const std::size_t depth = r.nodes.size();
        if (depth < prefix.size()) {
            const auto it = std::find(node.options.begin(), node.options.end(), prefix[depth]);
            if (it == node.options.end()) {
                r.error = u"step %1: thread %2 cannot step (the schedule does not fit this lesson and settings)"_s.arg(depth + 1)
                              .arg(prefix[depth]);
                break;
            }
            node.index = std::size_t(it - node.options.begin());
        }
        const std::uint32_t choice = node.options[node.index];
        for (const StepOffer& o : snap.offers) {
            if (o.lane == choice)
                r.steps.push_back(laneName(choice) + u": "_s + o.text);
        }
        preemptions += node.preempts(choice) ? 1 : 0;
        QString error;
        if (!gate.grant(choice, &error)) {
            r.error = error;
            break;
        }
        last = choice;
        r.nodes.push_back(std::move(node));
    }
    r.schedule = gate.schedule();
    if (!r.error.isEmpty() || r.cut)
        ctx->requestStop();
    // The lesson ends by itself (a deadlock ends it too); a run stuck otherwise is stopped.
    if (!main->wait(QDeadlineTimer(EndTimeoutMs))) {
        ctx->requestStop();
        main->wait();
    }
    r.outcome = scenario->outcome(*ctx);
    if (ctx->deadlocked())
        r.ended = u"deadlock"_s;
    else if (r.cut)
        r.ended = u"cut"_s;
    else if (stuck && ctx->stopRequested())
        r.ended = u"stuck"_s;
    else
        r.ended = scenario->endReason();
    (void)mainDone.load(std::memory_order_acquire);
    ctx->requestStop(); // workers a deadlock left behind
    ctx->joinAllThreads(-1);
    main.reset();
    scenario.reset(); // its primitives unregister from the context
    ctx.reset();
    return r;
}

QString outcomeKey(const ScenarioInfo& info, const QJsonObject& outcome, const QString& ended)
{
    QStringList parts;
    for (const QString& key : info.stepOutcomeKeys) {
        const QJsonValue v = outcome.value(key);
        parts << key + u"="_s + (v.isBool() ? (v.toBool() ? u"true"_s : u"false"_s) : QString::number(v.toDouble()));
    }
    if (ended == "cut"_L1 || ended == "stuck"_L1)
        parts << u"ended="_s + ended;
    return parts.join(u' ');
}

const ScenarioEntry* steppable(const QString& id, QString* error)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(id);
    if (!entry) {
        *error = u"unknown scenario '%1'"_s.arg(id);
        return nullptr;
    }
    if (entry->info.stepOutcomeKeys.isEmpty()) {
        QStringList ids;
        for (const ScenarioEntry& e : ScenarioRegistry::instance().all()) {
            if (!e.info.stepOutcomeKeys.isEmpty())
                ids << e.info.id;
        }
        *error = u"%1 has no steps to schedule; step mode is for %2"_s.arg(id, ids.join(u", "_s));
        return nullptr;
    }
    return entry;
}

} // namespace

QString scheduleText(const std::vector<std::uint32_t>& schedule)
{
    QStringList parts;
    parts.reserve(qsizetype(schedule.size()));
    for (const std::uint32_t lane : schedule)
        parts << QString::number(lane);
    return parts.join(u',');
}

std::optional<std::vector<std::uint32_t>> parseSchedule(const QString& text, QString* bad)
{
    std::vector<std::uint32_t> lanes;
    for (const QString& part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const uint lane = part.trimmed().toUInt(&ok);
        if (!ok || lane > 100'000) {
            if (bad)
                *bad = part.trimmed();
            return std::nullopt;
        }
        lanes.push_back(lane);
    }
    return lanes;
}

ScheduledRun runSchedule(const QString& id, const std::vector<double>& values,
                         const std::vector<std::uint32_t>& schedule, std::int64_t maxSteps)
{
    ScheduledRun out;
    const ScenarioEntry* entry = steppable(id, &out.error);
    if (!entry)
        return out;
    OneRun r = runOne(*entry, values, schedule, maxSteps);
    out.error = r.error;
    out.outcome = r.outcome;
    out.ended = r.ended;
    out.schedule = std::move(r.schedule);
    out.steps = std::move(r.steps);
    return out;
}

ExploreResult explore(const QString& id, const std::vector<double>& values, const ExploreOptions& options)
{
    ExploreResult result;
    const ScenarioEntry* entry = steppable(id, &result.error);
    if (!entry)
        return result;
    const std::int64_t started = monotonicNs();
    std::map<QString, ExploredOutcome> outcomes;
    std::vector<Node> stack; // the choice points of the schedule being explored
    std::vector<std::uint32_t> prefix;
    for (;;) {
        OneRun r = runOne(*entry, values, prefix, options.maxSteps);
        if (!r.error.isEmpty()) {
            result.error = r.error;
            break;
        }
        ++result.schedules;
        result.cut += r.cut ? 1 : 0;
        // The nodes past the prefix are new; those of the prefix are the stack's own.
        for (std::size_t i = stack.size(); i < r.nodes.size(); ++i)
            stack.push_back(r.nodes[i]);
        int preemptions = 0;
        for (const Node& n : stack)
            preemptions += n.preempts(n.options[n.index]) ? 1 : 0;
        const QString key = outcomeKey(entry->info, r.outcome, r.ended);
        ExploredOutcome& o = outcomes[key];
        const bool shorter = o.count == 0 || r.schedule.size() < o.shortest.size()
            || (r.schedule.size() == o.shortest.size() && preemptions < o.shortestPreemptions);
        ++o.count;
        if (shorter) {
            o.key = key;
            o.outcome = r.outcome;
            o.alarming = (entry->info.alarming && entry->info.alarming(r.outcome)) || r.ended == "deadlock"_L1;
            o.shortest = r.schedule;
            o.shortestPreemptions = preemptions;
        }
        if (options.progress && !options.progress(result.schedules)) {
            result.stopped = true;
            break;
        }
        const bool outOfTime = options.maxSeconds > 0 && double(monotonicNs() - started) / 1e9 >= options.maxSeconds;
        // Backtrack: the deepest choice point with an option not tried yet (within the bound).
        bool found = false;
        while (!stack.empty()) {
            Node& top = stack.back();
            while (top.index + 1 < top.options.size()) {
                ++top.index;
                const int p = top.preemptionsBefore + (top.preempts(top.options[top.index]) ? 1 : 0);
                if (options.preemptionBound && p > *options.preemptionBound) {
                    ++result.pruned;
                    continue;
                }
                found = true;
                break;
            }
            if (found)
                break;
            stack.pop_back();
        }
        if (!found) {
            result.complete = true;
            break;
        }
        if (result.schedules >= options.maxSchedules || outOfTime) {
            result.outOfTime = outOfTime && result.schedules < options.maxSchedules;
            // Count what is left at every choice point: each is at least one more schedule.
            for (const Node& n : stack)
                result.left += std::int64_t(n.options.size() - n.index - 1);
            result.left += 1; // the option just chosen, not run
            break;
        }
        prefix.clear();
        for (const Node& n : stack)
            prefix.push_back(n.options[n.index]);
    }
    for (auto& [key, o] : outcomes)
        result.outcomes.push_back(std::move(o));
    result.wallMs = double(monotonicNs() - started) / 1e6;
    return result;
}

QJsonObject ExploreResult::toJson(const std::optional<int>& bound, std::int64_t cap) const
{
    QJsonObject counts;
    QJsonObject shortest;
    QJsonArray detail;
    for (const ExploredOutcome& o : outcomes) {
        counts.insert(o.key, qint64(o.count));
        if (o.alarming)
            shortest.insert(o.key, scheduleText(o.shortest));
        detail.append(QJsonObject{{u"key"_s, o.key},
                                  {u"count"_s, qint64(o.count)},
                                  {u"alarming"_s, o.alarming},
                                  {u"outcome"_s, o.outcome},
                                  {u"shortest"_s, scheduleText(o.shortest)},
                                  {u"shortest_steps"_s, qint64(o.shortest.size())},
                                  {u"shortest_preemptions"_s, o.shortestPreemptions}});
    }
    QJsonObject j{{u"schedules"_s, qint64(schedules)},
                  {u"complete"_s, complete},
                  {u"outcomes"_s, counts},
                  {u"shortest"_s, shortest},
                  {u"detail"_s, detail},
                  {u"pruned"_s, qint64(pruned)},
                  {u"left"_s, qint64(left)},
                  {u"cut"_s, qint64(cut)},
                  {u"max_schedules"_s, qint64(cap)},
                  {u"wall_ms"_s, std::round(wallMs * 1000) / 1000}};
    j.insert(u"preemption_bound"_s, bound ? QJsonValue(*bound) : QJsonValue());
    if (stopped)
        j.insert(u"stopped"_s, true);
    if (outOfTime)
        j.insert(u"out_of_time"_s, true);
    return j;
}

} // namespace interleave
