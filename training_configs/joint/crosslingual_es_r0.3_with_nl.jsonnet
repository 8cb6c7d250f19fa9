// Yang et al. (2016), Table 8: Spanish NER at labelling rate r = 0.3 (a seeded fraction of its training
// sentences) jointly with all of Dutch NER, only the characters shared. Each epoch is one pass over
// the kept Spanish sentences with as many Dutch batches in turn; selected on Spanish dev F1 (full
// dev set). Compare with es_r0.3_alone.jsonnet: same Spanish sample, epochs, patience and seed.
// Data: JMT_CONLL2002_DIR (the bundled sample when unset).
local joint = import '../lib/joint.libsonnet';
joint.experiment(['es_ner', 'nl_ner'], share='characters', target='es_ner', rate=0.3)
