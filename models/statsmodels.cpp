// The statistics table models: snapshot per batch, rows inserted as lanes and objects appear.
#include "statsmodels.h"

#include "tracestore.h"

#include <QLocale>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

double toMs(std::int64_t ns)
{
    return double(ns) / 1e6;
}

bool isNumeric(QMetaType type)
{
    const int id = type.id();
    return id == QMetaType::Double || id == QMetaType::LongLong || id == QMetaType::Int;
}

} // namespace

// --- StatsModelBase --------------------------------------------------------------------------

StatsModelBase::StatsModelBase(std::vector<Column> columns, QObject* parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns))
{
}

StatsModelBase::~StatsModelBase() = default;

void StatsModelBase::setStore(const TraceStore* store)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (store) {
        connect(store, &TraceStore::appended, this, &StatsModelBase::refresh);
        connect(store, &TraceStore::cleared, this, &StatsModelBase::resetFromStore);
        connect(store, &TraceStore::refilled, this, &StatsModelBase::resetFromStore);
        // The store is not ours: if it goes first, show nothing rather than dangle.
        connect(store, &QObject::destroyed, this, &StatsModelBase::resetFromStore);
    }
    resetFromStore();
}

void StatsModelBase::resetFromStore()
{
    beginResetModel();
    m_keys.clear();
    m_rows.clear();
    if (m_store) {
        m_keys = currentKeys(*m_store);
        m_rows.reserve(m_keys.size());
        for (std::uint32_t key : m_keys)
            m_rows.push_back(rowValues(*m_store, key));
    }
    endResetModel();
}

void StatsModelBase::refresh()
{
    if (!m_store)
        return;
    const std::vector<std::uint32_t> keys = currentKeys(*m_store);
    // Rows never go away while a session runs; if they did (an object changed its kind), the only
    // honest answer is a reset.
    if (!std::includes(keys.begin(), keys.end(), m_keys.begin(), m_keys.end())) {
        resetFromStore();
        return;
    }

    // 1. Existing rows: one dataChanged over the span that changed.
    int firstChanged = -1;
    int lastChanged = -1;
    for (std::size_t row = 0; row < m_keys.size(); ++row) {
        QVariantList values = rowValues(*m_store, m_keys[row]);
        if (values == m_rows[row])
            continue;
        m_rows[row] = std::move(values);
        if (firstChanged < 0)
            firstChanged = int(row);
        lastChanged = int(row);
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, columnCount() - 1));

    // 2. New rows, in key order, each run of neighbours in one insertion.
    std::size_t row = 0;
    std::size_t k = 0;
    while (k < keys.size()) {
        if (row < m_keys.size() && m_keys[row] == keys[k]) {
            ++row;
            ++k;
            continue;
        }
        std::size_t runEnd = k;
        while (runEnd < keys.size() && (row >= m_keys.size() || keys[runEnd] < m_keys[row]))
            ++runEnd;
        const std::size_t count = runEnd - k;
        beginInsertRows(QModelIndex(), int(row), int(row + count - 1));
        std::vector<QVariantList> values;
        values.reserve(count);
        for (std::size_t i = k; i < runEnd; ++i)
            values.push_back(rowValues(*m_store, keys[i]));
        m_keys.insert(m_keys.begin() + std::ptrdiff_t(row), keys.begin() + std::ptrdiff_t(k),
                      keys.begin() + std::ptrdiff_t(runEnd));
        m_rows.insert(m_rows.begin() + std::ptrdiff_t(row), std::make_move_iterator(values.begin()),
                      std::make_move_iterator(values.end()));
        endInsertRows();
        row += count;
        k = runEnd;
    }
}

std::uint32_t StatsModelBase::keyAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_keys.size() ? m_keys[std::size_t(row)] : 0;
}

int StatsModelBase::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StatsModelBase::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString StatsModelBase::format(const QVariant& value, Format f) const
{
    const QLocale locale;
    switch (f) {
    case Format::Text:
        return value.toString();
    case Format::Integer:
        return locale.toString(value.toLongLong());
    case Format::Milliseconds:
    case Format::Percent:
        return locale.toString(value.toDouble(), 'f', 1);
    case Format::Decimal:
        return locale.toString(value.toDouble(), 'f', 2);
    case Format::Capacity:
        return value.toLongLong() > 0 ? locale.toString(value.toLongLong()) : tr("unbounded");
    }
    return value.toString();
}

