"""Tagging readers for CoNLL column files: words in the first column, tags in another."""
from typing import Iterator, Optional, Tuple

from allennlp_jmt.data.dataset_readers.column_file import ColumnLayout, read_blocks, resolve_paths
from allennlp_jmt.data.dataset_readers.sequence_tagging import SequenceTaggingReader, TaggedSentence
from allennlp_jmt.data.dataset_readers.tag_schemes import canonical_scheme, check_tags


class ColumnTaggingReader(SequenceTaggingReader):
    """
    A `SequenceTaggingReader` for whitespace-separated column files with a blank line between
    sentences and optional ``-DOCSTART-`` lines (which are dropped). Every tag is checked
    against `tag_scheme`; a file whose lines do not all have the same allowed number of
    columns is rejected at the first line that differs. A subclass states its format in
    `column_counts` and `tag_column`.

    # Parameters

    tag_scheme : `str`, optional
        The scheme of the tags in the file (``"IOB1"``, ``"BIO"``/``"IOB2"``, ``"BIOUL"``),
        or ``None`` for tags that are not spans.
    **kwargs
        The options of `SequenceTaggingReader` and `CorpusReader`.
    """

    column_counts: Tuple[int, ...] = ()
    """The numbers of columns the format allows."""
    tag_column: int = -1
    """The column holding the tags (negative counts from the end)."""

    def __init__(self, tag_scheme: Optional[str] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tag_scheme = canonical_scheme(tag_scheme) if tag_scheme else None

    @property
    def tag_scheme(self) -> Optional[str]:
        return self._tag_scheme

    def read_examples(self, file_path: str) -> Iterator[TaggedSentence]:
        layout = ColumnLayout(self.column_counts)
        for path in resolve_paths(file_path):
            for block in read_blocks(path, self.encoding):
                rows = layout.split(block)
                tags = [row[self.tag_column] for row in rows]
                if self._tag_scheme is not None:
                    check_tags(tags, self._tag_scheme, block, self.tag_column % len(rows[0]))
                yield TaggedSentence([row[0] for row in rows], tags, f"{path}:{block.start_line}")
