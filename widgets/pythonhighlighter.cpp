// PythonHighlighter: a small hand-written scanner rather than a list of regular expressions, so
// a '#' inside a string or a quote inside a comment is never mistaken for the other.
#include "pythonhighlighter.h"

#include <QPalette>
#include <QRegularExpression>
#include <QSet>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QSet<QString>& keywords()
{
    static const QSet<QString> set{
        u"False"_s,  u"None"_s,   u"True"_s,     u"and"_s,    u"as"_s,       u"assert"_s, u"async"_s,
        u"await"_s,  u"break"_s,  u"class"_s,    u"continue"_s, u"def"_s,    u"del"_s,    u"elif"_s,
        u"else"_s,   u"except"_s, u"finally"_s,  u"for"_s,    u"from"_s,     u"global"_s, u"if"_s,
        u"import"_s, u"in"_s,     u"is"_s,       u"lambda"_s, u"nonlocal"_s, u"not"_s,    u"or"_s,
        u"pass"_s,   u"raise"_s,  u"return"_s,   u"try"_s,    u"while"_s,    u"with"_s,   u"yield"_s,
    };
    return set;
}

const QSet<QString>& builtins()
{
    static const QSet<QString> set{
        u"abs"_s,        u"all"_s,       u"any"_s,          u"bool"_s,       u"bytes"_s,
        u"callable"_s,   u"dict"_s,      u"divmod"_s,       u"enumerate"_s,  u"filter"_s,
        u"float"_s,      u"format"_s,    u"frozenset"_s,    u"getattr"_s,    u"hasattr"_s,
        u"hash"_s,       u"id"_s,        u"input"_s,        u"int"_s,        u"isinstance"_s,
        u"issubclass"_s, u"iter"_s,      u"len"_s,          u"list"_s,       u"map"_s,
        u"max"_s,        u"min"_s,       u"next"_s,         u"object"_s,     u"open"_s,
        u"print"_s,      u"range"_s,     u"repr"_s,         u"reversed"_s,   u"round"_s,
        u"set"_s,        u"setattr"_s,   u"slice"_s,        u"sorted"_s,     u"str"_s,
        u"sum"_s,        u"super"_s,     u"tuple"_s,        u"type"_s,       u"zip"_s,
        u"Exception"_s,  u"ValueError"_s, u"RuntimeError"_s, u"KeyboardInterrupt"_s,
        u"TimeoutError"_s, u"StopIteration"_s, u"__name__"_s, u"__main__"_s,
    };
    return set;
}

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// r"", b'', f"""...""", rb'' ...: up to two prefix letters directly before a quote.
bool isStringPrefix(QStringView word)
{
    if (word.size() > 2)
        return false;
    for (QChar c : word) {
        const char16_t l = c.toLower().unicode();
        if (l != u'r' && l != u'b' && l != u'f' && l != u'u')
            return false;
    }
    return true;
}

} // namespace

PythonHighlighter::PythonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    buildFormats();
}

void PythonHighlighter::setPalette(const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (dark == m_dark)
        return;
    m_dark = dark;
    buildFormats();
    rehighlight();
}

void PythonHighlighter::buildFormats()
{
    // Two sets tuned for contrast (>= 4.5:1 on white, or on a #1e1e1e-ish background), so the
    // colours survive a washed-out projector.
    struct Style
    {
        QColor light;
        QColor dark;
        bool bold = false;
        bool italic = false;
    };
    const Style styles[int(Role::Count)] = {
        {QColor(0x00, 0x33, 0xB3), QColor(0x56, 0x9C, 0xD6), true, false},  // Keyword
        {QColor(0x00, 0x62, 0x7A), QColor(0x4E, 0xC9, 0xB0), false, false}, // Builtin
        {QColor(0x06, 0x7D, 0x17), QColor(0xCE, 0x91, 0x78), false, false}, // String
        {QColor(0x5C, 0x63, 0x70), QColor(0x7C, 0xA6, 0x68), false, true},  // Comment
        {QColor(0x17, 0x50, 0xEB), QColor(0xB5, 0xCE, 0xA8), false, false}, // Number
        {QColor(0x80, 0x5F, 0x00), QColor(0xDC, 0xDC, 0xAA), false, false}, // Decorator
        {QColor(0x79, 0x3E, 0x96), QColor(0xDC, 0xDC, 0xAA), true, false},  // Definition
        {QColor(0x94, 0x26, 0x8C), QColor(0xC5, 0x86, 0xC0), false, true},  // Self
    };
    for (int i = 0; i < int(Role::Count); ++i) {
        QTextCharFormat f;
        f.setForeground(m_dark ? styles[i].dark : styles[i].light);
        if (styles[i].bold)
            f.setFontWeight(QFont::Bold);
        f.setFontItalic(styles[i].italic);
        m_formats[i] = f;
    }
}

