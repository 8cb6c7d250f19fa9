// Yang et al. (2016), cross-lingual NER on a pair: Dutch (the target: each epoch is one pass over
// it, with as many Spanish batches in turn; selected on Dutch dev F1) jointly with Spanish, only
// the characters shared. Data: JMT_CONLL2002_DIR (the bundled sample when unset).
local joint = import '../lib/joint.libsonnet';
joint.experiment(['nl_ner', 'es_ner'], share='characters', target='nl_ner')
