import torch
from allennlp.common import Params
from allennlp.data import Batch, Instance, Token, Vocabulary
from allennlp.data.fields import TextField
from allennlp.data.token_indexers import SingleIdTokenIndexer
from allennlp.modules.text_field_embedders import BasicTextFieldEmbedder, TextFieldEmbedder
from allennlp.modules.token_embedders import Embedding, TokenEmbedder

from allennlp_jmt.data.token_indexers import CharacterNgramIndexer
from allennlp_jmt.modules.token_embedders import CharacterNgramEmbedder

NGRAM_IDS = torch.tensor([[[2, 3, 3, 0], [4, 0, 0, 0], [0, 0, 0, 0]]])  # (batch 1, 3 tokens, 4 n-grams)


def embedder_with_rows(num_embeddings: int = 6, dim: int = 3) -> CharacterNgramEmbedder:
    weight = torch.arange(num_embeddings * dim, dtype=torch.float).view(num_embeddings, dim) + 1.0
    return CharacterNgramEmbedder(Embedding(embedding_dim=dim, num_embeddings=num_embeddings, weight=weight))


def test_averages_the_rows_of_the_ngrams_and_zeros_padding_tokens():
    embedder = embedder_with_rows()
    weight = embedder._embedding.weight
    output = embedder(NGRAM_IDS)
    assert output.shape == (1, 3, 3) and embedder.get_output_dim() == 3
    torch.testing.assert_close(output[0, 0], (weight[2] + 2 * weight[3]) / 3)  # ids as given, repeats count
    torch.testing.assert_close(output[0, 1], weight[4])
    assert output[0, 2].eq(0).all() and not output.isnan().any()


def test_a_batch_without_ngrams_embeds_to_zeros():
    output = embedder_with_rows()(torch.zeros(2, 3, 0, dtype=torch.long))
    assert output.shape == (2, 3, 3) and output.eq(0).all()


def test_gradients_reach_exactly_the_used_rows():
    embedder = embedder_with_rows()
    embedder(NGRAM_IDS).sum().backward()
    gradient = embedder._embedding.weight.grad
    used = gradient.abs().sum(dim=1) != 0
    assert used.tolist() == [False, False, True, True, True, False]
    torch.testing.assert_close(gradient[4], torch.ones(3))  # alone in its word: d mean / d row = 1
    torch.testing.assert_close(gradient[3], torch.full((3,), 2 / 3))


def test_dropout_applies_in_training_only():
    embedder = CharacterNgramEmbedder(Embedding(embedding_dim=50, num_embeddings=6), dropout=0.5)
    ids = torch.tensor([[[1, 2]]])
    assert embedder(ids).eq(0).any()
    embedder.eval()
    assert embedder(ids).ne(0).all()


def test_built_from_a_config_with_a_vocabulary():
    vocab = Vocabulary()
    vocab.add_tokens_to_namespace(["#B#", "a", "#E#"], "character_ngrams")
    params = Params({"type": "jmt_character_ngram_embedding", "dropout": 0.1,
                     "embedding": {"embedding_dim": 7, "vocab_namespace": "character_ngrams", "trainable": False}})
    embedder = TokenEmbedder.from_params(params, vocab=vocab)
    assert isinstance(embedder, CharacterNgramEmbedder) and embedder.get_output_dim() == 7
    assert embedder._embedding.weight.shape == (5, 7) and not embedder._embedding.weight.requires_grad


def test_beside_word_embeddings_in_a_text_field_embedder():
    indexers = {"tokens": SingleIdTokenIndexer(), "token_ngrams": CharacterNgramIndexer()}
    instances = [Instance({"words": TextField([Token(word) for word in words], indexers)})
                 for words in (["the", "cat", "sat"], ["a", "dog"])]
    vocab = Vocabulary.from_instances(instances)
    batch = Batch(instances)
    batch.index_instances(vocab)
    tensors = batch.as_tensor_dict()["words"]
    assert tensors["token_ngrams"]["token_ngrams"].shape == (2, 3, 5 + 4 + 3 + 2)  # "the"'s 1- to 4-grams

    embedder = TextFieldEmbedder.from_params(Params({"token_embedders": {
        "tokens": {"type": "embedding", "embedding_dim": 5},
        "token_ngrams": {"type": "jmt_character_ngram_embedding",
                         "embedding": {"embedding_dim": 4, "vocab_namespace": "character_ngrams"}},
    }}), vocab=vocab)
    assert isinstance(embedder, BasicTextFieldEmbedder) and embedder.get_output_dim() == 5 + 4
    embedded = embedder(tensors)
    assert embedded.shape == (2, 3, 9)
    ngram_part = embedded[..., :4]  # the embedders are concatenated in sorted key order: "token_ngrams" < "tokens"
    assert ngram_part[1, 2].eq(0).all() and ngram_part[1, 1].ne(0).all()  # "dog"'s n-grams, then padding
    ngram_ids = tensors["token_ngrams"]["token_ngrams"]
    torch.testing.assert_close(ngram_part, embedder.token_embedder_token_ngrams(ngram_ids))


def test_initialised_from_a_pretrained_file_in_the_released_spelling(tmp_path):
    pretrained = tmp_path / "charNgram.txt"
    pretrained.write_text("2gram-#BEGIN#a 1.0 2.0\n2gram-a#END# 3.0 4.0\n2gram-zz 9.0 9.0\n")
    indexer = CharacterNgramIndexer(ngram_sizes=[2], begin_mark="#BEGIN#", end_mark="#END#", size_prefix=True)
    vocab = Vocabulary.from_instances([Instance({"words": TextField([Token("a")], {"token_ngrams": indexer})})])
    embedder = TokenEmbedder.from_params(Params({
        "type": "jmt_character_ngram_embedding",
        "embedding": {"embedding_dim": 2, "vocab_namespace": "character_ngrams", "pretrained_file": str(pretrained)},
    }), vocab=vocab)
    ids = torch.tensor([indexer.tokens_to_indices([Token("a")], vocab)["token_ngrams"]])
    torch.testing.assert_close(embedder(ids), torch.tensor([[[2.0, 3.0]]]))  # mean of (1, 2) and (3, 4)
    assert embedder._embedding.weight.requires_grad  # fine-tuned by default
