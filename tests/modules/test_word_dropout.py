"""Word dropout: which ids are replaced, how often, and when it is the identity."""
import pytest
import torch
from allennlp.data import Vocabulary

from allennlp_jmt.modules.word_dropout import WordDropout


@pytest.fixture
def vocab():
    vocab = Vocabulary()
    vocab.add_tokens_to_namespace([f"w{i}" for i in range(50)], "tokens")
    return vocab


def text(ids):
    return {"tokens": {"tokens": ids}, "character_ngrams": {"token_ngrams": ids.unsqueeze(-1) + 100}}


def test_training_replaces_about_rate_of_the_words_by_oov_and_never_padding(vocab):
    torch.manual_seed(0)
    ids = torch.randint(2, 52, (200, 50))
    ids[:, 40:] = 0  # padding
    original = ids.clone()
    dropout = WordDropout(0.25, vocab).train()
    dropped = dropout(text(ids))
    out = dropped["tokens"]["tokens"]
    changed = out != ids
    assert (out[changed] == vocab.get_token_index(vocab._oov_token)).all()
    assert not changed[:, 40:].any()
    assert abs(changed[:, :40].float().mean().item() - 0.25) < 0.02
    assert torch.equal(dropped["character_ngrams"]["token_ngrams"], ids.unsqueeze(-1) + 100)
    assert torch.equal(ids, original)  # the input is not modified in place


def test_evaluation_and_rate_zero_are_the_identity(vocab):
    ids = torch.randint(2, 52, (4, 7))
    assert WordDropout(0.25, vocab).eval()(text(ids))["tokens"]["tokens"] is ids
    assert WordDropout(0.0, vocab).train()(text(ids))["tokens"]["tokens"] is ids


def test_bad_rate_and_missing_indexer_are_refused(vocab):
    with pytest.raises(ValueError, match="rate"):
        WordDropout(1.0, vocab)
    with pytest.raises(KeyError, match="words"):
        WordDropout(0.5, vocab, indexer="words").train()(text(torch.ones(2, 3, dtype=torch.long)))
