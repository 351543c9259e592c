// The export dialog: a few common sizes, or any size; the whole window keeps its proportions.
#include "imageexportdialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

enum SizeChoice { OnScreen, Hd, FullHd, Uhd, Custom };

QSize presetSize(int choice)
{
    switch (choice) {
    case Hd: return {1280, 720};
    case FullHd: return {1920, 1080};
    case Uhd: return {3840, 2160};
    default: return {};
    }
}

} // namespace

ImageExportDialog::ImageExportDialog(const QList<QSize>& onScreen, QWidget* parent)
    : QDialog(parent)
    , m_onScreen(onScreen)
    , m_target(new QComboBox(this))
    , m_format(new QButtonGroup(this))
    , m_size(new QComboBox(this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_note(new QLabel(this))
{
    setWindowTitle(tr("Export Image"));
    setObjectName(u"imageExportDialog"_s);
    while (m_onScreen.size() < TargetCount)
        m_onScreen.append(QSize(800, 600));

    m_target->setObjectName(u"target"_s);
    m_target->addItem(tr("Timeline"), Timeline);
    m_target->addItem(tr("Charts"), Charts);
    m_target->addItem(tr("Whole window"), Window);
    m_target->addItem(tr("Slide: title, outcome, timeline, legend"), Slide);

    auto* png = new QRadioButton(tr("PNG (picture)"), this);
    auto* svg = new QRadioButton(tr("SVG (drawing, scales without blur)"), this);
    m_format->addButton(png, int(ImageFormat::Png));
    m_format->addButton(svg, int(ImageFormat::Svg));
    png->setChecked(true);
    auto* formats = new QHBoxLayout;
    formats->addWidget(png);
    formats->addWidget(svg);
    formats->addStretch(1);

    m_size->setObjectName(u"size"_s);
    m_size->addItem(QString(), OnScreen); // text set by updateSize()
    m_size->addItem(tr("1280 × 720"), Hd);
    m_size->addItem(tr("1920 × 1080 (Full HD)"), FullHd);
    m_size->addItem(tr("3840 × 2160 (4K)"), Uhd);
    m_size->addItem(tr("Other size"), Custom);
    m_width->setObjectName(u"width"_s);
    m_height->setObjectName(u"height"_s);
    for (QSpinBox* spin : {m_width, m_height}) {
        spin->setRange(16, ImageSource::MaxSide);
        spin->setSuffix(tr(" px"));
    }
    auto* custom = new QHBoxLayout;
    custom->addWidget(m_width);
    custom->addWidget(new QLabel(u"×"_s, this));
    custom->addWidget(m_height);
    custom->addStretch(1);
    m_note->setWordWrap(true);
    m_note->setEnabled(false); // a quiet hint

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Picture of"), m_target);
    form->addRow(tr("Format"), formats);
    form->addRow(tr("Size"), m_size);
    form->addRow(QString(), custom);
    form->addRow(m_note);
    form->addRow(buttons);

    connect(m_target, &QComboBox::currentIndexChanged, this, &ImageExportDialog::updateSize);
    connect(m_size, &QComboBox::currentIndexChanged, this, &ImageExportDialog::updateSize);
    connect(m_width, &QSpinBox::valueChanged, this, &ImageExportDialog::heightFromWidth);
    updateSize();
}

ImageExportDialog::~ImageExportDialog() = default;

ImageExportDialog::Target ImageExportDialog::target() const
{
    return Target(m_target->currentData().toInt());
}

void ImageExportDialog::setTarget(Target target)
{
    m_target->setCurrentIndex(m_target->findData(target));
}

ImageFormat ImageExportDialog::format() const
{
    return ImageFormat(m_format->checkedId());
}

void ImageExportDialog::setFormat(ImageFormat format)
{
    m_format->button(int(format))->setChecked(true);
}

QSize ImageExportDialog::chosenSize() const
{
    const int choice = m_size->currentData().toInt();
    if (choice == OnScreen)
        return {};
    if (choice == Custom)
        return {m_width->value(), m_height->value()};
    return presetSize(choice);
}

QString ImageExportDialog::targetName(Target target)
{
    switch (target) {
    case Timeline: return u"timeline"_s;
    case Charts: return u"charts"_s;
    case Slide: return u"slide"_s;
    default: return u"window"_s;
    }
}

void ImageExportDialog::updateSize()
{
    const QSize screen = m_onScreen[target()];
    m_size->setItemText(0, tr("As on screen (%1 × %2)").arg(screen.width()).arg(screen.height()));
    const bool custom = m_size->currentData().toInt() == Custom;
    m_width->setEnabled(custom);
    m_height->setEnabled(custom && target() != Window);
    const QSize shown = custom ? QSize(m_width->value(), m_height->value()) : chosenSize().isEmpty() ? screen : chosenSize();
    {
        const QSignalBlocker blockW(m_width);
        const QSignalBlocker blockH(m_height);
        m_width->setValue(shown.width());
        m_height->setValue(shown.height());
    }
    heightFromWidth();
    m_note->setText(target() == Window ? tr("The window is drawn at its own layout and scaled to fit the size.")
                    : target() == Slide
                        ? tr("The lesson and its settings as a title, the outcome, the timeline as on screen and the "
                             "legend; text grows with the height (sized for 720 pixels).")
                        : tr("The %1 is drawn again at the size chosen: more pixels show more detail, "
                             "the same time range.")
                              .arg(target() == Timeline ? tr("timeline") : tr("charts")));
}

void ImageExportDialog::heightFromWidth()
{
    // The whole window is scaled, not laid out again: its height follows its width.
    if (target() != Window || m_size->currentData().toInt() != Custom)
        return;
    const QSize s = m_onScreen[Window];
    const QSignalBlocker block(m_height);
    m_height->setValue(std::max(16, int(double(m_width->value()) * s.height() / std::max(1, s.width()) + 0.5)));
}

} // namespace interleave
