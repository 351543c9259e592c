// LessonView: lesson text and program from the compiled-in resources, outcome kept readable
// from the back of a classroom.
#include "lessonview.h"

#include "monospacefont.h"

#include "lessons.h"
#include "pythonhighlighter.h"
#include "questions.h"
#include "statepalette.h"

#include <QEvent>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

#include <optional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// Large enough for a projector, small enough that two sentences still fit a side panel.
constexpr double OutcomeScale = 1.3;

std::optional<QString> readResource(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return QString::fromUtf8(file.readAll());
}

QString endedText(const QString& ended)
{
    if (ended.isEmpty())
        return LessonView::tr("running");
    if (ended == u"completed"_s)
        return LessonView::tr("finished");
    if (ended == u"stopped"_s)
        return LessonView::tr("stopped");
    if (ended == u"duration"_s)
        return LessonView::tr("time limit reached");
    if (ended == u"deadlock"_s)
        return LessonView::tr("deadlock detected");
    return ended;
}


} // namespace

LessonView::LessonView(QWidget* parent)
    : QWidget(parent)
    , m_outcome(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_text(new QTextBrowser(m_tabs))
    , m_program(new QPlainTextEdit(m_tabs))
    , m_highlighter(new PythonHighlighter(m_program->document()))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_outcome->setObjectName(u"lessonOutcome"_s);
    m_outcome->setTextFormat(Qt::RichText);
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setFrameShape(QFrame::StyledPanel);
    m_outcome->setMargin(8);
    m_outcome->setAccessibleName(tr("Outcome"));
    layout->addWidget(m_outcome);

    m_text->setObjectName(u"lessonText"_s);
    m_text->setOpenExternalLinks(true);
    m_text->setAccessibleName(tr("Lesson text"));
    m_tabs->addTab(m_text, tr("Lesson"));

    m_program->setObjectName(u"lessonProgram"_s);
    m_program->setReadOnly(true);
    // Code is not wrapped: Python reads indentation, and a wrapped line looks like a statement
    // of its own at the wrong depth. Lines wider than the tab scroll sideways instead (the bar
    // shows only then), so nothing is cut and what students copy is what python3 runs.
    m_program->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_program->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_program->setUndoRedoEnabled(false); // settings written in are no edits to take back
    // Read-only but still selectable and keyboard-navigable, so students can copy the program.
    m_program->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_program->setAccessibleName(tr("Python program"));
    m_tabs->addTab(m_program, tr("Python"));
    m_tabs->setObjectName(u"lessonTabs"_s);
    layout->addWidget(m_tabs, 1);

    m_highlighter->setPalette(palette());
    applyFonts();
    clearOutcome();
}

LessonView::~LessonView() = default;

void LessonView::setLesson(const QString& id, const std::vector<double>& values)
{
    m_id = id;
    const std::optional<LessonCard> card = id.isEmpty() ? std::nullopt : Lessons::find(id);
    m_schema = card ? card->schema : ParamSchema();
    m_values = values.empty() ? m_schema.defaults() : values;
    m_values.resize(std::size_t(m_schema.size()));
    m_twin = PythonTwin();
    if (id.isEmpty()) { // an opened trace of another tool: no lesson goes with it
        m_text->setMarkdown(tr("## An opened trace\n\nEach lane is a thread of the traced program; its "
                               "bars are the slices the program recorded (nested ones below their parent), "
                               "ticks are instant events and lines are flows between threads. Hover over a "
                               "slice for its name and duration; the wheel zooms, dragging pans.\n\n"
                               "Pick a lesson on the left to run one."));
        m_program->setPlainText(QString());
        m_tabs->setTabText(m_tabs->indexOf(m_program), tr("Python"));
        clearOutcome();
        return;
    }
    // The lesson's questions are the window's to ask (class mode), before the run: not shown here.
    if (const auto markdown = readResource(u":/lessons/"_s + id + u".md"_s))
        m_text->setMarkdown(lessonTextWithoutQuestions(*markdown));
    else
        m_text->setMarkdown(tr("*No lesson text for %1.*").arg(id));

    if (const auto program = readResource(u":/lessons/"_s + id + u".py"_s)) {
        m_twin = PythonTwin(*program, m_schema);
        m_program->setPlainText(m_twin.program(m_values));
        m_tabs->setTabText(m_tabs->indexOf(m_program), id + u".py"_s);
    } else {
        m_program->setPlainText(tr("# No Python program for %1.").arg(id));
        m_tabs->setTabText(m_tabs->indexOf(m_program), tr("Python"));
    }
    clearOutcome();
}

void LessonView::setValue(const QString& key, double value)
{
    const int index = m_schema.indexOf(key);
    if (index < 0 || m_values[std::size_t(index)] == value)
        return;
    m_values[std::size_t(index)] = value;
    showProgram();
}

