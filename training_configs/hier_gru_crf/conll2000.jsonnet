// Yang et al. (2016), CoNLL-2000 chunking, single task (paper: 94.66 F1).
// Trains as the `with_vectors` recipe (dropout 0.5, word dropout 0.25, Adam; every word of the
// vector file in the vocabulary beside train's), the Dutch ablation's choice carried to English.
// Full data: JMT_CONLL2000_DIR=/path/to/conll2000; vectors: JMT_EMBEDDINGS=/path/to/vectors.txt.
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
data.experiment(data.conll2000, yang.model(data.conll2000.label_namespace, 'BIOUL'), recipe=yang.recipes.with_vectors)