qsizetype PythonHighlighter::highlightString(const QString& text, qsizetype start, qsizetype quote)
{
    const QChar q = text.at(quote);
    const bool triple = quote + 2 < text.size() && text.at(quote + 1) == q && text.at(quote + 2) == q;
    const qsizetype n = text.size();
    qsizetype i = quote + (triple ? 3 : 1);
    while (i < n) {
        const QChar c = text.at(i);
        if (c == u'\\') {
            i += 2;
            continue;
        }
        if (c == q) {
            if (!triple) {
                setFormat(start, i + 1 - start, format(Role::String));
                return i + 1;
            }
            if (i + 2 < n && text.at(i + 1) == q && text.at(i + 2) == q) {
                setFormat(start, i + 3 - start, format(Role::String));
                return i + 3;
            }
        }
        ++i;
    }
    setFormat(start, n - start, format(Role::String));
    if (triple) {
        setCurrentBlockState(q == u'"' ? InTripleDouble : InTripleSingle);
        return -1;
    }
    return n; // an unterminated one-line string ends with its line, as in Python's error
}

void PythonHighlighter::highlightBlock(const QString& text)
{
    setCurrentBlockState(Normal);
    const qsizetype n = text.size();
    qsizetype i = 0;

    // Continue a triple-quoted string opened in an earlier block.
    const int previous = previousBlockState();
    if (previous == InTripleDouble || previous == InTripleSingle) {
        const QString closing = previous == InTripleDouble ? u"\"\"\""_s : u"'''"_s;
        qsizetype end = -1;
        for (qsizetype k = 0; k + 3 <= n; ++k) {
            if (text.at(k) == u'\\') {
                ++k;
                continue;
            }
            if (QStringView(text).mid(k, 3) == closing) {
                end = k + 3;
                break;
            }
        }
        if (end < 0) {
            setFormat(0, n, format(Role::String));
            setCurrentBlockState(previous);
            return;
        }
        setFormat(0, end, format(Role::String));
        i = end;
    }

    static const QRegularExpression numberPattern(
        uR"((?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)[jJ]?)"_s);

    // Whether the first non-blank character of the line has been passed (decorators start lines).
    bool lineStart = true;
    QString previousWord;
    while (i < n) {
        const QChar c = text.at(i);
        if (c.isSpace()) {
            ++i;
            continue;
        }
        if (c == u'#') {
            setFormat(i, n - i, format(Role::Comment));
            return;
        }
        if (c == u'"' || c == u'\'') {
            i = highlightString(text, i, i);
            if (i < 0)
                return;
            lineStart = false;
            previousWord.clear();
            continue;
        }
        if (c == u'@' && lineStart) {
            qsizetype end = i + 1;
            while (end < n && (isIdentifierChar(text.at(end)) || text.at(end) == u'.'))
                ++end;
            setFormat(i, end - i, format(Role::Decorator));
            i = end;
            lineStart = false;
            continue;
        }
        lineStart = false;
        if (c.isDigit() || (c == u'.' && i + 1 < n && text.at(i + 1).isDigit())) {
            const auto match = numberPattern.match(text, i, QRegularExpression::NormalMatch,
                                                       QRegularExpression::AnchorAtOffsetMatchOption);
            const qsizetype len = match.hasMatch() ? match.capturedLength() : 1;
            setFormat(i, len, format(Role::Number));
            i += len;
            previousWord.clear();
            continue;
        }
        if (isIdentifierStart(c)) {
            qsizetype end = i + 1;
            while (end < n && isIdentifierChar(text.at(end)))
                ++end;
            const QString word = text.mid(i, end - i);
            if (end < n && (text.at(end) == u'"' || text.at(end) == u'\'') && isStringPrefix(word)) {
                i = highlightString(text, i, end);
                if (i < 0)
                    return;
                previousWord.clear();
                continue;
            }
            // A name right after a '.' is an attribute (q.put), not the builtin or keyword.
            const bool attribute = i > 0 && text.at(i - 1) == u'.';
            if (previousWord == u"def"_s || previousWord == u"class"_s)
                setFormat(i, end - i, format(Role::Definition));
            else if (!attribute && keywords().contains(word))
                setFormat(i, end - i, format(Role::Keyword));
            else if (!attribute && builtins().contains(word))
                setFormat(i, end - i, format(Role::Builtin));
            else if (!attribute && (word == u"self"_s || word == u"cls"_s))
                setFormat(i, end - i, format(Role::Self));
            previousWord = word;
            i = end;
            continue;
        }
        previousWord.clear();
        ++i;
    }
}

} // namespace interleave
