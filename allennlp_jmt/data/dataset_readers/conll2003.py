"""CoNLL-2003 English named entities (the original ``eng.train``/``eng.testa``/``eng.testb`` files)."""
from typing import Optional

from allennlp.data import DatasetReader

from allennlp_jmt.data.dataset_readers.column_tagging import ColumnTaggingReader

COLUMNS = {"pos": 1, "chunk": 2, "ner": 3}


@DatasetReader.register("jmt_conll2003")
class Conll2003Reader(ColumnTaggingReader):
    """
    Reads CoNLL-2003 files: ``word POS chunk NER`` a line, IOB1 chunk and entity tags,
    ``-DOCSTART-`` lines between documents (dropped). Instances: ``tokens``, ``tags`` (the
    column chosen by `tag_label`) and ``metadata``.

    Registered as a `DatasetReader` with name "jmt_conll2003".

    # Parameters

    tag_label : `str`, optional (default=`"ner"`)
        Which column becomes ``tags``: ``"ner"``, ``"chunk"`` or ``"pos"``.
    label_namespace : `str`, optional (default=`"{tag_label}_labels"`)
        The vocabulary namespace of the tags.
    tag_scheme : `str`, optional (default=`"IOB1"`; ignored for ``"pos"``)
        The scheme of the span tags in the file (``"BIO"`` for files already converted).
    coding_scheme : `str`, optional (default=`None`)
        ``"BIOUL"`` converts span tags to BIOUL; ``None`` keeps them.
    **kwargs
        The options of `CorpusReader`: ``token_indexers``, ``replace_digits``,
        ``labelling_rate``, ``labelling_seed``, ``encoding``.
    """

    column_counts = (4,)

    def __init__(
        self,
        tag_label: str = "ner",
        label_namespace: Optional[str] = None,
        tag_scheme: str = "IOB1",
        **kwargs,
    ) -> None:
        if tag_label not in COLUMNS:
            raise ValueError(f"tag_label must be one of {sorted(COLUMNS)}, not {tag_label!r}")
        super().__init__(
            tag_scheme=None if tag_label == "pos" else tag_scheme,
            label_namespace=label_namespace or f"{tag_label}_labels",
            **kwargs,
        )
        self.tag_label = tag_label
        self.tag_column = COLUMNS[tag_label]
