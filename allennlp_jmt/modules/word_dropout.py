"""Word dropout: words replaced by the unknown word at random during training (the JMT authors' code: 0.25)."""
from typing import Dict

import torch
from allennlp.data import TextFieldTensors, Vocabulary

from allennlp_jmt.upstream import oov_token, padding_token


class WordDropout(torch.nn.Module):
    """
    While training, replaces each word id of one indexer's tensor by the OOV id with probability
    `rate`, so that the model learns a useful unknown-word embedding and leans less on the word
    embedding alone (the character n-grams and other indexers are left as they are). Padding is
    never replaced. Identity in evaluation mode or at rate 0.

    Written here because AllenNLP has no word-level (as opposed to feature-level) dropout.

    # Parameters

    rate : `float`
    vocab : `Vocabulary`
    indexer : `str`, optional (default=`"tokens"`)
        The key of the word indexer in the text field.
    namespace : `str`, optional (default=`"tokens"`)
        That indexer's vocabulary namespace, whose OOV id replaces the dropped words.
    """

    def __init__(self, rate: float, vocab: Vocabulary, indexer: str = "tokens", namespace: str = "tokens") -> None:
        super().__init__()
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"word dropout rate must be in [0, 1), not {rate}")
        self.rate = rate
        self.indexer = indexer
        # Looked up only when used: looking up an absent namespace would add it to the vocabulary.
        self.oov_index = vocab.get_token_index(oov_token(vocab), namespace) if rate > 0 else None
        self.padding_index = vocab.get_token_index(padding_token(vocab), namespace) if rate > 0 else None

    def forward(self, text: TextFieldTensors) -> TextFieldTensors:
        if not self.training or self.rate == 0.0:
            return text
        if self.indexer not in text:
            raise KeyError(f"word dropout: the text field has no indexer {self.indexer!r} (it has {sorted(text)})")
        tensors: Dict[str, torch.Tensor] = dict(text[self.indexer])
        ids = tensors["tokens"]
        dropped = (torch.rand(ids.shape, device=ids.device) < self.rate) & (ids != self.padding_index)
        tensors["tokens"] = ids.masked_fill(dropped, self.oov_index)
        return {**text, self.indexer: tensors}
