// LessonView, its outcome sentences and the Python highlighter it shows the programs with.
#include "lessonview.h"
#include "monospacefont.h"
#include "outcomewords.h"
#include "lessons.h"
#include "pythonhighlighter.h"
#include "scenario.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTextLayout>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

QJsonObject json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// The role whose foreground colours the character at `position` of block `blockNumber`.
QColor colourAt(const QTextDocument& doc, int blockNumber, int position)
{
    const QTextBlock block = doc.findBlockByNumber(blockNumber);
    const auto formats = block.layout()->formats();
    for (const QTextLayout::FormatRange& r : formats) {
        if (position >= r.start && position < r.start + r.length)
            return r.format.foreground().color();
    }
    return {};
}

} // namespace

class TestLessonView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outcomeText_data();
    void outcomeText();
    void outcomeTextCoversEveryScenario();
    void formatNumber_data();
    void formatNumber();
    void raceLesson();
    void everyLessonLoads();
    void monospaceFontIsMeasuredFixed();
    void unknownLesson();
    void outcomePanel();
    void highlighter();
    void highlighterFollowsPalette();
};

void TestLessonView::outcomeText_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QJsonObject>("outcome");
    QTest::addColumn<QString>("ended");
    QTest::addColumn<QString>("text");

    QTest::newRow("race lost") << u"race"_s << json(R"({"expected":40000,"actual":31822,"lost_updates":8178})")
                               << u"completed"_s << u"expected 40000, got 31822: 8178 updates lost"_s;
    QTest::newRow("race none lost") << u"race"_s << json(R"({"expected":40000,"actual":40000,"lost_updates":0})")
                                    << u"completed"_s << u"expected 40000, got 40000: no updates lost"_s;
    QTest::newRow("race one lost") << u"race"_s << json(R"({"expected":10,"actual":9})") << u"completed"_s
                                   << u"expected 10, got 9: 1 update lost"_s;
    QTest::newRow("race empty running") << u"race"_s << QJsonObject{} << QString() << u"No results yet."_s;
    QTest::newRow("race partial") << u"race"_s << json(R"({"expected":400})") << QString() << u"expected 400"_s;

    QTest::newRow("interleaving") << u"interleaving"_s << json(R"({"lines":10,"switches":9})") << u"completed"_s
                                  << u"10 lines, 9 switches between threads"_s;
    QTest::newRow("interleaving singular") << u"interleaving"_s << json(R"({"lines":1,"switches":1})") << QString()
                                           << u"1 line, 1 switch between threads"_s;
    QTest::newRow("interleaving empty") << u"interleaving"_s << QJsonObject{} << u"stopped"_s << u"No results."_s;

    QTest::newRow("gil done")
        << u"gil"_s
        << json(R"({"work_ms":1600,"wall_ms":1640.2,"tasks_done":16,"speedup":0.976,"gil_switches":277})")
        << u"completed"_s << u"speedup 0.98: 1600 ms of work in 1640 ms (277 GIL switches)"_s;
    QTest::newRow("gil running")
        << u"gil"_s
        << json(R"({"work_ms":1600,"work_done_ms":300,"wall_ms":412.4,"tasks_done":3,"speedup":0,"gil_switches":1})")
        << QString() << u"300 ms of 1600 ms of work done in 412 ms so far (1 GIL switch)"_s;
    // Processes still starting: no work is done yet, and the banner must not claim any.
    QTest::newRow("gil running, nothing done")
        << u"gil"_s
        << json(R"({"work_ms":1600,"work_done_ms":0,"wall_ms":180,"tasks_done":0,"speedup":0,"gil_switches":0})")
        << QString() << u"no task finished yet, 180 ms so far (0 GIL switches)"_s;
    QTest::newRow("gil empty") << u"gil"_s << QJsonObject{} << QString() << u"No results yet."_s;

    QTest::newRow("contention")
        << u"contention"_s << json(R"({"ops":48,"ops_per_s":94.812,"wait_fraction":0.478,"wait_ms":1912})")
        << u"completed"_s << u"48 operations, 94.8 per second; 47.8% of thread time waiting for locks"_s;
    QTest::newRow("contention only ops") << u"contention"_s << json(R"({"ops":1})") << QString() << u"1 operation"_s;

    QTest::newRow("deadlock cycle")
        << u"deadlock"_s
        << json(R"({"deadlock":true,"detected_ms":100.4,"meals":0,
                    "cycle":["philosopher-1","fork-2","philosopher-2","fork-1"]})")
        << u"deadlock"_s << u"Deadlock after 100 ms: philosopher-1 → fork-2 → philosopher-2 → fork-1 → philosopher-1"_s;
    QTest::newRow("deadlock long cycle")
        << u"deadlock"_s
        << json(R"({"deadlock":true,"detected_ms":612,"cycle":["philosopher-1","fork-2","philosopher-2","fork-3",
                    "philosopher-3","fork-4","philosopher-4","fork-5","philosopher-5","fork-1"]})")
        << u"deadlock"_s
        << u"Deadlock after 612 ms: philosopher-1 → fork-2 → philosopher-2 → fork-3 → … → philosopher-5 → fork-1 → philosopher-1"_s;
    QTest::newRow("deadlock without cycle") << u"deadlock"_s << json(R"({"deadlock":true})") << u"deadlock"_s
                                            << u"Deadlock"_s;
    QTest::newRow("no deadlock") << u"deadlock"_s << json(R"({"deadlock":false,"meals":15,"meals_each":[3,3,3,3,3]})")
                                 << u"completed"_s << u"No deadlock: 15 meals eaten"_s;
    QTest::newRow("no deadlock yet") << u"deadlock"_s << json(R"({"deadlock":false,"meals":1})") << QString()
                                     << u"No deadlock yet: 1 meal eaten"_s;
    QTest::newRow("deadlock empty") << u"deadlock"_s << QJsonObject{} << QString() << u"No results yet."_s;

    QTest::newRow("producer_consumer")
        << u"producer_consumer"_s
        << json(R"({"produced":10,"consumed":10,"stranded":0,"max_depth":3,"mean_depth":0.214,"mean_wait_ms":0.2})")
        << u"completed"_s
        << u"produced 10, consumed 10, 0 stranded; queue depth max 3, mean 0.21; items waited 0.2 ms on average"_s;
    QTest::newRow("producer_consumer stuck")
        << u"producer_consumer"_s
        << json(R"({"produced":7,"consumed":2,"stranded":5,"max_depth":5,"mean_depth":4,"mean_wait_ms":12.5,"stuck":true})")
        << u"completed"_s
        << u"produced 7, consumed 2, 5 stranded; queue depth max 5, mean 4; items waited 12.5 ms on average.\n"
           u"Stuck: every consumer quit while the queue was full"_s;
    QTest::newRow("producer_consumer no queue yet")
        << u"producer_consumer"_s << json(R"({"produced":0,"consumed":0,"stranded":0,"mean_wait_ms":0})") << QString()
        << u"produced 0, consumed 0, 0 stranded; items waited 0 ms on average"_s;

    QTest::newRow("thread_pool")
        << u"thread_pool"_s
        << json(R"({"tasks":20,"threads_created":4,"max_concurrent":4,"mean_queue_wait_ms":126.3,
                    "mean_run_ms":99.8,"utilization":0.94})")
        << u"completed"_s << u"20 tasks on 4 threads; mean queue wait 126 ms, utilization 94%"_s;
    QTest::newRow("thread_pool partial") << u"thread_pool"_s << json(R"({"tasks":0})") << QString() << u"0 tasks"_s;

    QTest::newRow("unknown scenario") << u"imported"_s << json(R"({"b_value":2.5,"a_flag":true,"list":[1]})")
                                      << u"completed"_s << u"a flag yes, b value 2.5"_s;
    QTest::newRow("wrong types") << u"race"_s << json(R"({"expected":"many","actual":null})") << QString()
                                 << u"expected many"_s;
    QTest::newRow("nothing readable") << u"race"_s << json(R"({"cycle":[]})") << QString() << u"No results yet."_s;
}

