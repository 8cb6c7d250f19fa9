// Yang et al. (2016), CoNLL-2000 chunking, single task (paper: 94.66 F1).
// Full data: JMT_CONLL2000_DIR=/path/to/conll2000; vectors: JMT_EMBEDDINGS=/path/to/vectors.txt.
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
data.experiment(data.conll2000, yang.model(data.conll2000.label_namespace, 'BIOUL'))
