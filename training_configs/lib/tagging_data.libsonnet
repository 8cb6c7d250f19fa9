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
    // Its chunk types: a vocabulary from train alone would lack labels that only dev or test have
    // (the real test set's B-LST and L-LST, the sample's U-CONJP). CoNLL-2002's train parts hold
    // every label of their dev and test parts.
    label_types: ['ADJP', 'ADVP', 'CONJP', 'INTJ', 'LST', 'NP', 'PP', 'PRT', 'SBAR', 'UCP', 'VP'],
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
  // What a vocabulary from train alone needs added: every word of each vector file (`vectors`:
  // namespace -> file), so that dev and test words keep their vectors, and every label of each
  // data set above that lists its `label_types` (`labels`: namespace -> data set). A config
  // section to merge in: `datasets_for_vocab_creation`, and `vocabulary` when there is anything to add.
  train_vocabulary(vectors={}, labels={})::
    local labelled = { [namespace]: labels[namespace] for namespace in std.objectFields(labels)
                       if std.objectHas(labels[namespace], 'label_types') };
    { datasets_for_vocab_creation: ['train'] } + if vectors == {} && labelled == {} then {} else {
      vocabulary: {
        type: 'from_instances',
        [if vectors != {} then 'pretrained_files']: vectors,
        [if vectors != {} then 'min_pretrained_embeddings']: { [namespace]: -1 for namespace in std.objectFields(vectors) },
        [if labelled != {} then 'tokens_to_add']: {
          [namespace]: ['O'] + [prefix + type for type in labelled[namespace].label_types for prefix in ['B-', 'I-', 'L-', 'U-']]
          for namespace in std.objectFields(labelled)
        },
      },
    },
  // A single-task tagging experiment on one of the data sets above, trained as `recipe` (one of
  // hier_gru_crf.libsonnet's `recipes`) says.
  experiment(data, model, validation_metric='+f1', recipe=yang.recipes.paper)::
    local embedders = model.text_field_embedder.token_embedders;
    local vectors = if std.objectHas(embedders, 'tokens') then embedders.tokens.pretrained_file else null;
    assert std.member(['all', 'train', 'train+vectors'], recipe.vocabulary) : 'unknown vocabulary ' + recipe.vocabulary;
    {
      dataset_reader: data.reader + { token_indexers+: { tokens+: { lowercase_tokens: recipe.lowercase } } },
      train_data_path: data.train,
      validation_data_path: data.validation,
      test_data_path: data.test,
      evaluate_on_test: true,
      model: model + { dropout: recipe.dropout, [if recipe.word_dropout > 0 then 'word_dropout']: recipe.word_dropout },
      data_loader: yang.data_loader,
      trainer: yang.trainer(validation_metric=validation_metric, optimizer=recipe.optimizer),
    } + if recipe.vocabulary == 'all' then {} else $.train_vocabulary(
      vectors=if recipe.vocabulary == 'train+vectors' && vectors != null then { tokens: vectors } else {},
      labels={ [data.label_namespace]: data },
    ),
}
