// Readers and data paths of the tagging corpora: the full corpora when their folder variables are
// set, the bundled sample in fixtures/data otherwise. Tags are converted to BIOUL (Yang et al.'s BIOES)
// and digits to "0"; each language truncates words at the paper's number of characters.
local env = import 'env.libsonnet';
local yang = import 'hier_gru_crf.libsonnet';
{
  conll2000:: {
    // No development split: a seeded fifth of train is held out, as Yang et al. do.
    reader: { type: 'jmt_conll2000', coding_scheme: 'BIOUL', replace_digits: true, hold_out_fraction: 0.2,
              token_indexers: yang.token_indexers(max_chars=17) },
    local train = env.path('JMT_CONLL2000_DIR', 'train.txt', 'fixtures/data/conll2000/train.txt'),
    train: train + '#rest',
    validation: train + '#held_out',
    test: env.path('JMT_CONLL2000_DIR', 'test.txt', 'fixtures/data/conll2000/test.txt'),
    label_namespace: 'chunk_labels',
  },
  conll2002(language):: {
    local prefix = { es: 'esp', nl: 'ned' }[language],
    local sample = { es: 'fixtures/data/conll2002/esp.train', nl: 'fixtures/data/conll2002/ned.train' }[language],
    reader: { type: 'jmt_conll2002', coding_scheme: 'BIOUL', replace_digits: true,
              token_indexers: yang.token_indexers(max_chars={ es: 20, nl: 35 }[language]) },
    train: env.path('JMT_CONLL2002_DIR', prefix + '.train', sample),
    validation: env.path('JMT_CONLL2002_DIR', prefix + '.testa', sample),
    test: env.path('JMT_CONLL2002_DIR', prefix + '.testb', sample),
    label_namespace: 'ner_labels',
  },
  conll2003:: {
    local sample = 'fixtures/data/conll2003/eng.sample',
    reader: { type: 'jmt_conll2003', coding_scheme: 'BIOUL', replace_digits: true,
              token_indexers: yang.token_indexers(max_chars=17) },
    train: env.path('JMT_CONLL2003_DIR', 'eng.train', sample),
    validation: env.path('JMT_CONLL2003_DIR', 'eng.testa', sample),
    test: env.path('JMT_CONLL2003_DIR', 'eng.testb', sample),
    label_namespace: 'ner_labels',
  },
  ptb_pos:: {
    reader: { type: 'jmt_ptb_pos', replace_digits: true, token_indexers: yang.token_indexers(max_chars=17) },
    // PTB-3's sections 00-18 / 19-21 / 22-24; without JMT_PTB_DIR, NLTK's two-file sample serves
    // as train, dev and test alike: a smoke run, not an experiment.
    local full = env.get('JMT_PTB_DIR') != '',
    local part(sections) = if full then env.get('JMT_PTB_DIR') + '#' + sections else 'fixtures/data/ptb/treebank',
    train: part('00-18'),
    validation: part('19-21'),
    test: part('22-24'),
    label_namespace: 'pos_labels',
  },
  // A single-task tagging experiment on one of the data sets above.
  experiment(data, model, validation_metric='+f1'):: {
    dataset_reader: data.reader,
    train_data_path: data.train,
    validation_data_path: data.validation,
    test_data_path: data.test,
    evaluate_on_test: true,
    model: model,
    data_loader: yang.data_loader,
    trainer: yang.trainer(validation_metric=validation_metric),
  },
}
