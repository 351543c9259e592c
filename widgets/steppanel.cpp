// StepPanel: a table of threads and their next steps beside the program they step through.
#include "steppanel.h"

#include "monospacefont.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTextBlock>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace interleave {

StepPanel::StepPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(u"stepPanel"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    // The status on a line of its own, the full width: it is what the class reads.
    m_status = new QLabel(this);
    m_status->setObjectName(u"stepStatus"_s);
    m_status->setWordWrap(true);
    QFont big = m_status->font();
    big.setBold(true);
    m_status->setFont(big);
    layout->addWidget(m_status);
    m_shared = new QLabel(this);
    m_shared->setObjectName(u"stepShared"_s);
    m_shared->setWordWrap(true);
    layout->addWidget(m_shared);
    auto* bottom = new QHBoxLayout;
    m_undo = new QPushButton(tr("Undo Step"), this);
    m_undo->setToolTip(tr("Back one step: the run is replayed up to the step before (Ctrl+Z)"));
    m_toEvent = new QPushButton(tr("Run to Next Event"), this);
    m_toEvent->setToolTip(tr("Threads take turns, one step each, until something happens: an update lost, "
                             "a thread that has to wait, a deadlock (N)"));
    m_find = new QPushButton(tr("Find a Bad Schedule"), this);
    m_find->setToolTip(tr("Try every schedule, then play the shortest one that ends badly (lost update, "
                          "deadlock, stranded item) step by step"));

    auto* row = new QHBoxLayout;
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(u"stepTable"_s);
    m_table->setHorizontalHeaderLabels({tr("Key"), tr("Thread"), tr("Next step"), tr("Knows")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    row->addWidget(m_table, 1);
    m_code = new QPlainTextEdit(this);
    m_code->setObjectName(u"stepCode"_s);
    m_code->setReadOnly(true);
    m_code->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_code->setFont(monospaceFont());
    m_code->setFocusPolicy(Qt::NoFocus);
    row->addWidget(m_code, 1);
    layout->addLayout(row, 1);
    m_schedule = new QLabel(this);
    m_schedule->setObjectName(u"stepSchedule"_s);
    m_schedule->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_schedule->setWordWrap(true);
    bottom->addWidget(m_schedule, 1);
    for (QPushButton* b : {m_undo, m_toEvent, m_find})
        bottom->addWidget(b);
    layout->addLayout(bottom);

    connect(m_undo, &QPushButton::clicked, this, &StepPanel::undoRequested);
    connect(m_toEvent, &QPushButton::clicked, this, &StepPanel::runToEventRequested);
    connect(m_find, &QPushButton::clicked, this, &StepPanel::findRequested);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int r, int) {
        if (r >= 0 && r < int(m_rows.size()) && m_rows[std::size_t(r)].enabled)
            Q_EMIT stepRequested(m_rows[std::size_t(r)].lane);
    });
}

void StepPanel::setProgram(const QString& program)
{
    m_code->setPlainText(program);
}

