"""SICK sentence pairs (Marelli et al. 2014): relatedness scores and entailment labels."""
import math
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional

from allennlp.data import DatasetReader, Instance, Tokenizer
from allennlp.data.fields import LabelField, MetadataField, TensorField
import torch

from allennlp_jmt.data.data_format_error import DataFormatError
from allennlp_jmt.data.dataset_readers.column_file import read_text, resolve_paths
from allennlp_jmt.data.dataset_readers.corpus_reader import CorpusReader
from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer

ENTAILMENT_LABELS = ("ENTAILMENT", "NEUTRAL", "CONTRADICTION")
MIN_SCORE, MAX_SCORE = 1.0, 5.0
REQUIRED_COLUMNS = ("pair_ID", "sentence_A", "sentence_B")
SET_COLUMN = "SemEval_set"
SEMEVAL_SETS = ("TRAIN", "TRIAL", "TEST")


@dataclass
class SentencePair:
    """One SICK pair: the two sentences, the gold score and label (if annotated), and its source."""

    pair_id: str
    premise: str
    hypothesis: str
    relatedness: Optional[float]
    entailment: Optional[str]
    source: str


@DatasetReader.register("jmt_sick")
class SickReader(CorpusReader):
    """
    Reads SICK: the SemEval-2014 split files (``pair_ID sentence_A sentence_B
    relatedness_score entailment_judgment``) and the full ``SICK.txt`` release (12 columns,
    with ``entailment_label`` and a ``SemEval_set`` column), both tab-separated with a header
    line, LF or CRLF. Columns are found by their header names. Scores must lie in [1, 5];
    labels must be ENTAILMENT, NEUTRAL or CONTRADICTION (any case).

    Instances: ``premise`` and ``hypothesis`` (`TextField`s), ``relatedness`` (a float
    `TensorField`) and ``entailment`` (a `LabelField`) when the file has them, ``metadata``
    (``pair_id``, ``premise_words``, ``hypothesis_words``, ``source``: ``path:line``).

    Registered as a `DatasetReader` with name "jmt_sick".

    # Parameters

    semeval_set : `str`, optional (default=`None`)
        With ``SICK.txt``, keep only the rows of this SemEval set: ``"TRAIN"``, ``"TRIAL"``
        or ``"TEST"``. A path may name its own set instead, after a ``#``:
        ``SICK.txt#TRIAL``, so one reader serves train, validation and test paths.
    tokenizer : `Tokenizer`, optional (default=`jmt_blank_spacy` for English)
        Splits the sentences into words (no model download).
    label_namespace : `str`, optional (default=`"entailment_labels"`)
        The vocabulary namespace of the entailment labels.
    **kwargs
        The options of `CorpusReader`: ``token_indexers``, ``replace_digits``,
        ``labelling_rate``, ``labelling_seed``, ``encoding``.
    """

    def __init__(
        self,
        semeval_set: Optional[str] = None,
        tokenizer: Optional[Tokenizer] = None,
        label_namespace: str = "entailment_labels",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.semeval_set = self._check_set(semeval_set) if semeval_set else None
        self.tokenizer = tokenizer or BlankSpacyTokenizer("en")
        self.label_namespace = label_namespace

    @staticmethod
    def _check_set(name: str) -> str:
        if name.upper() not in SEMEVAL_SETS:
            raise ValueError(f"SemEval set must be one of {SEMEVAL_SETS}, not {name!r}")
        return name.upper()

    def read_examples(self, file_path: str) -> Iterator[SentencePair]:
        file_path, _, chosen = str(file_path).partition("#")
        semeval_set = self._check_set(chosen) if chosen else self.semeval_set
        for path in resolve_paths(file_path):
            yield from self._read_file(path, semeval_set)

    def _read_file(self, path: str, semeval_set: Optional[str]) -> Iterator[SentencePair]:
        lines = read_text(path, self.encoding).splitlines()
        if not lines or not lines[0].strip():
            raise DataFormatError(path, 1 if lines else None, "no header line", "a tab-separated header")
        header = lines[0].split("\t")
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise DataFormatError(path, 1, f"header lacks {missing}", f"columns {list(REQUIRED_COLUMNS)}")
        score_column = "relatedness_score" if "relatedness_score" in header else None
        label_column = next((c for c in ("entailment_judgment", "entailment_label") if c in header), None)
        if semeval_set and SET_COLUMN not in header:
            raise DataFormatError(path, 1, f"no {SET_COLUMN} column to select {semeval_set} by",
                                  "the full SICK.txt release")
        count = 0
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            values = line.split("\t")
            if len(values) != len(header):
                raise DataFormatError(path, number, f"{len(values)} tab-separated columns",
                                      f"{len(header)}, as in the header")
            row = dict(zip(header, values))
            if semeval_set and row[SET_COLUMN].strip().upper() != semeval_set:
                continue
            count += 1
            yield SentencePair(
                pair_id=row["pair_ID"],
                premise=row["sentence_A"],
                hypothesis=row["sentence_B"],
                relatedness=_score(row[score_column], path, number) if score_column else None,
                entailment=_label(row[label_column], path, number) if label_column else None,
                source=f"{path}:{number}",
            )
        if count == 0:
            raise DataFormatError(path, None, "file holds no sentence pair"
                                  + (f" of set {semeval_set}" if semeval_set else ""), "at least one pair")

    def example_to_instance(self, example: SentencePair) -> Instance:
        return self.text_to_instance(
            example.premise, example.hypothesis, example.relatedness, example.entailment,
            pair_id=example.pair_id, source=example.source,
        )

    def text_to_instance(  # type: ignore
        self,
        premise: str,
        hypothesis: str,
        relatedness: Optional[float] = None,
        entailment: Optional[str] = None,
        **metadata: Any,
    ) -> Instance:
        """An instance of a sentence pair and, if given, its relatedness score and entailment label."""
        premise_words = self._words(premise)
        hypothesis_words = self._words(hypothesis)
        fields: Dict[str, Any] = {
            "premise": self.text_field(premise_words),
            "hypothesis": self.text_field(hypothesis_words),
        }
        if relatedness is not None:
            fields["relatedness"] = TensorField(torch.tensor(relatedness, dtype=torch.float))
        if entailment is not None:
            fields["entailment"] = LabelField(entailment, label_namespace=self.label_namespace)
        fields["metadata"] = MetadataField(
            {"premise_words": premise_words, "hypothesis_words": hypothesis_words, **metadata}
        )
        return Instance(fields)

    def _words(self, sentence: str) -> List[str]:
        return [token.text for token in self.tokenizer.tokenize(sentence)]


def _score(value: str, path: str, line: int) -> float:
    try:
        score = float(value)
    except ValueError:
        score = math.nan
    if not MIN_SCORE <= score <= MAX_SCORE:  # also false for NaN
        raise DataFormatError(path, line, f"relatedness score {value!r}",
                              f"a number between {MIN_SCORE} and {MAX_SCORE}")
    return score


def _label(value: str, path: str, line: int) -> str:
    label = value.strip().upper()
    if label not in ENTAILMENT_LABELS:
        raise DataFormatError(path, line, f"entailment label {value!r}", " / ".join(ENTAILMENT_LABELS))
    return label
