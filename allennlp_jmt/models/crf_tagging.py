"""The top of Yang et al. (2016)'s tagger, single-task or a joint-training head: tag scores, CRF, metrics."""
from typing import Any, Dict, List, Optional

import torch
from allennlp.data import Vocabulary
from allennlp.models import Model
from allennlp.models.heads import Head
from allennlp.modules import TimeDistributed
from allennlp.modules.conditional_random_field import allowed_transitions
from allennlp.training.metrics import CategoricalAccuracy, SpanBasedF1Measure

from allennlp_jmt.data.dataset_readers.tag_schemes import SPAN_DECODERS
from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf


class CrfTaggingModel(Model):
    """
    The top of Yang et al. (2016)'s hierarchical GRU-CRF, on words that something below has
    already encoded: a linear layer scores the tags of each word (from its encoding, with
    optional gazetteer features appended), and a cost-augmented CRF (`CostAugmentedCrf`) gives
    the loss and decodes. The single-task ``jmt_hier_gru_crf`` (which encodes the words itself)
    and the ``jmt_crf_tagger`` head (on a shared backbone) are both this model, so they compute,
    decode, score and print tags with the same code: a subclass calls `build_output` in its
    constructor and `tag` in its `forward`.

    It has no constructor of its own (and is not registered): AllenNLP then reads a subclass's
    config parameters from the subclass and `Model` only.

    Metrics: ``accuracy``; with a `label_encoding`, also span ``precision``, ``recall`` and
    ``f1``, which agree with conlleval (an I- tag after O or after another type starts a chunk).
    Training batches are decoded (for training metrics) only if `decode_training_batches`.
    """

    def build_output(
        self, input_dim: int, *, label_namespace: str, label_encoding: Optional[str], gazetteer_dim: int,
        cost_weight: float, include_start_end_transitions: bool, constrain_crf_decoding: Optional[bool],
        decode_training_batches: bool,
    ) -> None:
        """
        Creates the tag projection (from `input_dim` encoder features and `gazetteer_dim`
        gazetteer features), the CRF and the metrics. The parameters are documented in the
        subclasses, ``jmt_hier_gru_crf`` and ``jmt_crf_tagger``.
        """
        if label_encoding is not None and label_encoding not in SPAN_DECODERS:
            raise ValueError(f"label_encoding must be one of {sorted(SPAN_DECODERS)} or None, not {label_encoding!r}")
        self.label_namespace = label_namespace
        self.label_encoding = label_encoding
        self.gazetteer_dim = gazetteer_dim
        self.decode_training_batches = decode_training_batches
        self.num_tags = self.vocab.get_vocab_size(label_namespace)
        self.tag_projection = TimeDistributed(torch.nn.Linear(input_dim + gazetteer_dim, self.num_tags))
        labels = self.vocab.get_index_to_token_vocabulary(label_namespace)
        if constrain_crf_decoding is None:
            constrain_crf_decoding = label_encoding is not None
        if constrain_crf_decoding and label_encoding is None:
            raise ValueError("constrain_crf_decoding needs a label_encoding")
        constraints = allowed_transitions(label_encoding, labels) if constrain_crf_decoding else None
        self.crf = CostAugmentedCrf(self.num_tags, constraints, include_start_end_transitions, cost_weight)
        self.accuracy = CategoricalAccuracy()
        self.span_f1 = (
            SpanBasedF1Measure(self.vocab, label_namespace, label_encoding=label_encoding)
            if label_encoding else None
        )

    def tag(
        self,
        encoded_tokens: torch.Tensor,
        encoded_tokens_mask: torch.BoolTensor,
        tags: Optional[torch.LongTensor] = None,
        gazetteer: Optional[torch.Tensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, Any]:
        """
        Tags encoded words (``(batch, length, input_dim)``, with their mask). Returns ``logits``
        and ``mask``; ``loss`` (the negated summed cost-augmented log-likelihood) when `tags`
        are given; ``predicted_tags`` (batch, length) when decoding; ``words`` from `metadata`.
        """
        encoded, mask = encoded_tokens, encoded_tokens_mask
        if self.gazetteer_dim:
            if gazetteer is None or gazetteer.size(-1) != self.gazetteer_dim:
                found = "no 'gazetteer' field" if gazetteer is None else f"{gazetteer.size(-1)} gazetteer types"
                raise ValueError(f"the model expects {self.gazetteer_dim} gazetteer types, the batch has {found}; "
                                 "give the reader the same gazetteer file as in training")
            encoded = torch.cat([encoded, gazetteer.to(encoded.dtype)], dim=-1)
        logits = self.tag_projection(encoded)
        output: Dict[str, Any] = {"logits": logits, "mask": mask}
        if tags is not None:
            output["loss"] = -self.crf(logits, tags, mask)
        if not self.training or self.decode_training_batches:
            paths, _ = self.crf.viterbi_decode(logits, mask)
            predicted = paths[:, 0] * mask
            output["predicted_tags"] = predicted
            if tags is not None:
                one_hot = torch.nn.functional.one_hot(predicted, self.num_tags).to(logits.dtype)
                self.accuracy(one_hot, tags, mask)
                if self.span_f1 is not None:
                    self.span_f1(one_hot, tags, mask)
        if metadata is not None:
            output["words"] = [entry["words"] for entry in metadata]
        return output

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """
        Adds ``tags`` (label strings, one per word) and, for span tasks, ``spans`` (``[label,
        start, end]``, end inclusive). Outputs without decoded tags (a head that did not run on
        the batch, or a training batch) are returned as they are.
        """
        if "predicted_tags" not in output_dict:
            return output_dict
        lengths = output_dict["mask"].sum(dim=1).tolist()
        rows = output_dict["predicted_tags"].tolist()
        output_dict["tags"] = [
            [self.vocab.get_token_from_index(index, self.label_namespace) for index in row[:length]]
            for row, length in zip(rows, lengths)
        ]
        if self.label_encoding is not None:
            decode = SPAN_DECODERS[self.label_encoding]
            output_dict["spans"] = [
                sorted(([label, start, end] for label, (start, end) in decode(tags)), key=lambda span: span[1])
                for tags in output_dict["tags"]
            ]
        return output_dict

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        if self.training and not self.decode_training_batches:
            return {}  # training batches were not decoded: there is nothing to report
        metrics = {"accuracy": self.accuracy.get_metric(reset)}
        if self.span_f1 is not None:
            spans = self.span_f1.get_metric(reset)
            metrics.update({name: spans[f"{name}-measure-overall" if name == "f1" else f"{name}-overall"]
                            for name in ("precision", "recall", "f1")})
        return metrics

    default_predictor = "jmt_tagger"


@Head.register("jmt_crf_tagger")
class CrfTaggerHead(CrfTaggingModel, Head):
    """
    One task's CRF tagger on a ``jmt_hier_gru`` backbone in AllenNLP's ``multitask`` model (Yang
    et al.'s joint training): the tag projection, cost-augmented CRF, decoding, metrics and
    readable output of `CrfTaggingModel`, which the single-task ``jmt_hier_gru_crf`` shares.
    It takes the backbone's ``encoded_tokens`` and ``encoded_tokens_mask``, and the batch's
    ``tags``, ``gazetteer`` and ``metadata`` fields. Its metrics are the single-task model's
    (``accuracy``, and span ``precision``, ``recall``, ``f1``), which the ``multitask`` model
    prefixes with the head's name (``nl_ner_f1``).

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
        self.build_output(
            input_dim, label_namespace=label_namespace, label_encoding=label_encoding, gazetteer_dim=gazetteer_dim,
            cost_weight=cost_weight, include_start_end_transitions=include_start_end_transitions,
            constrain_crf_decoding=constrain_crf_decoding, decode_training_batches=decode_training_batches,
        )

    # A `jmt_hier_gru` backbone's outputs are `tag`'s arguments (`MultiTaskModel` reads their names).
    forward = CrfTaggingModel.tag
