// Yang et al. (2016), Table 8 baseline: Spanish NER alone at labelling rate r = 0.1, the same model
// (backbone and head), sample, epochs, patience and seed as crosslingual_es_r0.1_with_nl.jsonnet,
// without Dutch. Data: JMT_CONLL2002_DIR (the bundled sample when unset).
local joint = import '../lib/joint.libsonnet';
joint.experiment(['es_ner'], share='characters', target='es_ner', rate=0.1)
