// ConsoleView: appends each batch of new console lines in one edit block.
//
// The store keeps its console sorted by time, and a line can arrive a little late (another
// lane's ring was drained first, or a worker process streamed it with a delay) and be inserted
// before lines already shown. Counting printed lines alone would then repeat one line and skip
// the late one. Instead the view remembers the time of its last line: lines after it are new and
// are appended; if some new lines sorted in before it, the view is rebuilt from the store, which
// keeps it exactly in time order. That is rare, and a rebuild prints at most MaxLines lines.
#include "consoleview.h"

#include "monospacefont.h"

#include "statepalette.h"
#include "tracestore.h"

#include <QEvent>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

ConsoleView::ConsoleView(QWidget* parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    m_text->setObjectName(u"consoleText"_s);
    m_text->setReadOnly(true);
    m_text->setUndoRedoEnabled(false); // an undo stack of every appended line is only memory
    m_text->setMaximumBlockCount(MaxLines);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setAccessibleName(tr("Console output"));
    m_text->setPlaceholderText(tr("What the threads print appears here."));
    applyFont();
}

ConsoleView::~ConsoleView() = default;

void ConsoleView::setStore(const TraceStore* store)
{
    disconnect(m_appendedConnection);
    disconnect(m_clearedConnection);
    disconnect(m_refilledConnection);
    m_store = store;
    if (store) {
        m_appendedConnection = connect(store, &TraceStore::appended, this, &ConsoleView::onAppended);
        m_clearedConnection = connect(store, &TraceStore::cleared, this, &ConsoleView::rebuild);
        m_refilledConnection = connect(store, &TraceStore::refilled, this, &ConsoleView::rebuild);
    }
    rebuild();
}

void ConsoleView::onAppended()
{
    if (!m_store)
        return;
    const auto& lines = m_store->console();
    if (lines.size() < m_shown) { // cleared without telling us
        rebuild();
        return;
    }
    if (lines.size() == m_shown)
        return;
    // Lines after the last one shown; anything new that sorted in at or before it is late.
    const auto firstNew = std::upper_bound(lines.begin(), lines.end(), m_lastT,
                                           [](std::int64_t t, const StoredConsoleLine& l) { return t < l.t; });
    const auto first = std::size_t(firstNew - lines.begin());
    if (first != m_shown) {
        ++m_rebuilds;
        rebuild();
        return;
    }
    appendLines(first, lines.size());
}

void ConsoleView::rebuild()
{
    m_text->clear();
    m_shown = 0;
    m_lastT = -1;
    if (!m_store)
        return;
    const std::size_t count = m_store->console().size();
    // Lines that would scroll away at once are not worth formatting.
    const std::size_t first = count > std::size_t(MaxLines) ? count - std::size_t(MaxLines) : 0;
    m_shown = first;
    appendLines(first, count);
}

void ConsoleView::appendLines(std::size_t first, std::size_t last)
{
    if (first >= last || !m_store)
        return;
    const auto& lines = m_store->console();
    QScrollBar* bar = m_text->verticalScrollBar();
    // Follow the output only when the reader is already at the end; leave them where they are
    // when they scrolled back to read something.
    const bool follow = bar->value() >= bar->maximum();

    const QPalette pal = m_text->palette();
    QTextCharFormat timeFormat;
    timeFormat.setForeground(pal.color(QPalette::PlaceholderText));

    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::End);
    bool empty = m_text->document()->isEmpty();
    for (std::size_t i = first; i < last; ++i) {
        const StoredConsoleLine& line = lines[i];
        if (!empty)
            cursor.insertBlock();
        empty = false;
        // "  1.204 s  ": fixed width so the text column lines up to 999 s.
        cursor.insertText(u"%1 s  "_s.arg(double(line.t) / 1e9, 7, 'f', 3), timeFormat);
        QTextCharFormat textFormat;
        textFormat.setForeground(StatePalette::lane(int(line.lane), pal));
        cursor.insertText(m_store->text(line.textId), textFormat);
    }
    cursor.endEditBlock();
    m_shown = last;
    m_lastT = lines[last - 1].t;

    if (follow)
        bar->setValue(bar->maximum());
}

void ConsoleView::applyFont()
{
    QFont mono = monospaceFont();
    const QFont base = font();
    if (base.pointSizeF() > 0)
        mono.setPointSizeF(base.pointSizeF());
    else
        mono.setPixelSize(base.pixelSize());
    m_text->setFont(mono);
}

void ConsoleView::changeEvent(QEvent* e)
{
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange)
        applyFont();
    else if (e->type() == QEvent::PaletteChange)
        rebuild(); // lane colours are chosen for the background: recolour what is shown
}

} // namespace interleave
