// Reading the environment variables that allennlp_jmt declares (allennlp_jmt/config_environment.py):
// each is '' when unset, so a config can fall back to the bundled sample.
{
  get(name):: std.extVar(name),
  // DIR/file when the folder variable `name` is set, else `fallback`.
  path(name, file, fallback):: local dir = std.extVar(name); if dir == '' then fallback else dir + '/' + file,
  // The GPU of JMT_CUDA_DEVICE, or -1 (the CPU).
  cuda_device:: local device = std.extVar('JMT_CUDA_DEVICE'); if device == '' then -1 else std.parseInt(device),
  // The word-vector file of JMT_EMBEDDINGS, or null (train the embedding from scratch).
  embeddings:: local file = std.extVar('JMT_EMBEDDINGS'); if file == '' then null else file,
  // The width of those vectors: JMT_EMBEDDINGS_DIM, else 50 (GloVe 6B 50d, from `allennlp jmt-glove`).
  embeddings_dim:: local dim = std.extVar('JMT_EMBEDDINGS_DIM'); if dim == '' then 50 else std.parseInt(dim),
}
