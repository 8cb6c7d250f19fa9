"""
The conlleval lines ``jmt_tagger`` writes (``conll_output``), scored as the official
``conlleval.pl`` (version 2004-01-26) scores them.

`conlleval` below transcribes the Perl script line by line: its input handling (the
``-X-`` boundary lines, the ``-d``/``-r``/``-o`` options), ``startOfChunk`` and ``endOfChunk``
(with its ``B``, ``I``, ``E``, ``O``, ``[``, ``]`` and ``.`` tags; any other tag, like BIOES's
``S``, is only a tag whose type may differ from the previous one) and its overall counts and
scores. The PyPI ``conlleval`` port used elsewhere reads BIOES as intended, so it cannot show
that the Perl script misreads it: written as BIOES, the CoNLL-2000 test gold has 22,665
chunks for the Perl script instead of 23,852, because it does not end a chunk at E- followed
by B- of the same type (nor at S- followed by S-).
"""
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

import pytest
from allennlp.common import Params
from allennlp.data import DatasetReader
from allennlp.data.data_loaders import MultiProcessDataLoader
from allennlp.data.dataset_readers.dataset_utils.span_utils import bio_tags_to_spans, iob1_tags_to_spans
from allennlp.models.archival import load_archive
from allennlp.training.util import evaluate

from allennlp_jmt.data.dataset_readers.tag_schemes import open_spans_with_b, to_conll_scheme
from allennlp_jmt.predictors import TaggerPredictor
from tests.cli import allennlp
from tests.conftest import FIXTURES, ROOT, SHARED_DATA

BOUNDARY = "-X-"  # conlleval.pl's sentence boundary


# --- conlleval.pl, transcribed ------------------------------------------------------------


def end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    """conlleval.pl's ``endOfChunk``: did a chunk end between the previous word and this one?"""
    chunk_end = False
    if prev_tag == "B" and tag == "B":
        chunk_end = True
    if prev_tag == "B" and tag == "O":
        chunk_end = True
    if prev_tag == "I" and tag == "B":
        chunk_end = True
    if prev_tag == "I" and tag == "O":
        chunk_end = True

    if prev_tag == "E" and tag == "E":
        chunk_end = True
    if prev_tag == "E" and tag == "I":
        chunk_end = True
    if prev_tag == "E" and tag == "O":
        chunk_end = True
    if prev_tag == "I" and tag == "O":
        chunk_end = True

    if prev_tag != "O" and prev_tag != "." and prev_type != type_:
        chunk_end = True

    # corrected 1998-12-22: these chunks are assumed to have length 1
    if prev_tag == "]":
        chunk_end = True
    if prev_tag == "[":
        chunk_end = True
    return chunk_end


def start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    """conlleval.pl's ``startOfChunk``: did a chunk start between the previous word and this one?"""
    chunk_start = False
    if prev_tag == "B" and tag == "B":
        chunk_start = True
    if prev_tag == "I" and tag == "B":
        chunk_start = True
    if prev_tag == "O" and tag == "B":
        chunk_start = True
    if prev_tag == "O" and tag == "I":
        chunk_start = True

    if prev_tag == "E" and tag == "E":
        chunk_start = True
    if prev_tag == "E" and tag == "I":
        chunk_start = True
    if prev_tag == "O" and tag == "E":
        chunk_start = True
    if prev_tag == "O" and tag == "I":
        chunk_start = True

    if tag != "O" and tag != "." and prev_type != type_:
        chunk_start = True

    # corrected 1998-12-22: these chunks are assumed to have length 1
    if tag == "[":
        chunk_start = True
    if tag == "]":
        chunk_start = True
    return chunk_start


