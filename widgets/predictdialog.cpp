// PredictDialog: the question large, a row per choice with the hands raised for it (a click on the
// choice adds one), or a box for a number; the settings the run will use, said before it starts.
#include "predictdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

using namespace Qt::StringLiterals;

namespace interleave {

PredictDialog::PredictDialog(const std::vector<Question>& questions, int first, QWidget* parent)
    : QDialog(parent)
    , m_questions(questions)
    , m_pick(new QComboBox(this))
    , m_text(new QLabel(this))
    , m_settings(new QLabel(this))
    , m_answers(new QVBoxLayout)
{
    setObjectName(u"predictDialog"_s);
    setWindowTitle(tr("Predict, Then Run"));
    for (const Question& q : m_questions)
        m_pick->addItem(tr("Question %1").arg(q.number));
    QFont big = m_text->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_text->setFont(big);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::MarkdownText); // `q.empty()` in a question is code
    m_settings->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run and Reveal"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pick);
    layout->addWidget(m_text);
    layout->addLayout(m_answers);
    layout->addWidget(m_settings);
    layout->addWidget(buttons);
    connect(m_pick, &QComboBox::currentIndexChanged, this, &PredictDialog::setQuestionIndex);
    setMinimumWidth(560);
    m_index = std::clamp(first, 0, std::max(0, int(m_questions.size()) - 1));
    m_pick->setCurrentIndex(m_index);
    showQuestion();
}

PredictDialog::~PredictDialog() = default;

const Question& PredictDialog::question() const
{
    return m_questions[std::size_t(m_index)];
}

int PredictDialog::questionIndex() const
{
    return m_index;
}

QString PredictDialog::questionText() const
{
    return m_text->text();
}

void PredictDialog::setQuestionIndex(int index)
{
    if (index < 0 || index >= int(m_questions.size()) || index == m_index)
        return;
    m_index = index;
    m_pick->setCurrentIndex(index);
    showQuestion();
}

void PredictDialog::showQuestion()
{
    while (QLayoutItem* item = m_answers->takeAt(0)) {
        if (QLayout* row = item->layout()) {
            while (QLayoutItem* inner = row->takeAt(0)) {
                delete inner->widget();
                delete inner;
            }
        }
        delete item->widget();
        delete item;
    }
    m_hands.clear();
    m_guess = nullptr;
    const Question& q = question();
    m_text->setText(q.text);
    QStringList settings;
    for (const auto& [key, value] : q.settings)
        settings << key + u'=' + value;
    m_settings->setText(tr("The run: %1%2. Raise hands, or pick one, then run it.")
                            .arg(settings.isEmpty() ? tr("the lesson's defaults") : settings.join(u", "_s))
                            .arg(q.speed != 1 ? tr(", at %1x speed").arg(q.speed) : QString()));
    if (q.guessNumber()) {
        auto* row = new QHBoxLayout;
        auto* label = new QLabel(tr("Your &guess:"), this);
        m_guess = new QDoubleSpinBox(this);
        m_guess->setObjectName(u"guess"_s);
        m_guess->setRange(-1e12, 1e12);
        m_guess->setDecimals(0);
        m_guess->setSpecialValueText(tr("(none)"));
        m_guess->setMinimum(-1); // -1 shows "(none)": no guess yet
        m_guess->setValue(-1);
        label->setBuddy(m_guess);
        row->addWidget(label);
        row->addWidget(m_guess, 1);
        m_answers->addLayout(row);
        return;
    }
    for (std::size_t c = 0; c < q.choices.size(); ++c) {
        auto* row = new QHBoxLayout;
        auto* pick = new QPushButton(u"&%1  %2"_s.arg(c + 1).arg(q.choices[c].label), this);
        pick->setToolTip(tr("One more hand for this choice"));
        pick->setStyleSheet(u"text-align: left; padding: 8px;"_s);
        QFont f = pick->font();
        f.setPointSizeF(f.pointSizeF() * 1.3);
        pick->setFont(f);
        auto* hands = new QSpinBox(this);
        hands->setObjectName(u"hands%1"_s.arg(c + 1));
        hands->setRange(0, 999);
        hands->setPrefix(tr("hands: "));
        hands->setFont(pick->font());
        connect(pick, &QPushButton::clicked, hands, [hands] { hands->setValue(hands->value() + 1); });
        row->addWidget(pick, 1);
        row->addWidget(hands);
        m_answers->addLayout(row);
        m_hands.push_back(hands);
    }
}

std::vector<int> PredictDialog::hands() const
{
    std::vector<int> out;
    for (const QSpinBox* h : m_hands)
        out.push_back(h->value());
    return out;
}

void PredictDialog::setHands(int choice, int count)
{
    if (choice >= 0 && std::size_t(choice) < m_hands.size())
        m_hands[std::size_t(choice)]->setValue(count);
}

std::optional<double> PredictDialog::guess() const
{
    if (!m_guess || m_guess->value() == m_guess->minimum())
        return std::nullopt;
    return m_guess->value();
}

void PredictDialog::setGuess(double value)
{
    if (m_guess)
        m_guess->setValue(value);
}

} // namespace interleave
