// ProducerConsumerScenario: producers put numbered items into one queue; consumers take them
// in one of three styles. Per-item queue wait is measured from put to get.
#include "producerconsumerscenario.h"

#include "../clock.h"
#include "../outcomewords.h"
#include "../runcontext.h"
#include "../tracedqueue.h"
#include "../tracesession.h"
#include "../workerset.h"
#include "../workload.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Params : ParamDeclarations
{
    Param<int> producers = restarts(
        integer(u"producers"_s, 1, 16, 1, u"threads"_s, u"Threads putting items into the queue"_s));
    Param<int> consumers = restarts(integer(u"consumers"_s, 1, 16, 2, u"threads"_s, u"Threads taking items out"_s));
    Param<int> capacity = restarts(
        integer(u"capacity"_s, 0, 100, 5, u"items"_s, u"Queue size limit (maxsize); 0 = unbounded"_s));
    Param<int> produceMs = integer(u"produce_ms"_s, 0, 5000, 400, u"ms"_s, u"Time to make one item"_s);
    Param<int> consumeMs = integer(u"consume_ms"_s, 0, 5000, 300, u"ms"_s, u"Time to handle one item"_s);
    Param<int> items = integer(u"items"_s, 1, 1000, 10, u"per producer"_s, u"Items each producer makes"_s);
    Param<ProducerConsumerScenario::Style> consumerStyle = restarts(choice(
        u"consumer_style"_s, {u"sentinel"_s, u"join"_s, u"empty_check"_s}, ProducerConsumerScenario::Sentinel,
        u"sentinel: stop on None; join: task_done()/join(); empty_check: the while not q.empty() bug"_s));
};

QString sentence(const QJsonObject& o, bool)
{
    using namespace words;
    const auto produced = number(o, u"produced"_s);
    const auto consumed = number(o, u"consumed"_s);
    if (!produced || !consumed)
        return {};
    QString text = u"produced %1, consumed %2"_s.arg(integer(*produced), integer(*consumed));
    if (const auto stranded = number(o, u"stranded"_s))
        text += u", "_s + integer(*stranded) + u" stranded"_s;
    const auto maxDepth = number(o, u"max_depth"_s);
    const auto meanDepth = number(o, u"mean_depth"_s);
    if (maxDepth && meanDepth)
        text += u"; queue depth max %1, mean %2"_s.arg(integer(*maxDepth), formatOutcomeNumber(*meanDepth));
    else if (maxDepth)
        text += u"; queue depth max "_s + integer(*maxDepth);
    if (const auto wait = number(o, u"mean_wait_ms"_s))
        text += u"; items waited "_s + milliseconds(*wait) + u" on average"_s;
    if (o.value(u"stuck"_s).toBool())
        text += u".\nStuck: every consumer quit while the queue was full"_s;
    return text;
}

bool alarming(const QJsonObject& o)
{
    return o.value(u"stuck"_s).toBool() || o.value(u"stranded"_s).toDouble() > 0;
}

} // namespace

ScenarioInfo ProducerConsumerScenario::info()
{
    ScenarioInfo i;
    i.id = u"producer_consumer"_s;
    i.title = u"Producers, consumers and a queue"_s;
    i.summary = u"queue.Queue hands work between threads; while not q.empty() strands items"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"produced"_s, u"consumed"_s, u"stranded"_s, u"max_depth"_s, u"mean_depth"_s,
                                u"mean_wait_ms"_s};
    i.outcomeSentence = sentence;
    i.alarming = alarming;
    i.widestLaneName = u"consumer-16"_s;
    i.stepOutcomeKeys = QStringList{u"consumed"_s, u"stranded"_s};
    return i;
}

ProducerConsumerScenario::ProducerConsumerScenario() = default;
ProducerConsumerScenario::~ProducerConsumerScenario() = default;

