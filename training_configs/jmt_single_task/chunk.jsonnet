// The single-task counterpart of jmt_full.jsonnet for chunk: the same stack up to the chunk layer,
// the same optimization (Adam at jmt_full's rate, its batch sizes), trained on the chunk data and
// loss alone (the layers below are trained only through it), selected on its dev score. No
// successive regularization: with one task there is no earlier task's turn to hold the layers to
// (it would only pull them back to the last epoch's). Data and vectors: as jmt_full.jsonnet.
local jmt = import '../lib/jmt.libsonnet';
jmt.experiment(tasks=['pos', 'chunk'], trained_tasks=['chunk'], validation_metric='+chunk_f1',
               num_epochs=30, lr=jmt.full_data_lr, batch_size=jmt.adam_batch_size, successive_regularization=0)
