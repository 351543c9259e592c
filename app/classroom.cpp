// MainWindow in the classroom: presentation mode, light and dark themes, what the window
// remembers between runs (QSettings), and the Help menu (shortcuts made from the actions, About).
#include "mainwindow.h"

#include "chartspanel.h"
#include "parameterpanel.h"
#include "scenario.h"
#include "sessionfile.h"
#include "timelineview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLayout>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWidgetAction>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QString GeometryKey = u"window/geometry"_s;
const QString StateKey = u"window/state"_s;
const QString SplitterKey = u"window/splitter"_s;
const QString SessionKey = u"lesson/session"_s;
const QString ThemeKey = u"view/theme"_s;
const QString PresentationKey = u"view/presentation"_s;
const QString LastDirKey = u"files/lastDir"_s;

QString themeName(MainWindow::Theme theme)
{
    switch (theme) {
    case MainWindow::Theme::Light: return u"light"_s;
    case MainWindow::Theme::Dark: return u"dark"_s;
    case MainWindow::Theme::System: break;
    }
    return u"system"_s;
}

MainWindow::Theme themeFromName(const QString& name)
{
    if (name == "light"_L1)
        return MainWindow::Theme::Light;
    if (name == "dark"_L1)
        return MainWindow::Theme::Dark;
    return MainWindow::Theme::System;
}

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

QString shortcutText(const QAction* a)
{
    QStringList keys;
    for (const QKeySequence& k : a->shortcuts())
        keys << k.toString(QKeySequence::NativeText);
    return keys.join(u", "_s);
}

// "View ▸ Theme" for an action in a submenu; the toolbar or "Window" for the others.
QString placeOf(const QAction* a)
{
    for (QObject* o : a->associatedObjects()) {
        if (auto* menu = qobject_cast<QMenu*>(o)) {
            QString path = menu->title().remove(u'&');
            for (QObject* up = menu->menuAction()->associatedObjects().value(0); auto* parent = qobject_cast<QMenu*>(up);
                 up = parent->menuAction()->associatedObjects().value(0))
                path = parent->title().remove(u'&') + u" ▸ "_s + path;
            return path;
        }
    }
    for (QObject* o : a->associatedObjects()) {
        if (qobject_cast<QToolBar*>(o))
            return u"Toolbar"_s;
    }
    return u"Window"_s;
}

} // namespace

std::unique_ptr<QSettings> MainWindow::settings()
{
    return std::make_unique<QSettings>(u"Interleave"_s, u"Interleave"_s);
}

// --- settings -----------------------------------------------------------------------------------

void MainWindow::loadSettings()
{
    const auto s = settings();
    m_lastDir = s->value(LastDirKey).toString();
    setTheme(themeFromName(s->value(ThemeKey).toString()));
    // The last lesson and its settings, read like a session file: one a newer or older version
    // wrote that no longer fits is dropped, and the window starts with the defaults.
    if (auto last = parseSession(s->value(SessionKey).toString().toUtf8(), nullptr)) {
        last->followLive = true; // the view of a run that is gone means nothing now
        last->visibleStartNs = last->visibleEndNs = 0;
        applySession(*last);
    }
    restoreGeometry(s->value(GeometryKey).toByteArray());
    restoreState(s->value(StateKey).toByteArray());
    m_split->restoreState(s->value(SplitterKey).toByteArray());
    setPresentationMode(s->value(PresentationKey, false).toBool());
}

void MainWindow::saveSettings() const
{
    const auto s = settings();
    s->setValue(GeometryKey, saveGeometry());
    s->setValue(StateKey, saveState());
    // In presentation mode the side panels are hidden: keep the layout to come back to.
    s->setValue(SplitterKey, m_presentation ? m_normalSplitter : m_split->saveState());
    s->setValue(SessionKey, QString::fromUtf8(QJsonDocument(toJson(currentSession())).toJson(QJsonDocument::Compact)));
    s->setValue(ThemeKey, themeName(m_theme));
    s->setValue(PresentationKey, m_presentation);
    s->setValue(LastDirKey, m_lastDir);
}

// --- theme and presentation ---------------------------------------------------------------------

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    for (QAction* a : m_themeGroup->actions())
        a->setChecked(a->data().toInt() == int(theme));
    // Application-wide, so dialogs follow; an empty palette is the platform's own again.
    switch (theme) {
    case Theme::System: QApplication::setPalette(QPalette()); break;
    case Theme::Light: QApplication::setPalette(lightPalette()); break;
    case Theme::Dark: QApplication::setPalette(darkPalette()); break;
    }
    applyLook();
}

void MainWindow::setPresentationMode(bool on)
{
    if (m_presentationAction->isChecked() != on) {
        const QSignalBlocker block(m_presentationAction);
        m_presentationAction->setChecked(on);
    }
    if (on == m_presentation)
        return;
    if (on)
        m_normalSplitter = m_split->saveState(); // the panels as they were, for coming back
    m_presentation = on;
    applyLook();
    setWindowState(on ? windowState() | Qt::WindowFullScreen : windowState() & ~Qt::WindowFullScreen);
    if (on) // once the layouts have taken in the larger text
        QMetaObject::invokeMethod(this, &MainWindow::widenSettingsForPresentation, Qt::QueuedConnection);
    else if (!m_normalSplitter.isEmpty())
        m_split->restoreState(m_normalSplitter);
    if (on)
        statusBar()->showMessage(u"Presentation mode: F11 leaves it"_s, 4000);
}

