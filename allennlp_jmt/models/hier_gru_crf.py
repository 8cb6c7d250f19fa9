"""Yang, Salakhutdinov & Cohen (2016)'s hierarchical GRU-CRF sequence tagger."""
from typing import Any, Dict, List, Optional

import torch
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.models import Model
from allennlp.modules import Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import InitializerApplicator, util

from allennlp_jmt.modules.crf_tagging import CrfTagging, accept_keys_of_old_archives
from allennlp_jmt.modules.word_dropout import WordDropout


@Model.register("jmt_hier_gru_crf")
class HierGruCrf(Model):
    """
    The hierarchical GRU-CRF of Yang et al. (2016): each word is represented by its word
    embedding and a character-level BiGRU ([last forward state; first backward state], from
    AllenNLP's ``character_encoding`` embedder with a ``gru`` encoder, or the plugin's faster
    equivalent ``jmt_character_encoding``, configured in ``training_configs/lib/``), a
    word-level BiGRU runs over the sentence, and a linear layer scores the tags for a
    cost-augmented CRF. Optional gazetteer features are appended to the CRF input. Every
    ablation of the paper is a config change: leave out the characters or the word embedding
    in `text_field_embedder`, set `cost_weight` to 0, leave out gazetteers.

    Everything above the word-level encoder (tag scores, CRF, decoding, metrics, readable
    output) is its `tagging`, a `CrfTagging`, as in the ``jmt_crf_tagger`` head that Yang et
    al.'s joint training puts on a ``jmt_hier_gru`` backbone. Archives made before it was
    (state-dict keys ``tag_projection.*`` and ``crf.*``) still load.

    Metrics: ``accuracy``; with a `label_encoding`, also span ``precision``, ``recall`` and
    ``f1``, which agree with conlleval (an I- tag after O or after another type starts a chunk).
    Training batches are decoded (for training metrics) only if `decode_training_batches`.

    Registered as a `Model` with name "jmt_hier_gru_crf".

    # Parameters

    vocab : `Vocabulary`
    text_field_embedder : `TextFieldEmbedder`
        The word representation (word embedding and/or character GRU).
    encoder : `Seq2SeqEncoder`
        The word-level encoder (paper: a ``gru``, 300 units, 2 layers, bidirectional).
    label_namespace : `str`, optional (default=`"labels"`)
        The tags' vocabulary namespace.
    label_encoding : `str`, optional (default=`None`)
        ``"BIOUL"``, ``"BIO"`` or ``"IOB1"`` for span tasks (chunking, NER): enables span F1
        and constrained decoding. ``None`` for POS tagging.
    cost_weight : `float`, optional (default=`5.0`)
        The Hamming-cost weight of the CRF objective (paper code: 5.0; 0 = plain CRF).
    include_start_end_transitions : `bool`, optional (default=`True`)
        Learn the CRF's START → tag and tag → END transition scores.
    constrain_crf_decoding : `bool`, optional (default=`True` when `label_encoding` is set)
        Forbid transitions the span scheme does not allow.
    gazetteer_dim : `int`, optional (default=`0`)
        The width of the ``gazetteer`` feature field, appended to the CRF input; 0 for none.
    dropout : `float`, optional (default=`0.0`)
        Dropout on the word representation and the encoder output (the paper uses none).
    word_dropout : `float`, optional (default=`0.0`)
        While training, each word id of the ``tokens`` indexer is replaced by the unknown word's
        with this probability, so that the unknown word's embedding is learnt (useful with a
        vocabulary built from train only); the characters are left as they are.
    decode_training_batches : `bool`, optional (default=`False`)
        Decode training batches too, to report training accuracy and F1 (costs time).
    initializer : `InitializerApplicator`, optional
    """

    def __init__(
        self,
        vocab: Vocabulary,
        text_field_embedder: TextFieldEmbedder,
        encoder: Seq2SeqEncoder,
        label_namespace: str = "labels",
        label_encoding: Optional[str] = None,
        cost_weight: float = 5.0,
        include_start_end_transitions: bool = True,
        constrain_crf_decoding: Optional[bool] = None,
        gazetteer_dim: int = 0,
        dropout: float = 0.0,
        word_dropout: float = 0.0,
        decode_training_batches: bool = False,
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        self.text_field_embedder = text_field_embedder
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(dropout) if dropout > 0 else None
        self.word_dropout = WordDropout(word_dropout, vocab) if word_dropout > 0 else None
        self.tagging = CrfTagging(
            vocab, encoder.get_output_dim(), label_namespace, label_encoding=label_encoding,
            gazetteer_dim=gazetteer_dim, cost_weight=cost_weight,
            include_start_end_transitions=include_start_end_transitions,
            constrain_crf_decoding=constrain_crf_decoding, decode_training_batches=decode_training_batches,
        )
        accept_keys_of_old_archives(self, "tagging")
        initializer(self)

    @property
    def label_encoding(self) -> Optional[str]:
        """The tags' span scheme (``None`` for tags without spans), as the ``jmt_tagger`` predictor reads it."""
        return self.tagging.label_encoding

    def forward(  # type: ignore
        self,
        tokens: TextFieldTensors,
        tags: Optional[torch.LongTensor] = None,
        gazetteer: Optional[torch.Tensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, Any]:
        """
        Returns ``logits`` and ``mask``; ``loss`` (the negated summed cost-augmented
        log-likelihood) when `tags` are given; ``predicted_tags`` (batch, length) when decoding;
        ``words`` from `metadata`.
        """
        mask = util.get_text_field_mask(tokens)
        if self.word_dropout is not None:
            tokens = self.word_dropout(tokens)
        encoded = self._maybe_dropout(self.encoder(self._maybe_dropout(self.text_field_embedder(tokens)), mask))
        return self.tagging(encoded, mask, tags, gazetteer, metadata)

    def _maybe_dropout(self, tensor: torch.Tensor) -> torch.Tensor:
        return self.dropout(tensor) if self.dropout is not None else tensor

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """
        Adds ``tags`` (a label per word) and, for span tags, ``spans`` (``[label, start, end]``,
        end inclusive).
        """
        return self.tagging.make_output_human_readable(output_dict)

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        return self.tagging.get_metrics(reset)

    default_predictor = "jmt_tagger"
