"""CoNLL-2000 chunking."""
from allennlp.data import DatasetReader

from allennlp_jmt.data.dataset_readers.column_tagging import ColumnTaggingReader


@DatasetReader.register("jmt_conll2000")
class Conll2000Reader(ColumnTaggingReader):
    """
    Reads CoNLL-2000 chunking files: ``word POS chunk`` a line, IOB2 chunk tags, a blank line
    between sentences. Instances: ``tokens``, ``tags`` (the chunk tags) and ``metadata``.

    Registered as a `DatasetReader` with name "jmt_conll2000".

    # Parameters

    label_namespace : `str`, optional (default=`"chunk_labels"`)
        The vocabulary namespace of the chunk tags.
    tag_scheme : `str`, optional (default=`"BIO"`)
        The scheme of the chunk tags in the file.
    coding_scheme : `str`, optional (default=`None`)
        ``"BIOUL"`` converts the tags to BIOUL (Yang et al.'s BIOES); ``None`` keeps them.
    **kwargs
        The options of `CorpusReader`: ``token_indexers``, ``replace_digits``,
        ``labelling_rate``, ``labelling_seed``, ``encoding``.
    """

    column_counts = (3,)
    tag_column = 2

    def __init__(self, label_namespace: str = "chunk_labels", tag_scheme: str = "BIO", **kwargs) -> None:
        super().__init__(tag_scheme=tag_scheme, label_namespace=label_namespace, **kwargs)
