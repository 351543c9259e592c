// The left of the window: the lessons to pick from, and the chosen lesson's settings.
#pragma once

#include <QFont>
#include <QWidget>

class QListWidget;
class QSplitter;

namespace interleave {

class ParameterPanel;

class LessonPicker : public QWidget
{
    Q_OBJECT
public:
    explicit LessonPicker(QWidget* parent = nullptr);
    ~LessonPicker() override;

    // Marks the lesson as chosen without emitting lessonPicked(); an empty id chooses none.
    void setCurrent(const QString& id);
    ParameterPanel* parameterPanel() const { return m_params; }
    // Presenting, the list shows titles only: with the larger text the summaries would crowd
    // out the settings; their tooltips still have them.
    void setPresentation(bool on);
    // The width at which the settings show whole (a spin box "10 per producer", choice buttons);
    // `preferred`: the width they ask for, not the least they can do with.
    int settingsWidth(bool preferred = false) const;
    // Widens this picker, the first pane of `split`, to settingsWidth(preferred) when it is
    // narrower: the room comes from the third pane first (down to 300 px), then from the middle
    // (down to 200 px), which is what the class looks at.
    void widenIn(QSplitter* split, bool preferred) const;

Q_SIGNALS:
    void lessonPicked(const QString& id);

protected:
    void changeEvent(QEvent* e) override;

private:
    void updateItems();

    QListWidget* const m_lessons;
    ParameterPanel* const m_params;
    QFont m_paramsFont; // the font the parameter editors were made with
    bool m_presentation = false;
};

} // namespace interleave
