// Questions of the lessons: the "## Predict" section read strictly, and answered from a summary.
//
// The format. The section is the last of a lesson file; blank lines anywhere are ignored.
//
//   ## Predict
//
//   1. Four threads add to one counter with no lock. How many of the 12,000 updates are lost?
//      - settings: the defaults
//      - answered by: `lost_updates`
//      - reveal: {lost_updates} of {expected} updates lost
//      - none: `lost_updates == 0`
//      - some, half or fewer: `lost_updates > 0` and `2 * lost_updates <= expected`
//      - more than half: `2 * lost_updates > expected`
//   2. One thread alone: how many updates are lost?
//      - settings: `threads=1`
//      - speed: 2
//      - answered by: `lost_updates`
//      - guess a number
//
// A question is "N. text" at the start of a line, one line, numbered 1, 2, 3 ... in order. Its
// items follow, each on an indented line starting with "- ", in any order:
//   - settings: `key=value` ...   the lesson's parameters as --set takes them, over its defaults,
//                                 spans separated by spaces; or the words "the defaults". Optional.
//   - speed: X                    the run's time scale (0.01..1000); optional, 1 when absent.
//   - answered by: `field`        required: the outcome field the answer is about (or wall_ms, ended).
//   - reveal: text                optional: what the reveal says of the run; {operand} is replaced
//                                 by its value ({lost_updates}, {wall_ms / 1000}, {ended}).
//   - guess a number              a number question: the answer is the field's value. "guess a
//     [within N | within N%]      number within 2" or "within 10%" is how close a guess is right;
//                                 exact without it.
//   - label: `claim` and `claim`  a choice (two or more, unless it is a number question): a label
//                                 without backticks, then claims of models/claims.h, all of which
//                                 must hold. The choices must not overlap and must cover whatever a
//                                 run can give, so that exactly one holds on any run.
// Anything else (text between questions, another heading after the section, an item twice, a
// setting the lesson does not have, a claim not of the claims' form) is refused with its line.
#include "questions.h"

#include "claims.h"
#include "lessons.h"
#include "outcomewords.h"
#include "params.h"
#include "scenario.h"

#include <QFile>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QString SectionHeading = u"## Predict"_s;

QStringList linesOf(const QString& markdown)
{
    QStringList lines = markdown.split(u'\n');
    for (QString& line : lines) {
        while (!line.isEmpty() && line.back().isSpace())
            line.chop(1);
    }
    return lines;
}

// The index of the section's heading line, or -1.
qsizetype sectionStart(const QStringList& lines)
{
    return lines.indexOf(SectionHeading);
}

// The `spans` of a text, and whether anything but spaces lies between and around them.
QStringList spansOf(const QString& text, bool* onlySpans)
{
    static const QRegularExpression span(u"`([^`]*)`"_s);
    QStringList spans;
    QString rest = text;
    for (auto it = span.globalMatch(text); it.hasNext();)
        spans << it.next().captured(1);
    rest.remove(span);
    *onlySpans = rest.trimmed().isEmpty();
    return spans;
}

class SectionReader
{
public:
    SectionReader(const QString& lessonId, const ParamSchema& schema)
        : m_lesson(lessonId)
        , m_schema(schema)
    {
    }

