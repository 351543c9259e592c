// Drains every lane's ring of a TraceSession into a TraceStore, in batches, on the thread it
// lives on (the GUI thread, or the headless main thread).
#pragma once

#include <QObject>

#include <memory>
#include <vector>

class QTimer;

namespace interleave {

class TraceSession;
class TraceStore;

class Collector : public QObject
{
    Q_OBJECT
public:
    explicit Collector(TraceStore* store, QObject* parent = nullptr);
    ~Collector() override;

    // Clears the store and follows this session from now on (nullptr: follow nothing).
    void setSession(std::shared_ptr<TraceSession> session);
    void start(int intervalMs = 16);
    void stop();

    // Drains everything recorded so far; returns the number of events moved.
    std::size_t drain();

private:
    bool allFinished(const TraceSession& s) const;

    TraceStore* const m_store;
    QTimer* const m_timer;
    std::shared_ptr<TraceSession> m_session;
    std::size_t m_knownLanes = 0;
    std::size_t m_knownObjects = 0;
    std::size_t m_knownTexts = 0;
    std::size_t m_knownPauseEdges = 0;
    std::vector<bool> m_drainedForGood; // lanes that finished and were drained after that
};

} // namespace interleave