void TestLessonView::outcomeText()
{
    QFETCH(QString, scenario);
    QFETCH(QJsonObject, outcome);
    QFETCH(QString, ended);
    QFETCH(QString, text);
    QCOMPARE(interleave::outcomeText(scenario, outcome, ended), text);
}

void TestLessonView::outcomeTextCoversEveryScenario()
{
    // Each lesson's declared outcome keys, all zero, give its own sentence, not the generic list.
    for (const ScenarioEntry& entry : ScenarioRegistry::instance().all()) {
        QJsonObject o;
        for (const QString& key : entry.info.outcomeKeys)
            o.insert(key, 0);
        const QString text = interleave::outcomeText(entry.info.id, o, u"completed"_s);
        QVERIFY2(!text.isEmpty(), qPrintable(entry.info.id));
        QVERIFY2(!text.contains(u'_'), qPrintable(entry.info.id + u": "_s + text));
        QVERIFY2(!text.startsWith(u"No results"_s), qPrintable(entry.info.id));
    }
}

void TestLessonView::formatNumber_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("large") << 126.4 << u"126"_s;
    QTest::newRow("tens") << 94.83 << u"94.8"_s;
    QTest::newRow("whole") << 3.0 << u"3"_s;
    QTest::newRow("small") << 0.2 << u"0.2"_s;
    QTest::newRow("tiny") << 0.042 << u"0.04"_s;
    QTest::newRow("zero") << 0.0 << u"0"_s;
    QTest::newRow("negative zero") << -0.001 << u"0"_s;
    QTest::newRow("not a number") << std::nan("") << u"–"_s;
}

