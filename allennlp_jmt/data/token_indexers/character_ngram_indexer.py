"""A word's unique character n-grams (Hashimoto et al., 2017: n = 1..4, with begin and end marks)."""
from typing import Dict, List, Optional

import torch
from allennlp.data import Token, TokenIndexer, Vocabulary
from allennlp.data.token_indexers.token_indexer import IndexedTokenList

NGRAMS_KEY = "token_ngrams"
NUM_NGRAMS_KEY = "num_token_ngrams"


@TokenIndexer.register("jmt_character_ngrams")
class CharacterNgramIndexer(TokenIndexer):
    """
    Represents each word by the ids of its unique character n-grams, as in the Joint Many-Task
    model: the word's characters are framed by `begin_mark` and `end_mark` (each one symbol),
    and every distinct n-gram of each size in `ngram_sizes` is kept once, ordered by size and
    then by first position ("ab": ``#B#, a, b, #E#, #B#a, ab, b#E#, #B#ab, ab#E#, #B#ab#E#``).
    Pair it with the ``jmt_character_ngram_embedding`` token embedder, which averages the
    n-grams' embeddings. Padding is 0 (the padding id of the padded `namespace`); n-grams
    missing from the vocabulary get its OOV id and take part in the mean.

    Registered as a `TokenIndexer` with name "jmt_character_ngrams".

    # Parameters

    namespace : `str`, optional (default=`"character_ngrams"`)
        The vocabulary namespace of the n-grams.
    ngram_sizes : `List[int]`, optional (default=`[1, 2, 3, 4]`)
        The n-gram lengths, in symbols (a mark counts as one).
    lowercase : `bool`, optional (default=`False`)
        Lowercase each word before taking its n-grams.
    begin_mark : `str`, optional (default=`"#B#"`)
        The symbol put before a word's first character.
    end_mark : `str`, optional (default=`"#E#"`)
        The symbol put after a word's last character.
    size_prefix : `bool`, optional (default=`False`)
        Spell each n-gram as ``"{n}gram-{ngram}"`` (``"2gram-#BEGIN#a"``), as the n-gram
        embeddings Hashimoto et al. released (torchtext's ``charngram.100d``) do; use it with
        ``begin_mark: "#BEGIN#"`` and ``end_mark: "#END#"`` to initialise from that file.
    token_min_padding_length : `int`, optional (default=`0`)
        Pad a field to at least this many tokens.
    """

    def __init__(
        self,
        namespace: str = "character_ngrams",
        ngram_sizes: Optional[List[int]] = None,
        lowercase: bool = False,
        begin_mark: str = "#B#",
        end_mark: str = "#E#",
        size_prefix: bool = False,
        token_min_padding_length: int = 0,
    ) -> None:
        super().__init__(token_min_padding_length)
        ngram_sizes = [1, 2, 3, 4] if ngram_sizes is None else list(ngram_sizes)
        if not ngram_sizes or any(size < 1 for size in ngram_sizes):
            raise ValueError(f"ngram_sizes must be a non-empty list of positive lengths, not {ngram_sizes}")
        self._namespace = namespace
        self._ngram_sizes = sorted(set(ngram_sizes))
        self._lowercase = lowercase
        self._begin_mark = begin_mark
        self._end_mark = end_mark
        self._size_prefix = size_prefix

    def ngrams(self, word: str) -> List[str]:
        """The word's unique n-grams, by size and then by first position."""
        if self._lowercase:
            word = word.lower()
        symbols = [self._begin_mark, *word, self._end_mark]
        unique: Dict[str, None] = {}  # an ordered set
        for size in self._ngram_sizes:
            for start in range(len(symbols) - size + 1):
                ngram = "".join(symbols[start : start + size])
                unique[f"{size}gram-{ngram}" if self._size_prefix else ngram] = None
        return list(unique)

    def _token_ngrams(self, token: Token) -> List[str]:
        if token.text is None:
            raise ValueError(f"{type(self).__name__} needs the tokens' text")
        return self.ngrams(token.text)

    def count_vocab_items(self, token: Token, counter: Dict[str, Dict[str, int]]) -> None:
        for ngram in self._token_ngrams(token):
            counter[self._namespace][ngram] += 1

    def tokens_to_indices(self, tokens: List[Token], vocabulary: Vocabulary) -> IndexedTokenList:
        return {
            NGRAMS_KEY: [
                [vocabulary.get_token_index(ngram, self._namespace) for ngram in self._token_ngrams(token)]
                for token in tokens
            ]
        }

    def get_padding_lengths(self, indexed_tokens: IndexedTokenList) -> Dict[str, int]:
        token_ngrams = indexed_tokens[NGRAMS_KEY]
        return {
            NGRAMS_KEY: max(len(token_ngrams), self._token_min_padding_length),
            NUM_NGRAMS_KEY: max((len(ids) for ids in token_ngrams), default=0),
        }

    def as_padded_tensor_dict(
        self, tokens: IndexedTokenList, padding_lengths: Dict[str, int]
    ) -> Dict[str, torch.Tensor]:
        num_tokens, num_ngrams = padding_lengths[NGRAMS_KEY], padding_lengths[NUM_NGRAMS_KEY]
        padded = torch.zeros(num_tokens, num_ngrams, dtype=torch.long)
        for position, ids in enumerate(tokens[NGRAMS_KEY][:num_tokens]):
            kept = ids[:num_ngrams]
            padded[position, : len(kept)] = torch.tensor(kept, dtype=torch.long)
        return {NGRAMS_KEY: padded}

    def get_empty_token_list(self) -> IndexedTokenList:
        return {NGRAMS_KEY: []}