    std::vector<Question> read(const QStringList& lines, qsizetype heading, QString* error)
    {
        static const QRegularExpression questionLine(u"^(\\d+)\\.\\s+(\\S.*)$"_s);
        static const QRegularExpression itemLine(u"^\\s+-\\s+(\\S.*)$"_s);
        for (qsizetype i = heading + 1; i < lines.size() && m_error.isEmpty(); ++i) {
            const QString& line = lines.at(i);
            m_line = int(i) + 1;
            if (line.isEmpty())
                continue;
            if (line.startsWith(u'#')) {
                fail(u"a heading after \"## Predict\": the questions are the lesson's last section"_s);
            } else if (const auto q = questionLine.match(line); q.hasMatch()) {
                finishQuestion();
                startQuestion(q.captured(1), q.captured(2).trimmed());
            } else if (const auto item = itemLine.match(line); item.hasMatch()) {
                if (!m_current)
                    fail(u"an item before question 1; a question starts with \"1. \""_s);
                else
                    readItem(item.captured(1));
            } else {
                fail(u"expected a question (\"%1. text\") or one of its items (an indented \"- \")"_s.arg(
                    m_questions.size() + (m_current ? 2 : 1)));
            }
        }
        if (m_error.isEmpty())
            finishQuestion();
        if (!m_error.isEmpty()) {
            if (error)
                *error = m_error;
            return {};
        }
        if (error)
            error->clear();
        return m_questions;
    }

private:
    void fail(const QString& why)
    {
        if (m_error.isEmpty())
            m_error = u"%1.md line %2: %3"_s.arg(m_lesson).arg(m_line).arg(why);
    }

    void startQuestion(const QString& numberText, const QString& text)
    {
        const int expected = int(m_questions.size()) + 1;
        if (numberText.toInt() != expected) {
            fail(u"question %1 is numbered %2; questions are numbered 1, 2, 3 ... in order"_s.arg(expected).arg(numberText));
            return;
        }
        m_current = Question{};
        m_current->lesson = m_lesson;
        m_current->number = expected;
        m_current->text = text;
        m_questionLine = m_line;
        m_seen.clear();
        m_values = m_schema.defaults();
    }

    // An item that may be given once.
    bool once(const QString& item)
    {
        if (m_seen.contains(item)) {
            fail(u"question %1 has a second \"%2\""_s.arg(m_current->number).arg(item));
            return false;
        }
        m_seen << item;
        return true;
    }

    void readItem(const QString& item)
    {
        static const QRegularExpression keyword(u"^(settings|speed|answered by|reveal):\\s*(.*)$"_s);
        static const QRegularExpression guess(u"^guess a number(?:\\s+within\\s+([0-9]*\\.?[0-9]+)\\s*(%?))?$"_s);
        static const QRegularExpression choice(u"^([^`]+?):\\s*(`.*)$"_s);
        if (const auto k = keyword.match(item); k.hasMatch()) {
            const QString name = k.captured(1);
            if (!once(name))
                return;
            const QString value = k.captured(2).trimmed();
            if (name == u"settings"_s)
                readSettings(value);
            else if (name == u"speed"_s)
                readSpeed(value);
            else if (name == u"answered by"_s)
                readAnsweredBy(value);
            else
                readReveal(value);
        } else if (const auto g = guess.match(item); g.hasMatch()) {
            if (!once(u"guess a number"_s))
                return;
            m_guess = true;
            if (!g.captured(1).isEmpty()) {
                m_current->guessWithin = g.captured(1).toDouble();
                m_current->guessWithinPercent = !g.captured(2).isEmpty();
            }
        } else if (const auto c = choice.match(item); c.hasMatch()) {
            readChoice(c.captured(1).trimmed(), c.captured(2));
        } else {
            fail(u"'%1' is none of settings:, speed:, answered by:, reveal:, guess a number, or a choice "
                 "(label: `claim`)"_s.arg(item));
        }
    }

    void readSettings(const QString& value)
    {
        if (value == u"the defaults"_s)
            return;
        bool onlySpans = false;
        const QStringList spans = spansOf(value, &onlySpans);
        if (spans.isEmpty() || !onlySpans) {
            fail(u"settings are `key=value` spans separated by spaces, or \"the defaults\""_s);
            return;
        }
        for (const QString& span : spans) {
            const qsizetype eq = span.indexOf(u'=');
            const QString key = span.left(eq).trimmed();
            const QString text = span.mid(eq + 1).trimmed();
            QString why;
            if (eq <= 0) {
                fail(u"setting `%1` is not key=value"_s.arg(span));
            } else if (std::any_of(m_current->settings.begin(), m_current->settings.end(),
                                   [&](const auto& s) { return s.first == key; })) {
                fail(u"%1 is set twice"_s.arg(key));
            } else if (!m_schema.applyValue(key, text, m_values, &why)) {
                fail(why);
            } else {
                m_current->settings.emplace_back(key, text);
                continue;
            }
            return;
        }
    }

