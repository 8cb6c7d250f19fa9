"""
The column-file core that every corpus reader of the project shares.

CoNLL-2000/2002/2003, CoNLL-X, CoNLL-U and Malt-TAB files all have one token a line and
a blank line between sentences. This module finds the files, decodes them (UTF-8, Latin-1
or either), splits them into sentence blocks that remember their line numbers, and checks
column counts, so that each reader only says what its columns mean. It is written by hand
because no maintained library reads all of these formats with line-accurate errors
(`conllu` parses CoNLL-U blocks and is used for them; see `dependencies.py`).
"""
import codecs
import glob
import logging
import os
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

from allennlp_jmt.data.data_format_error import DataFormatError

logger = logging.getLogger(__name__)

ENCODINGS = ("utf-8", "latin-1", "auto")
DOCSTART = "-DOCSTART-"


def resolve_paths(file_path: str, pattern: str = "*") -> List[str]:
    """
    The files that `file_path` names: the file itself, every file under a directory whose
    name matches `pattern` (recursively, sorted), or the matches of a glob pattern.
    Raises `FileNotFoundError` naming the path when nothing matches.
    """
    file_path = os.path.expanduser(str(file_path))
    if os.path.isfile(file_path):
        return [file_path]
    if os.path.isdir(file_path):
        found = glob.glob(os.path.join(file_path, "**", pattern), recursive=True)
        paths = sorted(p for p in found if os.path.isfile(p))
        if not paths:
            raise FileNotFoundError(f"{file_path}: directory holds no file matching {pattern!r}")
        return paths
    matches = sorted(p for p in glob.glob(file_path) if os.path.isfile(p))
    if not matches:
        raise FileNotFoundError(f"{file_path}: no such file, directory or glob match")
    return matches


def read_text(path: str, encoding: str = "utf-8") -> str:
    """
    The decoded text of `path`. `encoding` is ``"utf-8"``, ``"latin-1"`` or ``"auto"``
    (UTF-8 when the whole file is valid UTF-8, else Latin-1, as the original CoNLL-2002
    distribution is). A byte that cannot be decoded raises a `DataFormatError` with its line.

    A leading UTF-8 byte-order mark (as Windows editors write) is dropped, so that it does not
    stick to the first word. It means UTF-8: with ``"auto"`` such a file is never read as
    Latin-1 (a byte that is not UTF-8 after the mark is an error); with ``"latin-1"`` the mark
    is dropped with a warning that the file looks like UTF-8.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    with open(path, "rb") as handle:
        raw = handle.read()
    has_bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if has_bom else raw
    if encoding == "latin-1":
        if has_bom:
            logger.warning("%s starts with a UTF-8 byte-order mark but is read as Latin-1, as configured: the "
                           "mark is dropped; set the reader's encoding to 'utf-8' or 'auto' if the file is UTF-8",
                           path)
        return body.decode("latin-1")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if encoding == "auto" and not has_bom:
            logger.info("%s is not valid UTF-8; reading it as Latin-1", path)
            return body.decode("latin-1")
        offset = error.start + len(raw) - len(body)  # in the file, byte-order mark included
        line = raw.count(b"\n", 0, offset) + 1
        raise DataFormatError(
            path,
            line,
            f"byte {raw[offset]:#04x} at offset {offset} is not valid UTF-8",
            "UTF-8 text, as the file's byte-order mark says" if has_bom
            else "UTF-8 text; set the reader's encoding to 'latin-1' or 'auto' for Latin-1 files",
        ) from None


@dataclass
class Block:
    """A run of non-blank lines of one file: one sentence, with its line numbers."""

    path: str
    line_numbers: List[int]
    lines: List[str]

    @property
    def start_line(self) -> int:
        return self.line_numbers[0]

    def error(self, index: int, problem: str, expected: Optional[str] = None) -> DataFormatError:
        """A `DataFormatError` located at the `index`-th line of this block."""
        return DataFormatError(self.path, self.line_numbers[index], problem, expected)


def read_blocks(path: str, encoding: str = "utf-8", docstart: bool = True) -> Iterator[Block]:
    """
    The sentence blocks of `path`: runs of non-blank lines. With `docstart`, a line whose
    first field is ``-DOCSTART-`` ends the current block and is dropped (CoNLL-2002 Dutch
    puts it directly above a sentence, CoNLL-2003 between blank lines). Raises a
    `DataFormatError` for a file that holds no sentence.
    """
    text = read_text(path, encoding)
    numbers: List[int] = []
    lines: List[str] = []
    found_any = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r\n")
        is_docstart = docstart and line.split(maxsplit=1)[:1] == [DOCSTART]
        if not line.strip() or is_docstart:
            if lines:
                found_any = True
                yield Block(path, numbers, lines)
                numbers, lines = [], []
            continue
        numbers.append(number)
        lines.append(line)
    if lines:
        found_any = True
        yield Block(path, numbers, lines)
    if not found_any:
        raise DataFormatError(path, None, "file holds no sentence", "at least one non-blank line")


class ColumnLayout:
    """
    Splits the lines of blocks into columns and checks that every line of a file has the
    same number of columns, one of `allowed` (the first token line of the file decides).

    # Parameters

    allowed : `Sequence[int]`
        The column counts the format allows, e.g. ``(2, 3)`` for CoNLL-2002 Spanish with or
        without its POS column.
    separator : `str`, optional
        ``None`` splits on any run of whitespace; ``"\\t"`` on tabs only (CoNLL-U forms may
        contain spaces).
    """

    def __init__(self, allowed: Sequence[int], separator: Optional[str] = None) -> None:
        self.allowed = tuple(allowed)
        self.separator = separator
        self._width: Optional[Tuple[str, int, int]] = None  # (path, line, count) that fixed it

    def split(self, block: Block) -> List[List[str]]:
        """The columns of each line of `block`, checked."""
        rows = []
        for index, line in enumerate(block.lines):
            columns = line.split(self.separator) if self.separator else line.split()
            rows.append(self._check(block, index, columns))
        return rows

    def _check(self, block: Block, index: int, columns: List[str]) -> List[str]:
        count = len(columns)
        if self._width is None or self._width[0] != block.path:
            if count not in self.allowed:
                raise block.error(
                    index, f"line has {count} column(s)", self._describe_allowed()
                )
            self._width = (block.path, block.line_numbers[index], count)
        elif count != self._width[2]:
            raise block.error(
                index,
                f"ragged line: {count} column(s)",
                f"{self._width[2]} columns, as on line {self._width[1]}",
            )
        if any(not column for column in columns):
            raise block.error(index, "empty column (two separators in a row)", "one value per column")
        return columns

    def _describe_allowed(self) -> str:
        return " or ".join(str(count) for count in self.allowed) + " columns"
