"""
Checking span-tag sequences against their declared scheme and converting them to BIOUL.

Conversion is AllenNLP's `to_bioul`; this module adds the check that every tag has the
form its scheme allows, so that a wrong declaration or a stray tag fails loudly with its
line instead of turning into a silently wrong label.
"""
import re
from typing import List, Optional

from allennlp.data.dataset_readers.dataset_utils import to_bioul

from allennlp_jmt.data.dataset_readers.column_file import Block

# AllenNLP's names; "IOB2" is the CoNLL name of "BIO".
SCHEME_PREFIXES = {"IOB1": "BI", "BIO": "BI", "BIOUL": "BIOUL"}
SCHEME_ALIASES = {"IOB2": "BIO", "BIOES": "BIOUL"}


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