void TestLessonView::formatNumber()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(formatOutcomeNumber(value), text);
}

void TestLessonView::raceLesson()
{
    LessonView view;
    view.setLesson(u"race"_s);
    QCOMPARE(view.lessonId(), u"race"_s);
    const QString text = view.textView()->toPlainText();
    QVERIFY(!text.isEmpty());
    QVERIFY2(text.contains(u"What to look for"_s), qPrintable(text.left(200)));
    // Rendered, not shown as source: the heading's '#' and the code spans' backticks are gone.
    QVERIFY(!text.contains(u"## "_s));
    QVERIFY(!text.contains(u'`'));

    const QString program = view.programView()->toPlainText();
    QVERIFY(program.contains(u"threading"_s));
    QVERIFY(view.programView()->isReadOnly());
    // Measured, not taken from fontconfig's word for it (Noto Sans Mono is not marked fixed).
    QVERIFY2(hasFixedAdvances(view.programView()->font()), qPrintable(view.programView()->font().toString()));
    QCOMPARE(view.tabs()->tabText(view.tabs()->indexOf(view.programView())), u"race.py"_s);
}

void TestLessonView::everyLessonLoads()
{
    LessonView view;
    for (const QString& id : ScenarioRegistry::instance().ids()) {
        view.setLesson(id);
        QVERIFY2(!view.textView()->toPlainText().contains(u"No lesson text"_s), qPrintable(id));
        // The questions are the window's to ask before a run (class mode), not part of the text.
        QVERIFY2(!view.textView()->toPlainText().contains(u"answered by"_s), qPrintable(id));
        QVERIFY2(view.programView()->toPlainText().contains(u"import"_s), qPrintable(id));
    }
}

void TestLessonView::unknownLesson()
{
    LessonView view;
    view.setLesson(u"race"_s);
    view.setLesson(u"no_such_lesson"_s);
    QVERIFY2(view.textView()->toPlainText().contains(u"No lesson text for no_such_lesson"_s),
             qPrintable(view.textView()->toPlainText()));
    QVERIFY(!view.programView()->toPlainText().contains(u"threading"_s));
    // No lesson at all (an opened trace of another tool): what the timeline shows instead.
    view.setLesson(QString());
    QVERIFY2(view.textView()->toPlainText().contains(u"An opened trace"_s), qPrintable(view.textView()->toPlainText()));
    QVERIFY(view.programView()->toPlainText().isEmpty());
}

void TestLessonView::outcomePanel()
{
    LessonView view;
    view.setLesson(u"race"_s);
    QVERIFY(view.outcomePlainText().isEmpty());
    QVERIFY(!view.outcomeLabel()->text().isEmpty()); // a hint, not a blank box

    const QJsonObject o = json(R"({"expected":40000,"actual":31822,"lost_updates":8178})");
    view.setOutcome(u"race"_s, o, QString());
    QCOMPARE(view.outcomePlainText(), u"expected 40000, got 31822: 8178 updates lost"_s);
    QVERIFY(view.outcomeLabel()->text().contains(u"8178 updates lost"_s));
    QVERIFY(view.outcomeLabel()->text().contains(u"running"_s));
    view.setOutcome(u"race"_s, o, u"completed"_s);
    QVERIFY(view.outcomeLabel()->text().contains(u"finished"_s));
    // Bigger than the surrounding text, for the back row.
    QVERIFY(view.outcomeLabel()->font().pointSizeF() > view.font().pointSizeF() * 1.2);

    // Names from the program are escaped, never interpreted as markup.
    view.setOutcome(u"deadlock"_s, json(R"({"deadlock":true,"cycle":["<b>a","fork&1"]})"), u"deadlock"_s);
    QVERIFY(view.outcomeLabel()->text().contains(u"&lt;b&gt;a"_s));

    view.setLesson(u"deadlock"_s);
    QVERIFY(view.outcomePlainText().isEmpty());
}

