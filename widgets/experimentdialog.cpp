// ExperimentDialog: a form; the plan itself is made by models/experimentrunner.
#include "experimentdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

ExperimentDialog::ExperimentDialog(Kind kind, const LessonCard& lesson, const std::vector<double>& values, double speed,
                                   QWidget* parent)
    : QDialog(parent)
    , m_kind(kind)
    , m_lesson(lesson)
    , m_values(values)
    , m_speed(speed)
    , m_runs(new QSpinBox(this))
    , m_count(new QLabel(this))
{
    setObjectName(kind == Kind::Repeat ? u"repeatDialog"_s : u"sweepDialog"_s);
    setWindowTitle(kind == Kind::Repeat ? tr("Repeat %1").arg(lesson.title) : tr("Sweep a Setting of %1").arg(lesson.title));
    auto* form = new QFormLayout;
    auto* intro = new QLabel(kind == Kind::Repeat
                                 ? tr("Each run is a real run of the lesson with its settings as they are now. Threads are timed "
                                      "by the machine, so outcomes differ: the runs show by how much.")
                                 : tr("The lesson runs at every value of one setting, its other settings as they are now; the "
                                      "chart shows a figure of its outcome against the setting."),
                             this);
    intro->setWordWrap(true);
    if (kind == Kind::Sweep) {
        m_setting = new QComboBox(this);
        m_setting->setObjectName(u"sweepSetting"_s);
        m_series = new QComboBox(this);
        m_series->setObjectName(u"sweepSeries"_s);
        m_series->addItem(tr("(one line)"), QString());
        QString preferred;
        for (const ParamSpec& spec : lesson.schema.specs()) {
            if (spec.type == ParamSpec::Type::Int || spec.type == ParamSpec::Type::Double) {
                m_setting->addItem(spec.key, spec.key);
                if (preferred.isEmpty() && (spec.key == "workers"_L1 || spec.key == "threads"_L1))
                    preferred = spec.key;
            } else {
                m_series->addItem(spec.key, spec.key);
            }
        }
        m_from = new QDoubleSpinBox(this);
        m_to = new QDoubleSpinBox(this);
        m_step = new QDoubleSpinBox(this);
        for (QDoubleSpinBox* box : {m_from, m_to, m_step})
            box->setMaximum(1e9);
        form->addRow(tr("&Setting:"), m_setting);
        form->addRow(tr("&From:"), m_from);
        form->addRow(tr("&To:"), m_to);
        form->addRow(tr("S&tep:"), m_step);
        form->addRow(tr("&A line for each:"), m_series);
        connect(m_setting, &QComboBox::currentIndexChanged, this, &ExperimentDialog::onSettingPicked);
        for (QDoubleSpinBox* box : {m_from, m_to, m_step})
            connect(box, &QDoubleSpinBox::valueChanged, this, &ExperimentDialog::updateCount);
        connect(m_series, &QComboBox::currentIndexChanged, this, &ExperimentDialog::updateCount);
        if (const int i = m_setting->findData(preferred); i >= 0)
            m_setting->setCurrentIndex(i);
        onSettingPicked();
        // The gil lesson's point: a line per executor, speedup against workers.
        if (const int e = m_series->findData(u"executor"_s); e >= 0 && preferred == "workers"_L1)
            m_series->setCurrentIndex(e);
    }
    m_runs->setRange(1, 200);
    m_runs->setValue(kind == Kind::Repeat ? 10 : 1);
    m_runs->setObjectName(u"experimentRuns"_s);
    form->insertRow(kind == Kind::Repeat ? 0 : form->rowCount(), kind == Kind::Repeat ? tr("&Runs:") : tr("&Runs at each value:"),
                    m_runs);
    connect(m_runs, &QSpinBox::valueChanged, this, &ExperimentDialog::updateCount);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_count);
    layout->addWidget(buttons);
    m_count->setWordWrap(true);
    updateCount();
    setMinimumWidth(420);
}

ExperimentDialog::~ExperimentDialog() = default;

void ExperimentDialog::onSettingPicked()
{
    const int i = m_lesson.schema.indexOf(m_setting->currentData().toString());
    if (i < 0)
        return;
    const ParamSpec& spec = m_lesson.schema.at(i);
    const int decimals = spec.type == ParamSpec::Type::Int ? 0 : 2;
    for (QDoubleSpinBox* box : {m_from, m_to}) {
        box->setDecimals(decimals);
        box->setRange(spec.min, spec.max);
        box->setSuffix(spec.unit.isEmpty() || spec.unit == spec.key ? QString() : u" "_s + spec.unit);
    }
    m_step->setDecimals(decimals);
    m_step->setRange(decimals ? 0.01 : 1, std::max(1.0, spec.max - spec.min));
    // 1 to 8 for a count of workers or threads; otherwise the setting's range in about 8 steps.
    const bool count = spec.type == ParamSpec::Type::Int && spec.min <= 1;
    const double from = count ? std::max(spec.min, 1.0) : spec.min;
    const double to = count ? std::min(spec.max, 8.0) : spec.max;
    const double step = count ? 1.0 : std::max(decimals ? 0.01 : 1.0, (to - from) / 8);
    m_from->setValue(from);
    m_to->setValue(to);
    m_step->setValue(decimals ? step : std::round(step));
    updateCount();
}

std::optional<ExperimentPlan> ExperimentDialog::plan(QString* error) const
{
    QString ignored;
    QString* why = error ? error : &ignored;
    if (m_kind == Kind::Repeat)
        return repeatPlan(m_lesson.id, m_values, m_runs->value(), m_speed);
    return sweepPlan(m_lesson.id, m_lesson.schema, m_values, m_setting->currentData().toString(), m_from->value(),
                     m_to->value(), m_step->value(), m_runs->value(), m_speed, m_series->currentData().toString(), why);
}

QString ExperimentDialog::countText() const
{
    return m_count->text();
}

void ExperimentDialog::updateCount()
{
    QString error;
    const auto p = plan(&error);
    if (!p) {
        m_count->setText(tr("Cannot run that: %1.").arg(error));
    } else if (m_kind == Kind::Repeat) {
        m_count->setText(p->total() == 1 ? tr("1 run, shown live.")
                                         : tr("%1 runs, one after another, each shown live.").arg(p->total()));
    } else {
        m_count->setText(tr("%1 settings x %2 = %3 runs, one after another, each shown live.")
                             .arg(int(p->points.size()))
                             .arg(p->repeat)
                             .arg(p->total()));
    }
    if (m_ok)
        m_ok->setEnabled(p.has_value());
}

} // namespace interleave
