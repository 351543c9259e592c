// ClassroomMode: the palettes of the three themes and of presentation mode, and what presenting
// shows and hides.
#include "classroommode.h"

#include "lessonpicker.h"
#include "rundetails.h"
#include "runview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QMainWindow>
#include <QMenu>
#include <QSplitter>
#include <QStatusBar>


using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Colours
{
    QColor window, text, base, alternateBase, button, mid, dark, light, highlight, highlightedText, link,
        placeholder, disabledText;
};

QPalette paletteFrom(const Colours& c)
{
    QPalette p;
    for (const auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        const bool disabled = group == QPalette::Disabled;
        const QColor text = disabled ? c.disabledText : c.text;
        p.setColor(group, QPalette::Window, c.window);
        p.setColor(group, QPalette::WindowText, text);
        p.setColor(group, QPalette::Base, c.base);
        p.setColor(group, QPalette::AlternateBase, c.alternateBase);
        p.setColor(group, QPalette::Text, text);
        p.setColor(group, QPalette::Button, c.button);
        p.setColor(group, QPalette::ButtonText, text);
        p.setColor(group, QPalette::BrightText, QColor(0xff, 0x40, 0x40));
        p.setColor(group, QPalette::Light, c.light);
        p.setColor(group, QPalette::Midlight, c.light);
        p.setColor(group, QPalette::Mid, c.mid);
        p.setColor(group, QPalette::Dark, c.dark);
        p.setColor(group, QPalette::Shadow, c.dark.darker(150));
        p.setColor(group, QPalette::Highlight, disabled ? c.mid : c.highlight);
        p.setColor(group, QPalette::HighlightedText, c.highlightedText);
        p.setColor(group, QPalette::Link, c.link);
        p.setColor(group, QPalette::LinkVisited, c.link.darker(120));
        p.setColor(group, QPalette::ToolTipBase, c.base);
        p.setColor(group, QPalette::ToolTipText, c.text);
        p.setColor(group, QPalette::PlaceholderText, c.placeholder);
    }
    return p;
}

QPalette lightPalette()
{
    return paletteFrom({QColor(0xef, 0xef, 0xef), QColor(0x1a, 0x1a, 0x1a), Qt::white, QColor(0xf5, 0xf5, 0xf5),
                        QColor(0xe6, 0xe6, 0xe6), QColor(0xb4, 0xb4, 0xb4), QColor(0x9a, 0x9a, 0x9a), Qt::white,
                        QColor(0x30, 0x8c, 0xc6), Qt::white, QColor(0x00, 0x5a, 0x9e), QColor(0x80, 0x80, 0x80),
                        QColor(0x9a, 0x9a, 0x9a)});
}

QPalette darkPalette()
{
    return paletteFrom({QColor(0x2b, 0x2b, 0x2b), QColor(0xe6, 0xe6, 0xe6), QColor(0x1e, 0x1e, 0x1e),
                        QColor(0x26, 0x26, 0x26), QColor(0x38, 0x38, 0x38), QColor(0x5a, 0x5a, 0x5a),
                        QColor(0x16, 0x16, 0x16), QColor(0x4a, 0x4a, 0x4a), QColor(0x3d, 0x7a, 0xb8), Qt::white,
                        QColor(0x6c, 0xb4, 0xff), QColor(0x9a, 0x9a, 0x9a), QColor(0x70, 0x70, 0x70)});
}

// For a projector: pure black on white (or white on black in the dark theme), strong lines.
QPalette highContrastPalette(bool dark)
{
    const QColor fg = dark ? Qt::white : Qt::black;
    const QColor bg = dark ? Qt::black : Qt::white;
    return paletteFrom({bg, fg, bg, dark ? QColor(0x20, 0x20, 0x20) : QColor(0xf0, 0xf0, 0xf0),
                        dark ? QColor(0x30, 0x30, 0x30) : QColor(0xe8, 0xe8, 0xe8),
                        dark ? QColor(0xc0, 0xc0, 0xc0) : QColor(0x40, 0x40, 0x40), fg, bg,
                        dark ? QColor(0x66, 0xb2, 0xff) : QColor(0x00, 0x3d, 0x99), dark ? Qt::black : Qt::white,
                        dark ? QColor(0x80, 0xc0, 0xff) : QColor(0x00, 0x3d, 0x99),
                        dark ? QColor(0xc0, 0xc0, 0xc0) : QColor(0x40, 0x40, 0x40),
                        dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x60, 0x60, 0x60)});
}

} // namespace

ClassroomMode::ClassroomMode(QMainWindow* window, QSplitter* split, LessonPicker* picker, RunView* view,
                             RunDetails* details)
    : QObject(window)
    , m_window(window)
    , m_split(split)
    , m_picker(picker)
    , m_view(view)
    , m_details(details)
{
}

ClassroomMode::~ClassroomMode() = default;

