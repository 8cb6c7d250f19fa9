// Hashimoto et al. (2017)'s Joint Many-Task model: POS tagging -> chunking -> dependency parsing ->
// semantic relatedness -> textual entailment, trained in that order every epoch, selected on LAS.
// Sized for the bundled sample (fixtures/data/jmt): averaged losses, Adam 0.01, 6 epochs, minutes
// on a CPU. For the full corpora use jmt_full.jsonnet. The data variables (JMT_PTB_DIR,
// JMT_CONLL2000_DIR, JMT_UD_EWT_DIR, JMT_SICK_DIR) only say where data is.
// Batches and successive regularization: jmt.libsonnet's `adam_*` settings, chosen on the sample's
// dev sets (seed 13, docs/history.md: with the paper's δ = 0.01 everywhere, POS stayed near 70%).
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment(
  batch_size=jmt.adam_batch_size,
  successive_regularization=jmt.adam_successive_regularization,
  successive_regularization_by_task=jmt.adam_successive_regularization_by_task,
)
