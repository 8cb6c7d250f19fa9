"""Part-of-speech tags from Penn Treebank ``.mrg`` trees."""
import io
import os
import re
from typing import Iterator, Optional, Set

from allennlp.data import DatasetReader
from nltk.corpus.reader.util import read_sexpr_block
from nltk.tree import Tree

from allennlp_jmt.data.data_format_error import DataFormatError
from allennlp_jmt.data.dataset_readers.column_file import read_text, resolve_paths
from allennlp_jmt.data.dataset_readers.sequence_tagging import SequenceTaggingReader, TaggedSentence

TRACE_TAG = "-NONE-"
WSJ_FILE = re.compile(r"wsj_(\d\d)\d\d\.mrg$")


def parse_sections(spec: str) -> Set[int]:
    """The WSJ sections named by `spec`, e.g. ``"00-18"``, ``"22"`` or ``"00-01,24"``."""
    sections: Set[int] = set()
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?", part)
        if not match:
            raise ValueError(f"bad section range {part!r} in {spec!r}; expected e.g. '00-18' or '22'")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first > last:
            raise ValueError(f"section range {part!r} runs backwards")
        sections.update(range(first, last + 1))
    return sections


@DatasetReader.register("jmt_ptb_pos")
class PtbPosReader(SequenceTaggingReader):
    """
    Reads gold part-of-speech tags from Penn Treebank bracketed trees (``.mrg``); ``-NONE-``
    traces are removed. Trees are split and parsed by NLTK (`read_sexpr_block`,
    `Tree.fromstring`), but not through its `BracketParseCorpusReader`: that one refuses
    paths outside NLTK's data folders (NLTK >= 3.9's path sandbox) and "recovers" a
    malformed tree as a flat parse, where this reader stops with the file and line. The path may be one ``.mrg``
    file, a folder (searched recursively: NLTK's flat ``treebank/`` sample and PTB-3's
    ``combined/NN/wsj_NNNN.mrg`` tree both work) or a glob. Instances: ``tokens``, ``tags``
    and ``metadata``.

    Registered as a `DatasetReader` with name "jmt_ptb_pos".

    # Parameters

    sections : `str`, optional (default=`None`)
        Keep only the WSJ sections named, by the file names ``wsj_SSNN.mrg``: e.g. ``"00-18"``
        (train), ``"19-21"`` (dev), ``"22-24"`` (test). ``None`` reads every ``.mrg`` file. A
        path may name its own sections after a ``#`` (``combined#22-24``), so that one reader
        serves the train, validation and test paths of a config.
    label_namespace : `str`, optional (default=`"pos_labels"`)
        The vocabulary namespace of the tags.
    **kwargs
        The options of `CorpusReader`: ``token_indexers``, ``replace_digits``,
        ``labelling_rate``, ``labelling_seed``, ``encoding``.
    """

    def __init__(self, sections: Optional[str] = None, label_namespace: str = "pos_labels", **kwargs) -> None:
        super().__init__(label_namespace=label_namespace, **kwargs)
        self.sections = parse_sections(sections) if sections else None

    def read_examples(self, file_path: str) -> Iterator[TaggedSentence]:
        root, _, spec = file_path.partition("#")
        sections = parse_sections(spec) if spec else self.sections
        paths = [path for path in resolve_paths(root, "*.mrg") if _in_sections(path, sections)]
        if not paths:
            raise FileNotFoundError(f"{file_path}: no .mrg file of sections {sorted(sections or [])}")
        for path in paths:
            yield from self._read_file(path)

    def _read_file(self, path: str) -> Iterator[TaggedSentence]:
        text = read_text(path, self.encoding)
        stream = io.StringIO(text)
        offset, count = 0, 0
        while True:
            blocks = read_sexpr_block(stream)
            if not blocks:
                break
            for block in blocks:
                offset = text.find(block, offset)
                line = text.count("\n", 0, offset) + 1
                try:
                    tree = Tree.fromstring(block, remove_empty_top_bracketing=True)
                except ValueError as error:
                    raise DataFormatError(path, line, f"malformed tree ({error})", "a bracketed tree") from None
                pairs = [(word, tag) for word, tag in tree.pos() if tag != TRACE_TAG]
                if pairs:  # a tree of traces only has no word to tag
                    count += 1
                    words, tags = [list(column) for column in zip(*pairs)]
                    yield TaggedSentence(words, tags, f"{path}:{line}")
        if count == 0:
            raise DataFormatError(path, None, "file holds no tree", "bracketed trees")


def _in_sections(path: str, sections: Optional[Set[int]]) -> bool:
    if sections is None:
        return True
    match = WSJ_FILE.search(os.path.basename(path))
    return bool(match) and int(match.group(1)) in sections
