// What the lesson's threads printed, in time order, each line coloured by the thread that
// printed it and stamped with the time it was printed.
#pragma once

#include <QPointer>
#include <QWidget>

#include <cstdint>

class QPlainTextEdit;

namespace interleave {

class TraceStore;

class ConsoleView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxLines = 5000; // the oldest lines scroll away beyond this

    explicit ConsoleView(QWidget* parent = nullptr);
    ~ConsoleView() override;

    // Shows the store's console and follows it; nullptr detaches.
    void setStore(const TraceStore* store);

    QPlainTextEdit* textView() const { return m_text; }
    // Lines of the store shown so far (including any that scrolled beyond MaxLines).
    std::size_t linesShown() const { return m_shown; }
    // How often a late line made the view rebuild (see onAppended), for tests and curiosity.
    int rebuilds() const { return m_rebuilds; }

protected:
    void changeEvent(QEvent* e) override;

private:
    void onAppended();
    void rebuild();
    // Appends store lines [first, last) in one edit block.
    void appendLines(std::size_t first, std::size_t last);
    void applyFont();

    QPlainTextEdit* const m_text;
    QPointer<const TraceStore> m_store;
    QMetaObject::Connection m_appendedConnection;
    QMetaObject::Connection m_clearedConnection;
    QMetaObject::Connection m_refilledConnection;
    std::size_t m_shown = 0;       // store lines printed, a prefix of store->console()
    std::int64_t m_lastT = -1;     // time of the last line printed
    int m_rebuilds = 0;
};

} // namespace interleave
