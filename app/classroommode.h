// The window in a classroom: light, dark or the system's theme, and presentation mode (full
// screen, larger text, thicker lanes, high contrast, only what the class needs to see).
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QAction;
class QActionGroup;
class QMainWindow;
class QMenu;
class QSplitter;

namespace interleave {

class LessonPicker;
class RunDetails;
class RunView;

class ClassroomMode : public QObject
{
    Q_OBJECT
public:
    enum class Theme { System, Light, Dark };
    static constexpr double PresentationFontScale = 1.5;

    // The splitter holds the picker, the run view and the details, in that order.
    ClassroomMode(QMainWindow* window, QSplitter* split, LessonPicker* picker, RunView* view, RunDetails* details);
    ~ClassroomMode() override;

    // The Theme submenu and the Presentation Mode action (F11).
    void addToMenu(QMenu* view);

    void setTheme(Theme theme);
    Theme theme() const { return m_theme; }
    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }
    // The side panels presentation mode keeps (RunDetails::Panel flags; 0: none, the default).
    void setPresentationPanels(int panels);
    int presentationPanels() const { return m_panels; }
    // The splitter as the user arranged it, also while presentation mode hides the side panels.
    QByteArray splitterState() const;

    static QString themeName(Theme theme);
    static Theme themeFromName(const QString& name);

private:
    void applyLook();
    void widenSettings();

    QMainWindow* const m_window;
    QSplitter* const m_split;
    LessonPicker* const m_picker;
    RunView* const m_view;
    RunDetails* const m_details;
    QAction* m_presentationAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QList<QAction*> m_panelActions;
    QByteArray m_normalSplitter; // the splitter before presentation mode hid the side panels
    Theme m_theme = Theme::System;
    bool m_presentation = false;
    int m_panels = 0;
};

} // namespace interleave
