// "Predict, then reveal": a lesson's question asked before the run. The class raises hands for
// each choice (or one student picks one), or guesses a number; the window then runs the
// question's settings and reveals the answer beside the prediction.
#pragma once

#include "questions.h"

#include <QDialog>

#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QVBoxLayout;

namespace interleave {

class PredictDialog : public QDialog
{
    Q_OBJECT
public:
    // Asks one of `questions` (all of one lesson), starting with `first` (an index into them).
    PredictDialog(const std::vector<Question>& questions, int first, QWidget* parent = nullptr);
    ~PredictDialog() override;

    const Question& question() const;
    int questionIndex() const;
    void setQuestionIndex(int index);
    // Hands per choice, as raised (choice questions).
    std::vector<int> hands() const;
    void setHands(int choice, int count);
    // The guess (number questions); nullopt when none was given.
    std::optional<double> guess() const;
    void setGuess(double value);
    QString questionText() const;

private:
    void showQuestion();

    const std::vector<Question> m_questions;
    int m_index = 0;
    QComboBox* const m_pick;
    QLabel* const m_text;
    QLabel* const m_settings;
    QVBoxLayout* const m_answers;
    std::vector<QSpinBox*> m_hands;
    QDoubleSpinBox* m_guess = nullptr;
};

} // namespace interleave