void ProducerConsumerScenario::run(RunContext& ctx)
{
    const Params& p = declared<Params>();
    // Thread counts, capacity and style shape the program, as they would in Python: fixed per run.
    const int producers = ctx.value(p.producers);
    const int consumers = ctx.value(p.consumers);
    const Style style = ctx.value(p.consumerStyle);
    m_capacity = ctx.value(p.capacity);
    m_queue = std::make_unique<TracedQueue>(ctx, u"q"_s, m_capacity);
    m_queueView.store(m_queue.get());

    WorkerSet producerThreads(ctx, producers, u"producer"_s, [this, &ctx](const Worker&) { producer(ctx); });
    producerThreads.start();
    // Consumers start once the first item is in the queue, as in the tutorial's program where
    // the producer gets going first; otherwise empty_check consumers would quit before anything.
    LaneRecorder* rec = LaneRecorder::current();
    if (rec)
        rec->setState(ThreadState::Idle);
    while (m_produced.load() == 0 && ctx.liveWorkers() > 0)
        ctx.waitForWorkerChange(2'000'000);
    m_consumersLeft.store(consumers);
    WorkerSet consumerThreads(ctx, consumers, u"consumer"_s, [this, &ctx, style](const Worker&) {
        struct Left
        {
            std::atomic<int>& n;
            ~Left() { --n; }
        } left{m_consumersLeft};
        consumer(ctx, style);
    });
    consumerThreads.start();

    // Main waits for the producers the way a Python main thread would join them.
    while (m_produced.load() < std::int64_t(producers) * ctx.value(p.items)
           && ctx.liveWorkers() > 0) {
        if (rec)
            rec->setState(ThreadState::Idle);
        // With every consumer gone, a full bounded queue never drains: the producers wait
        // forever. Python would hang here; the lesson says so and ends instead.
        if (m_consumersLeft.load() == 0 && m_queue->full()) {
            m_stuck.store(true);
            ctx.print(u"Stuck: every consumer has quit and the queue is full, so the producers wait forever."_s);
            break;
        }
        ctx.waitForWorkerChange(20'000'000);
    }
    if (m_stuck.load()) {
        m_finished = true;
        return; // the Runner stops the producers still blocked in put()
    }
    switch (style) {
    case Sentinel:
        for (int c = 0; c < consumers; ++c)
            m_queue->put(SentinelItem);
        break;
    case Join:
        m_queue->join(); // every item put has been marked done
        m_consumersRetire.store(true);
        break;
    case EmptyCheck:
        break; // the consumers decide by themselves when to stop (too early)
    }
    producerThreads.run();
    consumerThreads.run();
    m_finished = true;
    const QJsonObject o = outcome(ctx);
    ctx.print(u"produced %1, consumed %2, stranded in the queue %3"_s.arg(o[u"produced"_s].toInteger())
                  .arg(o[u"consumed"_s].toInteger())
                  .arg(o[u"stranded"_s].toInteger()));
}

void ProducerConsumerScenario::producer(RunContext& ctx)
{
    const Params& p = declared<Params>();
    for (int i = 0; i < ctx.value(p.items); ++i) {
        ctx.checkpoint();
        cpuWork(ctx, ctx.value(p.produceMs)); // making the item: real computation
        std::int64_t id = 0;
        {
            std::lock_guard lock(m_putTimesMutex);
            id = std::int64_t(m_putTimes.size());
            m_putTimes.push_back(monotonicNs());
        }
        m_queue->put(id);
        ++m_produced;
    }
}

void ProducerConsumerScenario::consume(RunContext& ctx, std::int64_t item)
{
    {
        std::lock_guard lock(m_putTimesMutex);
        if (item >= 0 && std::size_t(item) < m_putTimes.size())
            m_waitNsTotal += ctx.activeNs(m_putTimes[std::size_t(item)], monotonicNs());
    }
    ++m_consumed;
    cpuWork(ctx, ctx.value(declared<Params>().consumeMs)); // handling the item: real computation
}

void ProducerConsumerScenario::consumer(RunContext& ctx, Style style)
{
    switch (style) {
    case Sentinel:
        for (;;) {
            ctx.checkpoint();
            const std::int64_t item = m_queue->get();
            if (item == SentinelItem)
                return;
            consume(ctx, item);
        }
    case Join:
        // Python would make these daemon threads; here they look up every 50 ms to see whether
        // main has finished joining the queue.
        while (!m_consumersRetire.load()) {
            ctx.checkpoint();
            const auto item = m_queue->get(true, 50'000'000);
            if (!item)
                continue;
            consume(ctx, *item);
            m_queue->taskDone();
        }
        return;
    case EmptyCheck:
        // The bug: an empty queue *right now* does not mean no more items are coming.
        for (;;) {
            ctx.step(u"empty"_s, u"check q.empty()"_s);
            if (m_queue->empty())
                break;
            ctx.checkpoint();
            const auto item = m_queue->get(false, 0); // another consumer may have won the race
            if (item)
                consume(ctx, *item);
        }
        return;
    }
}

QJsonObject ProducerConsumerScenario::outcome(const RunContext&) const
{
    const std::int64_t produced = m_produced.load();
    const std::int64_t consumed = m_consumed.load();
    const std::int64_t waited = m_waitNsTotal.load();
    const TracedQueue* queue = m_queueView.load();
    QJsonObject o{{u"produced"_s, qint64(produced)},
                  {u"consumed"_s, qint64(consumed)},
                  {u"stranded"_s, qint64(m_finished.load() && queue ? queue->qsize() : 0)},
                  {u"mean_wait_ms"_s, consumed > 0 ? round3(double(waited) / double(consumed) / 1e6) : 0.0}};
    if (m_stuck.load())
        o.insert(u"stuck"_s, true);
    if (queue) {
        o.insert(u"max_depth"_s, qint64(queue->maxDepthSeen()));
        o.insert(u"mean_depth"_s, round3(queue->meanDepth()));
    }
    return o;
}

} // namespace interleave