void MainWindow::applyLook()
{
    // Presentation mode: the timeline, charts, outcome and the settings the teacher moves stay;
    // the side panels (lesson text, statistics, wait-for graph, console) and the status bar go.
    if (m_presentation) {
        QFont f = QApplication::font();
        if (f.pointSizeF() > 0)
            f.setPointSizeF(f.pointSizeF() * PresentationFontScale);
        else
            f.setPixelSize(int(f.pixelSize() * PresentationFontScale));
        setFont(f);
        const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
        setPalette(highContrastPalette(dark));
    } else {
        setFont(QFont());      // nothing explicit: the application's font again
        setPalette(QPalette()); // and its palette (the theme)
    }
    QFont banner = font();
    if (banner.pointSizeF() > 0)
        banner.setPointSizeF(banner.pointSizeF() * 1.35);
    banner.setBold(true);
    m_banner->setFont(banner);
    if (m_params->font() != m_paramsFont) {
        // The editors size themselves from the font when they are made: make them again.
        m_paramsFont = m_params->font();
        const ParamSchema schema = m_params->schema();
        m_params->setSchema(schema, m_params->values());
    }
    m_timeline->setLaneHeight(m_presentation ? PresentationLaneHeight : NormalLaneHeight);
    m_charts->setLineWidthScale(m_presentation ? 1.75 : 1.0);
    m_tabs->setVisible(!m_presentation);
    statusBar()->setVisible(!m_presentation);
    updateLessonItems();
}

void MainWindow::updateLessonItems()
{
    // Presenting, the list shows titles only: with the larger text the summaries would crowd out
    // the settings; their tooltips still have them.
    const int lines = m_presentation ? 1 : 2;
    const int height = lines * m_lessons->fontMetrics().height() + (m_presentation ? 10 : 16);
    for (int row = 0; row < m_lessons->count(); ++row) {
        QListWidgetItem* item = m_lessons->item(row);
        const ScenarioEntry* entry = ScenarioRegistry::instance().find(item->data(Qt::UserRole).toString());
        if (!entry)
            continue;
        item->setText(m_presentation ? entry->info.title : entry->info.title + u'\n' + entry->info.summary);
        item->setSizeHint(QSize(0, height));
    }
}

void MainWindow::widenSettingsForPresentation()
{
    // The larger text needs a wider left column, or the settings' spin boxes are cut off.
    QList<int> sizes = m_split->sizes();
    // The settings sit in a scroll area, whose own size hint does not grow with them.
    QWidget* left = m_split->widget(0);
    const QMargins margins = left->layout() ? left->layout()->contentsMargins() : QMargins();
    const int want = std::max(left->sizeHint().width(),
                              m_params->sizeHint().width() + margins.left() + margins.right()
                                  + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4);
    if (sizes.size() < 2 || sizes[0] >= want)
        return;
    sizes[1] = std::max(200, sizes[1] - (want - sizes[0]));
    sizes[0] = want;
    m_split->setSizes(sizes);
}

void MainWindow::changeEvent(QEvent* e)
{
    QMainWindow::changeEvent(e);
    if (e->type() == QEvent::FontChange && m_lessons)
        updateLessonItems();
}

// --- help ---------------------------------------------------------------------------------------

QList<QAction*> MainWindow::shortcutActions() const
{
    QList<QAction*> out;
    auto add = [&out](QAction* a) {
        if (a && !a->isSeparator() && !a->menu() && !a->text().isEmpty() && !qobject_cast<QWidgetAction*>(a)
            && !out.contains(a))
            out << a;
    };
    std::function<void(QMenu*)> walk = [&](QMenu* menu) {
        if (menu == m_recentMenu) // its entries are files, not commands
            return;
        for (QAction* a : menu->actions()) {
            if (a->menu())
                walk(a->menu());
            else
                add(a);
        }
    };
    for (QAction* a : menuBar()->actions()) {
        if (a->menu())
            walk(a->menu());
    }
    for (QToolBar* bar : findChildren<QToolBar*>()) {
        for (QAction* a : bar->actions())
            add(a);
    }
    for (QAction* a : actions())
        add(a);
    return out;
}

void MainWindow::showShortcuts()
{
    if (auto* open = findChild<QDialog*>(u"shortcutsDialog"_s)) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new QDialog(this);
    dialog->setObjectName(u"shortcutsDialog"_s);
    dialog->setWindowTitle(u"Keyboard Shortcuts"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QList<QAction*> all = shortcutActions();
    auto* table = new QTableWidget(int(all.size()), 3, dialog);
    table->setObjectName(u"shortcutsTable"_s);
    table->setHorizontalHeaderLabels({u"Action"_s, u"Keys"_s, u"Where"_s});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    for (int row = 0; row < all.size(); ++row) {
        QAction* a = all[row];
        table->setItem(row, 0, new QTableWidgetItem(QString(a->text()).remove(u'&').remove(u"…"_s)));
        table->setItem(row, 1, new QTableWidgetItem(shortcutText(a)));
        table->setItem(row, 2, new QTableWidgetItem(placeOf(a)));
    }
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(560, 620);
    dialog->open();
}

void MainWindow::showAbout()
{
#ifdef INTERLEAVE_VERSION
    const QString version = QStringLiteral(INTERLEAVE_VERSION);
#else
    const QString version = QCoreApplication::applicationVersion();
#endif
    auto* box = new QMessageBox(QMessageBox::NoIcon, u"About Interleave"_s,
                                u"<h3>Interleave %1</h3>"
                                "<p>Watch real threads, locks, queues and a simulated GIL at work.</p>"
                                "<p>It runs real threads and worker processes and draws what they do, "
                                "for teaching and for looking at traces of your own programs.</p>"
                                "<p>Built with Qt %2, running on Qt %3 (Qt is used under the LGPL v3).</p>"_s
                                    .arg(version.toHtmlEscaped(), QStringLiteral(QT_VERSION_STR),
                                         QString::fromLatin1(qVersion())),
                                QMessageBox::Ok, this);
    box->setObjectName(u"aboutBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace interleave