void TestLessonView::highlighter()
{
    QTextDocument doc;
    doc.setPlainText(u"@decorator\n"
                     u"def worker(n):  # a comment with \"quotes\"\n"
                     u"    \"\"\"A docstring\n"
                     u"    across # lines\n"
                     u"    ends here\"\"\"\n"
                     u"    print('#not a comment', 0x1F, 3.5e2)\n"
                     u"    return q.print\n"_s);
    PythonHighlighter h(&doc);
    h.rehighlight(); // attaching to a filled document highlights on the next event loop pass
    const auto colour = [&h](PythonHighlighter::Role role) { return h.format(role).foreground().color(); };
    using R = PythonHighlighter::Role;

    QCOMPARE(colourAt(doc, 0, 0), colour(R::Decorator));
    QCOMPARE(colourAt(doc, 1, 0), colour(R::Keyword));      // def
    QCOMPARE(colourAt(doc, 1, 4), colour(R::Definition));   // worker
    QCOMPARE(colourAt(doc, 1, 16), colour(R::Comment));     // '#'
    QCOMPARE(colourAt(doc, 1, 35), colour(R::Comment));     // the quote inside the comment
    QCOMPARE(colourAt(doc, 2, 4), colour(R::String));       // opening """
    QCOMPARE(colourAt(doc, 3, 11), colour(R::String));      // '#' inside the docstring
    QCOMPARE(colourAt(doc, 4, 4), colour(R::String));       // still the docstring
    QCOMPARE(doc.findBlockByNumber(4).userState(), 0);      // closed at the end of block 4
    QCOMPARE(colourAt(doc, 5, 4), colour(R::Builtin));      // print
    QCOMPARE(colourAt(doc, 5, 11), colour(R::String));      // '#' inside a string
    QCOMPARE(colourAt(doc, 5, 30), colour(R::Number));      // 0x1F
    QCOMPARE(colourAt(doc, 5, 36), colour(R::Number));      // 3.5e2
    QCOMPARE(colourAt(doc, 6, 4), colour(R::Keyword));      // return
    QVERIFY(!colourAt(doc, 6, 13).isValid());               // .print is an attribute, not the builtin
}

void TestLessonView::highlighterFollowsPalette()
{
    QTextDocument doc;
    PythonHighlighter h(&doc);
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));

    h.setPalette(light);
    QVERIFY(!h.darkColours());
    const QColor lightKeyword = h.format(PythonHighlighter::Role::Keyword).foreground().color();
    h.setPalette(dark);
    QVERIFY(h.darkColours());
    const QColor darkKeyword = h.format(PythonHighlighter::Role::Keyword).foreground().color();
    // Each set stands out from its own background.
    QVERIFY(lightKeyword.lightness() < 128);
    QVERIFY(darkKeyword.lightness() > 128);
}

void TestLessonView::monospaceFontIsMeasuredFixed()
{
    // The measure itself tells a proportional font from a fixed one.
    QFont proportional(u"DejaVu Sans"_s);
    proportional.setStyleHint(QFont::SansSerif);
    QVERIFY(!hasFixedAdvances(proportional));
    QVERIFY(hasFixedAdvances(QFont(u"DejaVu Sans Mono"_s)));
    // A proportional family asked for first is passed over for one that measures fixed, as the
    // system's fixed font is when fontconfig gives a proportional one (or one not marked fixed).
    QVERIFY(hasFixedAdvances(monospaceFont({u"DejaVu Sans"_s})));
    QVERIFY(hasFixedAdvances(monospaceFont()));
}

QTEST_MAIN(TestLessonView)
#include "tst_lessonview.moc"
