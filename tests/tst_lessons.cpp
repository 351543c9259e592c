// Every lesson has its text and its Python program, the text speaks of real parameters, and the
// program's constants are the lesson's settings at their defaults.
#include "pythontwin.h"
#include "scenario.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace interleave;
using namespace Qt::StringLiterals;

class TestLessons : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyScenarioHasALesson_data();
    void everyScenarioHasALesson();

private:
    static QString read(const QString& path);
};

QString TestLessons::read(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

void TestLessons::everyScenarioHasALesson_data()
{
    QTest::addColumn<QString>("id");
    for (const ScenarioEntry& e : ScenarioRegistry::instance().all())
        QTest::newRow(qPrintable(e.info.id)) << e.info.id;
}

void TestLessons::everyScenarioHasALesson()
{
    QFETCH(QString, id);
    const QDir dir(QStringLiteral(LESSONS_DIR));
    const QString md = read(dir.filePath(id + u".md"_s));
    const QString py = read(dir.filePath(id + u".py"_s));
    QVERIFY2(!md.isEmpty(), qPrintable(u"missing or empty "_s + id + u".md"_s));
    QVERIFY2(!py.isEmpty(), qPrintable(u"missing or empty "_s + id + u".py"_s));
    QVERIFY(md.startsWith(u"# "_s));
    QVERIFY2(md.contains(u"\n## What to look for"_s), qPrintable(id));
    QVERIFY2(md.contains(u"\n## Try this"_s), qPrintable(id));
    QVERIFY(py.contains(u"if __name__ == \"__main__\":"_s));

    // Every `name` in backticks that looks like a parameter must be one of this lesson's.
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(id);
    const QStringList keys = entry->info.schema.keys();
    int mentioned = 0;
    for (const QString& key : keys)
        mentioned += md.contains(u'`' + key) ? 1 : 0;
    QVERIFY2(mentioned >= 2, qPrintable(u"%1.md names only %2 of its parameters"_s.arg(id).arg(mentioned)));
    // The Python program mirrors each parameter as an UPPER_CASE constant with the lesson's
    // default as its value (the Python tab writes the current settings into those lines), or
    // says in a comment why it has none.
    const ParamSchema& schema = entry->info.schema;
    const PythonTwin twin(py, schema);
    for (int i = 0; i < schema.size(); ++i) {
        const ParamSpec& spec = schema.at(i);
        const QString name = PythonTwin::constantName(spec.key);
        const std::optional<double> value = twin.programValue(i);
        if (!value && py.contains(u"# "_s + name + u": not in this program"_s))
            continue;
        QVERIFY2(value, qPrintable(u"%1.py has no constant %2 = <literal>"_s.arg(id, name)));
        QVERIFY2(*value == spec.defaultValue,
                 qPrintable(u"%1.py: %2 = %3, the lesson's default is %4"_s.arg(
                     id, name, PythonTwin::literal(spec, *value), PythonTwin::literal(spec, spec.defaultValue))));
    }
}

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
