// The lessons' questions ("Predict, then reveal"): every lesson's "## Predict" section parses, its
// settings are the lesson's, its choices cover every value without overlapping; a malformed section
// is refused with its line; answers and reveal sentences at the boundaries; the command line's
// --question and --predict; and (`runs`, labelled "lessons") every question run through the
// executable has exactly one answer.
#include "claims.h"
#include "interleaveprocess.h"
#include "lessons.h"
#include "questions.h"
#include "scenario.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <atomic>
#include <cmath>
#include <set>
#include <thread>

using namespace interleave;
using namespace Qt::StringLiterals;

class TestQuestions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyLessonHasQuestions_data();
    void everyLessonHasQuestions();
    void choicesCoverEveryValueOnce_data();
    void choicesCoverEveryValueOnce();
    void readsTheFormat();
    void malformedSectionsAreRefused_data();
    void malformedSectionsAreRefused();
    void lessonTextLeavesOutTheQuestions();
    void answersAtTheBoundaries_data();
    void answersAtTheBoundaries();
    void revealSentences();
    void guesses_data();
    void guesses();
    void commandLineAnswers();
    void commandLineWithoutPrediction();
    void commandLineListsQuestions();
    void commandLineBadInput_data();
    void commandLineBadInput();
    void runs();

private:
    static std::vector<Question> sample();
};

namespace {

using interleave::test::ProcessResult;
using interleave::test::runInterleave;

// A section of the test's own, so that the sentences below do not change with the lessons' words.
const QString SampleSection = uR"(# Race

Some text.

## Predict

1. How many of the updates are lost?
   - settings: the defaults
   - answered by: `lost_updates`
   - reveal: {lost_updates} of {expected} updates lost
   - none: `lost_updates == 0`
   - some, half or fewer: `lost_updates > 0` and `2 * lost_updates <= expected`
   - more than half: `2 * lost_updates > expected`
2. One thread: how many are lost?
   - settings: `threads=1` `increments=500`
   - speed: 2.5
   - answered by: `lost_updates`
   - guess a number
3. With the lock, how long?
   - answered by: `wall_ms`
   - settings: `lock=on`
   - guess a number within 10%
   - reveal: {wall_ms / 1000} s
4. And the ending?
   - answered by: `ended`
   - guess a number within 2
)"_s;

QJsonObject summaryOf(const QJsonObject& outcome, double wallMs = 1000, const QString& ended = u"completed"_s)
{
    return QJsonObject{{u"outcome"_s, outcome}, {u"wall_ms"_s, wallMs}, {u"ended"_s, ended}};
}

QStringList fieldsOfQuestion(const Question& q)
{
    QStringList fields{q.answeredBy};
    for (const Question::Choice& c : q.choices) {
        for (const QString& claim : c.claims)
            fields += claimFields(claim);
    }
    static const QRegularExpression placeholder(u"\\{([^{}]*)\\}"_s);
    for (auto it = placeholder.globalMatch(q.reveal); it.hasNext();)
        fields += claimFields(it.next().captured(1) + u" == 0"_s);
    fields.removeDuplicates();
    return fields;
}

// The numbers a question's claims compare with, and what they make multiplied and divided with one
// another (a boundary such as 2 * lost_updates == expected sits at expected / 2), each also a hair
// either side.
std::vector<double> boundaryValues(const Question& q, bool derived)
{
    static const QRegularExpression number(u"(?<![A-Za-z_])\\d+(?:\\.\\d+)?(?![A-Za-z_])"_s);
    std::set<double> base{0, 1, 2, 3, 7.5, 1000, 12000};
    for (const Question::Choice& c : q.choices) {
        for (const QString& claim : c.claims) {
            for (auto it = number.globalMatch(claim); it.hasNext();)
                base.insert(it.next().captured(0).toDouble());
        }
    }
    std::set<double> values = base;
    if (derived) {
        for (double a : base) {
            for (double b : base) {
                values.insert(a * b);
                if (b != 0)
                    values.insert(a / b);
            }
        }
    }
    std::vector<double> all;
    for (double v : values) {
        for (double d : {0.0, -0.001, 0.001}) {
            if (v + d >= 0)
                all.push_back(v + d);
        }
    }
    return all;
}