QVariant StatsModelBase::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Column& column = m_columns[std::size_t(index.column())];
    const QVariant& value = m_rows[std::size_t(index.row())][index.column()];
    switch (role) {
    case Qt::DisplayRole:
        return format(value, column.format);
    case SortRole:
        // An unbounded queue is bigger than any bounded one.
        if (column.format == Format::Capacity)
            return value.toLongLong() > 0 ? value.toDouble() : std::numeric_limits<double>::infinity();
        return value;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignVCenter | (isNumeric(value.metaType()) ? Qt::AlignRight : Qt::AlignLeft));
    case Qt::ToolTipRole:
        return column.toolTip;
    default:
        return {};
    }
}

QVariant StatsModelBase::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= int(m_columns.size()))
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column& column = m_columns[std::size_t(section)];
    switch (role) {
    case Qt::DisplayRole:
        return column.title;
    case Qt::ToolTipRole:
        return column.toolTip;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignVCenter | (column.format == Format::Text ? Qt::AlignLeft : Qt::AlignRight));
    default:
        return {};
    }
}

// --- ThreadStatsModel ------------------------------------------------------------------------

namespace {

QString stateToolTip(ThreadState s)
{
    switch (s) {
    case ThreadState::Running:
        return StatsModelBase::tr("Milliseconds on a core, doing work.");
    case ThreadState::Ready:
        return StatsModelBase::tr("Milliseconds the thread wanted a core and the OS gave it none "
                                  "(its CPU time fell behind wall time).");
    case ThreadState::Sleeping:
        return StatsModelBase::tr("Milliseconds waiting on I/O or time.sleep.");
    case ThreadState::WaitingLock:
        return StatsModelBase::tr("Milliseconds blocked on a lock another thread held.");
    case ThreadState::WaitingGil:
        return StatsModelBase::tr("Milliseconds blocked waiting for the (simulated) GIL.");
    case ThreadState::BlockedQueue:
        return StatsModelBase::tr("Milliseconds blocked in put on a full queue or get on an empty one.");
    case ThreadState::Idle:
        return StatsModelBase::tr("Milliseconds with nothing to do: a pool worker without a task, a "
                                  "process still starting.");
    case ThreadState::Paused:
        return StatsModelBase::tr("Milliseconds the run was paused (Pause): counted in no rate or fraction.");
    case ThreadState::Count:
        break;
    }
    return {};
}

QString laneKindLabel(LaneKind k)
{
    switch (k) {
    case LaneKind::Thread:
        return StatsModelBase::tr("thread");
    case LaneKind::Pool:
        return StatsModelBase::tr("pool worker");
    case LaneKind::Process:
        return StatsModelBase::tr("process");
    case LaneKind::Main:
        return StatsModelBase::tr("main");
    }
    return {};
}

} // namespace

ThreadStatsModel::ThreadStatsModel(const TraceStore* store, QObject* parent)
    : StatsModelBase(
          [] {
              std::vector<Column> c{
                  {tr("Name"), tr("The thread, pool worker or process (one timeline lane)."), Format::Text},
                  {tr("Kind"), tr("Thread, pool worker, worker process or the main thread."), Format::Text},
                  {tr("Wall (ms)"), tr("Milliseconds from the lane's start to its end (or to now)."),
                   Format::Milliseconds},
              };
              for (int s = 0; s < ThreadStateCount; ++s)
                  c.push_back({tr("%1 (ms)").arg(QString::fromLatin1(stateLabel(ThreadState(s)))),
                               stateToolTip(ThreadState(s)), Format::Milliseconds});
              c.push_back({tr("% running"), tr("Share of wall time spent Running, in percent."), Format::Percent});
              return c;
          }(),
          parent)
{
    setStore(store);
}

ThreadStatsModel::~ThreadStatsModel() = default;

std::size_t ThreadStatsModel::laneIndex(int row) const
{
    return keyAt(row);
}

