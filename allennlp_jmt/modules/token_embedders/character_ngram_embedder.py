"""The character n-gram word embedding of Hashimoto et al. (2017): the mean of a word's n-gram embeddings."""
from typing import Optional

import torch
from allennlp.modules.token_embedders import Embedding, TokenEmbedder


@TokenEmbedder.register("jmt_character_ngram_embedding")
class CharacterNgramEmbedder(TokenEmbedder):
    """
    Embeds each word as the mean of the embeddings of its character n-grams, the ids that the
    ``jmt_character_ngrams`` indexer gives (id 0, padding, is left out of the mean; a word
    without n-grams, such as a padding token, embeds to zeros). Give it the same key as the
    indexer in the `BasicTextFieldEmbedder`.

    Registered as a `TokenEmbedder` with name "jmt_character_ngram_embedding".

    # Parameters

    embedding : `Embedding`
        The n-gram embeddings: give it ``vocab_namespace: "character_ngrams"`` (the indexer's
        namespace), and a ``pretrained_file`` to initialise it; ``trainable`` fine-tunes it.
    dropout : `float`, optional (default=`0.0`)
        Dropout on the averaged word vectors.
    """

    def __init__(self, embedding: Embedding, dropout: float = 0.0) -> None:
        super().__init__()
        self._embedding = embedding
        self._dropout: Optional[torch.nn.Dropout] = torch.nn.Dropout(dropout) if dropout > 0 else None

    def get_output_dim(self) -> int:
        return self._embedding.get_output_dim()

    def forward(self, token_ngrams: torch.LongTensor) -> torch.Tensor:
        """`token_ngrams`: (batch, tokens, ngrams) ids, 0-padded; returns (batch, tokens, dim)."""
        if token_ngrams.size(-1) == 0:  # no word has an n-gram: nothing to look up
            return self._embedding.weight.new_zeros(*token_ngrams.shape[:-1], self.get_output_dim())
        embedded = self._embedding(token_ngrams)  # (batch, tokens, ngrams, dim)
        mask = (token_ngrams != 0).unsqueeze(-1).to(embedded.dtype)
        counts = mask.sum(dim=-2).clamp(min=1.0)
        averaged = (embedded * mask).sum(dim=-2) / counts
        if self._dropout is not None:
            averaged = self._dropout(averaged)
        return averaged
