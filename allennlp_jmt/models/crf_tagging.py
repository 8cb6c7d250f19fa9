"""One task's CRF tagger on a shared backbone: the head of Yang et al. (2016)'s joint training."""
from typing import Any, Dict, List, Optional

import torch
from allennlp.data import Vocabulary
from allennlp.models.heads import Head

from allennlp_jmt.modules.crf_tagging import CrfTagging, accept_keys_of_old_archives


@Head.register("jmt_crf_tagger")
class CrfTaggerHead(Head):
    """
    One task's CRF tagger on a ``jmt_hier_gru`` backbone in AllenNLP's ``multitask`` model (Yang
    et al.'s joint training). Its `tagging`, a `CrfTagging` (tag projection, cost-augmented CRF,
    decoding, metrics and readable output), is the single-task ``jmt_hier_gru_crf``'s top, so
    both tag alike; archives made before the head held it (state-dict keys
    ``tag_projection.*`` and ``crf.*``) still load. It takes the backbone's
    ``encoded_tokens`` and ``encoded_tokens_mask``, and the batch's ``tags``, ``gazetteer`` and
    ``metadata`` fields. Its metrics are the single-task model's (``accuracy``, and span
    ``precision``, ``recall``, ``f1``), which the ``multitask`` model prefixes with the head's
    name (``nl_ner_f1``).

    Registered as a `Head` with name "jmt_crf_tagger".

    # Parameters

    vocab : `Vocabulary`
    input_dim : `int`
        The width of the backbone's word encodings (a bidirectional word GRU's: twice its size).
    label_namespace : `str`
        The task's tag namespace; give each task its own (``nl_ner_labels``), or tasks whose
        readers write to one namespace share one tag vocabulary.
    label_encoding : `str`, optional (default=`None`)
        The tags' span scheme, ``"BIOUL"``, ``"BIO"`` or ``"IOB1"`` (span F1 and constrained
        decoding); ``None`` for a task without spans (POS tagging).
    gazetteer_dim : `int`, optional (default=`0`)
        The number of gazetteer types of the batch's ``gazetteer`` field (appended to the
        encodings before the tag scores); 0 for none.
    cost_weight : `float`, optional (default=`5.0`)
        The CRF objective's Hamming-cost weight (Yang et al.'s code: 5.0; 0 = plain CRF).
    include_start_end_transitions : `bool`, optional (default=`True`)
        Learn START → tag and tag → END transition scores.
    constrain_crf_decoding : `bool`, optional (default=`True` when `label_encoding` is set)
        Decode only tag sequences that the span scheme allows.
    decode_training_batches : `bool`, optional (default=`False`)
        Decode training batches too, for training metrics (costs time).
    """

    def __init__(
        self,
        vocab: Vocabulary,
        input_dim: int,
        label_namespace: str,
        label_encoding: Optional[str] = None,
        gazetteer_dim: int = 0,
        cost_weight: float = 5.0,
        include_start_end_transitions: bool = True,
        constrain_crf_decoding: Optional[bool] = None,
        decode_training_batches: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        self.tagging = CrfTagging(
            vocab, input_dim, label_namespace, label_encoding=label_encoding, gazetteer_dim=gazetteer_dim,
            cost_weight=cost_weight, include_start_end_transitions=include_start_end_transitions,
            constrain_crf_decoding=constrain_crf_decoding, decode_training_batches=decode_training_batches,
        )
        accept_keys_of_old_archives(self, "tagging")

    @property
    def label_encoding(self) -> Optional[str]:
        """The tags' span scheme (``None`` for tags without spans): the ``jmt_joint_tagger`` predictor reads it."""
        return self.tagging.label_encoding

    def forward(  # type: ignore
        self,
        encoded_tokens: torch.Tensor,
        encoded_tokens_mask: torch.BoolTensor,
        tags: Optional[torch.LongTensor] = None,
        gazetteer: Optional[torch.Tensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, Any]:
        """
        Tags the backbone's word encodings (the argument names are the backbone's outputs and
        the batch's fields, by which the ``multitask`` model passes them). Returns what
        `CrfTagging` returns: ``logits``, ``mask``, ``loss`` with `tags`, ``predicted_tags``
        when decoding, ``words`` from `metadata`.
        """
        return self.tagging(encoded_tokens, encoded_tokens_mask, tags, gazetteer, metadata)

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """Adds ``tags`` and, for span tags, ``spans``; a head that did not run on the batch has nothing to add."""
        return self.tagging.make_output_human_readable(output_dict)

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        return self.tagging.get_metrics(reset)
