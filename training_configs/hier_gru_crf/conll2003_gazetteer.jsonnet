// Yang et al. (2016), CoNLL-2003 English NER with gazetteer features (paper: 90.94 F1 trained on
// train only). Data: JMT_CONLL2003_DIR; gazetteer: JMT_GAZETTEER, a 'TYPE phrase' list file with
// the four CoNLL types (the bundled sample's list when unset).
local env = import '../lib/env.libsonnet';
local data = import '../lib/tagging_data.libsonnet';
local yang = import '../lib/hier_gru_crf.libsonnet';
local gazetteer = local file = env.get('JMT_GAZETTEER'); if file == '' then 'fixtures/data/gazetteer.txt' else file;
local corpus = data.conll2003 + { reader+: { gazetteer: gazetteer } };
data.experiment(corpus, yang.model(corpus.label_namespace, 'BIOUL', gazetteer_dim=4))
