// Yang et al. (2016), CoNLL-2003 English NER, single task, without gazetteers (the paper's 90.94
// F1 uses gazetteers; see conll2003_gazetteer.jsonnet). Data: JMT_CONLL2003_DIR (eng.train/testa/testb).
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
data.experiment(data.conll2003, yang.model(data.conll2003.label_namespace, 'BIOUL'))
