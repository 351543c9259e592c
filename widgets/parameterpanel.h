// The lesson's parameters as sliders, spin boxes, segmented choices and switches, generated from
// its schema; every user change is reported at once so running threads pick it up live.
#pragma once

#include "params.h"

#include <QString>
#include <QWidget>

#include <vector>

class QAbstractButton;
class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace interleave {

// Slider position <-> value for one numeric parameter. Ranges spanning more than three decades
// (increments 1..10,000,000) are mapped logarithmically so every part of the range can be
// reached by dragging; the spin box next to the slider gives exact values.
struct SliderMapping
{
    static constexpr int LogSteps = 1000;    // slider positions of a logarithmic mapping
    static constexpr int DoubleSteps = 1000; // slider positions of a linear real-valued mapping

    double min = 0;
    double max = 0;
    bool integer = true;
    bool logarithmic = false;

    static SliderMapping forSpec(const ParamSpec& spec);
    int sliderMinimum() const;
    int sliderMaximum() const;
    int toSlider(double value) const;
    double fromSlider(int position) const;
};

class ParameterPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);
    ~ParameterPanel() override;

    // Rebuilds the editors for a schema; values missing or out of range fall back to defaults.
    void setSchema(const ParamSchema& schema, const std::vector<double>& values);
    // Shows new values (a loaded session, the command line) without emitting valueChanged.
    void setValues(const std::vector<double>& values);
    std::vector<double> values() const { return m_values; }
    const ParamSchema& schema() const { return m_schema; }
    // Sets every parameter to its default and emits valueChanged for each one that changed.
    void resetToDefaults();

    // "window_us" -> "Window", "pickup_delay_ms" -> "Pickup delay": the unit goes with the value.
    static QString displayName(const ParamSpec& spec);

Q_SIGNALS:
    void valueChanged(const QString& key, double value);

private:
    struct Row
    {
        QLabel* label = nullptr;
        QSlider* slider = nullptr;
        QSpinBox* spin = nullptr;
        QDoubleSpinBox* doubleSpin = nullptr;
        QButtonGroup* group = nullptr;
        QComboBox* combo = nullptr;
        QCheckBox* check = nullptr;
        SliderMapping mapping;
    };

    void buildRow(int index);
    void showValue(int index, double value); // updates the editors, emits nothing
    void userChanged(int index, double value);
    double sanitized(int index, double value) const;
    void updateTabOrder();

    ParamSchema m_schema;
    std::vector<double> m_values;
    std::vector<Row> m_rows;
    QWidget* m_form = nullptr;
    QGridLayout* m_grid = nullptr;
    QLabel* m_empty = nullptr;
    QPushButton* const m_reset;
};

} // namespace interleave
