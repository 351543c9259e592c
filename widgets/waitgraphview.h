// The wait-for graph drawn for a class: threads and locks on a ring, "holds" and "waits for"
// arrows, and a deadlock cycle in thick red with a sentence that reads it out.
#pragma once

#include "waitsnapshot.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace interleave {

class WaitGraphView : public QWidget
{
    Q_OBJECT
public:
    explicit WaitGraphView(QWidget* parent = nullptr);
    ~WaitGraphView() override;

    // The graph at one moment, names resolved.
    void setGraph(const WaitSnapshot& snapshot);
    void clear();

    bool hasCycle() const { return !m_cycleNames.isEmpty(); }
    // Around the cycle: thread, the lock it waits for, the thread holding that lock, its lock, ...
    QStringList cycleNames() const { return m_cycleNames; }
    // The sentence above the picture ("Deadlock: a waits for x, held by b; ..."), empty without a cycle.
    QString caption() const { return m_caption; }
    int threadCount() const;
    int lockCount() const;
    int edgeCount() const { return int(m_edges.size()); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Node
    {
        bool isLock = false;
        std::uint32_t id = 0;
        QString name;
        bool inCycle = false;
        bool waiting = false; // a thread that waits for a lock
    };
    struct Arrow
    {
        int from = 0; // node indices: holds go lock -> thread, waits go thread -> lock
        int to = 0;
        bool waits = false;
        bool inCycle = false;
    };

    QFont labelFont() const;

    std::vector<Node> m_nodes; // in ring order
    std::vector<Arrow> m_edges;
    QStringList m_cycleNames;
    QString m_caption;
};

} // namespace interleave
