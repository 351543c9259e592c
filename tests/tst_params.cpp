// ParamSpec / ParamSchema: parsing, validation, and messages that say what is allowed.
#include "params.h"
#include "scenario.h"

#include <QTest>

using namespace interleave;
using namespace Qt::StringLiterals;

class TestParams : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void assignment_data();
    void assignment();
    void everyBuiltinSchemaIsSane();
    void valuesAreWrittenAsSetTakesThem();
};

namespace {
ParamSchema schema()
{
    return ParamSchema{
        ParamSpec::integer(u"threads"_s, 1, 64, 4, u"threads"_s, u"help"_s),
        ParamSpec::real(u"ratio"_s, 0.5, 2.0, 1.0, u"x"_s, u"help"_s),
        ParamSpec::boolean(u"lock"_s, false, u"help"_s),
        ParamSpec::choice(u"strategy"_s, {u"naive"_s, u"ordered"_s, u"trylock"_s}, 0, u"help"_s),
    };
}
} // namespace

void TestParams::parse_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("errorMentions");
    QTest::newRow("int") << u"threads"_s << u"8"_s << true << 8.0 << QString();
    QTest::newRow("int spaces") << u"threads"_s << u" 8 "_s << true << 8.0 << QString();
    QTest::newRow("int low") << u"threads"_s << u"0"_s << false << 0.0 << u"1..64"_s;
    QTest::newRow("int high") << u"threads"_s << u"65"_s << false << 0.0 << u"out of range"_s;
    QTest::newRow("int fraction") << u"threads"_s << u"2.5"_s << false << 0.0 << u"not an integer"_s;
    QTest::newRow("int text") << u"threads"_s << u"many"_s << false << 0.0 << u"'many'"_s;
    QTest::newRow("int huge") << u"threads"_s << u"99999999999999999999"_s << false << 0.0 << u"1..64"_s;
    QTest::newRow("real") << u"ratio"_s << u"1.5"_s << true << 1.5 << QString();
    QTest::newRow("real low") << u"ratio"_s << u"0.1"_s << false << 0.0 << u"0.5..2"_s;
    QTest::newRow("real nan") << u"ratio"_s << u"nan"_s << false << 0.0 << u"not a number"_s;
    QTest::newRow("real inf") << u"ratio"_s << u"inf"_s << false << 0.0 << u"not a number"_s;
    QTest::newRow("bool on") << u"lock"_s << u"on"_s << true << 1.0 << QString();
    QTest::newRow("bool TRUE") << u"lock"_s << u"TRUE"_s << true << 1.0 << QString();
    QTest::newRow("bool 0") << u"lock"_s << u"0"_s << true << 0.0 << QString();
    QTest::newRow("bool no") << u"lock"_s << u"no"_s << true << 0.0 << QString();
    QTest::newRow("bool bad") << u"lock"_s << u"maybe"_s << false << 0.0 << u"on|off"_s;
    QTest::newRow("choice") << u"strategy"_s << u"trylock"_s << true << 2.0 << QString();
    QTest::newRow("choice case") << u"strategy"_s << u"Ordered"_s << true << 1.0 << QString();
    QTest::newRow("choice bad") << u"strategy"_s << u"random"_s << false << 0.0 << u"naive|ordered|trylock"_s;
    QTest::newRow("choice index") << u"strategy"_s << u"1"_s << false << 0.0 << u"naive|ordered|trylock"_s;
}

void TestParams::parse()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, value);
    QFETCH(QString, errorMentions);
    const ParamSchema s = schema();
    QString error;
    const auto v = s.at(s.indexOf(key)).parse(text, &error);
    QCOMPARE(v.has_value(), ok);
    if (ok) {
        QCOMPARE(*v, value);
    } else {
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QVERIFY(error.contains(key));
    }
}

void TestParams::assignment_data()
{
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("errorMentions");
    QTest::newRow("good") << u"threads=3"_s << true << QString();
    QTest::newRow("value with =") << u"threads=3=4"_s << false << u"'3=4'"_s;
    QTest::newRow("no =") << u"threads"_s << false << u"key=value"_s;
    QTest::newRow("empty key") << u"=3"_s << false << u"key=value"_s;
    QTest::newRow("empty value") << u"threads="_s << false << u"threads"_s;
    QTest::newRow("unknown key") << u"colour=red"_s << false << u"threads, ratio, lock, strategy"_s;
}

void TestParams::assignment()
{
    QFETCH(QString, assignment);
    QFETCH(bool, ok);
    QFETCH(QString, errorMentions);
    const ParamSchema s = schema();
    std::vector<double> values = s.defaults();
    QString error;
    QCOMPARE(s.applyAssignment(assignment, values, &error), ok);
    if (ok)
        QCOMPARE(values[0], 3.0);
    else
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
}

void TestParams::everyBuiltinSchemaIsSane()
{
    for (const ScenarioEntry& e : ScenarioRegistry::instance().all()) {
        QVERIFY(!e.info.id.isEmpty());
        QVERIFY(!e.info.title.isEmpty());
        QVERIFY(!e.info.outcomeKeys.isEmpty());
        for (const ParamSpec& p : e.info.schema.specs()) {
            QVERIFY2(p.min <= p.defaultValue && p.defaultValue <= p.max, qPrintable(e.info.id + u'.' + p.key));
            QVERIFY(!p.help.isEmpty());
            QString error;
            QVERIFY2(p.validate(p.defaultValue, &error), qPrintable(error));
            // The default survives a round trip through its own text form.
            const QJsonValue json = p.toJson(p.defaultValue);
            const QString text = p.type == ParamSpec::Type::Bool ? (json.toBool() ? u"on"_s : u"off"_s)
                                                                 : json.toVariant().toString();
            QCOMPARE(p.parse(text, &error).value_or(-12345), p.defaultValue);
        }
        QVERIFY(e.create() != nullptr);
    }
}

// As `--set key=value` takes them back: whole numbers in digits however large (10000000, not
// 1e+07), booleans as on/off, choices by name.
void TestParams::valuesAreWrittenAsSetTakesThem()
{
    const ParamSpec n = ParamSpec::integer(u"increments"_s, 1, 10'000'000, 10'000, u""_s, u""_s);
    QCOMPARE(n.valueText(10'000'000), u"10000000"_s);
    QCOMPARE(n.valueText(1'000'000), u"1000000"_s);
    QCOMPARE(n.valueText(7), u"7"_s);
    QCOMPARE(ParamSpec::real(u"ratio"_s, 0, 10, 1, u""_s, u""_s).valueText(2.5), u"2.5"_s);
    QCOMPARE(ParamSpec::boolean(u"lock"_s, false, u""_s).valueText(1), u"on"_s);
    QCOMPARE(ParamSpec::choice(u"mode"_s, {u"a"_s, u"b"_s}, 0, u""_s).valueText(1), u"b"_s);
}

QTEST_GUILESS_MAIN(TestParams)
#include "tst_params.moc"
