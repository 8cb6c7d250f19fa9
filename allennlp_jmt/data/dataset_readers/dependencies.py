"""Dependency trees from CoNLL-U, CoNLL-X and Malt-TAB files."""
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

from allennlp.data import DatasetReader, Instance
from allennlp.data.fields import MetadataField, SequenceLabelField
from conllu.exceptions import ParseException
from conllu.parser import DEFAULT_FIELD_PARSERS, DEFAULT_FIELDS, parse_line

from allennlp_jmt.data.dataset_readers.column_file import Block, ColumnLayout, read_blocks, resolve_paths
from allennlp_jmt.data.dataset_readers.corpus_reader import CorpusReader

# CoNLL-X (ID FORM LEMMA CPOSTAG POSTAG FEATS HEAD DEPREL PHEAD PDEPREL) has CoNLL-U's ten
# columns in the same places, so `conllu` parses both with its default field names.
CONLL_FIELDS = tuple(DEFAULT_FIELDS)
MALT_TAB_FIELDS = ("form", "xpos", "head", "deprel")  # NLTK's dependency_treebank: word POS head [label]
FORMATS = ("auto", "conll", "malt_tab")


@dataclass
class DependencySentence:
    """One tree: words, POS tags, 1-based heads (0 = root), labels (``None`` if unlabelled), source."""

    words: List[str]
    pos_tags: List[str]
    heads: List[int]
    labels: Optional[List[str]]
    source: str


