// Yang et al. (2016), CoNLL-2002 Spanish NER, single task (paper: 84.69 F1, with Polyglot vectors).
// Full data: JMT_CONLL2002_DIR=/path/to/conll2002; vectors: JMT_EMBEDDINGS (64-dimensional Polyglot in the paper).
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
local corpus = data.conll2002('es');
data.experiment(corpus, yang.model(corpus.label_namespace, 'BIOUL', word_dim=64))