@dataclass
class ConllevalCounts:
    """What conlleval.pl counts, and its overall scores (percentages, as it prints them)."""

    correct_chunk: int = 0  # $correctChunk: chunks found with the right type, start and end
    found_correct: int = 0  # $foundCorrect: chunks in the gold column
    found_guessed: int = 0  # $foundGuessed: chunks in the guessed column
    correct_tags: int = 0
    token_counter: int = 0
    correct_chunk_by_type: Counter = field(default_factory=Counter)
    found_correct_by_type: Counter = field(default_factory=Counter)
    found_guessed_by_type: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return 100 * self.correct_chunk / self.found_guessed if self.found_guessed > 0 else 0.0

    @property
    def recall(self) -> float:
        return 100 * self.correct_chunk / self.found_correct if self.found_correct > 0 else 0.0

    @property
    def fb1(self) -> float:
        precision, recall = self.precision, self.recall
        return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0

    def overall(self) -> str:
        """The first lines conlleval.pl prints (without ``-l``)."""
        text = (f"processed {self.token_counter} tokens with {self.found_correct} phrases; "
                f"found: {self.found_guessed} phrases; correct: {self.correct_chunk}.\n")
        if self.token_counter > 0:
            text += "accuracy: %6.2f%%; " % (100 * self.correct_tags / self.token_counter)
            text += "precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f\n" % (self.precision, self.recall, self.fb1)
        return text


def _perl_split(delimiter: str, line: str) -> List[str]:
    """Perl's ``split(/$delimiter/, $line)``: a regular expression; trailing empty fields are dropped."""
    features = re.split(delimiter, line)
    while features and features[-1] == "":
        features.pop()
    return features


def _tag_and_type(feature: str) -> Tuple[str, str]:
    """The tag and type of a feature (``20040126 ET code which allows hyphens in the types``)."""
    match = re.match(r"^([^-]*)-(.*)$", feature)
    tag, type_ = match.groups() if match else (feature, "")
    return tag, type_ if type_ not in ("", "0") else ""  # `$type ? $type : ""`: "0" is false in Perl


def conlleval(lines: Iterable[str], delimiter: str = " ", raw: bool = False, o_tag: str = "O") -> ConllevalCounts:
    """
    conlleval.pl's counts on `lines` (its standard input). The last two features of a line are
    the gold and the guessed tag; an empty line or one whose first feature is ``-X-`` is a
    sentence boundary (a ``-DOCSTART-`` line is an ordinary word, tagged as its line says).
    """
    counts = ConllevalCounts()
    nbr_of_features = -1
    in_correct = False
    last_correct, last_correct_type = "O", ""
    last_guessed, last_guessed_type = "O", ""
    for line in lines:
        line = line[:-1] if line.endswith("\n") else line  # chomp
        features = _perl_split(delimiter, line)
        if nbr_of_features < 0:
            nbr_of_features = len(features) - 1
        elif nbr_of_features != len(features) - 1 and len(features) != 0:
            raise ValueError(f"unexpected number of features: {len(features)} ({nbr_of_features + 1})")
        if len(features) == 0 or features[0] == BOUNDARY:
            features = [BOUNDARY, "O", "O"]
        if len(features) < 2:
            raise ValueError(f"conlleval: unexpected number of features in line {line}")
        if raw:
            if features[-1] == o_tag:
                features[-1] = "O"
            if features[-2] == o_tag:
                features[-2] = "O"
            if features[-1] != "O":
                features[-1] = f"B-{features[-1]}"
            if features[-2] != "O":
                features[-2] = f"B-{features[-2]}"
        guessed, guessed_type = _tag_and_type(features.pop())
        correct, correct_type = _tag_and_type(features.pop())
        first_item: Optional[str] = features.pop(0) if features else None  # Perl: undef

        # 1999-06-26 sentence breaks should always be counted as out of chunk
        if first_item == BOUNDARY:
            guessed = "O"

        if in_correct:
            correct_ended = end_of_chunk(last_correct, correct, last_correct_type, correct_type)
            guessed_ended = end_of_chunk(last_guessed, guessed, last_guessed_type, guessed_type)
            if correct_ended and guessed_ended and last_guessed_type == last_correct_type:
                in_correct = False
                counts.correct_chunk += 1
                counts.correct_chunk_by_type[last_correct_type] += 1
            elif correct_ended != guessed_ended or guessed_type != correct_type:
                in_correct = False

        correct_starts = start_of_chunk(last_correct, correct, last_correct_type, correct_type)
        guessed_starts = start_of_chunk(last_guessed, guessed, last_guessed_type, guessed_type)
        if correct_starts and guessed_starts and guessed_type == correct_type:
            in_correct = True
        if correct_starts:
            counts.found_correct += 1
            counts.found_correct_by_type[correct_type] += 1
        if guessed_starts:
            counts.found_guessed += 1
            counts.found_guessed_by_type[guessed_type] += 1
        if first_item != BOUNDARY:
            if correct == guessed and guessed_type == correct_type:
                counts.correct_tags += 1
            counts.token_counter += 1

        last_guessed, last_correct = guessed, correct
        last_guessed_type, last_correct_type = guessed_type, correct_type
    if in_correct:
        counts.correct_chunk += 1
        counts.correct_chunk_by_type[last_correct_type] += 1
    return counts


