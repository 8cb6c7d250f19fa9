from allennlp_jmt.modules.token_embedders.character_ngram_embedder import CharacterNgramEmbedder  # noqa: F401
from allennlp_jmt.modules.token_embedders.distinct_word_character_encoder import (  # noqa: F401
    DistinctWordCharacterEncoder,
)
