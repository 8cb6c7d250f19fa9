from allennlp_jmt.modules.token_embedders.character_ngram_embedder import CharacterNgramEmbedder  # noqa: F401