void StepPanel::setRows(const std::vector<StepRow>& rows)
{
    m_rows = rows;
    m_table->setRowCount(int(rows.size()));
    const QColor waiting = palette().color(QPalette::Disabled, QPalette::Text);
    QList<QTextEdit::ExtraSelection> marks;
    for (int r = 0; r < int(rows.size()); ++r) {
        const StepRow& s = rows[std::size_t(r)];
        const QString key = s.lane <= 9 ? QString::number(s.lane) : QString();
        QString next = s.next.isEmpty() ? tr("done") : s.next;
        if (!s.next.isEmpty() && !s.enabled)
            next += u"  (waits: %1)"_s.arg(s.why);
        if (s.line > 0)
            next += tr("   line %1").arg(s.line);
        const QStringList cells{key, s.name, next, s.detail};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (!s.enabled)
                item->setForeground(waiting);
            if (c == 0 || c == 2) {
                QFont f = item->font();
                f.setBold(s.enabled);
                item->setFont(f);
            }
            item->setToolTip(s.enabled ? tr("Press %1 (or click) to let %2 take this step").arg(key, s.name) : next);
            m_table->setItem(r, c, item);
        }
        if (s.line > 0 && !s.next.isEmpty()) {
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(m_code->document()->findBlockByNumber(s.line - 1));
            mark.format.setProperty(QTextFormat::FullWidthSelection, true);
            mark.format.setBackground(s.enabled ? QColor(255, 221, 87, 140) : QColor(180, 180, 180, 90));
            marks.append(mark);
        }
    }
    m_code->setExtraSelections(marks);
    if (!marks.isEmpty()) {
        // Centred on the middle of the marked lines, so that all of them show where they fit.
        int low = marks.constFirst().cursor.blockNumber();
        int high = low;
        for (const auto& m : marks) {
            low = std::min(low, m.cursor.blockNumber());
            high = std::max(high, m.cursor.blockNumber());
        }
        m_code->setTextCursor(QTextCursor(m_code->document()->findBlockByNumber((low + high) / 2)));
        m_code->centerCursor();
    }
}

void StepPanel::setShared(const QString& text)
{
    m_shared->setText(text);
}

void StepPanel::setSchedule(const QString& text)
{
    m_schedule->setText(text);
}

void StepPanel::setStatus(const QString& text)
{
    m_status->setText(text);
}

void StepPanel::setBusy(bool busy)
{
    for (QPushButton* b : {m_undo, m_toEvent, m_find})
        b->setEnabled(!busy);
}

int StepPanel::lineOfStep(const QString& program, const QString& lesson, const QString& kind, const QString& text,
                          const QString& previousKind, bool mainThread)
{
    // What the program's line for a step starts with, lesson by lesson.
    QString needle;
    if (lesson == "race"_L1) {
        if (kind == "read"_L1)
            needle = u"seen = counter"_s;
        else if (kind == "write"_L1)
            needle = u"counter = seen + 1"_s;
        else if (kind == "acquire"_L1 || kind == "release"_L1)
            needle = u"with counter_lock"_s;
    } else if (lesson == "deadlock"_L1) {
        if (kind == "think"_L1)
            needle = u"time.sleep(THINK_MS"_s;
        else if (kind == "eat"_L1)
            needle = u"time.sleep(EAT_MS"_s;
        else if (kind == "acquire"_L1)
            needle = previousKind == "acquire"_L1 ? u"elif not take_second("_s : u"forks[first].acquire()"_s;
        else if (kind == "try_acquire"_L1)
            needle = u"if not forks[second].acquire(blocking=False)"_s;
        else if (kind == "release"_L1)
            needle = previousKind == "eat"_L1 ? u"forks[second].release()"_s : u"forks[first].release()"_s;
    } else if (lesson == "producer_consumer"_L1) {
        if (kind == "put"_L1)
            needle = mainThread ? u"q.put(None)"_s : u"q.put(("_s;
        else if (kind == "get"_L1)
            needle = u"item = q.get("_s;
        else if (kind == "empty"_L1)
            needle = u"while CONSUMER_STYLE"_s;
    } else if (lesson == "interleaving"_L1) {
        if (kind == "print"_L1)
            needle = u"print(f\"{name}: step"_s;
        else if (kind == "sleep"_L1)
            needle = u"time.sleep((SLEEP_MS"_s;
    } else if (lesson == "shared_data"_L1) {
        if (kind == "try_acquire"_L1)
            needle = u"if not total_lock.acquire(blocking=False)"_s;
        else if (kind == "acquire"_L1)
            needle = u"total_lock.acquire()"_s;
        else if (kind == "release"_L1)
            needle = u"total_lock.release()"_s;
    }
    Q_UNUSED(text);
    if (needle.isEmpty())
        return 0;
    const QStringList lines = program.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().startsWith(needle))
            return i + 1;
    }
    return 0;
}

} // namespace interleave
