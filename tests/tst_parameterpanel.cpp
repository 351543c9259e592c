// ParameterPanel: editors generated from the lessons' schemas, one valueChanged per user change.
#include "parameterpanel.h"
#include "scenario.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace interleave;

namespace {

const ParamSchema& schemaOf(const QString& id)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(id);
    Q_ASSERT(entry);
    return entry->info.schema;
}

ParamSchema manyChoicesSchema()
{
    return ParamSchema{
        ParamSpec::choice(u"colour"_s, {u"red"_s, u"green"_s, u"blue"_s, u"cyan"_s, u"magenta"_s}, 2, u"Five colours"_s),
        ParamSpec::real(u"ratio"_s, 0.0, 2.0, 0.5, u"x"_s, u"A real-valued parameter"_s),
    };
}

} // namespace

class TestParameterPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editors_data();
    void editors();
    void editorsDescribeThemselves();
    void manyChoicesUseComboBox();
    void spinBoxEmitsOnce_data();
    void spinBoxEmitsOnce();
    void sliderFollowsSpinBox();
    void sliderDragEmitsLive();
    void logSliderReachesWholeRange();
    void sliderMapping_data();
    void sliderMapping();
    void segmentedChoiceEmitsIndex_data();
    void segmentedChoiceEmitsIndex();
    void comboChoiceEmitsIndex();
    void switchEmits();
    void doubleEditor();
    void setValuesDoesNotEmit_data();
    void setValuesDoesNotEmit();
    void resetToDefaults_data();
    void resetToDefaults();
    void resetButton();
    void setSchemaRebuilds();
    void badValuesFallBack();
    void displayName_data();
    void displayName();
};

void TestParameterPanel::editors_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("editorClass");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<QStringList>("choices");

    QTest::newRow("race threads") << u"race"_s << u"threads"_s << u"QSpinBox"_s << 1.0 << 64.0 << QStringList{};
    QTest::newRow("race increments") << u"race"_s << u"increments"_s << u"QSpinBox"_s << 1.0 << 1e7 << QStringList{};
    QTest::newRow("race lock") << u"race"_s << u"lock"_s << u"QCheckBox"_s << 0.0 << 1.0 << QStringList{};
    QTest::newRow("race window_us") << u"race"_s << u"window_us"_s << u"QSpinBox"_s << 0.0 << 1e5 << QStringList{};
    QTest::newRow("deadlock philosophers")
        << u"deadlock"_s << u"philosophers"_s << u"QSpinBox"_s << 2.0 << 12.0 << QStringList{};
    QTest::newRow("deadlock think_ms") << u"deadlock"_s << u"think_ms"_s << u"QSpinBox"_s << 0.0 << 5000.0 << QStringList{};
    QTest::newRow("deadlock strategy") << u"deadlock"_s << u"strategy"_s << u"QWidget"_s << 0.0 << 2.0
                                       << QStringList{u"naive"_s, u"ordered"_s, u"trylock"_s};
}

void TestParameterPanel::editors()
{
    QFETCH(QString, scenario);
    QFETCH(QString, key);
    QFETCH(QString, editorClass);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(QStringList, choices);

    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(scenario);
    panel.setSchema(schema, schema.defaults());
    const double def = schema.at(schema.indexOf(key)).defaultValue;

    auto* editor = panel.findChild<QWidget*>(u"param_"_s + key);
    QVERIFY2(editor, qPrintable(key));
    QCOMPARE(QString::fromLatin1(editor->metaObject()->className()), editorClass);

    if (auto* spin = qobject_cast<QSpinBox*>(editor)) {
        QCOMPARE(spin->minimum(), int(min));
        QCOMPARE(spin->maximum(), int(max));
        QCOMPARE(spin->value(), int(def));
        auto* slider = panel.findChild<QSlider*>(u"param_"_s + key + u"_slider"_s);
        QVERIFY(slider);
        // The slider stands at the position nearest the value (log positions are approximate).
        QCOMPARE(slider->value(), SliderMapping::forSpec(schema.at(schema.indexOf(key))).toSlider(def));
    } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
        QCOMPARE(check->isChecked(), def != 0);
    } else {
        auto* group = editor->findChild<QButtonGroup*>();
        QVERIFY(group);
        QCOMPARE(group->buttons().size(), choices.size());
        QVERIFY(group->exclusive());
        for (int i = 0; i < choices.size(); ++i) {
            auto* button = panel.findChild<QToolButton*>(u"param_"_s + key + u'_' + choices[i]);
            QVERIFY(button);
            QCOMPARE(button->text(), choices[i]);
            QCOMPARE(group->id(button), i);
            QCOMPARE(button->isChecked(), i == int(def));
        }
    }
}

