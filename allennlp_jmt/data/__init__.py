from allennlp_jmt.data import dataset_readers, schedulers, token_indexers, tokenizers  # noqa: F401
from allennlp_jmt.data.data_format_error import DataFormatError  # noqa: F401