# --- helpers --------------------------------------------------------------------------------


def old_bioes_spelling(tags: List[str]) -> List[str]:
    """BIOUL spelled as BIOES (L- as E-, U- as S-): what ``conll_output`` wrote before."""
    return [{"L-": "E-", "U-": "S-"}.get(tag[:2], tag[:2]) + tag[2:] for tag in tags]


def tag_lines(tagged: Iterable[Tuple[List[str], List[str], List[str]]]) -> List[str]:
    """conlleval lines ``word gold guessed`` for each (words, gold, guessed) sentence, a blank line after each."""
    lines: List[str] = []
    for words, gold, guessed in tagged:
        lines += [" ".join(features) for features in zip(words, gold, guessed)] + [""]
    return lines


def gold_lines(tagged: Iterable[Tuple[List[str], List[str]]]) -> List[str]:
    """conlleval lines of (words, tags) sentences, the tags as both gold and guessed tag."""
    return tag_lines((words, tags, tags) for words, tags in tagged)


def file_lines(path: Path, tag_column: int) -> List[str]:
    """
    conlleval lines ``word tag tag`` for every line of a CoNLL file as it is, with its tag column
    as both gold and guessed tag (``-DOCSTART-`` lines and blank lines kept). Split on ASCII
    whitespace as bytes, so that any encoding of the words is fine.
    """
    lines = []
    for raw in path.read_bytes().splitlines():
        columns = [column.decode("latin-1") for column in raw.split()]
        lines.append(f"{columns[0]} {columns[tag_column]} {columns[tag_column]}" if columns else "")
    return lines


def sentences(name: str, path: Path, coding_scheme: Optional[str], **options) -> List[Tuple[List[str], List[str]]]:
    """(words, tags) of each sentence of `path`, read by the project's reader `name` with `coding_scheme`."""
    reader = DatasetReader.from_params(Params({"type": name, "coding_scheme": coding_scheme, **options}))
    return [(instance["metadata"]["words"], list(instance["tags"].labels)) for instance in reader.read(str(path))]


