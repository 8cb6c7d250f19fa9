// CoNLL-2002 Dutch NER trained with Yang et al.'s own settings (lowercased words, the vocabulary
// from every split, no dropout, AdaGrad 0.01): the base of the Dutch ablation (docs/results.md)
// that chose conll2002_nl.jsonnet's defaults.
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
local corpus = data.conll2002('nl');
data.experiment(corpus, yang.model(corpus.label_namespace, 'BIOUL', word_dim=64), recipe=yang.recipes.paper)
