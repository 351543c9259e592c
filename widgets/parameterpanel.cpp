// ParameterPanel: one row per schema entry; editors of a row mirror each other under signal
// blockers, so only the widget the user touched reports, once.
#include "parameterpanel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// Segmented buttons read well up to four choices; more go into a combo box.
constexpr int MaxSegments = 4;

void describe(QWidget* w, const ParamSpec& spec, const QString& accessibleName)
{
    w->setToolTip(spec.help);
    w->setAccessibleName(accessibleName);
    w->setAccessibleDescription(spec.help);
}

QString unitSuffix(const ParamSpec& spec)
{
    // "threads: 4 threads" says it twice; the unit is only worth showing when it adds something.
    if (spec.unit.isEmpty() || spec.unit == spec.key)
        return {};
    return u" "_s + spec.unit;
}

} // namespace

// --- SliderMapping ---------------------------------------------------------------------------

SliderMapping SliderMapping::forSpec(const ParamSpec& spec)
{
    SliderMapping m;
    m.min = spec.min;
    m.max = std::max(spec.min, spec.max);
    m.integer = spec.type != ParamSpec::Type::Double;
    const double span = m.max - m.min;
    // Over more than three decades a linear slider only reaches the top of the range; below
    // 1000 steps every value is one slider position and linear is exact.
    m.logarithmic = span > 1000 && (m.min <= 0 || m.max / m.min > 1000);
    return m;
}

int SliderMapping::sliderMinimum() const
{
    return logarithmic || !integer ? 0 : int(min);
}

int SliderMapping::sliderMaximum() const
{
    if (logarithmic)
        return LogSteps;
    return integer ? int(max) : DoubleSteps;
}

int SliderMapping::toSlider(double value) const
{
    value = std::clamp(value, min, max);
    if (logarithmic) {
        // log1p of the offset from min, so a range starting at 0 works.
        return int(std::lround(LogSteps * std::log1p(value - min) / std::log1p(max - min)));
    }
    if (integer)
        return int(std::lround(value));
    return max > min ? int(std::lround(DoubleSteps * (value - min) / (max - min))) : 0;
}

double SliderMapping::fromSlider(int position) const
{
    double v = 0;
    if (logarithmic)
        v = min + std::expm1(double(position) / LogSteps * std::log1p(max - min));
    else if (integer)
        v = position;
    else
        v = min + (max - min) * double(position) / DoubleSteps;
    if (integer)
        v = std::round(v);
    return std::clamp(v, min, max);
}

// --- ParameterPanel ----------------------------------------------------------------------------

ParameterPanel::ParameterPanel(QWidget* parent)
    : QWidget(parent)
    , m_reset(new QPushButton(tr("Reset to defaults"), this))
{
    auto* layout = new QVBoxLayout(this);
    m_empty = new QLabel(tr("This lesson has no parameters."), this);
    m_empty->setObjectName(u"param_empty"_s);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);
    m_reset->setObjectName(u"param_reset"_s);
    m_reset->setToolTip(tr("Set every parameter of this lesson back to its default"));
    m_reset->setEnabled(false);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_reset);
    layout->addLayout(buttonRow);
    layout->addStretch(1);
    connect(m_reset, &QPushButton::clicked, this, &ParameterPanel::resetToDefaults);
}

ParameterPanel::~ParameterPanel() = default;

