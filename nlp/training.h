// What every nlp/ trainer shares: its options, and early stopping on a
// held-out score (the best epoch's model is kept; training stops after
// `patience` epochs without a better score). Plain values; one trainer each.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "nlp/perceptron.h"

namespace kgraph::nlp {

struct TrainOptions {
  int max_epochs = 12;
  int patience = 3;        // epochs without a better dev score before stopping
  uint64_t seed = 42;
  // Tagger only: 2 = the second pass sees first-pass tags (the default);
  // 1 = one pass, e.g. for the jackknifed tags a parser trains on.
  int tagger_passes = 2;
  // Tagger and parser: 0 = perceptron steps (each mistake moves every
  // feature's weight by 1); > 0 = passive-aggressive steps (Crammer et al.
  // 2006, PA-I): the gold class must beat the best other one by a margin of 1,
  // the step is this fraction of the hinge loss over |phi(gold) - phi(other)|^2
  // (2 |features|), and a right answer within the margin is pushed too.
  float pa_step = 0;
  // Tagger only: words seen fewer times than this in training get no
  // ambiguity class (the set of tags a word was seen with), as words never
  // seen do, so that training also teaches how to tag a word with none.
  int ambiguity_min_count = 2;
  // Called after each epoch with a line such as "epoch 3: dev UPOS 0.951".
  std::function<void(const std::string&)> progress;
};

// The step size of a passive-aggressive update (see TrainOptions::pa_step)
// between a gold class and a rival scored `gold_score` and `rival_score` by
// `features` features; 0 when the gold class already wins by the margin.
inline float PassiveAggressiveStep(float gold_score, float rival_score, float scale,
                                   size_t features) {
  const float loss = 1.0f - (gold_score - rival_score);
  return loss > 0 ? scale * loss / (2.0f * static_cast<float>(features)) : 0.0f;
}

class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}

  // Offers one epoch's model and its dev score; keeps the model if the score
  // is strictly better than every earlier one. True when training should stop.
  bool Offer(double score, PerceptronModel model) {
    if (score > best_score_) {
      best_score_ = score;
      best_ = std::move(model);
      since_best_ = 0;
      return false;
    }
    return ++since_best_ >= patience_;
  }

  PerceptronModel TakeBest() { return std::move(best_); }

 private:
  int patience_;
  double best_score_ = -1;
  int since_best_ = 0;
  PerceptronModel best_;
};

}  // namespace kgraph::nlp
