// Readers and data paths of the tagging corpora: the full corpora when their folder variables are
// set, the bundled sample in fixtures/data otherwise. Tags are converted to BIOUL (Yang et al.'s BIOES)
// and digits to "0"; each language truncates words at the paper's number of characters.
local corpora = import 'corpora.libsonnet';
local yang = import 'hier_gru_crf.libsonnet';
{
  conll2000:: {
    // No development split: a seeded fifth of train is held out, as Yang et al. do.
    reader: { type: 'jmt_conll2000', coding_scheme: 'BIOUL', replace_digits: true, hold_out_fraction: 0.2,
              token_indexers: yang.token_indexers(max_chars=17) },
    train: corpora.conll2000('train.txt') + '#rest',
    validation: corpora.conll2000('train.txt') + '#held_out',
    test: corpora.conll2000('test.txt'),
    label_namespace: 'chunk_labels',
  },
  conll2002(language):: {
    local prefix = { es: 'esp', nl: 'ned' }[language],
    reader: { type: 'jmt_conll2002', coding_scheme: 'BIOUL', replace_digits: true,
              token_indexers: yang.token_indexers(max_chars={ es: 20, nl: 35 }[language]) },
    train: corpora.conll2002(prefix + '.train'),
    validation: corpora.conll2002(prefix + '.testa'),
    test: corpora.conll2002(prefix + '.testb'),
    label_namespace: 'ner_labels',
  },
  conll2003:: {
    reader: { type: 'jmt_conll2003', coding_scheme: 'BIOUL', replace_digits: true,
              token_indexers: yang.token_indexers(max_chars=17) },
    train: corpora.conll2003('eng.train'),
    validation: corpora.conll2003('eng.testa'),
    test: corpora.conll2003('eng.testb'),
    label_namespace: 'ner_labels',
  },
  ptb_pos:: {
    reader: { type: 'jmt_ptb_pos', replace_digits: true, token_indexers: yang.token_indexers(max_chars=17) },
    // PTB-3's sections 00-18 / 19-21 / 22-24 (the bundled sample keeps that layout).
    train: corpora.ptb('00-18'),
    validation: corpora.ptb('19-21'),
    test: corpora.ptb('22-24'),
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
