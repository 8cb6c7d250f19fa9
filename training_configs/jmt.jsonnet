// Hashimoto et al. (2017)'s Joint Many-Task model: POS tagging -> chunking -> dependency parsing ->
// semantic relatedness -> textual entailment, trained in that order every epoch, selected on LAS.
// With no data variable set it trains on the bundled sample (fixtures/data/jmt) in minutes, with Adam;
// set JMT_PTB_DIR, JMT_CONLL2000_DIR, JMT_UD_EWT_DIR, JMT_SICK_DIR (and JMT_EMBEDDINGS) for the full
// corpora, trained with the paper's optimization (summed losses, SGD 1.0 decayed as 1 / (1 + 0.3 epoch)).
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment()
