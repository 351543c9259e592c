// LessonPicker: the registry's lessons in their order, each a title over its one-line summary.
#include "lessonpicker.h"

#include "parameterpanel.h"
#include "lessons.h"

#include <QEvent>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

LessonPicker::LessonPicker(QWidget* parent)
    : QWidget(parent)
    , m_lessons(new QListWidget(this))
    , m_params(new ParameterPanel(this))
{
    m_lessons->setObjectName(u"lessons"_s);
    m_lessons->setWordWrap(true);
    for (const LessonCard& lesson : Lessons::all()) {
        auto* item = new QListWidgetItem(m_lessons);
        item->setData(Qt::UserRole, lesson.id);
        item->setToolTip(lesson.summary);
    }
    updateItems();
    m_paramsFont = m_params->font();
    connect(m_lessons, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            Q_EMIT lessonPicked(m_lessons->item(row)->data(Qt::UserRole).toString());
    });
    auto* paramsScroll = new QScrollArea(this);
    paramsScroll->setWidget(m_params);
    paramsScroll->setWidgetResizable(true);
    paramsScroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<b>Lessons</b>"), this));
    layout->addWidget(m_lessons, 4);
    layout->addWidget(new QLabel(tr("<b>Settings</b> (change them while it runs)"), this));
    layout->addWidget(paramsScroll, 5);
}

LessonPicker::~LessonPicker() = default;

void LessonPicker::setCurrent(const QString& id)
{
    const QSignalBlocker block(m_lessons);
    for (int row = 0; row < m_lessons->count(); ++row) {
        if (m_lessons->item(row)->data(Qt::UserRole).toString() == id) {
            m_lessons->setCurrentRow(row);
            return;
        }
    }
    m_lessons->setCurrentRow(-1);
    m_lessons->clearSelection();
}

void LessonPicker::setPresentation(bool on)
{
    m_presentation = on;
    updateItems();
}

int LessonPicker::settingsWidth(bool preferred) const
{
    const QMargins margins = layout()->contentsMargins();
    return (preferred ? m_params->sizeHint() : m_params->minimumSizeHint()).width() + margins.left() + margins.right()
        + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4;
}

void LessonPicker::widenIn(QSplitter* split, bool preferred) const
{
    const int need = preferred ? std::max(sizeHint().width(), settingsWidth(true)) : settingsWidth();
    QList<int> sizes = split->sizes();
    if (sizes.size() < 2 || sizes[0] <= 0 || sizes[0] >= need)
        return;
    int extra = need - sizes[0];
    sizes[0] = need;
    if (sizes.size() > 2) {
        const int fromRight = std::min(extra, std::max(0, sizes[2] - 300));
        sizes[2] -= fromRight;
        extra -= fromRight;
    }
    sizes[1] = std::max(200, sizes[1] - extra);
    split->setSizes(sizes);
}

void LessonPicker::updateItems()
{
    const int lines = m_presentation ? 1 : 2;
    const int height = lines * m_lessons->fontMetrics().height() + (m_presentation ? 10 : 16);
    for (int row = 0; row < m_lessons->count(); ++row) {
        QListWidgetItem* item = m_lessons->item(row);
        const std::optional<LessonCard> lesson = Lessons::find(item->data(Qt::UserRole).toString());
        if (!lesson)
            continue;
        item->setText(m_presentation ? lesson->title : lesson->title + u'\n' + lesson->summary);
        item->setSizeHint(QSize(0, height));
    }
}

void LessonPicker::changeEvent(QEvent* e)
{
    QWidget::changeEvent(e);
    if (e->type() != QEvent::FontChange)
        return;
    updateItems();
    // The editors size themselves from the font when they are made: make them again.
    if (m_params->font() != m_paramsFont) {
        m_paramsFont = m_params->font();
        const ParamSchema schema = m_params->schema();
        m_params->setSchema(schema, m_params->values());
    }
}

} // namespace interleave