def shared(relative: str) -> Path:
    """A file of the real corpora; the test is skipped where they are missing."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the real corpora are not here ({SHARED_DATA} is missing; set JMT_SHARED_DATA)")
    return SHARED_DATA / relative


# --- the transcription reads what conlleval.pl reads ----------------------------------------


@pytest.mark.parametrize("guessed, chunks", [
    ("B-NP I-NP B-NP O B-VP", 3),             # IOB2
    ("I-NP I-NP B-NP O I-VP I-NP", 4),        # IOB1: B- only after a chunk of the same type
    ("B-NP E-NP B-NP E-NP S-NP", 1),          # BIOES: E- before B- and S- after E- do not end the chunk
    ("S-NP S-NP S-VP", 2),                    # S- is no tag of conlleval's: only a type change ends or starts
    ("[-NP ]-NP [-NP . O", 3),                # [ and ] are one-word chunks; . starts none
    ("B-A-X I-A-Y I-A-Y", 2),                 # hyphens in types (the 2004-01-26 change): A-X, then A-Y
])
def test_chunk_logic(guessed, chunks):
    tags = guessed.split()
    counts = conlleval(tag_lines([(["w"] * len(tags), ["O"] * len(tags), tags)]))
    assert (counts.found_guessed, counts.found_correct, counts.correct_chunk) == (chunks, 0, 0)


def test_boundaries_docstart_counts_and_scores():
    lines = [
        "-DOCSTART- O O",                     # an ordinary word for conlleval.pl
        "", "He B-NP B-NP", "reckons B-VP B-NP", "the B-NP B-NP", "deficit I-NP I-NP",
        "-X- I-NP I-NP",                      # a boundary: its tags are replaced by O
        "will B-VP B-VP", "narrow I-VP I-VP", "",
    ]
    counts = conlleval(lines)
    assert (counts.token_counter, counts.found_correct, counts.found_guessed, counts.correct_chunk) == (7, 4, 4, 3)
    assert counts.correct_tags == 6
    assert counts.found_correct_by_type == {"NP": 2, "VP": 2}
    assert counts.correct_chunk_by_type == {"NP": 2, "VP": 1}
    assert counts.overall() == ("processed 7 tokens with 4 phrases; found: 4 phrases; correct: 3.\n"
                                "accuracy:  85.71%; precision:  75.00%; recall:  75.00%; FB1:  75.00\n")
    with pytest.raises(ValueError, match="unexpected number of features: 2 \\(3\\)"):
        conlleval(["a B-NP B-NP", "b B-NP"])


def test_raw_option_and_other_delimiter():
    counts = conlleval(["a\tNP\tNP", "b\tNP\tVP", "c\tX\tX"], delimiter="\t", raw=True, o_tag="X")
    assert (counts.found_correct, counts.found_guessed, counts.correct_chunk, counts.token_counter) == (2, 2, 1, 3)


# --- the conversion -------------------------------------------------------------------------


@pytest.mark.parametrize("tags, encoding, iob2, iob1", [
    ("U-NP B-NP L-NP U-VP O B-PP I-PP L-PP U-PP", "BIOUL",
     "B-NP B-NP I-NP B-VP O B-PP I-PP I-PP B-PP", "I-NP B-NP I-NP I-VP O I-PP I-PP I-PP B-PP"),
    ("B-NP B-NP I-NP O I-VP I-NP", "BIO", "B-NP B-NP I-NP O B-VP B-NP", "I-NP B-NP I-NP O I-VP I-NP"),
    ("I-PER I-PER B-PER O I-LOC", "IOB1", "B-PER I-PER B-PER O B-LOC", "I-PER I-PER B-PER O I-LOC"),
    ("NN VBZ O", None, "NN VBZ O", "NN VBZ O"),  # not spans (POS): unchanged
])
def test_to_conll_scheme(tags, encoding, iob2, iob1):
    assert to_conll_scheme(tags.split(), encoding) == iob2.split()
    assert to_conll_scheme(tags.split(), encoding, "bio") == iob2.split()
    assert to_conll_scheme(tags.split(), encoding, "IOB1") == iob1.split()


def test_unknown_conll_scheme_names_the_accepted_ones():
    with pytest.raises(ValueError, match=r"unknown conll_scheme 'BIOES'; use IOB2 .* or IOB1"):
        to_conll_scheme(["U-NP"], "BIOUL", "BIOES")


# --- corpora: the reader's BIOUL, written back, has the file's chunks for conlleval.pl -----


def check_round_trip(name: str, path: Path, tag_column: int, scheme: str, **options) -> ConllevalCounts:
    """
    Asserts that the file's own tags, read to BIOUL and written in `scheme` by `to_conll_scheme`,
    are the chunks conlleval.pl finds in the file; returns its counts on the file.
    """
    original = conlleval(file_lines(path, tag_column))
    decode = iob1_tags_to_spans if scheme == "IOB1" else bio_tags_to_spans
    file_tags = sentences(name, path, None, **options)
    assert original.found_correct == sum(len(decode(tags)) for _, tags in file_tags) > 0

    written = [to_conll_scheme(tags, "BIOUL", scheme) for _, tags in sentences(name, path, "BIOUL", **options)]
    both = conlleval(tag_lines((words, tags, new) for (words, tags), new in zip(file_tags, written)))
    assert both.found_correct == both.found_guessed == both.correct_chunk == original.found_correct
    assert both.found_guessed_by_type == original.found_correct_by_type
    expected = [tags if scheme == "IOB1" else open_spans_with_b(tags) for _, tags in file_tags]
    # The files are canonical in their scheme, except that an I- opening a chunk becomes B- in IOB2.
    assert written == expected
    return original


FIXTURE_FILES = [
    ("jmt_conll2000", "conll2000/test.txt", 2, "IOB2", {}),
    ("jmt_conll2000", "conll2000/train.txt", 2, "IOB2", {}),
    ("jmt_conll2002", "conll2002/ned.train", -1, "IOB2", {}),
    ("jmt_conll2002", "conll2002/esp.testa", -1, "IOB2", {}),
    ("jmt_conll2002", "conll2002/esp.nopos.train", -1, "IOB2", {}),
    ("jmt_conll2002", "conll2002/esp.latin1.train", -1, "IOB2", {}),
    ("jmt_conll2003", "conll2003/eng.sample", 3, "IOB1", {}),
]


@pytest.mark.parametrize("name, relative, tag_column, scheme, options", FIXTURE_FILES,
                         ids=[f"{relative}:{column}" for _, relative, column, _, _ in FIXTURE_FILES])
def test_fixture_round_trip(name, relative, tag_column, scheme, options):
    check_round_trip(name, FIXTURES / relative, tag_column, scheme, **options)


@pytest.mark.parametrize("relative", ["conll2002/ned.testb", "conll2002/esp.testb"])
def test_conll2002_round_trip(relative):
    check_round_trip("jmt_conll2002", shared(relative), -1, "IOB2")


def test_the_old_bioes_spelling_loses_fixture_chunks():
    """On the CoNLL-2000 fixture, the old BIOES output merges adjacent chunks of a type for conlleval.pl."""
    path = FIXTURES / "conll2000/test.txt"
    bioul = sentences("jmt_conll2000", path, "BIOUL")
    count = conlleval(file_lines(path, 2)).found_correct
    iob2 = conlleval(gold_lines((words, to_conll_scheme(tags, "BIOUL")) for words, tags in bioul))
    old = conlleval(gold_lines((words, old_bioes_spelling(tags)) for words, tags in bioul))
    assert old.found_correct < iob2.found_correct == count


def test_conll2000_test_has_the_published_chunk_count():
    """conlleval.pl finds the published 23,852 phrases in 47,377 tokens of the CoNLL-2000 test, written as IOB2."""
    bioul = sentences("jmt_conll2000", shared("conll2000/test.txt"), "BIOUL")
    counts = conlleval(gold_lines((words, to_conll_scheme(tags, "BIOUL", "IOB2")) for words, tags in bioul))
    assert (counts.token_counter, counts.found_correct, counts.correct_chunk) == (47377, 23852, 23852)
    old = conlleval(gold_lines((words, old_bioes_spelling(tags)) for words, tags in bioul))
    assert old.found_correct == 22665  # what conll_output's BIOES made conlleval.pl count


# --- a trained model: conlleval.pl on the predictor's lines = the model's span metrics ------


@pytest.fixture(scope="module")
def trained_archive(tmp_path_factory) -> Path:
    """The tiny fixture tagger (``hier_gru_crf_tiny.jsonnet``), trained by ``allennlp train``."""
    out = tmp_path_factory.mktemp("hier_gru_crf_tiny")
    trained = allennlp("train", "fixtures/configs/hier_gru_crf_tiny.jsonnet", "-s", str(out / "run"),
                       "-o", '{"trainer": {"num_epochs": 8}}', "--include-package", "allennlp_jmt")
    assert trained.returncode == 0, trained.stderr[-3000:]
    return out / "run" / "model.tar.gz"


@pytest.mark.parametrize("scheme", ["IOB2", "IOB1"])
def test_conlleval_on_conll_output_equals_the_model_metrics(trained_archive, scheme):
    archive = load_archive(str(trained_archive))
    model, dataset_reader = archive.model, archive.validation_dataset_reader
    loader = MultiProcessDataLoader(dataset_reader, str(ROOT / "fixtures/data/conll2000/test.txt"), batch_size=8)
    loader.index_with(model.vocab)
    model.get_metrics(reset=True)
    metrics = evaluate(model, loader, cuda_device=-1)

    predictor = TaggerPredictor(model, dataset_reader, conll_output=True, conll_scheme=scheme)
    outputs = predictor.predict_batch_instance(list(loader.iter_instances()))
    written = "".join(predictor.dump_line(output) for output in outputs)
    counts = conlleval(written.splitlines())

    assert counts.found_guessed == sum(len(output["spans"]) for output in outputs)
    assert counts.correct_chunk > 0  # the model finds chunks: the scores below are not all 0
    assert counts.precision / 100 == pytest.approx(metrics["precision"], abs=1e-6)
    assert counts.recall / 100 == pytest.approx(metrics["recall"], abs=1e-6)
    assert counts.fb1 / 100 == pytest.approx(metrics["f1"], abs=1e-6)
    if scheme == "IOB1":
        assert " B-" in written  # adjacent chunks of a type: the case IOB1 writes with B-