    void readSpeed(const QString& value)
    {
        bool ok = false;
        const double speed = value.toDouble(&ok);
        if (!ok || !std::isfinite(speed) || speed < 0.01 || speed > 1000) {
            fail(u"speed '%1' is not a number 0.01..1000"_s.arg(value));
            return;
        }
        m_current->speed = speed;
    }

    void readAnsweredBy(const QString& value)
    {
        static const QRegularExpression field(u"^`([A-Za-z_][A-Za-z_0-9]*)`$"_s);
        const auto m = field.match(value);
        if (!m.hasMatch()) {
            fail(u"answered by names one outcome field in backticks, e.g. `lost_updates`"_s);
            return;
        }
        m_current->answeredBy = m.captured(1);
    }

    void readReveal(const QString& value)
    {
        static const QRegularExpression placeholder(u"\\{([^{}]*)\\}"_s);
        if (value.isEmpty()) {
            fail(u"reveal: says nothing"_s);
            return;
        }
        for (auto it = placeholder.globalMatch(value); it.hasNext();) {
            const QString operand = it.next().captured(1).trimmed();
            if (operand == u"ended"_s)
                continue;
            if (const QString why = operandFormError(operand); !why.isEmpty()) {
                fail(u"reveal: {%1}: "_s.arg(operand) + why);
                return;
            }
        }
        const QString rest = QString(value).remove(placeholder);
        if (rest.contains(u'{') || rest.contains(u'}'))
            fail(u"reveal: a { without its } (or the other way round)"_s);
        else
            m_current->reveal = value;
    }

    void readChoice(const QString& label, const QString& claimsText)
    {
        // `a` and `b` and `c`
        static const QRegularExpression joined(u"^`[^`]+`(?:\\s+and\\s+`[^`]+`)*$"_s);
        if (!joined.match(claimsText).hasMatch()) {
            fail(u"choice '%1': its claims are `spans` joined by \"and\""_s.arg(label));
            return;
        }
        bool onlySpans = false;
        Question::Choice choice{label, {}};
        for (const QString& claim : spansOf(claimsText, &onlySpans)) {
            if (const QString why = claimFormError(claim.trimmed()); !why.isEmpty()) {
                fail(u"choice '%1': "_s.arg(label) + why);
                return;
            }
            choice.claims << claim.trimmed();
        }
        for (const Question::Choice& other : m_current->choices) {
            if (other.label == label) {
                fail(u"two choices are labelled '%1'"_s.arg(label));
                return;
            }
        }
        m_current->choices.push_back(std::move(choice));
    }

    void finishQuestion()
    {
        if (!m_current)
            return;
        const int line = m_line;
        m_line = m_questionLine; // what is missing is said at the question
        const Question& q = *m_current;
        if (q.answeredBy.isEmpty())
            fail(u"question %1 has no \"- answered by: `field`\""_s.arg(q.number));
        else if (m_guess && !q.choices.empty())
            fail(u"question %1 has choices and \"guess a number\"; it is one or the other"_s.arg(q.number));
        else if (!m_guess && q.choices.size() < 2)
            fail(u"question %1 needs two or more choices (\"- label: `claim`\"), or \"- guess a number\""_s.arg(q.number));
        m_line = line;
        if (m_error.isEmpty())
            m_questions.push_back(*m_current);
        m_current.reset();
        m_guess = false;
    }

