// Yang et al. (2016)'s hierarchical GRU-CRF, with the paper's sizes as defaults. Each part of the
// word representation is a switch, so the paper's ablations are arguments, not new configs.
local env = import 'env.libsonnet';
{
  // Token indexers: words (lowercased, as SENNA/GloVe vectors are) and their first `max_chars` characters.
  token_indexers(max_chars=17, words=true, characters=true, lowercase=true):: {
    [if words then 'tokens']: { type: 'single_id', lowercase_tokens: lowercase },
    [if characters then 'token_characters']: { type: 'jmt_truncated_characters', max_characters: max_chars },
  },
  // The word embedding's width: `word_dim`, or the vectors' width (JMT_EMBEDDINGS_DIM) with a `pretrained_file`.
  word_width(word_dim, pretrained_file=env.embeddings):: if pretrained_file == null then word_dim else env.word_dim(word_dim),
  // The word embedding (fine-tuned; initialised from `pretrained_file`, by default JMT_EMBEDDINGS's vectors, when set).
  word_embedding(word_dim=50, pretrained_file=env.embeddings):: {
    type: 'embedding', embedding_dim: $.word_width(word_dim, pretrained_file), trainable: true, pretrained_file: pretrained_file,
  },
  // The character GRU word representation: [last forward state; first backward state] of a
  // BiGRU over the word's characters (AllenNLP's `gru` Seq2Vec returns exactly these).
  // `jmt_character_encoding` is AllenNLP's `character_encoding` (same results, same weights)
  // that encodes each distinct word of a batch once.
  character_encoder(char_dim=25, char_hidden=80, char_layers=2):: {
    type: 'jmt_character_encoding',
    embedding: { embedding_dim: char_dim, vocab_namespace: 'token_characters' },
    encoder: { type: 'gru', input_size: char_dim, hidden_size: char_hidden, num_layers: char_layers, bidirectional: true },
  },
  // The word-level BiGRU over [character encoding; word embedding].
  encoder(input_size, hidden=300, layers=2):: {
    type: 'gru', bidirectional: true, hidden_size: hidden, num_layers: layers, input_size: input_size,
  },
  model(label_namespace, label_encoding=null, word_dim=50, char_dim=25, char_hidden=80, char_layers=2,
        hidden=300, layers=2, cost_weight=5.0, words=true, characters=true, gazetteer_dim=0):: {
    type: 'jmt_hier_gru_crf',
    label_namespace: label_namespace,
    label_encoding: label_encoding,
    cost_weight: cost_weight,
    gazetteer_dim: gazetteer_dim,
    text_field_embedder: { token_embedders: {
      [if words then 'tokens']: $.word_embedding(word_dim),
      [if characters then 'token_characters']: $.character_encoder(char_dim, char_hidden, char_layers),
    } },
    encoder: $.encoder((if words then $.word_width(word_dim) else 0) + (if characters then 2 * char_hidden else 0), hidden, layers),
  },
  // How words are read and the model trained, as one choice per experiment (tagging_data.libsonnet's
  // `experiment` applies it): `lowercase` words; `vocabulary` from 'all' splits (AllenNLP's default),
  // from 'train' only, or 'train+vectors' (train's words and every word of the vector file, so that
  // dev and test words keep their pretrained vectors); `word_dropout`, the rate at which training
  // words become the unknown word (which learns it); `dropout` on the word representation and the
  // encoder output; the `optimizer`.
  recipes:: {
    // Yang et al.'s settings (their code; lowercasing is theirs for English only).
    paper: { lowercase: true, vocabulary: 'all', word_dropout: 0.0, dropout: 0.0, optimizer: { type: 'adagrad', lr: 0.01 } },
    // The default without word vectors (CoNLL-2002), chosen by the Dutch ablation in docs/results.md
    // (seed 13, best dev F1, `paper` 60.12): cased words 62.83, the vocabulary from train with word
    // dropout 0.25 73.52, Adam 1e-3 72.66 (SGD as NCRF++: 69.08), dropout 0.5 61.71. Without
    // vectors, every dev or test word outside train would otherwise keep a random embedding that
    // no batch ever trains.
    from_scratch: { lowercase: false, vocabulary: 'train', word_dropout: 0.25, dropout: 0.5, optimizer: { type: 'adam', lr: 0.001 } },
    // The same with English word vectors (GloVe, SENNA: lowercased): words lowercased as the vectors
    // are, and every word of the vector file in the vocabulary beside train's.
    with_vectors: self.from_scratch + { lowercase: true, vocabulary: 'train+vectors' },
  },
  // Yang et al.'s training: batches of 10; model selection on dev; the recipe's optimizer.
  trainer(validation_metric='+f1', num_epochs=50, patience=10, optimizer=$.recipes.paper.optimizer):: {
    optimizer: optimizer,
    num_epochs: num_epochs,
    patience: patience,
    validation_metric: validation_metric,
    cuda_device: env.cuda_device,
  },
  data_loader:: { batch_sampler: { type: 'bucket', batch_size: 10 } },
}
