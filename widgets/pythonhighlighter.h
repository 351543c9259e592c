// Syntax colouring for the lessons' Python programs, readable on light and dark palettes.
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QPalette;
class QTextDocument;

namespace interleave {

class PythonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Role { Keyword, Builtin, String, Comment, Number, Decorator, Definition, Self, Count };

    explicit PythonHighlighter(QTextDocument* document);

    // Picks the light or dark colour set from the palette's base colour and rehighlights.
    void setPalette(const QPalette& palette);
    bool darkColours() const { return m_dark; }
    const QTextCharFormat& format(Role role) const { return m_formats[int(role)]; }

protected:
    void highlightBlock(const QString& text) override;

private:
    // Block states: which triple-quoted string, if any, is still open at the end of a block.
    enum BlockState { Normal = 0, InTripleDouble = 1, InTripleSingle = 2 };

    void buildFormats();
    // Colours a string starting at `start` (its opening quote at `quote`); returns the index
    // after it, or -1 when a triple-quoted string runs past the end of the block.
    qsizetype highlightString(const QString& text, qsizetype start, qsizetype quote);

    bool m_dark = false;
    QTextCharFormat m_formats[int(Role::Count)];
};

} // namespace interleave