    const QString m_lesson;
    const ParamSchema m_schema;
    std::vector<Question> m_questions;
    std::optional<Question> m_current;
    std::vector<double> m_values; // the defaults with the current question's settings so far
    QStringList m_seen;           // the once-only items the current question has given
    bool m_guess = false;
    int m_line = 0;
    int m_questionLine = 0;
    QString m_error;
};

QJsonObject fieldsOf(const QJsonObject& summary)
{
    QJsonObject fields = summary.value(u"outcome"_s).toObject();
    fields.insert(u"wall_ms"_s, summary.value(u"wall_ms"_s));
    return fields;
}

std::optional<double> numberOf(const QJsonValue& v)
{
    if (v.isDouble())
        return v.toDouble();
    if (v.isBool())
        return v.toBool() ? 1.0 : 0.0;
    return std::nullopt;
}

QString fieldWords(const QString& field)
{
    return QString(field).replace(u'_', u' ');
}

QString labelsOf(const Question& q, const std::vector<int>& indices)
{
    QStringList labels;
    for (int i : indices)
        labels << q.choices.at(std::size_t(i)).label;
    return labels.join(u" and "_s);
}

} // namespace

std::vector<Question> parseQuestions(const QString& lessonId, const QString& markdown, QString* error)
{
    const QStringList lines = linesOf(markdown);
    const qsizetype heading = sectionStart(lines);
    if (error)
        error->clear();
    if (heading < 0)
        return {};
    const std::optional<LessonCard> lesson = Lessons::find(lessonId);
    if (!lesson) {
        if (error)
            *error = u"%1.md: there is no lesson '%1' to ask its questions of"_s.arg(lessonId);
        return {};
    }
    return SectionReader(lessonId, lesson->schema).read(lines, heading, error);
}

std::vector<Question> questionsOf(const QString& lessonId, QString* error)
{
    QFile file(u":/lessons/"_s + lessonId + u".md"_s);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"no lesson text for '%1'"_s.arg(lessonId);
        return {};
    }
    return parseQuestions(lessonId, QString::fromUtf8(file.readAll()), error);
}

