// Yang et al. (2016), multi-task English: PTB POS tagging + CoNLL-2000 chunking + CoNLL-2003 NER,
// everything below the CRF shared (word embeddings included), one CRF head per task, one batch of
// each task in turn, each epoch one pass over every task; selected on the sum of the three dev
// scores (paper, joint: 97.55 POS, 95.41 chunking, 91.20 NER). Data: JMT_PTB_DIR,
// JMT_CONLL2000_DIR, JMT_CONLL2003_DIR (bundled samples when unset); vectors: JMT_EMBEDDINGS.
local joint = import '../lib/joint.libsonnet';
joint.experiment(['en_pos', 'en_chunk', 'en_ner'], share='all')
