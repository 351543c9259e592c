// The Help menu: every keyboard shortcut, read from the window's own actions (so the list cannot
// go stale), and the About box.
#pragma once

#include <QList>
#include <QObject>

class QAction;
class QMainWindow;

namespace interleave {

class HelpMenu : public QObject
{
    Q_OBJECT
public:
    // Adds the Help menu to the window's menu bar.
    explicit HelpMenu(QMainWindow* window);
    ~HelpMenu() override;

    // Every action with a text, menus first (in menu order), then toolbar and window actions.
    QList<QAction*> shortcutActions() const;
    void showShortcuts();
    void showAbout();

private:
    QMainWindow* const m_window;
};

} // namespace interleave