void ClassroomMode::addToMenu(QMenu* view)
{
    QMenu* theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const std::pair<Theme, QString> themes[] = {{Theme::System, tr("&System")}, {Theme::Light, tr("&Light")},
                                                {Theme::Dark, tr("&Dark")}};
    for (const auto& [value, text] : themes) {
        QAction* a = theme->addAction(text);
        a->setObjectName(u"actionTheme"_s + QString(text).remove(u'&'));
        a->setCheckable(true);
        a->setData(int(value));
        a->setChecked(value == m_theme);
        m_themeGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, a] { setTheme(Theme(a->data().toInt())); });
    }
    view->addSeparator();
    m_presentationAction = view->addAction(tr("&Presentation Mode"));
    m_presentationAction->setObjectName(u"actionPresentation"_s);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setToolTip(tr("Full screen, larger text, thicker lanes, high contrast (F11)"));
    connect(m_presentationAction, &QAction::toggled, this, &ClassroomMode::setPresentation);

    QMenu* panels = view->addMenu(tr("Panels in Presentation &Mode"));
    panels->setObjectName(u"presentationPanelsMenu"_s);
    panels->setToolTip(tr("What presentation mode keeps beside the timeline"));
    const std::pair<int, QString> parts[] = {
        {RunDetails::Outcome, tr("&Outcome")},           {RunDetails::Code, tr("&Python Program")},
        {RunDetails::LessonText, tr("&Lesson Text")},     {RunDetails::Statistics, tr("&Statistics")},
        {RunDetails::WaitGraph, tr("&Wait-for Graph")},   {RunDetails::Console, tr("&Console")},
    };
    for (const auto& [panel, text] : parts) {
        QAction* a = panels->addAction(text);
        a->setObjectName(u"actionPresent_"_s + RunDetails::panelKeys(panel).value(0));
        a->setCheckable(true);
        a->setData(panel);
        a->setChecked(m_panels & panel);
        m_panelActions << a;
        // A structured binding is not captured by clang 14: a copy of it is.
        connect(a, &QAction::toggled, this, [this, p = panel](bool on) {
            setPresentationPanels(on ? m_panels | p : m_panels & ~p);
        });
    }
}

void ClassroomMode::setPresentationPanels(int panels)
{
    panels &= RunDetails::AllPanels;
    for (QAction* a : m_panelActions) {
        const QSignalBlocker quiet(a);
        a->setChecked(panels & a->data().toInt());
    }
    if (panels == m_panels)
        return;
    m_panels = panels;
    applyLook();
    if (m_presentation)
        QMetaObject::invokeMethod(this, &ClassroomMode::widenSettings, Qt::QueuedConnection);
}

QString ClassroomMode::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light: return u"light"_s;
    case Theme::Dark: return u"dark"_s;
    case Theme::System: break;
    }
    return u"system"_s;
}

ClassroomMode::Theme ClassroomMode::themeFromName(const QString& name)
{
    if (name == "light"_L1)
        return Theme::Light;
    if (name == "dark"_L1)
        return Theme::Dark;
    return Theme::System;
}

void ClassroomMode::setTheme(Theme theme)
{
    m_theme = theme;
    if (m_themeGroup) {
        for (QAction* a : m_themeGroup->actions())
            a->setChecked(a->data().toInt() == int(theme));
    }
    // Application-wide, so dialogs follow; an empty palette is the platform's own again.
    switch (theme) {
    case Theme::System: QApplication::setPalette(QPalette()); break;
    case Theme::Light: QApplication::setPalette(lightPalette()); break;
    case Theme::Dark: QApplication::setPalette(darkPalette()); break;
    }
    applyLook();
}

void ClassroomMode::setPresentation(bool on)
{
    if (m_presentationAction && m_presentationAction->isChecked() != on) {
        const QSignalBlocker block(m_presentationAction);
        m_presentationAction->setChecked(on);
    }
    if (on == m_presentation)
        return;
    if (on)
        m_normalSplitter = m_split->saveState(); // the panels as they were, for coming back
    m_presentation = on;
    applyLook();
    m_window->setWindowState(on ? m_window->windowState() | Qt::WindowFullScreen
                                : m_window->windowState() & ~Qt::WindowFullScreen);
    if (on) // once the layouts have taken in the larger text
        QMetaObject::invokeMethod(this, &ClassroomMode::widenSettings, Qt::QueuedConnection);
    else if (!m_normalSplitter.isEmpty())
        m_split->restoreState(m_normalSplitter);
    if (on)
        m_window->statusBar()->showMessage(tr("Presentation mode: F11 leaves it"), 4000);
}

QByteArray ClassroomMode::splitterState() const
{
    return m_presentation ? m_normalSplitter : m_split->saveState();
}

void ClassroomMode::applyLook()
{
    // Presentation mode: the timeline, charts, outcome and the settings the teacher moves stay;
    // of the side panels (lesson text, statistics, wait-for graph, console) only those chosen
    // (View > Panels in Presentation Mode), and the status bar goes.
    if (m_presentation) {
        QFont f = QApplication::font();
        if (f.pointSizeF() > 0)
            f.setPointSizeF(f.pointSizeF() * PresentationFontScale);
        else
            f.setPixelSize(int(f.pixelSize() * PresentationFontScale));
        m_window->setFont(f);
        const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
        m_window->setPalette(highContrastPalette(dark));
    } else {
        m_window->setFont(QFont());       // nothing explicit: the application's font again
        m_window->setPalette(QPalette()); // and its palette (the theme)
    }
    m_view->setPresentation(m_presentation);
    m_picker->setPresentation(m_presentation);
    // The side panels the teacher chose to keep (none unless chosen), else everything as usual.
    m_details->showOnly(m_presentation ? m_panels : RunDetails::AllPanels);
    m_details->setVisible(!m_presentation || m_panels != 0);
    m_window->statusBar()->setVisible(!m_presentation);
}

void ClassroomMode::widenSettings()
{
    // The larger text needs a wider left column, or the settings' spin boxes are cut off.
    m_picker->widenIn(m_split, true);
    // Panels kept beside the timeline (a wait-for graph, the program) need room to be read.
    if (m_presentation && m_panels != 0 && m_split->count() == 3) {
        QList<int> sizes = m_split->sizes();
        const int want = (sizes[0] + sizes[1] + sizes[2]) * 3 / 10;
        if (sizes[2] < want && sizes[1] - (want - sizes[2]) > sizes[2]) {
            sizes[1] -= want - sizes[2];
            sizes[2] = want;
            m_split->setSizes(sizes);
        }
    }
}

} // namespace interleave