std::vector<std::uint32_t> ThreadStatsModel::currentKeys(const TraceStore& store) const
{
    std::vector<std::uint32_t> keys;
    keys.reserve(store.laneCount());
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const LaneData& l = store.lane(i);
        // Lane ids are indices; a hole (a lane announced out of order) has neither id nor name yet.
        if (l.id == i && (!l.name.isEmpty() || l.begun))
            keys.push_back(std::uint32_t(i));
    }
    return keys;
}

QVariantList ThreadStatsModel::rowValues(const TraceStore& store, std::uint32_t key) const
{
    const LaneData& l = store.lane(key);
    const auto totals = store.stateTotals(key);
    const std::int64_t wall = store.laneWallNs(key);
    QVariantList v;
    v.reserve(ColumnCount);
    v << l.name << laneKindLabel(l.kind) << toMs(wall);
    for (int s = 0; s < ThreadStateCount; ++s)
        v << toMs(totals[std::size_t(s)]);
    v << (wall > 0 ? 100.0 * double(totals[std::size_t(ThreadState::Running)]) / double(wall) : 0.0);
    return v;
}

// --- LockStatsModel --------------------------------------------------------------------------

LockStatsModel::LockStatsModel(const TraceStore* store, QObject* parent)
    : StatsModelBase(
          {
              {tr("Name"), tr("The lock (or the simulated GIL)."), Format::Text},
              {tr("Acquisitions"), tr("How many times a thread took it."), Format::Integer},
              {tr("Contended"), tr("Acquisitions that had to wait because another thread held it."),
               Format::Integer},
              {tr("Wait total (ms)"), tr("Milliseconds threads spent waiting for it, all together."),
               Format::Milliseconds},
              {tr("Wait max (ms)"), tr("The longest single wait for it, in milliseconds."), Format::Milliseconds},
              {tr("Hold total (ms)"), tr("Milliseconds it was held, all holders together."), Format::Milliseconds},
              {tr("Try failures"), tr("Non-blocking attempts (try-lock) that found it taken."), Format::Integer},
          },
          parent)
{
    setStore(store);
}

LockStatsModel::~LockStatsModel() = default;

std::vector<std::uint32_t> LockStatsModel::currentKeys(const TraceStore& store) const
{
    std::vector<std::uint32_t> keys;
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        const ObjectData& o = store.object(i);
        if (o.id != 0 && (o.kind == ObjectKind::Lock || o.kind == ObjectKind::Gil))
            keys.push_back(o.id);
    }
    return keys;
}

QVariantList LockStatsModel::rowValues(const TraceStore& store, std::uint32_t key) const
{
    const ObjectData& o = *store.objectById(key);
    return {o.name,
            qint64(o.acquisitions),
            qint64(o.contended),
            toMs(o.waitNsTotal),
            toMs(o.waitNsMax),
            toMs(o.holdNsTotal),
            qint64(o.tryFailures)};
}

// --- QueueStatsModel -------------------------------------------------------------------------

QueueStatsModel::QueueStatsModel(const TraceStore* store, QObject* parent)
    : StatsModelBase(
          {
              {tr("Name"), tr("The queue."), Format::Text},
              {tr("Capacity"), tr("How many items fit before put blocks (unbounded: never)."), Format::Capacity},
              {tr("Puts"), tr("Items put into the queue."), Format::Integer},
              {tr("Gets"), tr("Items taken out of the queue."), Format::Integer},
              {tr("Max depth"), tr("The most items it held at once."), Format::Integer},
              {tr("Mean depth"), tr("Items it held on average over time."), Format::Decimal},
          },
          parent)
{
    setStore(store);
}

QueueStatsModel::~QueueStatsModel() = default;

std::vector<std::uint32_t> QueueStatsModel::currentKeys(const TraceStore& store) const
{
    std::vector<std::uint32_t> keys;
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        const ObjectData& o = store.object(i);
        if (o.id != 0 && o.kind == ObjectKind::Queue)
            keys.push_back(o.id);
    }
    return keys;
}

QVariantList QueueStatsModel::rowValues(const TraceStore& store, std::uint32_t key) const
{
    const ObjectData& o = *store.objectById(key);
    return {o.name,        qint64(o.capacity), qint64(o.puts), qint64(o.gets), qint64(o.maxDepth),
            store.counterMean(o)};
}

} // namespace interleave
