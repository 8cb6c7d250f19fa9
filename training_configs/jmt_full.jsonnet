// Hashimoto et al. (2017)'s Joint Many-Task model for the full corpora, with the paper's
// optimization: losses summed over each batch (the paper's objective, to which its λ and δ are
// relative), its code's SGD at 1.0 decayed as 1 / (1 + 0.3 epoch), gradient norms clipped at
// min(3, depth of the task); up to 30 epochs, stopped after 5 without a better dev LAS.
// Data: JMT_PTB_DIR, JMT_CONLL2000_DIR, JMT_UD_EWT_DIR, JMT_SICK_DIR (each task falls back to the
// bundled sample when its variable is unset); vectors: JMT_EMBEDDINGS with JMT_EMBEDDINGS_DIM.
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment(paper_optimization=true, num_epochs=30)