@DatasetReader.register("jmt_dependencies")
class DependenciesReader(CorpusReader):
    """
    Reads dependency trees. CoNLL-U and CoNLL-X (ten tab-separated columns; lines parsed by
    `conllu`) and Malt-TAB (``word POS head [label]``, as NLTK's ``dependency_treebank``)
    are recognised by their column count. As in UD practice, multi-word token lines
    (``1-2``) and empty nodes (``1.1``) are skipped: the tree is over the syntactic words.
    Every head is checked to lie inside its sentence, and ids to run 1, 2, ..., n.

    Instances: ``tokens``; ``pos_tags``; ``head_indices`` (0 for the root); ``head_tags``
    (the relation labels, when the file has them); ``metadata`` (``words``, ``pos``,
    ``source``: ``path:line``).

    Registered as a `DatasetReader` with name "jmt_dependencies".

    # Parameters

    pos : `str`, optional (default=`"xpos"`)
        Which POS column of CoNLL-U/X to use: ``"xpos"`` (CoNLL-X POSTAG; PTB tags in EWT) or
        ``"upos"`` (CoNLL-X CPOSTAG). Malt-TAB has one POS column, used either way.
    file_format : `str`, optional (default=`"auto"`)
        ``"conll"`` (CoNLL-U or CoNLL-X), ``"malt_tab"``, or ``"auto"`` (by column count).
    pos_label_namespace : `str`, optional (default=`"dependency_pos_labels"`)
    label_namespace : `str`, optional (default=`"dependency_labels"`)
        The vocabulary namespaces of the POS tags and the relation labels.
    **kwargs
        The options of `CorpusReader`: ``token_indexers``, ``replace_digits``,
        ``labelling_rate``, ``labelling_seed``, ``encoding``.
    """

    def __init__(
        self,
        pos: str = "xpos",
        file_format: str = "auto",
        pos_label_namespace: str = "dependency_pos_labels",
        label_namespace: str = "dependency_labels",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if pos not in ("upos", "xpos"):
            raise ValueError(f"pos must be 'upos' or 'xpos', not {pos!r}")
        if file_format not in FORMATS:
            raise ValueError(f"file_format must be one of {FORMATS}, not {file_format!r}")
        self.pos = pos
        self.file_format = file_format
        self.pos_label_namespace = pos_label_namespace
        self.label_namespace = label_namespace

    def read_examples(self, file_path: str) -> Iterator[DependencySentence]:
        for path in resolve_paths(file_path):
            fields = None
            layout = ColumnLayout((10, 3, 4), separator="\t")
            for block in read_blocks(path, self.encoding, docstart=False):
                if fields is None:
                    fields = self._fields(block)
                if fields is CONLL_FIELDS:  # "#" starts a comment in CoNLL-U; in Malt-TAB it is a word
                    kept = [i for i, line in enumerate(block.lines) if not line.startswith("#")]
                    block = Block(path, [block.line_numbers[i] for i in kept], [block.lines[i] for i in kept])
                    if not block.lines:
                        continue  # comments only
                layout.split(block)  # checks the column counts
                yield self._sentence(block, fields)

    def _fields(self, block: Block) -> Tuple[str, ...]:
        """The field names of the file's format, from its first line with tabs (comments have none)."""
        index = next((i for i, line in enumerate(block.lines) if "\t" in line), 0)
        columns = len(block.lines[index].split("\t"))
        detected = "conll" if columns == 10 else "malt_tab" if columns in (3, 4) else None
        if detected is None or self.file_format not in ("auto", detected):
            expected = {"auto": "10 (CoNLL-U/X) or 3-4 (Malt-TAB)", "conll": "10", "malt_tab": "3 or 4"}
            raise block.error(index, f"line has {columns} tab-separated column(s)",
                              f"{expected[self.file_format]} columns")
        return CONLL_FIELDS if detected == "conll" else MALT_TAB_FIELDS[:columns]

    def _sentence(self, block: Block, fields) -> DependencySentence:
        parsed = []
        for index, line in enumerate(block.lines):
            try:
                token = parse_line(line, fields, dict(DEFAULT_FIELD_PARSERS))
            except ParseException as error:
                raise block.error(index, str(error), "a CoNLL-U/CoNLL-X/Malt-TAB token line") from None
            if isinstance(token.get("id", 0), int):  # multi-word tokens and empty nodes are tuples
                parsed.append((index, token))
        n = len(parsed)
        for position, (index, token) in enumerate(parsed, start=1):
            if "id" in token and token["id"] != position:
                raise block.error(index, f"token id {token['id']}", f"id {position}: ids 1..n in order")
            head = token["head"]
            if head is None or not 0 <= head <= n:
                raise block.error(index, f"head {head}", f"a head index between 0 and {n}, the sentence length")
        pos_field = self.pos if "upos" in fields else "xpos"
        labelled = "deprel" in fields
        return DependencySentence(
            words=[token["form"] for _, token in parsed],
            pos_tags=[token[pos_field] or "_" for _, token in parsed],
            heads=[token["head"] for _, token in parsed],
            labels=[token["deprel"] or "_" for _, token in parsed] if labelled else None,
            source=f"{block.path}:{block.start_line}",
        )

    def example_to_instance(self, example: DependencySentence) -> Instance:
        return self.text_to_instance(
            example.words, example.pos_tags, example.heads, example.labels, source=example.source
        )

    def text_to_instance(  # type: ignore
        self,
        words: List[str],
        pos_tags: Optional[List[str]] = None,
        heads: Optional[List[int]] = None,
        labels: Optional[List[str]] = None,
        **metadata: Any,
    ) -> Instance:
        """An instance of `words`, with whichever of POS tags, heads and labels are given."""
        tokens = self.text_field(words)
        fields: Dict[str, Any] = {"tokens": tokens}
        if pos_tags is not None:
            fields["pos_tags"] = SequenceLabelField(pos_tags, tokens, self.pos_label_namespace)
        if heads is not None:
            fields["head_indices"] = SequenceLabelField(heads, tokens, "head_index_tags")
        if labels is not None:
            fields["head_tags"] = SequenceLabelField(labels, tokens, self.label_namespace)
        fields["metadata"] = MetadataField({"words": list(words), "pos": pos_tags, **metadata})
        return Instance(fields)
