// The lesson beside the experiment: its text (Markdown), the equivalent Python program, and the
// outcome of the current run in large type.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTextBrowser;

namespace interleave {

class PythonHighlighter;

class LessonView : public QWidget
{
    Q_OBJECT
public:
    explicit LessonView(QWidget* parent = nullptr);
    ~LessonView() override;

    // Loads :/lessons/<id>.md and :/lessons/<id>.py and clears the outcome. A lesson without
    // text gets a friendly line instead.
    void setLesson(const QString& id);
    QString lessonId() const { return m_id; }

    // Shows outcomeText() of a run; ended is empty while it runs.
    void setOutcome(const QString& scenarioId, const QJsonObject& outcome, const QString& ended);
    void clearOutcome();
    // A line under the outcome, muted (the outcome belongs to earlier settings); empty for none.
    void setOutcomeNote(const QString& note);
    QString outcomeNote() const { return m_note; }
    QString outcomePlainText() const { return m_outcomeText; }

    QTextBrowser* textView() const { return m_text; }
    QPlainTextEdit* programView() const { return m_program; }
    QLabel* outcomeLabel() const { return m_outcome; }
    QTabWidget* tabs() const { return m_tabs; }

protected:
    void changeEvent(QEvent* e) override;

private:
    void applyFonts();
    void renderOutcome();

    QLabel* const m_outcome;
    QTabWidget* const m_tabs;
    QTextBrowser* const m_text;
    QPlainTextEdit* const m_program;
    PythonHighlighter* const m_highlighter;

    QString m_id;
    QString m_outcomeText; // plain text; empty before the first run of the lesson
    QString m_ended;
    bool m_alarm = false;  // the run went wrong in the way the lesson teaches: say it in red
    bool m_hasOutcome = false;
    QString m_note;
};

} // namespace interleave