// Runs the executable; the summary, or a failure with the reason.
QJsonObject runSummary(const QStringList& args, QString* error, int timeoutMs = 120'000)
{
    const ProcessResult r = runInterleave(args, {}, timeoutMs);
    if (r.exitCode != 0) {
        *error = u"exit %1 for %2: %3"_s.arg(QString::number(r.exitCode), args.join(u' '), QString::fromLocal8Bit(r.err));
        return {};
    }
    const QJsonDocument doc = QJsonDocument::fromJson(r.out);
    if (!doc.isObject())
        *error = u"not JSON: "_s + QString::fromLocal8Bit(r.out.left(300));
    return doc.object();
}

QStringList questionArgs(const QString& lesson, int number, const QStringList& more = {})
{
    return QStringList{u"--headless"_s, u"--scenario"_s, lesson, u"--question"_s, QString::number(number),
                       u"--summary-out"_s, u"-"_s}
        + more;
}

} // namespace

std::vector<Question> TestQuestions::sample()
{
    QString error;
    std::vector<Question> questions = parseQuestions(u"race"_s, SampleSection, &error);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return questions;
}

void TestQuestions::initTestCase()
{
    // Worker processes of the gil and pipeline lessons are the interleave executable itself.
    qputenv("INTERLEAVE_WORKER_EXE", QByteArrayLiteral(INTERLEAVE_EXE));
}

void TestQuestions::everyLessonHasQuestions_data()
{
    QTest::addColumn<QString>("id");
    for (const LessonCard& lesson : Lessons::all())
        QTest::newRow(qPrintable(lesson.id)) << lesson.id;
}

// Two or three questions, numbered in order, each with settings the lesson takes, claims of the
// claims' form, two or more choices or a number to guess.
void TestQuestions::everyLessonHasQuestions()
{
    QFETCH(QString, id);
    QString error;
    const std::vector<Question> questions = questionsOf(id, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(questions.size() >= 2 && questions.size() <= 3, qPrintable(u"%1 questions"_s.arg(questions.size())));
    const ParamSchema schema = Lessons::find(id)->schema;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        const Question& q = questions[i];
        QCOMPARE(q.lesson, id);
        QCOMPARE(q.number, int(i) + 1);
        QVERIFY(!q.text.isEmpty());
        QVERIFY(!q.answeredBy.isEmpty());
        QVERIFY(q.speed >= 1 && q.speed <= 4);
        for (const auto& [key, value] : q.settings) {
            const int index = schema.indexOf(key);
            QVERIFY2(index >= 0, qPrintable(u"question %1: no setting %2"_s.arg(q.number).arg(key)));
            QString why;
            QVERIFY2(schema.at(index).parse(value, &why), qPrintable(why));
        }
        QVERIFY(questionValues(q, &error));
        QVERIFY(q.guessNumber() || q.choices.size() >= 2);
        for (const Question::Choice& c : q.choices) {
            QVERIFY(!c.label.isEmpty());
            QVERIFY(!c.claims.isEmpty());
            for (const QString& claim : c.claims)
                QVERIFY2(claimFormError(claim).isEmpty(), qPrintable(claimFormError(claim)));
        }
    }
}

void TestQuestions::choicesCoverEveryValueOnce_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("number");
    for (const LessonCard& lesson : Lessons::all()) {
        for (const Question& q : questionsOf(lesson.id)) {
            if (!q.guessNumber())
                QTest::addRow("%s %d", qPrintable(lesson.id), q.number) << lesson.id << q.number;
        }
    }
}

// Whatever a run gives (any figure from zero up, any way of ending), exactly one choice holds: the
// answering field takes every boundary the claims draw and values either side of it, the other
// fields a spread of values.
void TestQuestions::choicesCoverEveryValueOnce()
{
    QFETCH(QString, id);
    QFETCH(int, number);
    const Question q = questionsOf(id).at(std::size_t(number - 1));
    QStringList fields;
    for (const Question::Choice& c : q.choices) {
        for (const QString& claim : c.claims)
            fields += claimFields(claim);
    }
    fields.removeDuplicates();
    const std::vector<double> answering = boundaryValues(q, true);
    const std::vector<double> others = boundaryValues(q, false);
    const QStringList endings{u"completed"_s, u"deadlock"_s, u"duration"_s, u"stopped"_s};
    // Every combination: the first field runs fastest.
    std::vector<std::size_t> at(std::size_t(fields.size()), 0);
    auto rangeOf = [&](int i) -> std::size_t {
        const QString& f = fields.at(i);
        return f == u"ended"_s ? std::size_t(endings.size()) : f == q.answeredBy ? answering.size() : others.size();
    };
    int checked = 0;
    for (;;) {
        QJsonObject outcome;
        double wallMs = 0;
        QString ended = u"completed"_s;
        for (int i = 0; i < fields.size(); ++i) {
            const QString& f = fields.at(i);
            if (f == u"ended"_s) {
                ended = endings.at(qsizetype(at[std::size_t(i)]));
                continue;
            }
            const double v = f == q.answeredBy ? answering[at[std::size_t(i)]] : others[at[std::size_t(i)]];
            if (f == u"wall_ms"_s)
                wallMs = v;
            else
                outcome.insert(f, v);
        }
        const QJsonObject summary = summaryOf(outcome, wallMs, ended);
        const std::vector<int> answers = answersTo(q, summary);
        if (answers.size() != 1) {
            QFAIL(qPrintable(u"%1 choices hold for %2, ended %3, wall_ms %4"_s.arg(QString::number(answers.size()),
                QString::fromUtf8(QJsonDocument(outcome).toJson(QJsonDocument::Compact)), ended, QString::number(wallMs))));
        }
        ++checked;
        std::size_t i = 0;
        while (i < at.size() && ++at[i] == rangeOf(int(i)))
            at[i++] = 0;
        if (i == at.size())
            break;
    }
    QVERIFY(checked > 50);
}

