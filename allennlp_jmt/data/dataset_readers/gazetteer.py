"""Gazetteer features: which words of a sentence lie inside a listed phrase of each type."""
from typing import Dict, List, Tuple

from allennlp_jmt.data.data_format_error import DataFormatError
from allennlp_jmt.data.dataset_readers.column_file import read_text


class Gazetteer:
    """
    Typed phrase lists, read from a CoNLL-style list file: one ``TYPE phrase words`` a line
    (``LOC New York``), blank lines and ``#`` comments ignored. `features` marks, for each word
    of a sentence and each type, whether the word lies inside an occurrence of a phrase of that
    type: the one-hot (multi-hot where types overlap) features Yang et al. (2016) append to the
    CRF input for English NER. Matching is exact, or case-insensitive with `lowercase`.

    # Parameters

    path : `str`
        The list file.
    lowercase : `bool`, optional (default=`False`)
    encoding : `str`, optional (default=`"utf-8"`)
    """

    def __init__(self, path: str, lowercase: bool = False, encoding: str = "utf-8") -> None:
        self.lowercase = lowercase
        by_first_word: Dict[str, List[Tuple[Tuple[str, ...], str]]] = {}
        types = set()
        for number, line in enumerate(read_text(path, encoding).splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) < 2:
                raise DataFormatError(path, number, f"{len(fields)} field(s)", "TYPE followed by a phrase")
            phrase = tuple(self._normal(word) for word in fields[1:])
            by_first_word.setdefault(phrase[0], []).append((phrase, fields[0]))
            types.add(fields[0])
        if not types:
            raise DataFormatError(path, None, "no phrase", "lines of 'TYPE phrase words'")
        self.types = sorted(types)
        self._type_index = {name: index for index, name in enumerate(self.types)}
        self._by_first_word = by_first_word

    def _normal(self, word: str) -> str:
        return word.lower() if self.lowercase else word

    def features(self, words: List[str]) -> List[List[float]]:
        """``len(words)`` rows of ``len(self.types)`` 0/1 values."""
        normal = [self._normal(word) for word in words]
        rows = [[0.0] * len(self.types) for _ in words]
        for start, word in enumerate(normal):
            for phrase, type_name in self._by_first_word.get(word, ()):
                if tuple(normal[start:start + len(phrase)]) == phrase:
                    for position in range(start, start + len(phrase)):
                        rows[position][self._type_index[type_name]] = 1.0
        return rows
