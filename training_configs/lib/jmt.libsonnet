// Hashimoto et al. (2017)'s Joint Many-Task model: data, model and training, with the paper's sizes
// and training as defaults. Each task's data is the full corpus when its folder variable is set, the
// bundled sample in fixtures/data/jmt otherwise (corpora.libsonnet); nothing else depends on the
// environment. The paper's ablation rows are arguments.
local corpora = import 'corpora.libsonnet';
local env = import 'env.libsonnet';
local indexers = {
  tokens: { type: 'single_id', lowercase_tokens: true },
  character_ngrams: { type: 'jmt_character_ngrams' },
};
local sick = {
  reader: { type: 'jmt_sick', token_indexers: indexers },
  train: corpora.sick('SICK_train.txt'),
  validation: corpora.sick('SICK_trial.txt'),
  test: corpora.sick('SICK_test_annotated.txt'),
};
{
  tasks:: ['pos', 'chunk', 'dependencies', 'relatedness', 'entailment'],
  data:: {
    // PTB-3 sections 00-18 / 19-21 / 22-24 (the sample keeps that layout).
    pos: {
      reader: { type: 'jmt_ptb_pos', label_namespace: 'pos_labels', token_indexers: indexers },
      train: corpora.ptb('00-18'), validation: corpora.ptb('19-21'), test: corpora.ptb('22-24'),
    },
    // CoNLL-2000 has no dev set: a seeded fifth of train is held out.
    chunk: {
      reader: { type: 'jmt_conll2000', label_namespace: 'chunk_labels', hold_out_fraction: 0.2, token_indexers: indexers },
      train: corpora.conll2000('train.txt') + '#rest', validation: corpora.conll2000('train.txt') + '#held_out',
      test: corpora.conll2000('test.txt'),
    },
    // UD English EWT stands in for the WSJ Stanford dependencies; its XPOS are PTB tags, so the
    // Chen & Manning punctuation convention applies.
    dependencies: {
      reader: { type: 'jmt_dependencies', pos: 'xpos', token_indexers: indexers },
      train: corpora.ud_ewt('train'), validation: corpora.ud_ewt('dev'), test: corpora.ud_ewt('test'),
    },
    relatedness: sick,
    entailment: sick,
  },
  // Dropout 0.2 and word dropout 0.25 (training words replaced by the unknown word) as in the authors' code.
  // loss_reduction 'sum' is the paper's objective (losses summed over the batch's tokens or pairs).
  model(tasks, dim=100, dropout=0.2, word_dropout=0.25, shortcut=true, vertical=true, label_embeddings=true, l2=1e-6,
        loss_reduction='mean'):: {
    type: 'jmt',
    loss_reduction: loss_reduction,
    tasks: tasks,
    hidden_dim: dim,
    label_embedding_dim: dim,
    dropout: dropout,
    word_dropout: word_dropout,
    shortcut_connections: shortcut,
    vertical_connections: vertical,
    label_embeddings: label_embeddings,
    // Word embedding and the mean of the word's character n-gram embeddings (n = 1..4), both fine-tuned.
    text_field_embedder: { token_embedders: {
      tokens: {
        type: 'embedding', trainable: true, pretrained_file: env.embeddings,
        embedding_dim: if env.embeddings == null then dim else env.word_dim(dim),
      },
      character_ngrams: { type: 'jmt_character_ngram_embedding', embedding: { embedding_dim: dim, vocab_namespace: 'character_ngrams' } },
    } },
    encoder: { type: 'lstm', hidden_size: dim, bidirectional: true },
    // L2 on the task layers' weights, the paper's λ‖W‖²; not on the embeddings, which successive
    // regularization holds. (An L2 gradient on every embedding row would, under Adam, move rows
    // that no batch touches, e.g. dev-only words' pretrained vectors, by about lr a step to 0.)
    regularizer: { regexes: [['^task_layers\\..*weight', { type: 'l2', alpha: l2 }]] },
  },
  // The paper's training: each epoch goes through the tasks bottom to top, each over all of its data.
  // `batch_size`: one for every task, or per task. `unbatched_tasks`: tasks whose data are read but
  // never batched (for training, validation or test).
  data_loader(tasks, batch_size=32, shuffle_order=false, unbatched_tasks=[]):: {
    type: 'multitask',
    scheduler: { type: 'jmt_task_order', batch_size: batch_size, order: tasks, shuffle_order: shuffle_order,
                 [if unbatched_tasks != [] then 'unbatched_tasks']: unbatched_tasks },
    shuffle: true,
  },
  // Successive regularization and gradient norms clipped at min(3, depth of the task), as in the paper.
  // The optimizer: Adam at 0.01 by default; `paper_optimizer` gives Hashimoto et al.'s code's SGD at
  // 1.0 decayed as 1 / (1 + 0.3 epoch), meant for the paper's summed losses (with AllenNLP's averaged
  // ones it barely leaves the majority-tag plateau on the sample: POS 14% after 10 epochs).
  // `successive_regularization`: δ; `successive_regularization_by_task`: δ for some tasks (task -> δ).
  // `lr`: the initial learning rate (default: 1.0 for the paper's SGD, 0.01 for Adam).
  trainer(validation_metric, num_epochs=6, patience=5, successive_regularization=0.01,
          successive_regularization_by_task={}, paper_optimizer=false, lr=null):: {
    optimizer: if paper_optimizer then { type: 'sgd', lr: if lr == null then 1.0 else lr }
               else { type: 'adam', lr: if lr == null then 0.01 else lr },
    [if paper_optimizer then 'learning_rate_scheduler']: { type: 'jmt_inverse_time_decay', decay: 0.3 },
    num_epochs: num_epochs,
    patience: patience,
    validation_metric: validation_metric,
    cuda_device: env.cuda_device,
    callbacks: (if successive_regularization > 0 then [{
                  type: 'jmt_successive_regularization',
                  weight: successive_regularization,
                  [if successive_regularization_by_task != {} then 'task_weights']: successive_regularization_by_task,
                }] else [])
               + [{ type: 'jmt_task_gradient_clipping', max_norm: 3.0 }],
  },
  // Training with averaged losses under Adam (jmt.jsonnet on the sample, jmt_full.jsonnet and the
  // single-task configs on the full corpora), chosen on dev (docs/history.md for the sample,
  // docs/campaign.md for the full corpora): POS batches of 16, twice the POS updates; successive
  // regularization none on POS turns (it held the word representation back and POS learnt
  // slowly), strong on chunking and dependencies (δ = 1: weaker, they undo POS), 0.1 on the
  // sentence-pair turns (with 1 they barely learn).
  adam_batch_size:: { [task]: if task == 'pos' then 16 else 32 for task in $.tasks },
  adam_successive_regularization:: 1.0,
  adam_successive_regularization_by_task:: { pos: 0.0, relatedness: 0.1, entailment: 0.1 },
  // Adam's learning rate on the full corpora (the sample's 0.01 is for a few hundred sentences a task).
  full_data_lr:: 0.002,

  // A JMT experiment on `tasks` (any ordered subset), selected on `validation_metric`; `model` and
  // `trainer` are merged into those sections. `paper_optimization`: the paper's summed losses with
  // its code's SGD schedule (jmt_full.jsonnet), instead of averaged losses with Adam (jmt.jsonnet).
  // On the full corpora the paper's optimization beat Adam on chunking and dependencies (the
  // selection metric), was level on POS and behind on the pair tasks (docs/history.md); the
  // bundled sample has too few batches a task for it (POS stays at the majority tag).
  // `trained_tasks` (default: all of `tasks`): the tasks the model learns from and is scored on.
  // A single-task model is the same stack trained on one task's loss alone: `tasks` ending at that
  // task, `trained_tasks` that task. The other tasks' data are read (AllenNLP's multitask data
  // loader wants a path for every reader; they give the lower layers' label vocabularies) but
  // never batched: their layers learn only through the trained task, and their heads, never
  // trained, are not scored.
  experiment(tasks=$.tasks, validation_metric='+dependencies_las', data=$.data, dim=100, model={}, trainer={},
             shuffle_order=false, paper_optimization=false, num_epochs=6, trained_tasks=null, batch_size=32,
             successive_regularization=0.01, successive_regularization_by_task={}, lr=null):: {
    local trained = if trained_tasks == null then tasks else trained_tasks,
    assert std.length(std.setDiff(std.set(trained), std.set(tasks))) == 0 : 'trained_tasks must be among tasks',
    dataset_reader: { type: 'multitask', readers: { [task]: data[task].reader for task in tasks } },
    train_data_path: { [task]: data[task].train for task in tasks },
    validation_data_path: { [task]: data[task].validation for task in tasks },
    test_data_path: { [task]: data[task].test for task in tasks },
    evaluate_on_test: true,
    model: $.model(tasks, dim=dim, loss_reduction=if paper_optimization then 'sum' else 'mean') + model,
    data_loader: $.data_loader(tasks, batch_size=batch_size, shuffle_order=shuffle_order,
                               unbatched_tasks=std.setDiff(std.set(tasks), std.set(trained))),
    trainer: $.trainer(validation_metric, num_epochs=num_epochs, paper_optimizer=paper_optimization, lr=lr,
                       successive_regularization=successive_regularization,
                       successive_regularization_by_task=successive_regularization_by_task) + trainer,
  },

  // The single-task counterpart of jmt_full.jsonnet for `task`: the same stack up to the task's
  // layer, the same optimization (Adam at jmt_full's rate, its batch sizes), trained on the task's
  // data and loss alone (the layers below are trained only through it), selected on its dev score
  // (`validation_metric`). No successive regularization: with one task there is no earlier task's
  // turn to hold the layers to (it would only pull them back to the last epoch's).
  single_task(task, validation_metric)::
    local stack = $.tasks[:std.find(task, $.tasks)[0] + 1];
    $.experiment(tasks=stack, trained_tasks=[task], validation_metric=validation_metric, num_epochs=30,
                 lr=$.full_data_lr, batch_size=$.adam_batch_size, successive_regularization=0),
}
