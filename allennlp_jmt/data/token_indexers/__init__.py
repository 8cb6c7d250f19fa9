from allennlp_jmt.data.token_indexers.character_ngram_indexer import CharacterNgramIndexer  # noqa: F401
from allennlp_jmt.data.token_indexers.truncated_characters_indexer import TruncatedCharactersIndexer  # noqa: F401
