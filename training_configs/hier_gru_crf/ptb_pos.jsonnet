// Yang et al. (2016), Penn Treebank POS tagging (paper: 97.55 accuracy): sections 00-18 train,
// 19-21 dev, 22-24 test of JMT_PTB_DIR (PTB-3's combined/ folder). Without it: NLTK's sample
// (sections 00-01), split as 00 train / 01 dev and test, for a smoke run only.
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
local ptb = data.ptb_pos;
data.experiment(
  {
    reader: ptb.reader,
    train: ptb.root + (if ptb.full then '#00-18' else '#00'),
    validation: ptb.root + (if ptb.full then '#19-21' else '#01'),
    test: ptb.root + (if ptb.full then '#22-24' else '#01'),
  },
  yang.model(ptb.label_namespace),
  validation_metric='+accuracy',
)
