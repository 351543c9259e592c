// The lesson beside the experiment: its text (Markdown), the equivalent Python program, and the
// outcome of the current run in large type.
#pragma once

#include "pythontwin.h"

#include <QJsonObject>
#include <QString>
#include <QWidget>

#include <vector>

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
    // text gets a friendly line instead. The program shows values (the lesson's settings, in its
    // schema's order; empty: its defaults) as its constants.
    void setLesson(const QString& id, const std::vector<double>& values = {});
    QString lessonId() const { return m_id; }

    // A setting changed: the program's constant for it follows (see PythonTwin). Unknown keys
    // are ignored; the program keeps its place on screen.
    void setValue(const QString& key, double value);
    void setValues(const std::vector<double>& values);
    std::vector<double> values() const { return m_values; }

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
    // Which parts show (presentation mode may keep only some): the outcome, the lesson's text,
    // its Python program.
    void showParts(bool outcome, bool text, bool program);

protected:
    void changeEvent(QEvent* e) override;

private:
    void applyFonts();
    void renderOutcome();
    void showProgram();

    QLabel* const m_outcome;
    QTabWidget* const m_tabs;
    QTextBrowser* const m_text;
    QPlainTextEdit* const m_program;
    PythonHighlighter* const m_highlighter;

    QString m_id;
    ParamSchema m_schema;         // the lesson's, empty for none
    PythonTwin m_twin;            // the lesson's program as written
    std::vector<double> m_values; // the settings its constants show
    QString m_outcomeText; // plain text; empty before the first run of the lesson
    QString m_ended;
    bool m_alarm = false;  // the run went wrong in the way the lesson teaches: say it in red
    bool m_hasOutcome = false;
    QString m_note;
};

} // namespace interleave
