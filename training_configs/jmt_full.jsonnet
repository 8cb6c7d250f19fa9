// Hashimoto et al. (2017)'s Joint Many-Task model for the full corpora: averaged losses under Adam
// 0.002, jmt.libsonnet's `adam_*` batches and successive regularization; up to 30 epochs, stopped
// after 5 without a better dev LAS. Chosen on the full corpora's dev sets over the paper's
// optimization (summed losses, SGD 1.0 decayed as 1 / (1 + 0.3 epoch): `paper_optimization=true`),
// which learns POS too slowly on NLTK's WSJ sample, a twentieth of the paper's POS data
// (docs/campaign.md: after 4 epochs, dev POS 92.0 against 75.7, chunking 84.3 against 87.2).
// Data: JMT_PTB_DIR, JMT_CONLL2000_DIR, JMT_UD_EWT_DIR, JMT_SICK_DIR (each task falls back to the
// bundled sample when its variable is unset); vectors: JMT_EMBEDDINGS with JMT_EMBEDDINGS_DIM.
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment(
  num_epochs=30,
  lr=jmt.full_data_lr,
  batch_size=jmt.adam_batch_size,
  successive_regularization=jmt.adam_successive_regularization,
  successive_regularization_by_task=jmt.adam_successive_regularization_by_task,
)
