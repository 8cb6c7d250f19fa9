// Yang et al. (2016), Table 8: Dutch NER at labelling rate r = 0.3 (a seeded fraction of its training
// sentences) jointly with all of Spanish NER, only the characters shared. Each epoch is one pass over
// the kept Dutch sentences with as many Spanish batches in turn; selected on Dutch dev F1 (full
// dev set). Compare with nl_r0.3_alone.jsonnet: same Dutch sample, epochs, patience and seed.
// Data: JMT_CONLL2002_DIR (the bundled sample when unset).
local joint = import '../lib/joint.libsonnet';
joint.experiment(['nl_ner', 'es_ner'], share='characters', target='nl_ner', rate=0.3)