void TestQuestions::readsTheFormat()
{
    const std::vector<Question> questions = sample();
    QCOMPARE(questions.size(), std::size_t(4));
    Question first;
    first.lesson = u"race"_s;
    first.number = 1;
    first.text = u"How many of the updates are lost?"_s;
    first.answeredBy = u"lost_updates"_s;
    first.reveal = u"{lost_updates} of {expected} updates lost"_s;
    first.choices = {{u"none"_s, {u"lost_updates == 0"_s}},
                     {u"some, half or fewer"_s, {u"lost_updates > 0"_s, u"2 * lost_updates <= expected"_s}},
                     {u"more than half"_s, {u"2 * lost_updates > expected"_s}}};
    QCOMPARE(questions[0], first);
    QVERIFY(!questions[0].guessNumber());

    const Question& second = questions[1];
    QCOMPARE(second.number, 2);
    QVERIFY(second.guessNumber());
    QCOMPARE(second.speed, 2.5);
    QCOMPARE(second.guessWithin, 0.0);
    QCOMPARE(second.settings.size(), std::size_t(2));
    QCOMPARE(second.settings[0], std::make_pair(u"threads"_s, u"1"_s));
    QCOMPARE(second.settings[1], std::make_pair(u"increments"_s, u"500"_s));
    const std::vector<double> values = *questionValues(second);
    const ParamSchema schema = Lessons::find(u"race"_s)->schema;
    QCOMPARE(values[std::size_t(schema.indexOf(u"threads"_s))], 1.0);
    QCOMPARE(values[std::size_t(schema.indexOf(u"increments"_s))], 500.0);
    QCOMPARE(values[std::size_t(schema.indexOf(u"window_us"_s))], schema.defaults()[std::size_t(schema.indexOf(u"window_us"_s))]);

    // Items in any order; a margin in percent.
    QCOMPARE(questions[2].guessWithin, 10.0);
    QVERIFY(questions[2].guessWithinPercent);
    QCOMPARE(questions[2].speed, 1.0);
    QCOMPARE(questions[3].guessWithin, 2.0);
    QVERIFY(!questions[3].guessWithinPercent);

    // No section, no questions and no error; the JSON listing carries what was read.
    QString error = u"stale"_s;
    QVERIFY(parseQuestions(u"race"_s, u"# Race\n\nNo questions here.\n"_s, &error).empty());
    QVERIFY(error.isEmpty());
    const QJsonObject json = questionJson(questions[0]);
    QCOMPARE(json[u"choices"_s].toArray().size(), 3);
    QCOMPARE(json[u"choices"_s][1][u"claims"_s].toArray().size(), 2);
    QCOMPARE(questionJson(questions[1])[u"settings"_s][u"threads"_s].toString(), u"1"_s);
    QVERIFY(questionJson(questions[1])[u"guess_number"_s].toBool());
}

