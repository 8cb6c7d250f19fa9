from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer  # noqa: F401
from allennlp_jmt.data.tokenizers.truncated_character_tokenizer import TruncatedCharacterTokenizer  # noqa: F401