void TestParameterPanel::editorsDescribeThemselves()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"deadlock"_s);
    panel.setSchema(schema, schema.defaults());
    for (const ParamSpec& spec : schema.specs()) {
        auto* editor = panel.findChild<QWidget*>(u"param_"_s + spec.key);
        QVERIFY(editor);
        QCOMPARE(editor->toolTip(), spec.help);
        QCOMPARE(editor->accessibleName(), spec.key);
        QCOMPARE(editor->accessibleDescription(), spec.help);
    }
}

void TestParameterPanel::manyChoicesUseComboBox()
{
    ParameterPanel panel;
    const ParamSchema schema = manyChoicesSchema();
    panel.setSchema(schema, schema.defaults());
    auto* combo = panel.findChild<QComboBox*>(u"param_colour"_s);
    QVERIFY(combo);
    QCOMPARE(combo->count(), 5);
    QCOMPARE(combo->itemText(4), u"magenta"_s);
    QCOMPARE(combo->currentIndex(), 2);
}

void TestParameterPanel::spinBoxEmitsOnce_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("value");

    QTest::newRow("race threads") << u"race"_s << u"threads"_s << 8;
    QTest::newRow("race increments") << u"race"_s << u"increments"_s << 1234567;
    QTest::newRow("race window_us") << u"race"_s << u"window_us"_s << 20;
    QTest::newRow("deadlock philosophers") << u"deadlock"_s << u"philosophers"_s << 2;
    QTest::newRow("deadlock pickup_delay_ms") << u"deadlock"_s << u"pickup_delay_ms"_s << 0;
}

void TestParameterPanel::spinBoxEmitsOnce()
{
    QFETCH(QString, scenario);
    QFETCH(QString, key);
    QFETCH(int, value);

    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(scenario);
    panel.setSchema(schema, schema.defaults());
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);

    auto* spin = panel.findChild<QSpinBox*>(u"param_"_s + key);
    QVERIFY(spin);
    spin->setValue(value);

    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), key);
    QCOMPARE(spy.at(0).at(1).toDouble(), double(value));
    QCOMPARE(panel.values()[std::size_t(schema.indexOf(key))], double(value));

    // The same value again is no change.
    spin->setValue(value);
    QCOMPARE(spy.count(), 1);
}

void TestParameterPanel::sliderFollowsSpinBox()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"race"_s);
    panel.setSchema(schema, schema.defaults());
    auto* spin = panel.findChild<QSpinBox*>(u"param_threads"_s);
    auto* slider = panel.findChild<QSlider*>(u"param_threads_slider"_s);
    QVERIFY(spin && slider);
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);

    spin->setValue(16);
    QCOMPARE(slider->value(), 16);
    slider->setValue(3);
    QCOMPARE(spin->value(), 3);
    // One report per change, not an echo from the mirrored editor.
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(1).toDouble(), 3.0);
}

void TestParameterPanel::sliderDragEmitsLive()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"deadlock"_s);
    panel.setSchema(schema, schema.defaults());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* slider = panel.findChild<QSlider*>(u"param_philosophers_slider"_s);
    auto* spin = panel.findChild<QSpinBox*>(u"param_philosophers"_s);
    QVERIFY(slider && spin);
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);

    // Keyboard steps go through the same path as a drag: each step reports at once.
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Right);
    QTest::keyClick(slider, Qt::Key_Right);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(1).toDouble(), 7.0);
    QCOMPARE(spin->value(), 7);
}

void TestParameterPanel::logSliderReachesWholeRange()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"race"_s);
    panel.setSchema(schema, schema.defaults());
    auto* slider = panel.findChild<QSlider*>(u"param_increments_slider"_s);
    auto* spin = panel.findChild<QSpinBox*>(u"param_increments"_s);
    QVERIFY(slider && spin);
    // 1..10,000,000 on a linear slider of a few hundred pixels would make everything below a
    // hundred thousand unreachable; logarithmic positions keep the default near the middle.
    QCOMPARE(slider->maximum(), SliderMapping::LogSteps);
    QVERIFY(slider->value() > slider->maximum() / 4 && slider->value() < 3 * slider->maximum() / 4);

    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);
    slider->setValue(slider->maximum());
    QCOMPARE(spin->value(), 10'000'000);
    slider->setValue(slider->minimum());
    QCOMPARE(spin->value(), 1);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(1).toDouble(), 1.0);
}

