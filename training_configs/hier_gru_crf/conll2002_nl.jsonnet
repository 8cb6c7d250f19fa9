// Yang et al. (2016), CoNLL-2002 Dutch NER, single task (paper: 85.00 F1, with Polyglot vectors).
// Without vectors it trains as the `from_scratch` recipe (cased words, the vocabulary from train
// with a learnt unknown word, dropout 0.5, Adam), which the Dutch ablation chose over Yang et al.'s
// settings (conll2002_nl_paper_settings.jsonnet; numbers in docs/results.md).
// Full data: JMT_CONLL2002_DIR=/path/to/conll2002; vectors: JMT_EMBEDDINGS (64-dimensional Polyglot in the paper).
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
local corpus = data.conll2002('nl');
data.experiment(corpus, yang.model(corpus.label_namespace, 'BIOUL', word_dim=64), recipe=yang.recipes.from_scratch)
