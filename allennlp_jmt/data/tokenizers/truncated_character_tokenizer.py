"""A word's characters, truncated to a maximum length (Yang et al.: 17 English, 35 Dutch, 20 Spanish)."""
from typing import List

from allennlp.data import Token, Tokenizer
from allennlp.data.tokenizers import CharacterTokenizer


@Tokenizer.register("jmt_truncated_character")
class TruncatedCharacterTokenizer(CharacterTokenizer):
    """
    AllenNLP's `CharacterTokenizer`, keeping only the first `max_length` characters of the
    text (before any start or end tokens are added). Give it to AllenNLP's ``characters``
    token indexer as its ``character_tokenizer``:
    ``{"type": "characters", "character_tokenizer": {"type": "jmt_truncated_character", "max_length": 17}}``.

    Registered as a `Tokenizer` with name "jmt_truncated_character".

    # Parameters

    max_length : `int`
        How many characters of each word to keep.
    **kwargs
        The options of `CharacterTokenizer`: ``byte_encoding``, ``lowercase_characters``,
        ``start_tokens``, ``end_tokens``.
    """

    def __init__(self, max_length: int, **kwargs) -> None:
        if max_length < 1:
            raise ValueError(f"max_length must be at least 1, not {max_length}")
        super().__init__(**kwargs)
        self.max_length = max_length

    def tokenize(self, text: str) -> List[Token]:
        return super().tokenize(text[: self.max_length])