void TestParameterPanel::sliderMapping_data()
{
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<bool>("integer");
    QTest::addColumn<bool>("logarithmic");

    QTest::newRow("threads 1..64") << 1.0 << 64.0 << true << false;
    QTest::newRow("capacity 0..100") << 0.0 << 100.0 << true << false;
    QTest::newRow("steps 1..1000") << 1.0 << 1000.0 << true << false;
    QTest::newRow("increments 1..1e7") << 1.0 << 1e7 << true << true;
    QTest::newRow("window 0..1e5") << 0.0 << 1e5 << true << true;
    QTest::newRow("real 0..2") << 0.0 << 2.0 << false << false;
}

void TestParameterPanel::sliderMapping()
{
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(bool, integer);
    QFETCH(bool, logarithmic);

    const ParamSpec spec = integer ? ParamSpec::integer(u"k"_s, int(min), int(max), int(min), {}, {})
                                   : ParamSpec::real(u"k"_s, min, max, min, {}, {});
    const SliderMapping m = SliderMapping::forSpec(spec);
    QCOMPARE(m.logarithmic, logarithmic);
    QCOMPARE(m.fromSlider(m.sliderMinimum()), min);
    QCOMPARE(m.fromSlider(m.sliderMaximum()), max);
    QCOMPARE(m.toSlider(min), m.sliderMinimum());
    QCOMPARE(m.toSlider(max), m.sliderMaximum());
    double previous = min;
    for (int p = m.sliderMinimum(); p <= m.sliderMaximum(); ++p) {
        const double v = m.fromSlider(p);
        QVERIFY2(v >= previous, qPrintable(u"position %1"_s.arg(p)));
        // A position reached from a value maps back to that value: no drift between editors.
        QCOMPARE(m.fromSlider(m.toSlider(v)), v);
        previous = v;
    }
}

void TestParameterPanel::segmentedChoiceEmitsIndex_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<int>("index");

    QTest::newRow("ordered") << u"ordered"_s << 1;
    QTest::newRow("trylock") << u"trylock"_s << 2;
}

void TestParameterPanel::segmentedChoiceEmitsIndex()
{
    QFETCH(QString, choice);
    QFETCH(int, index);

    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"deadlock"_s);
    panel.setSchema(schema, schema.defaults());
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);

    auto* button = panel.findChild<QToolButton*>(u"param_strategy_"_s + choice);
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"strategy"_s);
    QCOMPARE(spy.at(0).at(1).toDouble(), double(index));
    QVERIFY(button->isChecked());
    QVERIFY(!panel.findChild<QToolButton*>(u"param_strategy_naive"_s)->isChecked());

    // Clicking the chosen one again changes nothing.
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
}

void TestParameterPanel::comboChoiceEmitsIndex()
{
    ParameterPanel panel;
    const ParamSchema schema = manyChoicesSchema();
    panel.setSchema(schema, schema.defaults());
    auto* combo = panel.findChild<QComboBox*>(u"param_colour"_s);
    QVERIFY(combo);
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);
    // What a user's pick does: activated, not a programmatic index change.
    combo->setCurrentIndex(4);
    Q_EMIT combo->activated(4);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"colour"_s);
    QCOMPARE(spy.at(0).at(1).toDouble(), 4.0);
}

void TestParameterPanel::switchEmits()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"race"_s);
    panel.setSchema(schema, schema.defaults());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* check = panel.findChild<QCheckBox*>(u"param_lock"_s);
    QVERIFY(check);
    QCOMPARE(check->text(), u"off"_s);
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);
    QTest::mouseClick(check, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"lock"_s);
    QCOMPARE(spy.at(0).at(1).toDouble(), 1.0);
    QCOMPARE(check->text(), u"on"_s);
}

void TestParameterPanel::doubleEditor()
{
    ParameterPanel panel;
    const ParamSchema schema = manyChoicesSchema();
    panel.setSchema(schema, schema.defaults());
    auto* spin = panel.findChild<QDoubleSpinBox*>(u"param_ratio"_s);
    auto* slider = panel.findChild<QSlider*>(u"param_ratio_slider"_s);
    QVERIFY(spin && slider);
    QCOMPARE(spin->value(), 0.5);
    QCOMPARE(spin->suffix(), u" x"_s);
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);
    spin->setValue(1.5);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toDouble(), 1.5);
    QCOMPARE(slider->value(), SliderMapping::DoubleSteps * 3 / 4);
}

void TestParameterPanel::setValuesDoesNotEmit_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("race") << u"race"_s;
    QTest::newRow("deadlock") << u"deadlock"_s;
}

