"""CoNLL-2002 named entities (Spanish and Dutch)."""
from allennlp.data import DatasetReader

from allennlp_jmt.data.dataset_readers.column_tagging import ColumnTaggingReader


@DatasetReader.register("jmt_conll2002")
class Conll2002Reader(ColumnTaggingReader):
    """
    Reads CoNLL-2002 NER files: ``word tag`` or ``word POS tag`` a line (Spanish comes with
    and without its POS column, Dutch with it), IOB2 tags, a blank line between sentences;
    Dutch ``-DOCSTART-`` lines are dropped. The original distribution is Latin-1, many copies
    are UTF-8: the default encoding ``"auto"`` reads both. Instances: ``tokens``, ``tags``
    (the entity tags) and ``metadata``.

    Registered as a `DatasetReader` with name "jmt_conll2002".

    # Parameters

    label_namespace : `str`, optional (default=`"ner_labels"`)
        The vocabulary namespace of the entity tags.
    tag_scheme : `str`, optional (default=`"BIO"`)
        The scheme of the tags in the file.
    encoding : `str`, optional (default=`"auto"`)
        ``"auto"``, ``"utf-8"`` or ``"latin-1"``.
    coding_scheme : `str`, optional (default=`None`)
        ``"BIOUL"`` converts the tags to BIOUL; ``None`` keeps them.
    **kwargs
        The other options of `CorpusReader`: ``token_indexers``, ``replace_digits``,
        ``labelling_rate``, ``labelling_seed``.
    """

    column_counts = (2, 3)
    tag_column = -1

    def __init__(
        self,
        label_namespace: str = "ner_labels",
        tag_scheme: str = "BIO",
        encoding: str = "auto",
        **kwargs,
    ) -> None:
        super().__init__(
            tag_scheme=tag_scheme, label_namespace=label_namespace, encoding=encoding, **kwargs
        )