QString ParameterPanel::displayName(const ParamSpec& spec)
{
    QStringList words = spec.key.split(u'_', Qt::SkipEmptyParts);
    static const QStringList unitWords{u"ms"_s, u"us"_s, u"ns"_s, u"s"_s, u"pct"_s}; // the editor shows the unit
    if (words.size() > 1 && unitWords.contains(words.last()))
        words.removeLast();
    QString name = words.join(u' ');
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

void ParameterPanel::setSchema(const ParamSchema& schema, const std::vector<double>& values)
{
    // Rebuild from scratch: schemas differ in length and types, and a lesson switch is rare.
    delete m_form;
    m_form = nullptr;
    m_grid = nullptr;
    m_rows.clear();
    m_schema = schema;
    m_values = schema.defaults();

    m_form = new QWidget(this);
    m_form->setObjectName(u"param_form"_s);
    m_grid = new QGridLayout(m_form);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setColumnStretch(1, 1);
    static_cast<QVBoxLayout*>(layout())->insertWidget(0, m_form);
    // A child created after its parent was shown stays hidden until shown: show it now rather
    // than on the next event loop pass, so a rebuilt panel never paints empty.
    m_form->show();

    m_rows.resize(std::size_t(schema.size()));
    for (int i = 0; i < schema.size(); ++i)
        buildRow(i);
    m_empty->setVisible(schema.size() == 0);
    m_reset->setEnabled(schema.size() > 0);
    setValues(values);
    updateTabOrder();
}

void ParameterPanel::buildRow(int index)
{
    const ParamSpec& spec = m_schema.at(index);
    Row& row = m_rows[std::size_t(index)];
    const QString editorName = u"param_"_s + spec.key;

    row.label = new QLabel(displayName(spec), m_form);
    row.label->setToolTip(spec.help);
    // A long name ("Free threaded overhead") wraps rather than push the editors out of a narrow panel.
    row.label->setWordWrap(true);
    m_grid->addWidget(row.label, index, 0);

    switch (spec.type) {
    case ParamSpec::Type::Int:
    case ParamSpec::Type::Double: {
        row.mapping = SliderMapping::forSpec(spec);
        row.slider = new QSlider(Qt::Horizontal, m_form);
        row.slider->setObjectName(editorName + u"_slider"_s);
        row.slider->setRange(row.mapping.sliderMinimum(), row.mapping.sliderMaximum());
        row.slider->setPageStep(std::max(1, (row.slider->maximum() - row.slider->minimum()) / 10));
        describe(row.slider, spec, spec.key);
        m_grid->addWidget(row.slider, index, 1);

        QWidget* spinWidget = nullptr;
        if (spec.type == ParamSpec::Type::Int) {
            row.spin = new QSpinBox(m_form);
            row.spin->setRange(int(spec.min), int(spec.max));
            if (row.mapping.logarithmic)
                row.spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            spinWidget = row.spin;
        } else {
            row.doubleSpin = new QDoubleSpinBox(m_form);
            const double span = spec.max - spec.min;
            row.doubleSpin->setDecimals(span <= 1 ? 3 : span <= 100 ? 2 : 1);
            row.doubleSpin->setRange(spec.min, spec.max);
            row.doubleSpin->setSingleStep(span > 0 ? std::pow(10.0, std::floor(std::log10(span)) - 1) : 1);
            spinWidget = row.doubleSpin;
        }
        auto* spinBox = static_cast<QAbstractSpinBox*>(spinWidget);
        // Typing "150" must not run the threads with 1 and 15 first: report on Enter or focus out
        // (arrows and the slider still report at once).
        spinBox->setKeyboardTracking(false);
        spinBox->setAccelerated(true);
        spinBox->setAlignment(Qt::AlignRight);
        // The slider is what a teacher grabs on a projector: give it the room, not the spin box.
        spinBox->setMaximumWidth(spinBox->fontMetrics().horizontalAdvance(u"10000 per thread"_s) + 30);
        row.slider->setMinimumWidth(60);
        if (row.spin)
            row.spin->setSuffix(unitSuffix(spec));
        else
            row.doubleSpin->setSuffix(unitSuffix(spec));
        // Connected only now that range and suffix are set, so building reports nothing.
        if (row.spin)
            connect(row.spin, &QSpinBox::valueChanged, this, [this, index](int v) { userChanged(index, v); });
        else
            connect(row.doubleSpin, &QDoubleSpinBox::valueChanged, this,
                    [this, index](double v) { userChanged(index, v); });
        spinWidget->setObjectName(editorName);
        describe(spinWidget, spec, spec.key);
        m_grid->addWidget(spinWidget, index, 2);
        row.label->setBuddy(spinWidget);

        connect(row.slider, &QSlider::valueChanged, this, [this, index](int position) {
            userChanged(index, m_rows[std::size_t(index)].mapping.fromSlider(position));
        });
        break;
    }
    case ParamSpec::Type::Choice: {
        if (spec.choices.size() <= MaxSegments) {
            auto* segments = new QWidget(m_form);
            segments->setObjectName(editorName);
            describe(segments, spec, spec.key);
            auto* box = new QHBoxLayout(segments);
            box->setContentsMargins(0, 0, 0, 0);
            box->setSpacing(0); // adjacent buttons read as one segmented control
            // The chosen segment in the highlight colour: the style's own checked look is too faint
            // to read from the back of a classroom. palette() roles follow the theme.
            segments->setStyleSheet(
                u"QToolButton { border: 1px solid palette(mid); padding: 3px 8px; background: palette(button); }"
                "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
                " border-color: palette(highlight); font-weight: bold; }"
                "QToolButton:disabled { color: palette(mid); }"
                "QToolButton:focus { border-color: palette(highlight); }"_s);
            row.group = new QButtonGroup(segments);
            row.group->setObjectName(editorName + u"_group"_s);
            row.group->setExclusive(true);
            for (int c = 0; c < spec.choices.size(); ++c) {
                auto* button = new QToolButton(segments);
                button->setObjectName(editorName + u'_' + spec.choices[c]);
                button->setText(spec.choices[c]);
                button->setCheckable(true);
                button->setToolButtonStyle(Qt::ToolButtonTextOnly);
                button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
                button->setFocusPolicy(Qt::StrongFocus);
                // Each button names its choice the way the command line does: "strategy=naive".
                describe(button, spec, spec.key + u'=' + spec.choices[c]);
                row.group->addButton(button, c);
                box->addWidget(button);
            }
            connect(row.group, &QButtonGroup::idClicked, this, [this, index](int id) { userChanged(index, id); });
            m_grid->addWidget(segments, index, 1, 1, 2);
            row.label->setBuddy(row.group->button(0));
        } else {
            row.combo = new QComboBox(m_form);
            row.combo->setObjectName(editorName);
            row.combo->addItems(spec.choices);
            describe(row.combo, spec, spec.key);
            connect(row.combo, &QComboBox::activated, this, [this, index](int i) { userChanged(index, i); });
            m_grid->addWidget(row.combo, index, 1, 1, 2);
            row.label->setBuddy(row.combo);
        }
        break;
    }
    case ParamSpec::Type::Bool: {
        // The switch says "on"/"off" like the command line (--set lock=on).
        row.check = new QCheckBox(m_form);
        row.check->setObjectName(editorName);
        describe(row.check, spec, spec.key);
        QCheckBox* check = row.check;
        connect(check, &QCheckBox::toggled, this, [this, index, check](bool on) {
            check->setText(on ? tr("on") : tr("off"));
            userChanged(index, on ? 1 : 0);
        });
        // Left-aligned at its own size: a check box only reacts to clicks on its box and text.
        m_grid->addWidget(row.check, index, 1, 1, 2, Qt::AlignLeft);
        row.label->setBuddy(row.check);
        break;
    }
    }
}

double ParameterPanel::sanitized(int index, double value) const
{
    const ParamSpec& spec = m_schema.at(index);
    if (!std::isfinite(value))
        return spec.defaultValue;
    value = std::clamp(value, spec.min, std::max(spec.min, spec.max));
    if (spec.type != ParamSpec::Type::Double)
        value = std::round(value);
    return value;
}

void ParameterPanel::setValues(const std::vector<double>& values)
{
    for (int i = 0; i < m_schema.size(); ++i) {
        const double v = std::size_t(i) < values.size() ? sanitized(i, values[std::size_t(i)])
                                                        : m_schema.at(i).defaultValue;
        m_values[std::size_t(i)] = v;
        showValue(i, v);
    }
}

void ParameterPanel::resetToDefaults()
{
    for (int i = 0; i < m_schema.size(); ++i) {
        const double def = m_schema.at(i).defaultValue;
        if (m_values[std::size_t(i)] == def)
            continue;
        m_values[std::size_t(i)] = def;
        showValue(i, def);
        Q_EMIT valueChanged(m_schema.at(i).key, def);
    }
}

void ParameterPanel::showValue(int index, double value)
{
    Row& row = m_rows[std::size_t(index)];
    if (row.slider) {
        const QSignalBlocker block(row.slider);
        // When the slider already stands for this value (the user is dragging it), leave it:
        // moving it to the rounded value's position would make it jump under the mouse.
        if (row.mapping.fromSlider(row.slider->value()) != value)
            row.slider->setValue(row.mapping.toSlider(value));
    }
    if (row.spin) {
        const QSignalBlocker block(row.spin);
        row.spin->setValue(int(value));
    }
    if (row.doubleSpin) {
        const QSignalBlocker block(row.doubleSpin);
        row.doubleSpin->setValue(value);
    }
    if (row.group) {
        if (QAbstractButton* b = row.group->button(int(value))) {
            const QSignalBlocker block(b);
            b->setChecked(true);
        }
    }
    if (row.combo) {
        const QSignalBlocker block(row.combo);
        row.combo->setCurrentIndex(int(value));
    }
    if (row.check) {
        const QSignalBlocker block(row.check);
        row.check->setChecked(value != 0);
        row.check->setText(value != 0 ? tr("on") : tr("off"));
    }
}

void ParameterPanel::userChanged(int index, double value)
{
    value = sanitized(index, value);
    // The slider's log positions round to the same integer at the low end, and mirrored editors
    // echo: report only real changes.
    if (m_values[std::size_t(index)] == value)
        return;
    m_values[std::size_t(index)] = value;
    showValue(index, value);
    Q_EMIT valueChanged(m_schema.at(index).key, value);
}

void ParameterPanel::updateTabOrder()
{
    // Top to bottom, left to right, then the reset button: the order the rows are read in.
    QWidget* previous = nullptr;
    auto chain = [&previous](QWidget* w) {
        if (!w || w->focusPolicy() == Qt::NoFocus)
            return;
        if (previous)
            QWidget::setTabOrder(previous, w);
        previous = w;
    };
    for (const Row& row : m_rows) {
        chain(row.slider);
        chain(row.spin);
        chain(row.doubleSpin);
        if (row.group) {
            for (QAbstractButton* b : row.group->buttons())
                chain(b);
        }
        chain(row.combo);
        chain(row.check);
    }
    chain(m_reset);
}

} // namespace interleave