void TestParameterPanel::setValuesDoesNotEmit()
{
    QFETCH(QString, scenario);
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(scenario);
    panel.setSchema(schema, schema.defaults());
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);

    // Every value moved to its maximum: each kind of editor is updated.
    std::vector<double> values;
    for (const ParamSpec& spec : schema.specs())
        values.push_back(spec.max);
    panel.setValues(values);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(panel.values(), values);
    for (const ParamSpec& spec : schema.specs()) {
        QWidget* editor = panel.findChild<QWidget*>(u"param_"_s + spec.key);
        if (auto* spin = qobject_cast<QSpinBox*>(editor))
            QCOMPARE(spin->value(), int(spec.max));
        else if (auto* check = qobject_cast<QCheckBox*>(editor))
            QVERIFY(check->isChecked());
        else
            QVERIFY(editor->findChild<QButtonGroup*>()->button(int(spec.max))->isChecked());
    }
}

void TestParameterPanel::resetToDefaults_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("race") << u"race"_s;
    QTest::newRow("deadlock") << u"deadlock"_s;
}

void TestParameterPanel::resetToDefaults()
{
    QFETCH(QString, scenario);
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(scenario);
    std::vector<double> changed = schema.defaults();
    changed[0] = schema.at(0).max; // the first parameter differs from its default
    changed.back() = schema.at(schema.size() - 1).min;
    panel.setSchema(schema, changed);
    QCOMPARE(panel.values(), changed);

    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);
    panel.resetToDefaults();
    QCOMPARE(panel.values(), schema.defaults());
    int expected = 0;
    for (int i = 0; i < schema.size(); ++i)
        expected += changed[std::size_t(i)] != schema.at(i).defaultValue ? 1 : 0;
    QCOMPARE(spy.count(), expected);
    QCOMPARE(spy.at(0).at(0).toString(), schema.at(0).key);
    QCOMPARE(spy.at(0).at(1).toDouble(), schema.at(0).defaultValue);
    auto* first = panel.findChild<QSpinBox*>(u"param_"_s + schema.at(0).key);
    QVERIFY(first);
    QCOMPARE(first->value(), int(schema.at(0).defaultValue));

    // Nothing left to reset: nothing reported.
    panel.resetToDefaults();
    QCOMPARE(spy.count(), expected);
}

void TestParameterPanel::resetButton()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"race"_s);
    std::vector<double> values = schema.defaults();
    values[std::size_t(schema.indexOf(u"lock"_s))] = 1;
    panel.setSchema(schema, values);
    auto* button = panel.findChild<QPushButton*>(u"param_reset"_s);
    QVERIFY(button);
    QVERIFY(button->isEnabled());
    QSignalSpy spy(&panel, &ParameterPanel::valueChanged);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"lock"_s);
    QCOMPARE(spy.at(0).at(1).toDouble(), 0.0);
}

void TestParameterPanel::setSchemaRebuilds()
{
    ParameterPanel panel;
    const ParamSchema& deadlock = schemaOf(u"deadlock"_s);
    panel.setSchema(deadlock, deadlock.defaults());
    QVERIFY(panel.findChild<QWidget*>(u"param_strategy"_s));
    const ParamSchema& race = schemaOf(u"race"_s);
    panel.setSchema(race, race.defaults());
    QVERIFY(!panel.findChild<QWidget*>(u"param_strategy"_s));
    QVERIFY(panel.findChild<QWidget*>(u"param_increments"_s));
    QCOMPARE(panel.values(), race.defaults());

    panel.setSchema(ParamSchema{}, {});
    QVERIFY(panel.values().empty());
    QVERIFY(!panel.findChild<QPushButton*>(u"param_reset"_s)->isEnabled());
}

void TestParameterPanel::badValuesFallBack()
{
    ParameterPanel panel;
    const ParamSchema& schema = schemaOf(u"race"_s);
    // Too few values, one out of range, one not a number.
    panel.setSchema(schema, {1000.0, std::nan("")});
    std::vector<double> expected = schema.defaults();
    expected[0] = schema.at(0).max;
    QCOMPARE(panel.values(), expected);
}

void TestParameterPanel::displayName_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("name");

    QTest::newRow("plain") << u"threads"_s << u"Threads"_s;
    QTest::newRow("unit dropped") << u"window_us"_s << u"Window"_s;
    QTest::newRow("words") << u"pickup_delay_ms"_s << u"Pickup delay"_s;
    QTest::newRow("no unit") << u"consumer_style"_s << u"Consumer style"_s;
    QTest::newRow("only a unit word") << u"ms"_s << u"Ms"_s;
    QTest::newRow("percent dropped") << u"free_threaded_overhead_pct"_s << u"Free threaded overhead"_s;
}

void TestParameterPanel::displayName()
{
    QFETCH(QString, key);
    QFETCH(QString, name);
    QCOMPARE(ParameterPanel::displayName(ParamSpec::integer(key, 0, 1, 0, {}, {})), name);
}

QTEST_MAIN(TestParameterPanel)
#include "tst_parameterpanel.moc"
