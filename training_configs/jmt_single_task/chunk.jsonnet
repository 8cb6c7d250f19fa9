// The single-task baseline of jmt_full.jsonnet for chunk (see `single_task` in jmt.libsonnet).
// Data and vectors: as jmt_full.jsonnet.
(import '../lib/jmt.libsonnet').single_task('chunk', '+chunk_f1')
