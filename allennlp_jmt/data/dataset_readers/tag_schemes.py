"""
Span-tag schemes: checking tag sequences against their declared scheme, converting them to
BIOUL for training, and back to a corpus's own scheme for the official scorer.

Conversion to BIOUL is AllenNLP's `to_bioul`; this module adds the check that every tag has
the form its scheme allows, so that a wrong declaration or a stray tag fails loudly with its
line instead of turning into a silently wrong label. Conversion for conlleval
(`to_conll_scheme`) goes through AllenNLP's span decoders, so that the chunks conlleval reads
are the spans the model's own span metrics count.
"""
import re
from typing import Callable, Dict, List, Optional, Tuple

from allennlp.data.dataset_readers.dataset_utils import to_bioul
from allennlp.data.dataset_readers.dataset_utils.span_utils import (
    bio_tags_to_spans,
    bioul_tags_to_spans,
    iob1_tags_to_spans,
)

from allennlp_jmt.data.dataset_readers.column_file import Block

# AllenNLP's names; "IOB2" is the CoNLL name of "BIO".
SCHEME_PREFIXES = {"IOB1": "BI", "BIO": "BI", "BIOUL": "BIOUL"}
SCHEME_ALIASES = {"IOB2": "BIO", "BIOES": "BIOUL"}

Span = Tuple[str, Tuple[int, int]]
SPAN_DECODERS: Dict[str, Callable[[List[str]], List[Span]]] = {
    "BIOUL": bioul_tags_to_spans, "BIO": bio_tags_to_spans, "IOB1": iob1_tags_to_spans,
}
# The schemes the official conlleval.pl reads as the CoNLL corpora write them (it does not know
# BIOES's S- and does not end a chunk at E- followed by B-), with the names they are given as.
CONLL_SCHEMES = {"IOB2": "IOB2", "BIO": "IOB2", "IOB1": "IOB1"}


def canonical_scheme(name: str) -> str:
    """AllenNLP's name of a tag scheme ("IOB2" → "BIO", "BIOES" → "BIOUL")."""
    upper = name.upper()
    scheme = SCHEME_ALIASES.get(upper, upper)
    if scheme not in SCHEME_PREFIXES:
        raise ValueError(f"unknown tag scheme {name!r}; use one of IOB1, IOB2/BIO, BIOES/BIOUL")
    return scheme


def _tag_pattern(scheme: str) -> "re.Pattern[str]":
    return re.compile(rf"^(O|[{SCHEME_PREFIXES[scheme]}]-\S+)$")


def check_tags(tags: List[str], scheme: str, block: Block, column: int) -> None:
    """
    Raises a `DataFormatError` at the first tag of `tags` (one per line of `block`) that does
    not have a form `scheme` allows. An I- tag that opens a span (after O or another type) is
    accepted: conlleval starts a new chunk there, and so does `to_bioul`.
    """
    pattern = _tag_pattern(scheme)
    for index, tag in enumerate(tags):
        if not pattern.match(tag):
            prefixes = "/".join(SCHEME_PREFIXES[scheme])
            raise block.error(
                index, f"tag {tag!r} in column {column + 1} is not valid {scheme}",
                f"O or {prefixes}-TYPE",
            )


def convert_tags(tags: List[str], scheme: str, coding_scheme: Optional[str]) -> List[str]:
    """`tags` in `coding_scheme` (``None`` keeps `scheme`; only BIOUL is a target)."""
    if coding_scheme is None or coding_scheme == scheme:
        return tags
    if coding_scheme != "BIOUL":
        raise ValueError(f"can only convert to BIOUL, not to {coding_scheme!r}")
    if scheme == "BIO":
        tags = open_spans_with_b(tags)  # `to_bioul` raises on an I- tag that opens a span
    return to_bioul(tags, encoding=scheme)


def open_spans_with_b(tags: List[str]) -> List[str]:
    """BIO `tags` with every I- tag that opens a span (after O or another type) made B-, as conlleval reads it."""
    repaired = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        repaired.append(tag)
        previous = tag
    return repaired


def canonical_conll_scheme(name: str) -> str:
    """
    The conlleval output scheme `name` stands for: ``"IOB2"`` (alias ``"BIO"``) or ``"IOB1"``;
    any other name is a `ValueError` that lists these.
    """
    scheme = CONLL_SCHEMES.get(str(name).upper())
    if scheme is None:
        raise ValueError(
            f"unknown conll_scheme {name!r}; use IOB2 (alias BIO: B- at every chunk start, as in the "
            f"CoNLL-2000 and CoNLL-2002 files) or IOB1 (I- everywhere, B- only for a chunk right after "
            f"one of the same type, as in the original CoNLL-2003 files)"
        )
    return scheme


def to_conll_scheme(tags: List[str], encoding: Optional[str], scheme: str = "IOB2") -> List[str]:
    """
    `tags` (spans in `encoding`: ``"BIOUL"``/``"BIOES"``, ``"BIO"``/``"IOB2"`` or ``"IOB1"``)
    written in the conlleval output `scheme` (see `canonical_conll_scheme`), through the spans
    AllenNLP's decoder for `encoding` finds: the chunks conlleval.pl reads in the result are
    exactly those spans. ``encoding=None`` means tags that are not spans (POS): they are
    returned unchanged.
    """
    scheme = canonical_conll_scheme(scheme)
    if encoding is None:
        return list(tags)
    spans = sorted(SPAN_DECODERS[canonical_scheme(encoding)](tags), key=lambda span: span[1])
    conll_tags = ["O"] * len(tags)
    label_ending_at: Dict[int, str] = {}
    for label, (start, end) in spans:
        opens_with_b = scheme == "IOB2" or label_ending_at.get(start - 1) == label
        conll_tags[start] = ("B-" if opens_with_b else "I-") + label
        conll_tags[start + 1:end + 1] = ["I-" + label] * (end - start)
        label_ending_at[end] = label
    return conll_tags
