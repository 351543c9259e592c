// Sets up an experiment on the lesson chosen: run it N times as it is set, or sweep one of its
// numeric settings over a range (each value N times), optionally with a line for each choice of
// another setting (the gil lesson's executors). Says how many runs that makes before it starts.
#pragma once

#include "experimentrunner.h"
#include "lessons.h"

#include <QDialog>

#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QWidget;

namespace interleave {

class ExperimentDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Repeat, Sweep };

    ExperimentDialog(Kind kind, const LessonCard& lesson, const std::vector<double>& values, double speed,
                     QWidget* parent = nullptr);
    ~ExperimentDialog() override;

    // The experiment as set (nullopt with *error when the sweep's range is not allowed).
    std::optional<ExperimentPlan> plan(QString* error = nullptr) const;

    // The fields, for tests and for the window to preset.
    QSpinBox* runs() const { return m_runs; }
    QComboBox* setting() const { return m_setting; }
    QDoubleSpinBox* from() const { return m_from; }
    QDoubleSpinBox* to() const { return m_to; }
    QDoubleSpinBox* step() const { return m_step; }
    QComboBox* lineForEach() const { return m_series; }
    QString countText() const;

private:
    void onSettingPicked();
    void updateCount();

    const Kind m_kind;
    const LessonCard m_lesson;
    const std::vector<double> m_values;
    const double m_speed;
    QSpinBox* const m_runs;
    QComboBox* m_setting = nullptr;
    QDoubleSpinBox* m_from = nullptr;
    QDoubleSpinBox* m_to = nullptr;
    QDoubleSpinBox* m_step = nullptr;
    QComboBox* m_series = nullptr;
    QLabel* const m_count;
    QWidget* m_ok = nullptr;
};

} // namespace interleave
