"""A `character_encoding` token embedder that runs its encoder once per distinct word of a batch."""
from typing import Tuple

import torch
from allennlp.modules.token_embedders import TokenCharactersEncoder, TokenEmbedder

from allennlp_jmt.upstream import inner_module

# Two polynomial row hashes modulo primes below 2**25: every product of a reduced id and a power
# is below 2**50, so a sum over up to 2**13 characters cannot overflow int64.
_HASHES = ((33554393, 1000003), (33554383, 2654435))
_MAX_HASHED_WIDTH = 2**13


def distinct_rows(rows: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """
    ``torch.unique(rows, dim=0, return_inverse=True)`` up to the order of the distinct rows:
    returns ``distinct`` and ``inverse`` with ``distinct[inverse] == rows``. Hashes each row to
    one int64 and takes the unique of those, which is several times faster than `unique_dim`
    (that compares rows one by one); a hash collision is detected (the check is exact) and
    falls back to `torch.unique`.
    """
    num_rows, width = rows.shape
    if width <= _MAX_HASHED_WIDTH:
        keys = rows.new_zeros(num_rows, dtype=torch.long)
        for prime, base in _HASHES:
            powers = torch.tensor([pow(base, width - 1 - i, prime) for i in range(width)], device=rows.device)
            keys = keys * prime + (rows.long().remainder(prime) * powers).sum(dim=1).remainder(prime)
        unique_keys, inverse = torch.unique(keys, return_inverse=True)
        positions = torch.arange(num_rows, device=rows.device)
        members = inverse.new_empty(unique_keys.size(0)).scatter_(0, inverse, positions)
        distinct = rows.index_select(0, members)  # one row per key
        if torch.equal(distinct.index_select(0, inverse), rows):
            return distinct, inverse
    return torch.unique(rows, dim=0, return_inverse=True)


@TokenEmbedder.register("jmt_character_encoding")
class DistinctWordCharacterEncoder(TokenCharactersEncoder):
    """
    AllenNLP's `TokenCharactersEncoder` (``character_encoding``: embed each word's characters,
    encode them with a `Seq2VecEncoder`, optional dropout), computed faster: it exists for speed.

    A batch of sentences repeats its words ("the", ",", "of", ...: a CoNLL-2000 batch of 32
    sentences has about half as many distinct words as tokens), and about half of its word
    slots are padding (shorter sentences padded to the longest). The parent encodes every slot
    (the padding ones included, which its encoder then discards); this class encodes each
    distinct row of character ids once (found by hashing the rows, see `distinct_rows`) and
    copies the encodings back to the words' positions. An all-padding row, if any, is encoded
    like any other row, so padding words get exactly what the parent gives them (zeros with a
    ``gru``/``lstm`` encoder).

    The result and its gradients equal the parent's up to float rounding, in training and
    evaluation, as long as the encoder treats each word independently and deterministically;
    dropout after the encoder (`dropout`) is still drawn per position. An encoder with internal
    dropout (e.g. a multi-layer ``gru`` with ``dropout > 0``) draws one mask per distinct word
    in training instead of one per position. The constructor, the submodule names and so the
    state dict are the parent's: a ``character_encoding`` model's weights load into it unchanged.

    Registered as a `TokenEmbedder` with name "jmt_character_encoding".

    # Parameters

    embedding : `Embedding`
        The character embedding.
    encoder : `Seq2VecEncoder`
        The encoder of a word's embedded characters.
    dropout : `float`, optional (default=`0.0`)
        Dropout on the word encodings.
    """

    def forward(self, token_characters: torch.Tensor) -> torch.Tensor:
        *leading, num_characters = token_characters.shape
        rows = token_characters.reshape(-1, num_characters)
        if rows.size(0) == 0:
            return super().forward(token_characters)
        distinct, inverse = distinct_rows(rows)
        # `self._embedding` and `self._encoder` are the parent's `TimeDistributed` wrappers; the
        # distinct rows are already a flat batch, so their modules are called directly.
        mask = (distinct != 0).long()
        encoded = inner_module(self._encoder)(inner_module(self._embedding)(distinct), mask)
        return self._dropout(encoded.index_select(0, inverse).view(*leading, encoded.size(-1)))