QString lessonTextWithoutQuestions(const QString& markdown)
{
    static const QRegularExpression heading(u"^## Predict\\s*$"_s, QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = heading.match(markdown);
    if (!m.hasMatch())
        return markdown;
    QString text = markdown.left(m.capturedStart());
    while (!text.isEmpty() && text.back().isSpace())
        text.chop(1);
    return text + u'\n';
}

std::optional<std::vector<double>> questionValues(const Question& question, QString* error)
{
    const std::optional<LessonCard> lesson = Lessons::find(question.lesson);
    if (!lesson) {
        if (error)
            *error = u"there is no lesson '%1'"_s.arg(question.lesson);
        return std::nullopt;
    }
    std::vector<double> values = lesson->schema.defaults();
    for (const auto& [key, text] : question.settings) {
        QString why;
        if (!lesson->schema.applyValue(key, text, values, &why)) {
            if (error)
                *error = why;
            return std::nullopt;
        }
    }
    return values;
}

QJsonObject answerSummary(const QJsonObject& outcome, double wallMs, const QString& ended)
{
    return QJsonObject{{u"outcome"_s, outcome}, {u"wall_ms"_s, round3(wallMs)}, {u"ended"_s, ended}};
}

std::vector<int> answersTo(const Question& question, const QJsonObject& summary)
{
    std::vector<int> answers;
    for (std::size_t i = 0; i < question.choices.size(); ++i) {
        const QStringList& claims = question.choices[i].claims;
        if (std::all_of(claims.begin(), claims.end(), [&](const QString& c) { return claimHolds(c, summary); }))
            answers.push_back(int(i));
    }
    return answers;
}

QJsonValue answerValue(const Question& question, const QJsonObject& summary)
{
    if (question.answeredBy == u"ended"_s)
        return summary.value(u"ended"_s);
    return fieldsOf(summary).value(question.answeredBy);
}

std::vector<int> predictedChoices(const std::vector<int>& handsPerChoice)
{
    std::vector<int> winners;
    const int most = handsPerChoice.empty() ? 0 : *std::max_element(handsPerChoice.begin(), handsPerChoice.end());
    if (most <= 0)
        return winners;
    for (std::size_t i = 0; i < handsPerChoice.size(); ++i) {
        if (handsPerChoice[i] == most)
            winners.push_back(int(i));
    }
    return winners;
}

bool isRightPrediction(const Question& question, const std::vector<int>& predicted, const QJsonObject& summary)
{
    const std::vector<int> answers = answersTo(question, summary);
    return std::any_of(predicted.begin(), predicted.end(), [&](int p) {
        return std::find(answers.begin(), answers.end(), p) != answers.end();
    });
}

bool isRightGuess(const Question& question, double guess, const QJsonObject& summary)
{
    const std::optional<double> value = numberOf(answerValue(question, summary));
    if (!value || !std::isfinite(guess))
        return false;
    const double margin = question.guessWithinPercent ? std::abs(*value) * question.guessWithin / 100
                                                      : question.guessWithin;
    // A figure of three decimals (round3) against a margin worked out in binary: a hair of slack.
    return std::abs(guess - *value) <= margin + 1e-9 * std::max(1.0, std::abs(*value));
}

QString formatAnswerNumber(double value)
{
    if (std::isfinite(value) && std::abs(value) >= 1000 && std::abs(value) < 1e15)
        return QLocale(QLocale::English, QLocale::UnitedStates).toString(qlonglong(std::llround(value)));
    return formatOutcomeNumber(value);
}

QString answerText(const Question& question, const QJsonObject& summary)
{
    const QJsonObject fields = fieldsOf(summary);
    if (!question.reveal.isEmpty()) {
        static const QRegularExpression placeholder(u"\\{([^{}]*)\\}"_s);
        QString text;
        qsizetype at = 0;
        for (auto it = placeholder.globalMatch(question.reveal); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            text += question.reveal.mid(at, m.capturedStart() - at);
            at = m.capturedEnd();
            const QString operand = m.captured(1).trimmed();
            if (operand == u"ended"_s) {
                text += summary.value(u"ended"_s).toString();
            } else {
                const std::optional<double> v = claimOperand(operand, fields);
                text += v ? formatAnswerNumber(*v) : u"?"_s;
            }
        }
        return text + question.reveal.mid(at);
    }
    const QJsonValue v = answerValue(question, summary);
    if (v.isString())
        return fieldWords(question.answeredBy) + u": "_s + v.toString();
    if (v.isBool())
        return fieldWords(question.answeredBy) + (v.toBool() ? u": yes"_s : u": no"_s);
    if (v.isDouble())
        return fieldWords(question.answeredBy) + u' ' + formatAnswerNumber(v.toDouble());
    return u"no %1 in this run's outcome"_s.arg(question.answeredBy);
}

QString revealText(const Question& question, const std::vector<int>& handsPerChoice, const QJsonObject& summary)
{
    QString text;
    std::vector<int> order;
    int hands = 0;
    for (std::size_t i = 0; i < question.choices.size() && i < handsPerChoice.size(); ++i) {
        if (handsPerChoice[i] > 0) {
            order.push_back(int(i));
            hands += handsPerChoice[i];
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return handsPerChoice[std::size_t(a)] > handsPerChoice[std::size_t(b)];
    });
    if (!order.empty()) {
        QStringList predicted;
        for (int i : order) {
            const int n = handsPerChoice[std::size_t(i)];
            QString entry = question.choices[std::size_t(i)].label;
            if (hands > 1)
                entry += predicted.isEmpty() ? u" (%1)"_s.arg(words::counted(n, u"hand"_s, u"hands"_s)) : u" (%1)"_s.arg(n);
            predicted << entry;
        }
        text = u"Predicted: "_s + predicted.join(u", "_s) + u". "_s;
    }
    const std::vector<int> answers = answersTo(question, summary);
    const QString answer = answers.empty() ? u"none of the choices held"_s : labelsOf(question, answers);
    return text + u"Answer: "_s + answer + u" — "_s + answerText(question, summary) + u'.';
}

QString revealGuessText(const Question& question, double guess, const QJsonObject& summary)
{
    QString text = u"Guessed %1. Answer: "_s.arg(formatAnswerNumber(guess)) + answerText(question, summary);
    const std::optional<double> value = numberOf(answerValue(question, summary));
    if (!value)
        return text + u'.';
    const double off = std::abs(guess - *value);
    QString how;
    if (off == 0) {
        how = u"exactly right"_s;
    } else {
        how = formatAnswerNumber(off) + u" off"_s;
        if (question.guessWithin > 0 && isRightGuess(question, guess, summary))
            how += u", within "_s + formatAnswerNumber(question.guessWithin) + (question.guessWithinPercent ? u" %"_s : QString());
    }
    return text + u" ("_s + how + u")."_s;
}

QJsonObject predictionJson(const Question& question, const std::vector<int>& predicted, std::optional<double> guess,
                           const QJsonObject& summary)
{
    QJsonArray labels;
    for (const Question::Choice& c : question.choices)
        labels.append(c.label);
    QJsonObject json{{u"question"_s, question.text},
                     {u"number"_s, question.number},
                     {u"choices"_s, labels},
                     {u"answered_by"_s, question.answeredBy},
                     {u"value"_s, answerValue(question, summary)}};
    if (question.guessNumber()) {
        json.insert(u"within"_s, question.guessWithin);
        json.insert(u"within_percent"_s, question.guessWithinPercent);
        if (guess) {
            json.insert(u"predicted"_s, *guess);
            json.insert(u"correct"_s, isRightGuess(question, *guess, summary));
            json.insert(u"reveal"_s, revealGuessText(question, *guess, summary));
        } else {
            json.insert(u"predicted"_s, QJsonArray());
            json.insert(u"reveal"_s, QString(u"Answer: "_s + answerText(question, summary) + u'.'));
        }
        return json;
    }
    QJsonArray predictedJson;
    std::vector<int> hands(question.choices.size(), 0);
    for (int p : predicted) {
        predictedJson.append(p);
        if (p >= 0 && std::size_t(p) < hands.size())
            hands[std::size_t(p)] = 1;
    }
    QJsonArray answer;
    for (int a : answersTo(question, summary))
        answer.append(a);
    json.insert(u"predicted"_s, predictedJson);
    json.insert(u"answer"_s, answer);
    if (!predicted.empty())
        json.insert(u"correct"_s, isRightPrediction(question, predicted, summary));
    json.insert(u"reveal"_s, revealText(question, hands, summary));
    return json;
}

QJsonObject questionJson(const Question& question)
{
    QJsonObject settings;
    for (const auto& [key, value] : question.settings)
        settings.insert(key, value);
    QJsonObject json{{u"number"_s, question.number},
                     {u"text"_s, question.text},
                     {u"settings"_s, settings},
                     {u"speed"_s, question.speed},
                     {u"answered_by"_s, question.answeredBy}};
    if (!question.reveal.isEmpty())
        json.insert(u"reveal"_s, question.reveal);
    if (question.guessNumber()) {
        json.insert(u"guess_number"_s, true);
        json.insert(u"within"_s, question.guessWithin);
        json.insert(u"within_percent"_s, question.guessWithinPercent);
    } else {
        QJsonArray choices;
        for (const Question::Choice& c : question.choices)
            choices.append(QJsonObject{{u"label"_s, c.label}, {u"claims"_s, QJsonArray::fromStringList(c.claims)}});
        json.insert(u"choices"_s, choices);
    }
    return json;
}

} // namespace interleave
