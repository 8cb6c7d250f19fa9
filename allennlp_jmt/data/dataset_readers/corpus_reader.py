"""The base of every corpus reader of the project: the options all of them share."""
import re
from abc import abstractmethod
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from allennlp.data import DatasetReader, Instance, Token, TokenIndexer
from allennlp.data.fields import TextField
from allennlp.data.token_indexers import SingleIdTokenIndexer

from allennlp_jmt.data.dataset_readers.column_file import ENCODINGS
from allennlp_jmt.data.dataset_readers.labelling_rate import keep_fraction, split_fraction

DIGIT = re.compile(r"\d")
HELD_OUT, REST = "held_out", "rest"


class CorpusReader(DatasetReader):
    """
    Reads a corpus in two steps: `read_examples` parses and checks every example of the
    file(s) (so bad input fails wherever it is), then a seeded fraction of them is kept
    (the labelling rate) and `example_to_instance` turns each into an `Instance`.

    # Parameters

    token_indexers : `Dict[str, TokenIndexer]`, optional (default=`{"tokens": SingleIdTokenIndexer()}`)
        How the words are indexed. For truncated characters, use AllenNLP's ``characters``
        indexer with a ``jmt_truncated_character`` tokenizer.
    replace_digits : `bool`, optional (default=`False`)
        Replace every digit of a word by "0" (Yang et al.); the original words stay in the
        ``metadata`` field.
    labelling_rate : `float`, optional (default=`1.0`)
        Keep this seeded random fraction of the examples read (Yang et al., Table 8). Give
        it to the training reader only: a validation reader should keep everything.
    labelling_seed : `int`, optional (default=`13`)
        The seed of that sample.
    hold_out_fraction : `float`, optional (default=`0.0`)
        For a corpus without a development split: a path ending in ``#held_out`` reads a
        seeded random fraction of the file's examples, and the same path ending in ``#rest``
        reads the others (e.g. ``train.txt#rest`` to train, ``train.txt#held_out`` to
        validate). A path without either suffix reads the whole file.
    hold_out_seed : `int`, optional (default=`13`)
    encoding : `str`, optional (default=`"utf-8"`)
        ``"utf-8"``, ``"latin-1"``, or ``"auto"`` (UTF-8 if the file is valid UTF-8, else Latin-1).
    """

    def __init__(
        self,
        token_indexers: Optional[Dict[str, TokenIndexer]] = None,
        replace_digits: bool = False,
        labelling_rate: float = 1.0,
        labelling_seed: int = 13,
        encoding: str = "utf-8",
        hold_out_fraction: float = 0.0,
        hold_out_seed: int = 13,
        **kwargs,
    ) -> None:
        # `_read` shards examples itself (after sampling), so it works with several workers.
        kwargs.update(manual_distributed_sharding=True, manual_multiprocess_sharding=True)
        super().__init__(**kwargs)
        if not 0.0 < labelling_rate <= 1.0:
            raise ValueError(f"labelling_rate must be in (0, 1], not {labelling_rate}")
        if encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
        self.token_indexers = token_indexers or {"tokens": SingleIdTokenIndexer()}
        self.replace_digits = replace_digits
        self.labelling_rate = labelling_rate
        self.labelling_seed = labelling_seed
        self.encoding = encoding
        if not 0.0 <= hold_out_fraction < 1.0:
            raise ValueError(f"hold_out_fraction must be in [0, 1), not {hold_out_fraction}")
        self.hold_out_fraction = hold_out_fraction
        self.hold_out_seed = hold_out_seed

    def _read(self, file_path: str) -> Iterator[Instance]:
        file_path, part = self._hold_out_part(str(file_path))
        examples: Iterable[Any] = self.read_examples(file_path)
        if part is not None:
            held_out, rest = split_fraction(list(examples), self.hold_out_fraction, self.hold_out_seed)
            examples = held_out if part == HELD_OUT else rest
        if self.labelling_rate < 1.0:
            examples = keep_fraction(list(examples), self.labelling_rate, self.labelling_seed)
        for example in self.shard_iterable(examples):
            yield self.example_to_instance(example)

    def _hold_out_part(self, file_path: str) -> Tuple[str, Optional[str]]:
        """`file_path` without a ``#held_out``/``#rest`` suffix, and which part it names (or ``None``)."""
        path, _, part = file_path.rpartition("#")
        if part not in (HELD_OUT, REST):
            return file_path, None
        if not self.hold_out_fraction:
            raise ValueError(f"{file_path}: the path asks for a '{part}' part, but the reader has no hold_out_fraction")
        return path, part

    @abstractmethod
    def read_examples(self, file_path: str) -> Iterable[Any]:
        """Every example of `file_path`, parsed and checked."""

    @abstractmethod
    def example_to_instance(self, example: Any) -> Instance:
        """The `Instance` of one example that `read_examples` returned."""

    def text_field(self, words: List[str]) -> TextField:
        """A `TextField` of `words`, digits replaced if so configured; not yet indexed."""
        if self.replace_digits:
            words = [DIGIT.sub("0", word) for word in words]
        return TextField([Token(word) for word in words])

    def apply_token_indexers(self, instance: Instance) -> None:
        for field in instance.fields.values():
            if isinstance(field, TextField):
                field.token_indexers = self.token_indexers
