// The single-task baseline of jmt_full.jsonnet for pos (see `single_task` in jmt.libsonnet).
// Data and vectors: as jmt_full.jsonnet.
(import '../lib/jmt.libsonnet').single_task('pos', '+pos_accuracy')
