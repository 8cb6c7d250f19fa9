// Hashimoto et al. (2017)'s Joint Many-Task model: POS tagging -> chunking -> dependency parsing ->
// semantic relatedness -> textual entailment, trained in that order every epoch, selected on LAS.
// Sized for the bundled sample (fixtures/data/jmt): averaged losses, Adam 0.01, 6 epochs, minutes
// on a CPU. For the full corpora use jmt_full.jsonnet (the paper's optimization). The data
// variables (JMT_PTB_DIR, JMT_CONLL2000_DIR, JMT_UD_EWT_DIR, JMT_SICK_DIR) only say where data is.
//
// Successive regularization for averaged losses under Adam, chosen on the sample's dev sets (seed
// 13, docs/history.md): the paper's δ = 0.01 is relative to its summed losses. With averaged ones
// it holds the word representation near where each POS turn began, so POS learns slowly (POS
// alone: 84% after 4 epochs, 92% without it), while the tasks above, barely held, undo POS (all
// tasks: 15% POS after the first epoch). So POS turns are not regularized (δ = 0), chunking and
// dependencies turns strongly (δ = 1), the sentence-pair turns less (δ = 0.1: with 1 they barely
// learn, Pearson below 0). POS batches of 16 give POS twice the updates.
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment(
  batch_size={ [task]: if task == 'pos' then 16 else 32 for task in jmt.tasks },
  successive_regularization=1.0,
  successive_regularization_by_task={ pos: 0.0, relatedness: 0.1, entailment: 0.1 },
)
