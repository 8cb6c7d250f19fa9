// Yang et al. (2016), CoNLL-2002 Spanish NER, single task (paper: 84.69 F1, with Polyglot vectors).
// Without vectors it trains as the `from_scratch` recipe that the Dutch ablation chose (cased
// words, the vocabulary from train with a learnt unknown word, dropout 0.5, Adam): the reasons
// hold for any language trained without vectors (docs/results.md).
// Full data: JMT_CONLL2002_DIR=/path/to/conll2002; vectors: JMT_EMBEDDINGS (64-dimensional Polyglot in the paper).
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
local corpus = data.conll2002('es');
data.experiment(corpus, yang.model(corpus.label_namespace, 'BIOUL', word_dim=64), recipe=yang.recipes.from_scratch)