void TestQuestions::malformedSectionsAreRefused_data()
{
    QTest::addColumn<QString>("section");
    QTest::addColumn<int>("line"); // within the section: its heading is line 1
    QTest::addColumn<QString>("mentions");
    const QString ok = u"   - answered by: `lost_updates`\n   - none: `lost_updates == 0`\n   - some: `lost_updates > 0`\n"_s;
    QTest::newRow("no answered by") << u"1. Lost?\n   - none: `lost_updates == 0`\n   - some: `lost_updates > 0`\n"_s << 2
                                    << u"answered by"_s;
    QTest::newRow("unknown setting") << u"1. Lost?\n   - settings: `colour=red`\n"_s + ok << 3 << u"'colour'"_s;
    QTest::newRow("setting out of range") << u"1. Lost?\n   - settings: `threads=0`\n"_s + ok << 3 << u"1..64"_s;
    QTest::newRow("setting twice") << u"1. Lost?\n   - settings: `threads=2` `threads=3`\n"_s + ok << 3 << u"twice"_s;
    QTest::newRow("setting without backticks") << u"1. Lost?\n   - settings: threads=2\n"_s + ok << 3 << u"spans"_s;
    QTest::newRow("numbered 2 first") << u"2. Lost?\n"_s + ok << 2 << u"numbered"_s;
    QTest::newRow("numbers skip") << u"1. Lost?\n"_s + ok + u"3. Again?\n"_s + ok << 6 << u"numbered"_s;
    QTest::newRow("a heading after it") << u"1. Lost?\n"_s + ok + u"\n## More\n"_s << 7 << u"last section"_s;
    QTest::newRow("one choice") << u"1. Lost?\n   - answered by: `lost_updates`\n   - none: `lost_updates == 0`\n"_s << 2
                                << u"two or more"_s;
    QTest::newRow("choices and a guess") << u"1. Lost?\n"_s + ok + u"   - guess a number\n"_s << 2 << u"one or the other"_s;
    QTest::newRow("half a claim") << u"1. Lost?\n   - answered by: `lost_updates`\n   - none: `lost_updates >`\n"_s << 4
                                  << u"lhs op rhs"_s;
    QTest::newRow("a sum") << u"1. Lost?\n   - answered by: `lost_updates`\n   - a: `lost_updates + 1 > 0`\n"_s << 4
                           << u"lost_updates + 1"_s;
    QTest::newRow("claims joined by or") << u"1. Lost?\n   - answered by: `lost_updates`\n   - a: `actual > 0` or `lost_updates > 0`\n"_s
                                         << 4 << u"joined by"_s;
    QTest::newRow("claim without backticks") << u"1. Lost?\n   - answered by: `lost_updates`\n   - none: lost_updates == 0\n"_s
                                             << 4 << u"none of settings"_s;
    QTest::newRow("ended compared by size") << u"1. End?\n   - answered by: `meals`\n   - a: `ended > deadlock`\n"_s << 4
                                            << u"== or !="_s;
    QTest::newRow("answered by twice") << u"1. Lost?\n"_s + ok + u"   - answered by: `actual`\n"_s << 6 << u"second"_s;
    QTest::newRow("answered by two fields") << u"1. Lost?\n   - answered by: `a` `b`\n"_s << 3 << u"one outcome field"_s;
    QTest::newRow("speed zero") << u"1. Lost?\n   - speed: 0\n"_s + ok << 3 << u"0.01..1000"_s;
    QTest::newRow("a broken placeholder") << u"1. Lost?\n   - reveal: {lost updates}\n"_s + ok << 3 << u"{lost updates}"_s;
    QTest::newRow("two choices, one label") << u"1. Lost?\n"_s + ok + u"   - none: `lost_updates < 0`\n"_s << 6
                                            << u"'none'"_s;
    QTest::newRow("text between questions") << u"1. Lost?\n"_s + ok + u"Now guess.\n"_s << 6 << u"expected a question"_s;
    QTest::newRow("an item before a question") << u"   - answered by: `lost_updates`\n"_s << 2 << u"before question 1"_s;
    QTest::newRow("a continued question") << u"1. Lost?\n   and more words\n"_s + ok << 3 << u"expected a question"_s;
}

