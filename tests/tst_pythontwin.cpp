// The Python twin follows the settings: PythonTwin writes values into a twin's constants, the
// LessonView's Python tab shows them as they change, and python3 itself reads every lesson's
// program, at its defaults and at other settings, with exactly those values.
#include "lessons.h"
#include "lessonview.h"
#include "parameterpanel.h"
#include "pythontwin.h"

#include <QCheckBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace interleave;

Q_DECLARE_METATYPE(interleave::ParamSpec)

namespace {

QString resourceText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString twinOf(const QString& id)
{
    return resourceText(u":/lessons/"_s + id + u".py"_s);
}

// Other values than the defaults for every parameter: the far end of a range, the other truth,
// the next choice.
std::vector<double> otherValues(const ParamSchema& schema)
{
    std::vector<double> v = schema.defaults();
    for (int i = 0; i < schema.size(); ++i) {
        const ParamSpec& s = schema.at(i);
        double& x = v[std::size_t(i)];
        switch (s.type) {
        case ParamSpec::Type::Int:
        case ParamSpec::Type::Double:
            x = x != s.max ? s.max : s.min;
            break;
        case ParamSpec::Type::Bool:
            x = x != 0 ? 0 : 1;
            break;
        case ParamSpec::Type::Choice:
            x = double((int(x) + 1) % int(s.choices.size()));
            break;
        }
    }
    return v;
}

// The module-level NAME = <constant> assignments, as python3's own parser reads the program,
// as JSON ({"THREADS": 8, "LOCK": true, ...}). Fails the test when the program does not parse.
QJsonObject constantsByPython(const QString& program, QString* error)
{
    static const QString script = uR"(import ast, json, sys
tree = ast.parse(sys.stdin.read())
compile(tree, "twin", "exec")
out = {}
for node in tree.body:
    if (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant)):
        out.setdefault(node.targets[0].id, node.value.value)
print(json.dumps(out))
)"_s;
    QProcess python;
    python.start(QStringLiteral(PYTHON3_EXE), {u"-c"_s, script});
    if (!python.waitForStarted(30'000)) {
        *error = u"python3 did not start"_s;
        return {};
    }
    python.write(program.toUtf8());
    python.closeWriteChannel();
    if (!python.waitForFinished(60'000) || python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
        *error = QString::fromUtf8(python.readAllStandardError());
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

// The line of `program` that assigns `name` at module level.
QString constantLineOf(const QString& program, const QString& name)
{
    for (const QString& line : program.split(u'\n')) {
        if (line.startsWith(name + u' ') || line.startsWith(name + u'='))
            return line;
    }
    return {};
}

} // namespace

class TestPythonTwin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void literal_data();
    void literal();
    void parseLiteral_data();
    void parseLiteral();
    void rewritesExactlyTheConstants();
    void pythonReadsTheSettings_data();
    void pythonReadsTheSettings();
    void viewFollowsEverySetting_data();
    void viewFollowsEverySetting();
    void viewFollowsTheParameterPanel();
    void viewKeepsTheReadersPlace();
    void linesFitTheTab();
};

void TestPythonTwin::literal_data()
{
    QTest::addColumn<ParamSpec>("spec");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("grouped");
    QTest::addColumn<QString>("text");
    const ParamSpec count = ParamSpec::integer(u"n"_s, 0, 10'000'000, 4, {}, {});
    const ParamSpec ratio = ParamSpec::real(u"r"_s, 0, 10, 1, {}, {});
    const ParamSpec flag = ParamSpec::boolean(u"b"_s, false, {});
    const ParamSpec pick = ParamSpec::choice(u"c"_s, {u"naive"_s, u"ordered"_s}, 0, {});
    QTest::newRow("int") << count << 8.0 << false << u"8"_s;
    // Not "1e+07", which python3 reads as a float.
    QTest::newRow("large int") << count << 10'000'000.0 << false << u"10000000"_s;
    QTest::newRow("grouped int") << count << 10'000'000.0 << true << u"10_000_000"_s;
    QTest::newRow("grouped small int") << count << 500.0 << true << u"500"_s;
    QTest::newRow("grouped int of 4 digits") << count << 1000.0 << true << u"1_000"_s;
    QTest::newRow("whole real") << ratio << 2.0 << false << u"2.0"_s;
    QTest::newRow("real") << ratio << 2.5 << false << u"2.5"_s;
    QTest::newRow("true") << flag << 1.0 << false << u"True"_s;
    QTest::newRow("false") << flag << 0.0 << false << u"False"_s;
    QTest::newRow("choice") << pick << 1.0 << false << u"\"ordered\""_s;
}

void TestPythonTwin::literal()
{
    QFETCH(ParamSpec, spec);
    QFETCH(double, value);
    QFETCH(bool, grouped);
    QFETCH(QString, text);
    QCOMPARE(PythonTwin::literal(spec, value, grouped), text);
    QCOMPARE(PythonTwin::parseLiteral(spec, text), std::optional<double>(value)); // and back
}

void TestPythonTwin::parseLiteral_data()
{
    QTest::addColumn<ParamSpec>("spec");
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("value"); // NaN: not a literal of the spec's type
    const ParamSpec count = ParamSpec::integer(u"n"_s, 0, 1'000'000, 4, {}, {});
    const ParamSpec flag = ParamSpec::boolean(u"b"_s, false, {});
    const ParamSpec pick = ParamSpec::choice(u"c"_s, {u"naive"_s, u"ordered"_s}, 0, {});
    const double none = std::nan("");
    QTest::newRow("underscores") << count << u"50_000"_s << 50'000.0;
    QTest::newRow("float for an int") << count << u"4.5"_s << none;
    QTest::newRow("bool for an int") << count << u"True"_s << none;
    QTest::newRow("lower-case true") << flag << u"true"_s << none;
    QTest::newRow("single quotes") << pick << u"'ordered'"_s << 1.0;
    QTest::newRow("unknown choice") << pick << u"\"trylock\""_s << none;
    QTest::newRow("unquoted choice") << pick << u"naive"_s << none;
    QTest::newRow("mismatched quotes") << pick << u"\"naive'"_s << none;
}

void TestPythonTwin::parseLiteral()
{
    QFETCH(ParamSpec, spec);
    QFETCH(QString, text);
    QFETCH(double, value);
    const std::optional<double> parsed = PythonTwin::parseLiteral(spec, text);
    if (std::isnan(value))
        QVERIFY2(!parsed, qPrintable(text));
    else
        QCOMPARE(parsed, std::optional<double>(value));
}

void TestPythonTwin::rewritesExactlyTheConstants()
{
    const ParamSchema schema{
        ParamSpec::integer(u"threads"_s, 1, 64, 4, {}, {}),
        ParamSpec::integer(u"increments"_s, 1, 10'000'000, 50'000, {}, {}),
        ParamSpec::boolean(u"lock"_s, false, {}),
        ParamSpec::choice(u"strategy"_s, {u"naive"_s, u"ordered"_s}, 0, {}),
        ParamSpec::integer(u"window_us"_s, 0, 100, 0, {}, {}),
    };
    const QString program = uR"("""Run it, then set LOCK = True
LOCK = True
"""
THREADS = 4      # threads
INCREMENTS = 50_000
LOCK = False  # a lock?
STRATEGY = "naive"   # "naive" | "ordered" # and more
WINDOW = 3


def f():
    THREADS = 2
THREADS = 9
)"_s;
    const PythonTwin twin(program, schema);
    QCOMPARE(twin.missingKeys(), QStringList{u"window_us"_s}); // WINDOW is another name
    QCOMPARE(twin.programValue(0), std::optional<double>(4));
    QCOMPARE(twin.programValue(1), std::optional<double>(50'000));
    QCOMPARE(twin.programValue(3), std::optional<double>(0));
    QVERIFY(!twin.programValue(4));

    // The program's own values leave it as written.
    QCOMPARE(twin.program({4, 50'000, 0, 0, 0}), program);
    QCOMPARE(twin.program({}), program);

    const QString expected = uR"("""Run it, then set LOCK = True
LOCK = True
"""
THREADS = 12     # threads
INCREMENTS = 1_000_000
LOCK = True   # a lock?
STRATEGY = "ordered"  # "naive" | "ordered" # and more
WINDOW = 3


def f():
    THREADS = 2
THREADS = 9
)"_s;
    QCOMPARE(twin.program({12, 1'000'000, 1, 1, 7}), expected);
}

void TestPythonTwin::pythonReadsTheSettings_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("defaults");
    for (const LessonCard& card : Lessons::all()) {
        QTest::newRow(qPrintable(card.id + u" defaults"_s)) << card.id << true;
        QTest::newRow(qPrintable(card.id + u" other settings"_s)) << card.id << false;
    }
}

void TestPythonTwin::pythonReadsTheSettings()
{
    QFETCH(QString, id);
    QFETCH(bool, defaults);
    if (QStringLiteral(PYTHON3_EXE).isEmpty())
        QSKIP("no python3 found when configuring");
    const ParamSchema schema = Lessons::find(id)->schema;
    const std::vector<double> values = defaults ? schema.defaults() : otherValues(schema);
    const QString twin = twinOf(id);
    QVERIFY(!twin.isEmpty());
    // At the defaults, the twin exactly as shipped: its own constants must be the lesson's.
    const QString program = defaults ? twin : PythonTwin(twin, schema).program(values);
    QString error;
    const QJsonObject constants = constantsByPython(program, &error);
    QVERIFY2(error.isEmpty(), qPrintable(id + u": "_s + error));
    for (int i = 0; i < schema.size(); ++i) {
        const ParamSpec& spec = schema.at(i);
        const QString name = PythonTwin::constantName(spec.key);
        if (!constants.contains(name) && twin.contains(u"# "_s + name + u": not in this program"_s))
            continue; // the twin says why it has no such constant
        QVERIFY2(constants.contains(name), qPrintable(u"%1.py has no constant %2"_s.arg(id, name)));
        const QJsonObject got{{name, constants.value(name)}};
        QVERIFY2(constants.value(name) == spec.toJson(values[std::size_t(i)]),
                 qPrintable(u"%1.py: python3 reads %2, the lesson's %3 is %4"_s.arg(
                     id, QString::fromUtf8(QJsonDocument(got).toJson(QJsonDocument::Compact)), spec.key,
                     spec.valueText(values[std::size_t(i)]))));
    }
}

void TestPythonTwin::viewFollowsEverySetting_data()
{
    QTest::addColumn<QString>("id");
    for (const LessonCard& card : Lessons::all())
        QTest::newRow(qPrintable(card.id)) << card.id;
}

void TestPythonTwin::viewFollowsEverySetting()
{
    QFETCH(QString, id);
    const ParamSchema schema = Lessons::find(id)->schema;
    const std::vector<double> other = otherValues(schema);
    LessonView view;
    view.setLesson(id);
    const QString shipped = view.programView()->toPlainText();
    QCOMPARE(shipped, twinOf(id)); // at the defaults, the twin as written
    QStringList before = shipped.split(u'\n');
    for (int i = 0; i < schema.size(); ++i) {
        const ParamSpec& spec = schema.at(i);
        const QString name = PythonTwin::constantName(spec.key);
        view.setValue(spec.key, other[std::size_t(i)]);
        const QStringList after = view.programView()->toPlainText().split(u'\n');
        QCOMPARE(after.size(), before.size());
        // Exactly one line changed, the constant's, and it now holds the new value.
        int changed = -1;
        for (int n = 0; n < after.size(); ++n) {
            if (after[n] != before[n]) {
                QVERIFY2(changed < 0, qPrintable(id + u": a second line changed: "_s + after[n]));
                changed = n;
            }
        }
        QVERIFY2(changed >= 0, qPrintable(id + u": nothing changed for "_s + spec.key));
        QVERIFY2(after[changed].startsWith(name + u" = "_s + PythonTwin::literal(spec, other[std::size_t(i)], true))
                     || after[changed].startsWith(name + u" = "_s + PythonTwin::literal(spec, other[std::size_t(i)])),
                 qPrintable(after[changed]));
        before = after;
    }
    QVERIFY(view.values() == other);

    // Back to the defaults: the program as shipped again.
    view.setValues(schema.defaults());
    QCOMPARE(view.programView()->toPlainText(), shipped);
    // A lesson picked with settings shows them at once.
    view.setLesson(id, other);
    QCOMPARE(view.programView()->toPlainText(), PythonTwin(twinOf(id), schema).program(other));
}

void TestPythonTwin::viewFollowsTheParameterPanel()
{
    // The panel and the view wired as the window wires them: a user's change reaches the tab.
    const ParamSchema schema = Lessons::find(u"race"_s)->schema;
    ParameterPanel panel;
    panel.setSchema(schema, schema.defaults());
    LessonView view;
    view.setLesson(u"race"_s, panel.values());
    connect(&panel, &ParameterPanel::valueChanged, &view, &LessonView::setValue);
    const QPlainTextEdit* program = view.programView();
    QVERIFY(constantLineOf(program->toPlainText(), u"THREADS"_s).startsWith(u"THREADS = 4 "_s));

    auto* threads = panel.findChild<QSpinBox*>(u"param_threads"_s);
    QVERIFY(threads);
    threads->setValue(8);
    QVERIFY2(constantLineOf(program->toPlainText(), u"THREADS"_s).startsWith(u"THREADS = 8 "_s),
             qPrintable(constantLineOf(program->toPlainText(), u"THREADS"_s)));

    auto* lock = panel.findChild<QCheckBox*>(u"param_lock"_s);
    QVERIFY(lock);
    lock->click();
    QVERIFY2(constantLineOf(program->toPlainText(), u"LOCK"_s).startsWith(u"LOCK = True "_s),
             qPrintable(constantLineOf(program->toPlainText(), u"LOCK"_s)));

    auto* increments = panel.findChild<QSlider*>(u"param_increments_slider"_s);
    QVERIFY(increments);
    increments->setValue(increments->maximum());
    QVERIFY2(constantLineOf(program->toPlainText(), u"INCREMENTS"_s).startsWith(u"INCREMENTS = 10000000 "_s),
             qPrintable(constantLineOf(program->toPlainText(), u"INCREMENTS"_s)));

    panel.resetToDefaults();
    QCOMPARE(program->toPlainText(), twinOf(u"race"_s));
}

void TestPythonTwin::viewKeepsTheReadersPlace()
{
    LessonView view;
    view.resize(300, 200); // far smaller than the program: it scrolls both ways
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.tabs()->setCurrentWidget(view.programView());
    view.setLesson(u"deadlock"_s);
    QPlainTextEdit* program = view.programView();
    QTRY_VERIFY(program->verticalScrollBar()->maximum() > 0);
    program->verticalScrollBar()->setValue(program->verticalScrollBar()->maximum());
    program->horizontalScrollBar()->setValue(program->horizontalScrollBar()->maximum() / 2);
    const int top = program->verticalScrollBar()->value();
    const int left = program->horizontalScrollBar()->value();
    QVERIFY(top > 0);

    view.setValue(u"strategy"_s, 2); // trylock
    QVERIFY(constantLineOf(program->toPlainText(), u"STRATEGY"_s).startsWith(u"STRATEGY = \"trylock\""_s));
    QCOMPARE(program->verticalScrollBar()->value(), top);
    QCOMPARE(program->horizontalScrollBar()->value(), left);
}

void TestPythonTwin::linesFitTheTab()
{
    // Every line can be read whole: at a side panel's width, wherever the reader is in the
    // program, the tab scrolls sideways as far as the widest line on screen reaches (no
    // wrapping, which would break Python's indentation). QPlainTextEdit lays lines out as they
    // come into view, so this is checked page by page, as a reader scrolls down.
    LessonView view;
    view.resize(320, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.tabs()->setCurrentWidget(view.programView());
    QPlainTextEdit* program = view.programView();
    QCOMPARE(program->lineWrapMode(), QPlainTextEdit::NoWrap);
    QVERIFY(program->horizontalScrollBarPolicy() != Qt::ScrollBarAlwaysOff);
    QScrollBar* hbar = program->horizontalScrollBar();
    QScrollBar* vbar = program->verticalScrollBar();
    const QFontMetricsF metrics(program->font());
    const auto widestOnScreen = [&] {
        const int first = program->cursorForPosition(QPoint(0, 0)).blockNumber();
        const int last = program->cursorForPosition(QPoint(0, program->viewport()->height() - 1)).blockNumber();
        qreal widest = 0;
        for (int n = first; n <= last; ++n)
            widest = std::max(widest, metrics.horizontalAdvance(program->document()->findBlockByNumber(n).text()));
        return widest;
    };
    for (const LessonCard& card : Lessons::all()) {
        view.setLesson(card.id, otherValues(card.schema));
        int checked = 0;
        for (int page = 0;; ++page) {
            vbar->setValue(page * std::max(1, vbar->pageStep()));
            const qreal widest = widestOnScreen();
            if (widest > program->viewport()->width()) { // else nothing to scroll to on this page
                ++checked;
                // Scrolled to its end, the viewport's right edge is at or past the line's end.
                QTRY_VERIFY2(hbar->maximum() + program->viewport()->width() >= widest,
                             qPrintable(u"%1, page %2"_s.arg(card.id).arg(page)));
                QTRY_VERIFY2(hbar->isVisible(), qPrintable(card.id)); // shown once the area lays out
            }
            if (vbar->value() >= vbar->maximum())
                break;
        }
        QVERIFY2(checked > 0, qPrintable(card.id)); // every twin is wider than a side panel
    }
}

QTEST_MAIN(TestPythonTwin)
#include "tst_pythontwin.moc"
