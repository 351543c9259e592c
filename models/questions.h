// A lesson's questions ("Predict, then reveal"): read from the "## Predict" section of its text,
// answered by a run's summary. Plain data: the window asks them, the command line runs them.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace interleave {

struct Question
{
    QString lesson;
    int number = 0; // 1-based, in the order of the file
    QString text;   // the question as asked
    // Applied over the lesson's defaults before the run: key and value text, as --set takes them.
    std::vector<std::pair<QString, QString>> settings;
    double speed = 1;
    QString answeredBy; // the outcome field the reveal shows, e.g. "lost_updates" (or wall_ms, ended)
    // What the reveal says of the run, with {operand} replaced by its value: "{lost_updates} of
    // {expected} updates lost", "{wall_ms / 1000} s", "{ended}". Empty: the answering field and its value.
    QString reveal;

    struct Choice
    {
        QString label;
        QStringList claims; // all must hold (models/claims.h)
        bool operator==(const Choice&) const = default;
    };
    std::vector<Choice> choices; // empty: a number to guess
    // A number question: a guess is right within this much of the value (a percentage of it when
    // guessWithinPercent); 0: only the exact value.
    double guessWithin = 0;
    bool guessWithinPercent = false;

    bool guessNumber() const { return choices.empty(); }
    bool operator==(const Question&) const = default;
};

// The questions of lesson `id`, from :/lessons/<id>.md; none (and *error empty) when it has no
// "## Predict" section. A malformed section gives no questions, and *error says which line and why.
std::vector<Question> questionsOf(const QString& lessonId, QString* error = nullptr);
// The same from a lesson's Markdown text (the format is described in questions.cpp). Settings are
// checked against the lesson's parameters, so lessonId must be a lesson.
std::vector<Question> parseQuestions(const QString& lessonId, const QString& markdown, QString* error);
// The lesson's text without its "## Predict" section (the window asks those questions itself).
QString lessonTextWithoutQuestions(const QString& markdown);

// The lesson's parameter values for the question's run: its defaults, the question's settings over
// them. nullopt (and *error) for a lesson that does not exist or a setting it does not take.
std::optional<std::vector<double>> questionValues(const Question& question, QString* error = nullptr);

// The summary the answers are read from: an object with "outcome", "wall_ms" and "ended", as
// the run summary has them (the whole summary will do).
QJsonObject answerSummary(const QJsonObject& outcome, double wallMs, const QString& ended);
// The choices (0-based) whose claims all hold for the summary: one on any real run, as the choices
// of a question cover what can happen without overlapping. Empty for a number question.
std::vector<int> answersTo(const Question& question, const QJsonObject& summary);
// The value of the answering field in the summary: a number, a switch, or ended's word; undefined
// when the run has no such field.
QJsonValue answerValue(const Question& question, const QJsonObject& summary);

// The choices most hands went up for (every one of them on a tie; none when no hand went up).
// handsPerChoice is indexed like the choices; a single student's choice is a 1 there.
std::vector<int> predictedChoices(const std::vector<int>& handsPerChoice);
// A prediction of choices is right when one of the predicted choices holds.
bool isRightPrediction(const Question& question, const std::vector<int>& predicted, const QJsonObject& summary);
// A guess is right when it is within the question's margin of the value.
bool isRightGuess(const Question& question, double guess, const QJsonObject& summary);

// What the reveal says: "Predicted: more than half (7 hands), none (2). Answer: more than half:
// 8,982 of 12,000 updates lost." The counts are shown when more than one hand went up; with no
// hand at all, only the answer.
QString revealText(const Question& question, const std::vector<int>& handsPerChoice, const QJsonObject& summary);
// For a number question: "Guessed 5. Answer: 4 threads created, 1 off."
QString revealGuessText(const Question& question, double guess, const QJsonObject& summary);
// The reveal's account of the run alone: the question's reveal text filled in, or "lost updates 8,982".
QString answerText(const Question& question, const QJsonObject& summary);

// The summary's "prediction" for a run of a question: {"question": text, "number", "choices": [labels],
// "predicted": [choice indices from 0] or the guessed number, "answer": [the choices that hold],
// "answered_by", "value": that field's value, "correct", "reveal": revealText's sentence}. With
// nothing predicted (no choices, no guess) "predicted" is empty and "correct" absent. A number
// question has no "answer" and says how close a guess must be ("within", "within_percent").
QJsonObject predictionJson(const Question& question, const std::vector<int>& predicted, std::optional<double> guess,
                           const QJsonObject& summary);

// For --list-scenarios --json: the question as data (number, text, settings, speed, answered_by,
// choices with their claims, or guess_number with its margin).
QJsonObject questionJson(const Question& question);
// A figure as the reveal reads it: whole numbers grouped ("12,000"), others as the outcome does.
QString formatAnswerNumber(double value);

} // namespace interleave
