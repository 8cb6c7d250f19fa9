import pytest
import torch
from allennlp.common import Params
from allennlp.modules.seq2vec_encoders import GruSeq2VecEncoder
from allennlp.modules.token_embedders import Embedding, TokenCharactersEncoder, TokenEmbedder

from allennlp_jmt.modules.token_embedders import DistinctWordCharacterEncoder
from allennlp_jmt.modules.token_embedders import distinct_word_character_encoder as module
from allennlp_jmt.modules.token_embedders.distinct_word_character_encoder import distinct_rows

NUM_CHARACTERS, CHAR_DIM, HIDDEN = 12, 5, 4


def parts():
    embedding = Embedding(embedding_dim=CHAR_DIM, num_embeddings=NUM_CHARACTERS)
    encoder = GruSeq2VecEncoder(input_size=CHAR_DIM, hidden_size=HIDDEN, num_layers=2, bidirectional=True)
    return embedding, encoder


def twin_encoders(dropout: float = 0.0):
    """The parent and the distinct-word encoder with the same weights."""
    torch.manual_seed(1)
    parent = TokenCharactersEncoder(*parts(), dropout=dropout)
    ours = DistinctWordCharacterEncoder(*parts(), dropout=dropout)
    ours.load_state_dict(parent.state_dict())
    return parent, ours


def batch_with_repeats() -> torch.Tensor:
    """(batch 4, 7 tokens, 6 characters): repeated words, padding words, padded characters."""
    torch.manual_seed(2)
    lengths = torch.tensor([1, 2, 3, 4, 6, 5, 2, 6, 3])
    words = torch.randint(1, NUM_CHARACTERS, (len(lengths), 6)) * (torch.arange(6) < lengths.unsqueeze(1))
    ids = torch.tensor([[0, 1, 0, 2, 3, 0, 4], [5, 0, 6, 0, 0, -1, -1],
                        [7, 8, 0, 1, 5, 8, 0], [2, 2, 2, -1, -1, -1, -1]])  # -1: padding
    characters = words[ids.clamp(min=0)]
    characters[ids < 0] = 0  # padding words
    return characters


@pytest.mark.parametrize("training", [False, True])
def test_outputs_and_gradients_equal_the_parents(training):
    parent, ours = twin_encoders()
    parent.train(training), ours.train(training)
    characters = batch_with_repeats()
    assert torch.unique(characters.view(-1, 6), dim=0).size(0) < 28  # the batch does repeat words
    weights = torch.randn(4, 7, 2 * HIDDEN)
    expected, output = parent(characters), ours(characters)
    assert output.shape == expected.shape == (4, 7, 2 * HIDDEN)
    torch.testing.assert_close(output, expected)
    padding = characters.eq(0).all(dim=-1)
    assert padding.sum() == 6 and output[padding].eq(expected[padding]).all()  # what the parent gives them,
    assert output[padding].eq(0).all()  # that is zeros
    (expected * weights).sum().backward()
    (output * weights).sum().backward()
    for (name, theirs), (same_name, mine) in zip(parent.named_parameters(), ours.named_parameters()):
        assert name == same_name
        torch.testing.assert_close(mine.grad, theirs.grad, msg=name)
    assert ours._embedding._module.weight.grad[0].eq(0).all()  # the padding character gets no gradient


def test_dropout_after_the_encoder_is_drawn_per_position():
    _, ours = twin_encoders(dropout=0.5)
    ours.train()
    output = ours(batch_with_repeats())
    repeated = output[0, 0], output[0, 2]  # the same word twice
    assert not torch.equal(*repeated)
    ours.eval()
    output = ours(batch_with_repeats())
    torch.testing.assert_close(output[0, 0], output[0, 2])


@pytest.mark.parametrize("shape", [(2, 3, 4), (0, 3, 4)])
def test_a_batch_without_characters_fails_as_in_the_parent(shape):
    parent, ours = twin_encoders()
    characters = torch.zeros(*shape, dtype=torch.long)  # only padding words, or no words
    for encoder in (parent, ours):  # AllenNLP's gru Seq2Vec cannot pack zero sequences
        with pytest.raises(RuntimeError, match="empty"):
            encoder(characters)


def test_loads_a_character_encoding_state_dict():
    parent, _ = twin_encoders()
    ours = DistinctWordCharacterEncoder(*parts())
    assert set(ours.state_dict()) == set(parent.state_dict())
    ours.load_state_dict(parent.state_dict(), strict=True)
    characters = batch_with_repeats()
    parent.eval(), ours.eval()
    torch.testing.assert_close(ours(characters), parent(characters))


def test_built_from_params_by_its_registered_name():
    params = Params({
        "type": "jmt_character_encoding",
        "embedding": {"embedding_dim": CHAR_DIM, "num_embeddings": NUM_CHARACTERS},
        "encoder": {"type": "gru", "input_size": CHAR_DIM, "hidden_size": HIDDEN, "num_layers": 2,
                    "bidirectional": True},
        "dropout": 0.1,
    })
    embedder = TokenEmbedder.from_params(params)
    assert type(embedder) is DistinctWordCharacterEncoder
    assert embedder.get_output_dim() == 2 * HIDDEN
    assert isinstance(embedder._dropout, torch.nn.Dropout) and embedder._dropout.p == 0.1


@pytest.mark.parametrize("hashes, collides", [(module._HASHES, False), (((2, 1),), True)])  # a parity "hash"
def test_distinct_rows_are_torch_uniques(monkeypatch, hashes, collides):
    monkeypatch.setattr(module, "_HASHES", hashes)
    row_uniques = []
    unique = torch.unique
    def counting_unique(*args, **kwargs):
        row_uniques.append(kwargs.get("dim"))
        return unique(*args, **kwargs)
    monkeypatch.setattr(torch, "unique", counting_unique)
    torch.manual_seed(3)
    words = torch.randint(0, 40, (30, 9)) * (torch.arange(9) < torch.randint(0, 10, (30, 1)))
    rows = words[torch.randint(0, 30, (200,))]
    distinct, inverse = distinct_rows(rows)
    assert row_uniques == ([None, 0] if collides else [None])  # unique_dim only after a collision
    assert torch.equal(distinct[inverse], rows)
    expected = unique(rows, dim=0)
    assert distinct.shape == expected.shape
    assert set(map(tuple, distinct.tolist())) == set(map(tuple, expected.tolist()))
