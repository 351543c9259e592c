// HelpMenu: the shortcuts table (action, keys, where it lives) and the About box.
#include "helpmenu.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWidgetAction>

#include <functional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

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

HelpMenu::HelpMenu(QMainWindow* window)
    : QObject(window)
    , m_window(window)
{
    QMenu* help = window->menuBar()->addMenu(tr("&Help"));
    QAction* shortcuts = help->addAction(tr("&Keyboard Shortcuts"), this, &HelpMenu::showShortcuts);
    shortcuts->setObjectName(u"actionShortcuts"_s);
    shortcuts->setShortcut(QKeySequence(Qt::Key_F1));
    help->addAction(tr("&About Interleave"), this, &HelpMenu::showAbout)->setObjectName(u"actionAbout"_s);
}

HelpMenu::~HelpMenu() = default;

QList<QAction*> HelpMenu::shortcutActions() const
{
    QList<QAction*> out;
    auto add = [&out](QAction* a) {
        if (a && !a->isSeparator() && !a->menu() && !a->text().isEmpty() && !qobject_cast<QWidgetAction*>(a)
            && !out.contains(a))
            out << a;
    };
    std::function<void(QMenu*)> walk = [&](QMenu* menu) {
        if (menu->objectName() == "recentMenu"_L1) // its entries are files, not commands
            return;
        for (QAction* a : menu->actions()) {
            if (a->menu())
                walk(a->menu());
            else
                add(a);
        }
    };
    for (QAction* a : m_window->menuBar()->actions()) {
        if (a->menu())
            walk(a->menu());
    }
    for (QToolBar* bar : m_window->findChildren<QToolBar*>()) {
        for (QAction* a : bar->actions())
            add(a);
    }
    for (QAction* a : m_window->actions())
        add(a);
    return out;
}

void HelpMenu::showShortcuts()
{
    if (auto* open = m_window->findChild<QDialog*>(u"shortcutsDialog"_s)) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new QDialog(m_window);
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

void HelpMenu::showAbout()
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
                                QMessageBox::Ok, m_window);
    box->setObjectName(u"aboutBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace interleave
