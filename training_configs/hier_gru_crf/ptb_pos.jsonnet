// Yang et al. (2016), Penn Treebank POS tagging (paper: 97.55 accuracy): sections 00-18 train,
// 19-21 dev, 22-24 test of JMT_PTB_DIR (PTB-3's combined/ folder). Without it, the bundled
// sample's three small sections (fixtures/data/jmt/ptb): a smoke run, not an experiment.
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
data.experiment(data.ptb_pos, yang.model(data.ptb_pos.label_namespace), validation_metric='+accuracy')
