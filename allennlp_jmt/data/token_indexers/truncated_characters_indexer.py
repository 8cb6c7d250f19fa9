"""A word's characters, truncated to a maximum length (Yang et al.: 17 English, 35 Dutch, 20 Spanish)."""
from typing import List, Optional

from allennlp.data import Token, TokenIndexer
from allennlp.data.token_indexers import TokenCharactersIndexer
from allennlp.data.tokenizers import CharacterTokenizer


class TruncatedCharacterTokenizer(CharacterTokenizer):
    """AllenNLP's `CharacterTokenizer`, keeping only the first `max_length` characters of the text."""

    def __init__(self, max_length: int, **kwargs) -> None:
        if max_length < 1:
            raise ValueError(f"max_length must be at least 1, not {max_length}")
        super().__init__(**kwargs)
        self.max_length = max_length

    def tokenize(self, text: str) -> List[Token]:
        return super().tokenize(text[: self.max_length])


@TokenIndexer.register("jmt_truncated_characters")
class TruncatedCharactersIndexer(TokenCharactersIndexer):
    """
    AllenNLP's ``characters`` indexer over the first `max_characters` characters of each word
    (AllenNLP's own indexer keeps them all, and its ``character_tokenizer`` parameter cannot
    be given a subclass from a config). Use it under the same key as a ``characters`` indexer:
    ``token_characters: {type: 'jmt_truncated_characters', max_characters: 17}``.

    Registered as a `TokenIndexer` with name "jmt_truncated_characters".

    # Parameters

    max_characters : `int`
        How many characters of each word to keep.
    namespace : `str`, optional (default=`"token_characters"`)
    start_tokens, end_tokens : `List[str]`, optional
        Characters added around each word (after truncation).
    min_padding_length : `int`, optional (default=`1`)
        Pad words to at least this many characters (a CNN's widest filter, say). AllenNLP warns
        on every run when it is 0; every word has a character, so 1 changes nothing for a GRU.
    token_min_padding_length : `int`, optional (default=`0`)
    """

    def __init__(
        self,
        max_characters: int,
        namespace: str = "token_characters",
        start_tokens: Optional[List[str]] = None,
        end_tokens: Optional[List[str]] = None,
        min_padding_length: int = 1,
        token_min_padding_length: int = 0,
    ) -> None:
        super().__init__(
            namespace=namespace,
            character_tokenizer=TruncatedCharacterTokenizer(max_characters),
            start_tokens=start_tokens,
            end_tokens=end_tokens,
            min_padding_length=min_padding_length,
            token_min_padding_length=token_min_padding_length,
        )
        self.max_characters = max_characters
