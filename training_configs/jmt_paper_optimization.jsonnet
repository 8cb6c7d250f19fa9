// training_configs/jmt.jsonnet with the paper's optimization on any data, the bundled sample too
// (jmt.jsonnet itself uses it on the full corpora only): losses summed over each batch (the
// paper's objective, to which its λ and δ are relative) and its code's SGD at 1.0 decayed as
// 1 / (1 + 0.3 epoch), with the same clipping at min(3, depth of the task).
local jmt = import 'lib/jmt.libsonnet';
jmt.experiment(paper_optimization=true)
