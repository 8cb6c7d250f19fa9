from allennlp_jmt.data.token_indexers.truncated_characters_indexer import TruncatedCharactersIndexer  # noqa: F401