void LessonView::setValues(const std::vector<double>& values)
{
    std::vector<double> v = values;
    v.resize(std::size_t(m_schema.size()));
    if (v == m_values)
        return;
    m_values = std::move(v);
    showProgram();
}

void LessonView::showProgram()
{
    if (m_twin.isEmpty())
        return; // no lesson, or no program for it: nothing to write values into
    // Only the lines that changed are replaced, so the reader keeps their place (scroll
    // position, selection) and the highlighter redoes one line, not the program.
    const QStringList lines = m_twin.program(m_values).split(u'\n');
    QTextDocument* doc = m_program->document();
    if (doc->blockCount() != lines.size()) {
        m_program->setPlainText(lines.join(u'\n'));
        return;
    }
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        const QString& line = lines.at(block.blockNumber());
        if (block.text() == line)
            continue;
        QTextCursor cursor(block);
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        cursor.insertText(line);
    }
}

void LessonView::setOutcome(const QString& scenarioId, const QJsonObject& outcome, const QString& ended)
{
    m_outcomeText = outcomeText(scenarioId, outcome, ended);
    m_ended = ended;
    m_alarm = Lessons::isAlarming(scenarioId, outcome);
    m_hasOutcome = true;
    renderOutcome();
}

void LessonView::clearOutcome()
{
    m_outcomeText.clear();
    m_ended.clear();
    m_alarm = false;
    m_hasOutcome = false;
    m_note.clear();
    renderOutcome();
}

void LessonView::setOutcomeNote(const QString& note)
{
    if (note == m_note)
        return;
    m_note = note;
    renderOutcome();
}

void LessonView::renderOutcome()
{
    const QPalette pal = palette();
    // Halfway between text and background: secondary, yet readable in any theme.
    const QColor fg = pal.color(QPalette::WindowText);
    const QColor bg = pal.color(QPalette::Window);
    const QString muted =
        QColor((fg.red() + bg.red()) / 2, (fg.green() + bg.green()) / 2, (fg.blue() + bg.blue()) / 2).name();
    QString body;
    if (!m_hasOutcome) {
        body = u"<span style=\"color:%1\">%2</span>"_s.arg(
            muted, tr("Run the lesson to see its outcome here.").toHtmlEscaped());
    } else {
        QString text = m_outcomeText.toHtmlEscaped();
        text.replace(u'\n', u"<br>"_s);
        if (m_alarm) {
            QColor red = StatePalette::lostUpdate();
            if (pal.color(QPalette::Window).lightness() < 128)
                red = QColor(0xFF, 0x6B, 0x6B); // #CC0000 is too dark to read on a dark window
            text = u"<span style=\"color:%1\">%2</span>"_s.arg(red.name(), text);
        }
        body = u"<b>%1</b> <span style=\"color:%2\">(%3)</span><br>%4"_s.arg(
            tr("Outcome").toHtmlEscaped(), muted, endedText(m_ended).toHtmlEscaped(), text);
        if (!m_note.isEmpty())
            body += u"<br><i style=\"color:%1\">%2</i>"_s.arg(muted, m_note.toHtmlEscaped());
    }
    m_outcome->setText(body);
}

void LessonView::applyFonts()
{
    const QFont base = font();
    QFont big = base;
    QFont mono = monospaceFont();
    // A font is sized either in points or in pixels; scale whichever it uses.
    if (base.pointSizeF() > 0) {
        big.setPointSizeF(base.pointSizeF() * OutcomeScale);
        mono.setPointSizeF(base.pointSizeF());
    } else {
        big.setPixelSize(qRound(base.pixelSize() * OutcomeScale));
        mono.setPixelSize(base.pixelSize());
    }
    m_outcome->setFont(big);

    m_program->setFont(mono);
    m_program->setTabStopDistance(4 * QFontMetricsF(mono).horizontalAdvance(u' '));
}

void LessonView::changeEvent(QEvent* e)
{
    QWidget::changeEvent(e);
    switch (e->type()) {
    case QEvent::FontChange:
        // The children's fonts are set explicitly, so they do not follow ours by themselves
        // (presentation mode scales the whole window's font).
        applyFonts();
        break;
    case QEvent::PaletteChange:
        m_highlighter->setPalette(palette());
        renderOutcome();
        break;
    default:
        break;
    }
}

void LessonView::showParts(bool outcome, bool text, bool program)
{
    m_outcome->setVisible(outcome);
    m_tabs->setTabVisible(m_tabs->indexOf(m_text), text);
    m_tabs->setTabVisible(m_tabs->indexOf(m_program), program);
    m_tabs->setVisible(text || program);
    if (!m_tabs->isTabVisible(m_tabs->currentIndex()))
        m_tabs->setCurrentWidget(text ? static_cast<QWidget*>(m_text) : m_program);
}

} // namespace interleave
