// Shared test scaffolding: a run context with a store that the test drains by hand.
#pragma once

#include "collector.h"
#include "runcontext.h"
#include "tracesession.h"
#include "tracestore.h"

#include <QString>

#include <memory>
#include <vector>

namespace interleave::test {

// Owns a session, its RunContext, a TraceStore fed by a Collector, and the primitives a test
// makes; joins every thread before anything they use is destroyed.
class Harness
{
public:
    explicit Harness(ParamSchema schema = {}, std::vector<double> values = {}, double speed = 1.0)
        : session(std::make_shared<TraceSession>())
        , ctx(std::make_unique<RunContext>(session, std::move(schema), std::move(values), speed))
        , collector(&store)
    {
        collector.setSession(session);
    }

    ~Harness()
    {
        ctx->requestStop();
        ctx->joinAllThreads(-1);
    }

    template<typename T, typename... Args>
    T& make(Args&&... args)
    {
        auto p = std::make_unique<T>(*ctx, std::forward<Args>(args)...);
        T& ref = *p;
        m_owned.push_back(std::move(p));
        return ref;
    }

    void drain() { collector.drain(); }

    int laneIndex(const QString& name) const
    {
        for (std::size_t i = 0; i < store.laneCount(); ++i) {
            if (store.lane(i).name == name)
                return int(i);
        }
        return -1;
    }

    // Drains, then tells the lane's current state (Count when unknown or ended).
    ThreadState currentState(const QString& name)
    {
        drain();
        const int i = laneIndex(name);
        if (i < 0 || !store.lane(std::size_t(i)).begun || store.lane(std::size_t(i)).ended)
            return ThreadState::Count;
        return store.lane(std::size_t(i)).current;
    }

    bool laneEnded(const QString& name)
    {
        drain();
        const int i = laneIndex(name);
        return i >= 0 && store.lane(std::size_t(i)).ended;
    }

    std::shared_ptr<TraceSession> session;
    std::unique_ptr<RunContext> ctx;
    TraceStore store;
    Collector collector;

private:
    std::vector<std::unique_ptr<Waitable>> m_owned;
};

} // namespace interleave::test
