// Yang et al. (2016)'s joint training on AllenNLP's multitask reader, data loader and model: a
// `jmt_hier_gru` backbone (what is shared) and a `jmt_crf_tagger` head per task (what is not),
// built from the single-task pieces of tagging_data.libsonnet and hier_gru_crf.libsonnet.
//
// Sharing is one argument, `share`:
// - 'all' (multi-task: one language, several tasks): one group, so every task shares the
//   character GRU, the word embedding and the word GRU; only the CRF heads are per task;
// - 'characters' (cross-lingual: one task, several languages): a group per language, so the
//   character embedding and GRU are shared, each language has its own word embedding (its
//   own vocabulary namespace, <language>_tokens) and word GRU.
// Task names are <language>_<task> (no name is a prefix of another: MultiTaskModel hands each
// head the outputs that start with its name); metrics carry them: nl_ner_f1, en_pos_accuracy.
local env = import 'env.libsonnet';
local data = import 'tagging_data.libsonnet';
local yang = import 'hier_gru_crf.libsonnet';
{
  // The tasks an experiment can combine: a data set of tagging_data.libsonnet and its language.
  tasks:: {
    en_pos: { data: data.ptb_pos, language: 'en', label_encoding: null },
    en_chunk: { data: data.conll2000, language: 'en', label_encoding: 'BIOUL' },
    en_ner: { data: data.conll2003, language: 'en', label_encoding: 'BIOUL' },
    es_ner: { data: data.conll2002('es'), language: 'es', label_encoding: 'BIOUL' },
    nl_ner: { data: data.conll2002('nl'), language: 'nl', label_encoding: 'BIOUL' },
  },
  // Per language: the paper's character truncation and word embedding width (SENNA 50, Polyglot
  // 64), pretrained vectors (JMT_EMBEDDINGS is one file, taken as English: GloVe, SENNA; Spanish and
  // Dutch word embeddings train from scratch) and the training recipe of the single-task configs.
  languages:: {
    en: { max_chars: 17, word_dim: 50, embeddings: env.embeddings, recipe: yang.recipes.with_vectors },
    es: { max_chars: 20, word_dim: 64, embeddings: null, recipe: yang.recipes.from_scratch },
    nl: { max_chars: 35, word_dim: 64, embeddings: null, recipe: yang.recipes.from_scratch },
  },
  // The paper's sizes; an experiment's `sizes` overrides any of them (and may set one word_dim for all).
  sizes:: { char_dim: 25, char_hidden: 80, char_layers: 2, hidden: 300, layers: 2, cost_weight: 5.0 },

  // The dev metric of a task: accuracy for POS, span F1 for the others.
  metric(task):: '+' + task + '_' + (if $.tasks[task].label_encoding == null then 'accuracy' else 'f1'),

  // The group (the language) of each task, as `share` decides.
  task_groups(tasks, share)::
    local languages = std.set([$.tasks[task].language for task in tasks]);
    if share == 'characters' then { [task]: $.tasks[task].language for task in tasks }
    else if share != 'all' then error "share must be 'all' (multi-task) or 'characters' (cross-lingual), not " + share
    else if std.length(languages) > 1 then error "share: 'all' needs tasks of one language, not " + std.toString(languages)
    else { [task]: languages[0] for task in tasks },

  // Each group's recipe (a group is one language): the language's, or `recipe` for every group.
  // Dropout, word dropout and the optimizer are the model's and the trainer's: one for all groups.
  recipes(task_groups, recipe=null)::
    local recipes = { [group]: if recipe != null then recipe else $.languages[group].recipe
                      for group in std.set(std.objectValues(task_groups)) };
    local shared(recipe) = { dropout: recipe.dropout, word_dropout: recipe.word_dropout, optimizer: recipe.optimizer };
    assert std.length(std.set([std.toString(shared(r)) for r in std.objectValues(recipes)])) == 1 :
           'the languages\' recipes differ in dropout, word dropout or optimizer: give the experiment one recipe';
    recipes,

  // A task's reader: its own label namespace, its group's word namespace (words lowercased or not
  // as the group's recipe says); `rate` < 1 keeps a seeded fraction of the sentences read (give it
  // to the training reader only).
  reader(task, group, recipe, rate=1.0, seed=13):: $.tasks[task].data.reader + {
    label_namespace: task + '_labels',
    token_indexers: yang.token_indexers(max_chars=$.languages[$.tasks[task].language].max_chars, lowercase=recipe.lowercase)
                    + { tokens+: { namespace: group + '_tokens' } },
    [if rate < 1 then 'labelling_rate']: rate,
    [if rate < 1 then 'labelling_seed']: seed,
  },

  model(task_groups, recipes, sizes={}):: {
    local s = $.sizes + sizes,
    local groups = std.set(std.objectValues(task_groups)),
    local recipe = recipes[groups[0]],
    local word_dim(group) = if std.objectHas(s, 'word_dim') then s.word_dim else $.languages[group].word_dim,
    type: 'multitask',
    backbone: {
      type: 'jmt_hier_gru',
      character_encoder: yang.character_encoder(s.char_dim, s.char_hidden, s.char_layers),
      word_embedders: {
        [group]: yang.word_embedding(word_dim(group), $.languages[group].embeddings) + { vocab_namespace: group + '_tokens' }
        for group in groups
      },
      encoders: { [group]: yang.encoder(yang.word_width(word_dim(group), $.languages[group].embeddings) + 2 * s.char_hidden, s.hidden, s.layers) for group in groups },
      task_groups: task_groups,
      dropout: recipe.dropout,
      word_dropout: recipe.word_dropout,
      word_namespaces: { [group]: group + '_tokens' for group in groups },
    },
    heads: {
      [task]: { type: 'jmt_crf_tagger', input_dim: 2 * s.hidden, label_namespace: task + '_labels',
                label_encoding: $.tasks[task].label_encoding, cost_weight: s.cost_weight }
      for task in std.objectFields(task_groups)
    },
  },

  // Training batches: one batch of each task in turn (10 sentences, as the paper), with
  // `batches_per_epoch` of each task per epoch ('all', a count, or a task to pace by: see the
  // `jmt_alternating` scheduler).
  data_loader(batches_per_epoch='all', batch_size=10):: {
    type: 'multitask',
    scheduler: { type: 'jmt_alternating', batch_size: batch_size, batches_per_epoch: batches_per_epoch },
    shuffle: true,
  },
  // Validation and test: every instance once, one batch of each task in turn. jmt_alternating with
  // 'all' is AllenNLP's homogeneous_roundrobin that also runs distributed (all workers then
  // validate the same task at each step).
  validation_data_loader:: {
    type: 'multitask', scheduler: { type: 'jmt_alternating', batch_size: 32 }, shuffle: false,
  },

  // A joint experiment on `tasks` (names of $.tasks), sharing as `share` says. With a `target`:
  // it keeps a seeded fraction `rate` of its training sentences (Yang et al.'s Table 8), each
  // epoch is one pass over it and as many batches of every other task, and the model is
  // selected on its dev metric. Without: each epoch is one pass over every task, and selection
  // is on the sum of their dev metrics. One seed drives the sample and AllenNLP's three seeds.
  // `recipe`: one of hier_gru_crf.libsonnet's recipes for every language (default: each
  // language's own, as its single-task config).
  experiment(tasks, share, target=null, rate=1.0, seed=13, batches_per_epoch=null, sizes={}, trainer={}, recipe=null)::
    local task_groups = $.task_groups(tasks, share);
    local recipes = $.recipes(task_groups, recipe);
    local groups = std.objectFields(recipes);
    local vector_groups = [group for group in groups
                           if recipes[group].vocabulary == 'train+vectors' && $.languages[group].embeddings != null];
    local readers(target_rate) = {
      [task]: $.reader(task, task_groups[task], recipes[task_groups[task]], if task == target then target_rate else 1.0, seed)
      for task in tasks
    };
    assert target == null || std.member(tasks, target) : 'the target ' + target + ' is not one of the tasks';
    assert rate == 1.0 || target != null : 'a labelling rate needs a target task';
    {
      dataset_reader: { type: 'multitask', readers: readers(rate) },
      validation_dataset_reader: { type: 'multitask', readers: readers(1.0) },
      train_data_path: { [task]: $.tasks[task].data.train for task in tasks },
      validation_data_path: { [task]: $.tasks[task].data.validation for task in tasks },
      test_data_path: { [task]: $.tasks[task].data.test for task in tasks },
      evaluate_on_test: true,
      model: $.model(task_groups, recipes, sizes),
      data_loader: $.data_loader(
        if batches_per_epoch != null then batches_per_epoch else if target != null then target else 'all'),
      validation_data_loader: $.validation_data_loader,
      trainer: yang.trainer(validation_metric=if target != null then $.metric(target) else [$.metric(task) for task in tasks],
                            optimizer=recipes[groups[0]].optimizer)
               + trainer,
      random_seed: seed,
      numpy_seed: seed,
      pytorch_seed: seed,
    } + if std.length([group for group in groups if recipes[group].vocabulary != 'all']) == 0 then {}
        else data.train_vocabulary(
          vectors={ [group + '_tokens']: $.languages[group].embeddings for group in vector_groups },
          labels={ [task + '_labels']: $.tasks[task].data for task in tasks },
        ),
}
