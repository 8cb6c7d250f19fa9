// Yang et al. (2016), Table 8 baseline: Dutch NER alone at labelling rate r = 0.3, the same model
// (backbone and head), sample, epochs, patience and seed as crosslingual_nl_r0.3_with_es.jsonnet,
// without Spanish. Data: JMT_CONLL2002_DIR (the bundled sample when unset).
local joint = import '../lib/joint.libsonnet';
joint.experiment(['nl_ner'], share='characters', target='nl_ner', rate=0.3)
