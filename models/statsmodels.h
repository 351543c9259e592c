// Table models of the TraceStore's statistics: per thread (time in each state), per lock and GIL
// (acquisitions, contention, waits), per queue (traffic, depth). Refreshed once per batch.
#pragma once

#include "traceevent.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QString>
#include <QVariant>

#include <cstdint>
#include <vector>

namespace interleave {

class TraceStore;

// What the three models share: following a store, and keeping rows stable while it grows. Rows
// are only inserted (when a lane or object appears) and existing rows change through one
// dataChanged per batch, never a reset, so views keep their selection, scroll and sort. The
// values shown are a snapshot taken at the last appended(): what a view reads stays consistent
// with the signals it got.
class StatsModelBase : public QAbstractTableModel
{
    Q_OBJECT
public:
    // The raw value of a cell (a number, or the name), for QSortFilterProxyModel::setSortRole.
    static constexpr int SortRole = Qt::UserRole;

    ~StatsModelBase() override;

    // Follows store from now on (appended: refresh; cleared: empty); nullptr follows nothing.
    void setStore(const TraceStore* store);
    const TraceStore* store() const { return m_store; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Reads the store again: inserts rows for new lanes or objects, one dataChanged for the rest.
    void refresh();

protected:
    enum class Format { Text, Integer, Milliseconds, Percent, Decimal, Capacity };
    struct Column
    {
        QString title;
        QString toolTip;
        Format format = Format::Text;
    };

    StatsModelBase(std::vector<Column> columns, QObject* parent);

    // The key of row (0 when out of range).
    std::uint32_t keyAt(int row) const;

    // The keys (lane indices, object ids) that are rows now, ascending.
    virtual std::vector<std::uint32_t> currentKeys(const TraceStore& store) const = 0;
    // One value per column for the row of key: QString for text, qint64 or double for numbers.
    virtual QVariantList rowValues(const TraceStore& store, std::uint32_t key) const = 0;

private:
    void resetFromStore();
    QString format(const QVariant& value, Format f) const;

    const std::vector<Column> m_columns;
    QPointer<const TraceStore> m_store;
    std::vector<std::uint32_t> m_keys;
    std::vector<QVariantList> m_rows;
};

// One row per lane: name, kind, wall time, time in each state, share of wall time running.
class ThreadStatsModel : public StatsModelBase
{
    Q_OBJECT
public:
    enum ColumnId { Name, Kind, WallMs, FirstStateMs, PercentRunning = FirstStateMs + ThreadStateCount, ColumnCount };

    explicit ThreadStatsModel(const TraceStore* store = nullptr, QObject* parent = nullptr);
    ~ThreadStatsModel() override;

    // The lane index (TraceStore::lane) shown in row (0 when out of range).
    std::size_t laneIndex(int row) const;

protected:
    std::vector<std::uint32_t> currentKeys(const TraceStore& store) const override;
    QVariantList rowValues(const TraceStore& store, std::uint32_t key) const override;
};

// One row per lock and per GIL.
class LockStatsModel : public StatsModelBase
{
    Q_OBJECT
public:
    enum ColumnId { Name, Acquisitions, Contended, WaitTotalMs, WaitMaxMs, HoldTotalMs, TryFailures, ColumnCount };

    explicit LockStatsModel(const TraceStore* store = nullptr, QObject* parent = nullptr);
    ~LockStatsModel() override;

protected:
    std::vector<std::uint32_t> currentKeys(const TraceStore& store) const override;
    QVariantList rowValues(const TraceStore& store, std::uint32_t key) const override;
};

// One row per queue.
class QueueStatsModel : public StatsModelBase
{
    Q_OBJECT
public:
    enum ColumnId { Name, Capacity, Puts, Gets, MaxDepth, MeanDepth, ColumnCount };

    explicit QueueStatsModel(const TraceStore* store = nullptr, QObject* parent = nullptr);
    ~QueueStatsModel() override;

protected:
    std::vector<std::uint32_t> currentKeys(const TraceStore& store) const override;
    QVariantList rowValues(const TraceStore& store, std::uint32_t key) const override;
};

} // namespace interleave
