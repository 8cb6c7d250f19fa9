// Hashimoto et al. (2017)'s Joint Many-Task model: POS tagging -> chunking -> dependency parsing ->
// semantic relatedness -> textual entailment, trained in that order every epoch, selected on LAS.
// Sized for the bundled sample (fixtures/data/jmt): averaged losses, Adam 0.01, 6 epochs, minutes
// on a CPU. For the full corpora use jmt_full.jsonnet (the paper's optimization). The data
// variables (JMT_PTB_DIR, JMT_CONLL2000_DIR, JMT_UD_EWT_DIR, JMT_SICK_DIR) only say where data is.
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment()
