"""The top of Yang et al. (2016)'s tagger: tag scores, cost-augmented CRF, decoding, metrics and readable tags."""
from typing import Any, Dict, List, Optional

import torch
from allennlp.data import Vocabulary
from allennlp.modules import TimeDistributed
from allennlp.modules.conditional_random_field import allowed_transitions
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf
from allennlp_jmt.modules.crf_marginals import span_probabilities
from allennlp_jmt.modules.tag_spans import labels_of, overall_span_scores, sorted_spans, span_f1_measure


class CrfTagging(torch.nn.Module):
    """
    Tags words that something below has already encoded, as the top of Yang et al. (2016)'s
    hierarchical GRU-CRF does: a linear layer scores each word's tags (from its encoding, with
    optional gazetteer features appended), and a cost-augmented CRF (`CostAugmentedCrf`) gives
    the loss and decodes, within the transitions the span scheme allows if asked. The single-task
    ``jmt_hier_gru_crf`` model and the ``jmt_crf_tagger`` head (on a shared backbone) each hold
    one and hand it their encodings, so that both compute, decode, score and print tags alike.

    Metrics: ``accuracy``; with a `label_encoding`, also span ``precision``, ``recall`` and
    ``f1``, which agree with conlleval (an I- tag after O or after another type starts a chunk).

    For prediction, `top_k_outputs` gives the k best tag sequences that decoding allows, and
    `confidence_outputs` the probability of each predicted tag and span (what the ``top_k`` and
    ``confidence`` options of the ``jmt_tagger`` and ``jmt_joint_tagger`` predictors output).

    # Parameters

    vocab : `Vocabulary`
        The vocabulary of the tags (and of the readable output).
    input_dim : `int`
        The width of the word encodings.
    label_namespace : `str`
        The tags' vocabulary namespace.
    label_encoding : `str`, optional (default=`None`)
        The tags' span scheme, ``"BIOUL"``, ``"BIO"`` or ``"IOB1"`` (span F1, ``spans`` in the
        readable output, constrained decoding); ``None`` for tags without spans (POS).
    gazetteer_dim : `int`, optional (default=`0`)
        The number of gazetteer features per word, appended to its encoding before the tag
        scores; 0 for none.
    cost_weight : `float`, optional (default=`5.0`)
        The weight of the Hamming cost in the CRF objective (Yang et al.'s code: 5.0; 0 = plain CRF).
    include_start_end_transitions : `bool`, optional (default=`True`)
        Learn START → tag and tag → END transition scores.
    constrain_crf_decoding : `bool`, optional (default=`True` when `label_encoding` is set)
        Decode only the tag sequences that the span scheme allows.
    decode_training_batches : `bool`, optional (default=`False`)
        Decode training batches too, for training metrics (costs time); otherwise training
        batches give no ``predicted_tags`` and `get_metrics` reports nothing while training.
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
    ) -> None:
        super().__init__()
        if constrain_crf_decoding is None:
            constrain_crf_decoding = label_encoding is not None
        if constrain_crf_decoding and label_encoding is None:
            raise ValueError("constrain_crf_decoding needs a label_encoding")
        self.vocab = vocab
        self.label_namespace = label_namespace
        self.label_encoding = label_encoding
        self.gazetteer_dim = gazetteer_dim
        self.decode_training_batches = decode_training_batches
        self.span_f1 = span_f1_measure(vocab, label_namespace, label_encoding) if label_encoding else None
        self.accuracy = CategoricalAccuracy()
        self.num_tags = vocab.get_vocab_size(label_namespace)
        self.tag_projection = TimeDistributed(torch.nn.Linear(input_dim + gazetteer_dim, self.num_tags))
        labels = vocab.get_index_to_token_vocabulary(label_namespace)
        constraints = allowed_transitions(label_encoding, labels) if constrain_crf_decoding else None
        self.crf = CostAugmentedCrf(self.num_tags, constraints, include_start_end_transitions, cost_weight)

    def forward(
        self,
        encoded_tokens: torch.Tensor,
        mask: torch.BoolTensor,
        tags: Optional[torch.LongTensor] = None,
        gazetteer: Optional[torch.Tensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, Any]:
        """
        Tags encoded words, ``(batch, length, input_dim)`` with their `mask`. Returns ``logits``
        and ``mask``; ``loss`` (the negated summed cost-augmented log-likelihood) when `tags` are
        given; ``predicted_tags`` ``(batch, length)`` when decoding (and then, with `tags`,
        updates the metrics); ``words`` from `metadata`. A `gazetteer` ``(batch, length,
        gazetteer_dim)`` is needed when `gazetteer_dim` is not 0.
        """
        logits = self.tag_projection(self._with_gazetteer(encoded_tokens, gazetteer))
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

    def _with_gazetteer(self, encoded_tokens: torch.Tensor, gazetteer: Optional[torch.Tensor]) -> torch.Tensor:
        """The encodings with the gazetteer features appended (as they are without a `gazetteer_dim`)."""
        if not self.gazetteer_dim:
            return encoded_tokens
        if gazetteer is None or gazetteer.size(-1) != self.gazetteer_dim:
            found = "no 'gazetteer' field" if gazetteer is None else f"{gazetteer.size(-1)} gazetteer types"
            raise ValueError(f"the model expects {self.gazetteer_dim} gazetteer types, the batch has {found}; "
                             "give the reader the same gazetteer file as in training")
        return torch.cat([encoded_tokens, gazetteer.to(encoded_tokens.dtype)], dim=-1)

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """
        Adds ``tags`` (label strings, one per word) and, for span tags, ``spans`` (``[label,
        start, end]``, end inclusive). Outputs without decoded tags (a head that did not run on
        the batch, or a training batch) are returned as they are.
        """
        if "predicted_tags" not in output_dict:
            return output_dict
        lengths = output_dict["mask"].sum(dim=1).tolist()
        output_dict["tags"] = labels_of(output_dict["predicted_tags"], lengths, self.vocab, self.label_namespace)
        if self.label_encoding is not None:
            output_dict["spans"] = [sorted_spans(tags, self.label_encoding) for tags in output_dict["tags"]]
        return output_dict

    def top_k_outputs(
        self, logits: torch.Tensor, mask: torch.BoolTensor, top_k: int
    ) -> List[List[Dict[str, Any]]]:
        """
        The `top_k` best tag sequences of each sentence that decoding allows, best first (fewer
        where fewer are allowed), each as ``{"tags", "spans" (span tags only), "score",
        "probability"}``: its unnormalised path score and its probability among the allowed
        sequences (`CostAugmentedCrf.valid_top_k`). `logits` and `mask` are `forward`'s outputs.
        """
        readable = []
        for sentence in self.crf.valid_top_k(logits, mask, top_k):
            sequences = []
            for path, score, probability in sentence:
                tags = [self.vocab.get_token_from_index(tag, self.label_namespace) for tag in path]
                sequence: Dict[str, Any] = {"tags": tags}
                if self.label_encoding is not None:
                    sequence["spans"] = sorted_spans(tags, self.label_encoding)
                sequences.append({**sequence, "score": score, "probability": probability})
            readable.append(sequences)
        return readable

    def confidence_outputs(
        self, logits: torch.Tensor, mask: torch.BoolTensor, predicted_tags: torch.LongTensor
    ) -> List[Dict[str, List[float]]]:
        """
        The confidence of each sentence's `predicted_tags` ``(batch, length)``, from a
        forward-backward over the tag sequences that decoding allows, without the training cost
        (`CostAugmentedCrf.marginals`): ``tag_probabilities``, each word's marginal probability
        of its predicted tag; for span tags, ``span_probabilities``, for each predicted span (in
        the order of ``spans``) the probability that the tags contain exactly that span.
        """
        marginals = self.crf.marginals(logits, mask)
        lengths = mask.sum(dim=1).tolist()
        chosen = marginals.tag_probabilities.gather(2, predicted_tags.unsqueeze(2)).squeeze(2)
        outputs = [{"tag_probabilities": row[:length]} for row, length in zip(chosen.tolist(), lengths)]
        if self.label_encoding is not None:
            tags = labels_of(predicted_tags, lengths, self.vocab, self.label_namespace)
            spans = [sorted_spans(sentence_tags, self.label_encoding) for sentence_tags in tags]
            tag_index = self.vocab.get_token_to_index_vocabulary(self.label_namespace)
            probabilities = span_probabilities(marginals, spans, self.label_encoding, tag_index)
            for output, sentence_probabilities in zip(outputs, probabilities):
                output["span_probabilities"] = sentence_probabilities
        return outputs

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        """``accuracy``, span ``precision``, ``recall``, ``f1``; nothing while training batches go undecoded."""
        if self.training and not self.decode_training_batches:
            return {}  # training batches were not decoded: there is nothing to report
        metrics = {"accuracy": self.accuracy.get_metric(reset)}
        if self.span_f1 is not None:
            metrics.update(overall_span_scores(self.span_f1, reset))
        return metrics


def accept_keys_of_old_archives(owner: torch.nn.Module, attribute: str) -> None:
    """
    Lets `owner`, which holds a `CrfTagging` as `attribute`, load the state dicts that the
    plugin wrote before it did (archives made while the tagger and the head inherited the tag
    projection and the CRF): their keys ``tag_projection.*`` and ``crf.*`` at the top of `owner`
    are read as ``{attribute}.tag_projection.*`` and ``{attribute}.crf.*``.

    Why a rename on loading rather than the old keys kept: keeping them would mean registering
    the projection and the CRF on `owner` too, so that the state dict would list every one of
    their tensors twice (under both names) or the `CrfTagging` would not own them (nor follow
    `train()` and `eval()`). Renaming keeps one name per tensor, new archives in the layout of
    the modules, and old archives loading through this one mapping.
    """
    old_prefixes = ("tag_projection.", "crf.")

    def rename_old_keys(module: torch.nn.Module, state_dict: Dict[str, torch.Tensor], prefix: str, *_) -> None:
        for key in [key for key in state_dict if key.startswith(tuple(prefix + old for old in old_prefixes))]:
            state_dict[f"{prefix}{attribute}.{key[len(prefix):]}"] = state_dict.pop(key)

    owner.register_load_state_dict_pre_hook(rename_old_keys)
