// Yang et al. (2016), cross-lingual NER: CoNLL-2003 English + CoNLL-2002 Spanish and Dutch, only
// the character embedding and GRU shared (each language has its own word embedding and word
// GRU), one CRF head per language, one batch of each in turn, each epoch one pass over every
// language; selected on the sum of the three dev F1 (paper, joint: Spanish 85.77, Dutch 85.19).
// Data: JMT_CONLL2003_DIR, JMT_CONLL2002_DIR (bundled samples when unset).
local joint = import '../lib/joint.libsonnet';
joint.experiment(['en_ner', 'es_ner', 'nl_ner'], share='characters')
