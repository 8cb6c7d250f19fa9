// Reading the environment variables that allennlp_jmt declares (allennlp_jmt/config_environment.py):
// each is '' when unset. They locate data (see corpora.libsonnet) and the device; the only size
// they set is the word-embedding width, which must match the vector file.
{
  get(name):: std.extVar(name),
  // DIR/file when the folder variable `name` is set, else `fallback`.
  path(name, file, fallback):: local dir = std.extVar(name); if dir == '' then fallback else dir + '/' + file,
  // The GPU of JMT_CUDA_DEVICE, or -1 (the CPU).
  cuda_device:: local device = std.extVar('JMT_CUDA_DEVICE'); if device == '' then -1 else std.parseInt(device),
  // The word-vector file of JMT_EMBEDDINGS, or null (train the embedding from scratch).
  embeddings:: local file = std.extVar('JMT_EMBEDDINGS'); if file == '' then null else file,
  // The word-embedding width: JMT_EMBEDDINGS_DIM (the vector file's width) when set, else `default`.
  // Vectors without their width are an error, not a silent guess: AllenNLP skips every vector
  // whose width differs from the embedding's.
  word_dim(default)::
    local dim = std.extVar('JMT_EMBEDDINGS_DIM');
    if dim != '' then std.parseInt(dim)
    else if $.embeddings != null then error 'JMT_EMBEDDINGS is set: set JMT_EMBEDDINGS_DIM to its vectors\' width too (50 for `allennlp jmt-glove`)'
    else default,
}