// The error names the file and the line (of the whole file), and what is wrong.
void TestQuestions::malformedSectionsAreRefused()
{
    QFETCH(QString, section);
    QFETCH(int, line);
    QFETCH(QString, mentions);
    const QString head = u"# Race\n\nText.\n\n"_s; // four lines before the heading
    QString error;
    const std::vector<Question> questions = parseQuestions(u"race"_s, head + u"## Predict\n"_s + section, &error);
    QVERIFY(questions.empty());
    QVERIFY2(error.startsWith(u"race.md line %1: "_s.arg(line + 4)), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void TestQuestions::lessonTextLeavesOutTheQuestions()
{
    const QString text = lessonTextWithoutQuestions(SampleSection);
    QCOMPARE(text, u"# Race\n\nSome text.\n"_s);
    QCOMPARE(lessonTextWithoutQuestions(u"# A\n\nNo questions.\n"_s), u"# A\n\nNo questions.\n"_s);
    QFile file(u":/lessons/race.md"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString race = lessonTextWithoutQuestions(QString::fromUtf8(file.readAll()));
    QVERIFY(race.contains(u"## Try this"_s));
    QVERIFY(!race.contains(u"Predict"_s));
    QVERIFY(!race.contains(u"answered by"_s));
}

void TestQuestions::answersAtTheBoundaries_data()
{
    QTest::addColumn<QJsonObject>("outcome");
    QTest::addColumn<std::vector<int>>("answers");
    QTest::newRow("none lost") << QJsonObject{{u"lost_updates"_s, 0}, {u"expected"_s, 12000}} << std::vector<int>{0};
    QTest::newRow("one lost") << QJsonObject{{u"lost_updates"_s, 1}, {u"expected"_s, 12000}} << std::vector<int>{1};
    QTest::newRow("exactly half") << QJsonObject{{u"lost_updates"_s, 6000}, {u"expected"_s, 12000}} << std::vector<int>{1};
    QTest::newRow("one over half") << QJsonObject{{u"lost_updates"_s, 6001}, {u"expected"_s, 12000}} << std::vector<int>{2};
    QTest::newRow("all") << QJsonObject{{u"lost_updates"_s, 12000}, {u"expected"_s, 12000}} << std::vector<int>{2};
    // A run without the figure answers nothing (and says so), rather than something.
    QTest::newRow("no figure") << QJsonObject{{u"expected"_s, 12000}} << std::vector<int>{};
}

void TestQuestions::answersAtTheBoundaries()
{
    QFETCH(QJsonObject, outcome);
    QFETCH(std::vector<int>, answers);
    const Question q = sample().at(0);
    const QJsonObject summary = summaryOf(outcome);
    QCOMPARE(answersTo(q, summary), answers);
    for (int choice = 0; choice < 3; ++choice) {
        const bool right = std::find(answers.begin(), answers.end(), choice) != answers.end();
        QCOMPARE(isRightPrediction(q, {choice}, summary), right);
    }
    QCOMPARE(answerValue(q, summary), outcome.value(u"lost_updates"_s));
}

void TestQuestions::revealSentences()
{
    const Question q = sample().at(0);
    const QJsonObject summary = summaryOf({{u"lost_updates"_s, 8982}, {u"expected"_s, 12000}});
    QCOMPARE(revealText(q, {2, 0, 7}, summary),
             u"Predicted: more than half (7 hands), none (2). Answer: more than half — 8,982 of 12,000 updates lost."_s);
    QCOMPARE(revealText(q, {0, 1, 0}, summary),
             u"Predicted: some, half or fewer. Answer: more than half — 8,982 of 12,000 updates lost."_s);
    QCOMPARE(revealText(q, {1, 0, 1}, summary),
             u"Predicted: none (1 hand), more than half (1). Answer: more than half — 8,982 of 12,000 updates lost."_s);
    QCOMPARE(revealText(q, {0, 0, 0}, summary), u"Answer: more than half — 8,982 of 12,000 updates lost."_s);
    QCOMPARE(revealText(q, {}, summaryOf({})), u"Answer: none of the choices held — ? of ? updates lost."_s);
    // Ties all win; no hands, no winner.
    QCOMPARE(predictedChoices({3, 0, 3}), (std::vector<int>{0, 2}));
    QCOMPARE(predictedChoices({0, 5, 2}), (std::vector<int>{1}));
    QVERIFY(predictedChoices({0, 0, 0}).empty());
    QVERIFY(isRightPrediction(q, predictedChoices({3, 0, 3}), summary));
    QVERIFY(!isRightPrediction(q, {}, summary));
    // Without a reveal text: the field and its value; an expression in the reveal is worked out.
    Question plain = q;
    plain.reveal.clear();
    QCOMPARE(answerText(plain, summary), u"lost updates 8,982"_s);
    const Question timed = sample().at(2);
    QCOMPARE(answerText(timed, summaryOf({}, 4321.5)), u"4.3 s"_s);
    const Question ending = sample().at(3);
    QCOMPARE(answerText(ending, summaryOf({}, 10, u"deadlock"_s)), u"ended: deadlock"_s);
    QCOMPARE(formatAnswerNumber(12000), u"12,000"_s);
    QCOMPARE(formatAnswerNumber(1234567.6), u"1,234,568"_s);
    QCOMPARE(formatAnswerNumber(0.499), u"0.5"_s);
    QCOMPARE(formatAnswerNumber(15), u"15"_s);
}

void TestQuestions::guesses_data()
{
    QTest::addColumn<int>("question"); // of the sample: 2 exact, 3 within 10 %, 4 within 2
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("guess");
    QTest::addColumn<bool>("right");
    QTest::addColumn<QString>("reveal");
    QTest::newRow("exact") << 2 << 0.0 << 0.0 << true << u"Guessed 0. Answer: lost updates 0 (exactly right)."_s;
    QTest::newRow("exact, off") << 2 << 0.0 << 5.0 << false << u"Guessed 5. Answer: lost updates 0 (5 off)."_s;
    QTest::newRow("10 %, at the edge") << 3 << 2000.0 << 2200.0 << true << u"Guessed 2,200. Answer: 2 s (200 off, within 10 %)."_s;
    QTest::newRow("10 %, below") << 3 << 2000.0 << 1800.0 << true << u"Guessed 1,800. Answer: 2 s (200 off, within 10 %)."_s;
    QTest::newRow("10 %, past it") << 3 << 2000.0 << 2201.0 << false << u"Guessed 2,201. Answer: 2 s (201 off)."_s;
    QTest::newRow("within 2") << 4 << 7.0 << 9.0 << true << QString();
    QTest::newRow("past 2") << 4 << 7.0 << 9.5 << false << QString();
}

void TestQuestions::guesses()
{
    QFETCH(int, question);
    QFETCH(double, value);
    QFETCH(double, guess);
    QFETCH(bool, right);
    QFETCH(QString, reveal);
    Question q = sample().at(std::size_t(question - 1));
    if (question == 4)
        q.answeredBy = u"lost_updates"_s; // a figure to compare with
    const QJsonObject summary = question == 3 ? summaryOf({}, value) : summaryOf({{u"lost_updates"_s, value}});
    QCOMPARE(isRightGuess(q, guess, summary), right);
    if (!reveal.isEmpty())
        QCOMPARE(revealGuessText(q, guess, summary), reveal);
    // A run without the figure: no guess is right.
    QVERIFY(!isRightGuess(q, guess, summaryOf({}, 0)) || question == 3);
}

// --question N --predict P: the question's settings (and a --set of another one) in the run, and
// the prediction judged as the test judges it from the outcome.
void TestQuestions::commandLineAnswers()
{
    QString error;
    // deadlock 1: the defaults; the choices are, in order, a deadlock before any meal, a deadlock
    // after some, no deadlock. Predicting the first two at once: right when either holds.
    QJsonObject s = runSummary(questionArgs(u"deadlock"_s, 1, {u"--predict"_s, u"1,2"_s}), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QJsonObject p = s[u"prediction"_s].toObject();
    const bool deadlocked = s[u"ended"_s].toString() == u"deadlock"_s;
    const double meals = s[u"outcome"_s][u"meals"_s].toDouble(-1);
    QVERIFY(meals >= 0);
    const int holds = deadlocked ? (meals == 0 ? 0 : 1) : 2;
    QCOMPARE(p[u"number"_s].toInt(), 1);
    QCOMPARE(p[u"question"_s].toString(), questionsOf(u"deadlock"_s).at(0).text);
    QCOMPARE(p[u"choices"_s].toArray().size(), 3);
    QCOMPARE(p[u"predicted"_s].toArray(), (QJsonArray{0, 1}));
    QCOMPARE(p[u"answer"_s].toArray(), QJsonArray{holds});
    QCOMPARE(p[u"answered_by"_s].toString(), u"meals"_s);
    QCOMPARE(p[u"value"_s].toDouble(), meals);
    QCOMPARE(p[u"correct"_s].toBool(), holds != 2);
    QVERIFY(p.contains(u"correct"_s));
    QVERIFY2(p[u"reveal"_s].toString().contains(u"Answer: "_s), qPrintable(p[u"reveal"_s].toString()));

    // race 2: threads=1 at speed 2, a number to guess; increments=500 is a setting it leaves alone.
    s = runSummary(questionArgs(u"race"_s, 2, {u"--predict"_s, u"3"_s, u"--set"_s, u"increments=500"_s}), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    p = s[u"prediction"_s].toObject();
    QCOMPARE(s[u"params"_s][u"threads"_s].toInt(), 1);
    QCOMPARE(s[u"params"_s][u"increments"_s].toInt(), 500);
    const double lost = s[u"outcome"_s][u"lost_updates"_s].toDouble(-1);
    QVERIFY(lost >= 0);
    QCOMPARE(p[u"predicted"_s].toDouble(), 3.0);
    QCOMPARE(p[u"value"_s].toDouble(), lost);
    QCOMPARE(p[u"correct"_s].toBool(), lost == 3);
    QVERIFY(p[u"choices"_s].toArray().isEmpty());
    QVERIFY(!p.contains(u"answer"_s));
}

void TestQuestions::commandLineWithoutPrediction()
{
    QString error;
    const QJsonObject s = runSummary(questionArgs(u"deadlock"_s, 2), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonObject p = s[u"prediction"_s].toObject();
    QCOMPARE(s[u"params"_s][u"strategy"_s].toString(), u"ordered"_s);
    QCOMPARE(p[u"predicted"_s].toArray(), QJsonArray());
    QVERIFY(!p.contains(u"correct"_s));
    QCOMPARE(p[u"value"_s].toDouble(), s[u"outcome"_s][u"meals"_s].toDouble());

    // On the console: the question before the run, the answer after it.
    const ProcessResult r = runInterleave({u"--headless"_s, u"--scenario"_s, u"deadlock"_s, u"--question"_s, u"1"_s,
                                           u"--predict"_s, u"3"_s});
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromLocal8Bit(r.out);
    QVERIFY2(out.startsWith(u"Question 1 of deadlock: "_s), qPrintable(out));
    QVERIFY2(out.contains(u"  3) "_s), qPrintable(out));
    QVERIFY2(out.contains(u"\nPredicted: "_s) && out.contains(u" Answer: "_s), qPrintable(out));
}

void TestQuestions::commandLineListsQuestions()
{
    const ProcessResult r = runInterleave({u"--list-scenarios"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray scenarios = QJsonDocument::fromJson(r.out)[u"scenarios"_s].toArray();
    QCOMPARE(scenarios.size(), qsizetype(Lessons::all().size()));
    for (const QJsonValue& lesson : scenarios) {
        const QJsonArray questions = lesson[u"questions"_s].toArray();
        QVERIFY2(questions.size() >= 2, qPrintable(lesson[u"id"_s].toString()));
        for (const QJsonValue& q : questions) {
            QVERIFY(!q[u"text"_s].toString().isEmpty());
            QVERIFY(!q[u"answered_by"_s].toString().isEmpty());
            QVERIFY(q[u"guess_number"_s].toBool() || q[u"choices"_s].toArray().size() >= 2);
        }
    }
    const ProcessResult text = runInterleave({u"--list-scenarios"_s});
    QVERIFY(text.out.contains("--question 1: "));
}

void TestQuestions::commandLineBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QStringList race{u"--headless"_s, u"--scenario"_s, u"race"_s};
    const int count = int(questionsOf(u"race"_s).size());
    QTest::newRow("no such question") << race + QStringList{u"--question"_s, u"9"_s}
                                      << u"race has %1 questions; give a number 1..%1"_s.arg(count);
    QTest::newRow("question 0") << race + QStringList{u"--question"_s, u"0"_s} << u"1..%1"_s.arg(count);
    QTest::newRow("question not a number") << race + QStringList{u"--question"_s, u"first"_s} << u"'first'"_s;
    QTest::newRow("choice out of range") << race + QStringList{u"--question"_s, u"1"_s, u"--predict"_s, u"7"_s}
                                         << u"no choice 7"_s;
    QTest::newRow("choice zero") << race + QStringList{u"--question"_s, u"1"_s, u"--predict"_s, u"0"_s} << u"no choice 0"_s;
    QTest::newRow("choice not a number") << race + QStringList{u"--question"_s, u"1"_s, u"--predict"_s, u"most"_s}
                                         << u"'most' is not a choice number"_s;
    QTest::newRow("choice twice") << race + QStringList{u"--question"_s, u"1"_s, u"--predict"_s, u"2,2"_s} << u"twice"_s;
    QTest::newRow("a number with commas") << race + QStringList{u"--question"_s, u"2"_s, u"--predict"_s, u"1,000"_s}
                                          << u"without commas"_s;
    QTest::newRow("predict without question") << race + QStringList{u"--predict"_s, u"1"_s} << u"--question"_s;
    QTest::newRow("question with repeat") << race + QStringList{u"--question"_s, u"1"_s, u"--repeat"_s, u"3"_s}
                                          << u"--repeat"_s;
    QTest::newRow("question with sweep") << race + QStringList{u"--question"_s, u"1"_s, u"--sweep"_s, u"threads=1..4"_s}
                                         << u"--sweep"_s;
    QTest::newRow("question with open") << QStringList{u"--headless"_s, u"--open"_s, u"run.json"_s, u"--question"_s, u"1"_s}
                                        << u"--open"_s;
    QTest::newRow("question in the window") << QStringList{u"--scenario"_s, u"race"_s, u"--question"_s, u"1"_s}
                                            << u"--headless"_s;
    QTest::newRow("a setting the question makes") << race + QStringList{u"--question"_s, u"2"_s, u"--set"_s, u"threads=4"_s}
                                                  << u"sets threads=1"_s;
    QTest::newRow("another speed") << race + QStringList{u"--question"_s, u"2"_s, u"--speed"_s, u"1"_s} << u"speed 2"_s;
    QTest::newRow("question twice") << race + QStringList{u"--question"_s, u"1"_s, u"--question"_s, u"2"_s} << u"give it once"_s;
}

void TestQuestions::commandLineBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const ProcessResult r = runInterleave(args, {}, 30'000);
    QCOMPARE(r.exitCode, 2);
    const QString err = QString::fromLocal8Bit(r.err).trimmed();
    QVERIFY2(!err.contains(u'\n'), qPrintable(u"more than one line: "_s + err));
    QVERIFY2(err.startsWith(u"interleave: "_s), qPrintable(err));
    QVERIFY2(err.contains(mentions), qPrintable(err));
    QVERIFY(r.out.isEmpty());
}

// Every question of every lesson, run as the command line runs it: it ends by itself, every field
// its claims and reveal read is in the outcome, and exactly one choice holds (a number question:
// its field is a number). Three runs at a time; the choices hold whatever the machine's load.
void TestQuestions::runs()
{
    struct Job
    {
        Question question;
        QJsonObject summary;
        QString error;
        double seconds = 0;
    };
    std::vector<Job> jobs;
    for (const LessonCard& lesson : Lessons::all()) {
        for (const Question& q : questionsOf(lesson.id))
            jobs.push_back({q, {}, {}, 0});
    }
    QVERIFY(jobs.size() >= 18);
    QElapsedTimer total;
    total.start();
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < jobs.size();) {
            Job& job = jobs[i];
            QElapsedTimer t;
            t.start();
            job.summary = runSummary(questionArgs(job.question.lesson, job.question.number), &job.error, 150'000);
            job.seconds = double(t.elapsed()) / 1000;
        }
    };
    std::vector<std::thread> workers;
    for (int w = 0; w < 3; ++w)
        workers.emplace_back(work);
    for (std::thread& w : workers)
        w.join();
    qInfo("%zu questions in %.1f s", jobs.size(), double(total.elapsed()) / 1000);

    for (const Job& job : jobs) {
        const Question& q = job.question;
        const QString name = u"%1 %2"_s.arg(q.lesson, QString::number(q.number));
        QVERIFY2(job.error.isEmpty(), qPrintable(name + u": "_s + job.error));
        const QJsonObject& s = job.summary;
        const QString ended = s[u"ended"_s].toString();
        qInfo("%s: %.1f s, %s", qPrintable(name), job.seconds,
              qPrintable(s[u"prediction"_s][u"reveal"_s].toString()));
        QVERIFY2(ended == u"completed"_s || ended == u"deadlock"_s, qPrintable(name + u" ended: "_s + ended));
        const QJsonObject outcome = s[u"outcome"_s].toObject();
        for (const QString& field : fieldsOfQuestion(q)) {
            const QJsonValue v = field == u"wall_ms"_s || field == u"ended"_s ? s[field] : outcome[field];
            QVERIFY2(field == u"ended"_s ? v.isString() : (v.isDouble() || v.isBool()),
                     qPrintable(u"%1: no figure %2 in %3"_s.arg(name, field,
                         QString::fromUtf8(QJsonDocument(outcome).toJson(QJsonDocument::Compact)))));
        }
        const QJsonObject p = s[u"prediction"_s].toObject();
        if (q.guessNumber()) {
            QVERIFY2(p[u"value"_s].isDouble(), qPrintable(name));
            continue;
        }
        const std::vector<int> answers = answersTo(q, s);
        QVERIFY2(answers.size() == 1,
                 qPrintable(u"%1: %2 choices hold for %3"_s.arg(name, QString::number(answers.size()),
                     QString::fromUtf8(QJsonDocument(outcome).toJson(QJsonDocument::Compact)))));
        QCOMPARE(p[u"answer"_s].toArray(), QJsonArray{answers.front()});
    }
}

QTEST_GUILESS_MAIN(TestQuestions)
#include "tst_questions.moc"
