"""Yang, Salakhutdinov & Cohen (2016)'s hierarchical GRU-CRF sequence tagger."""
from typing import Any, Dict, List, Optional

import torch
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.data.dataset_readers.dataset_utils.span_utils import bio_tags_to_spans, bioul_tags_to_spans, iob1_tags_to_spans
from allennlp.models import Model
from allennlp.modules import Seq2SeqEncoder, TextFieldEmbedder, TimeDistributed
from allennlp.modules.conditional_random_field import allowed_transitions
from allennlp.nn import InitializerApplicator, util
from allennlp.training.metrics import CategoricalAccuracy, SpanBasedF1Measure

from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf

SPAN_DECODERS = {"BIOUL": bioul_tags_to_spans, "BIO": bio_tags_to_spans, "IOB1": iob1_tags_to_spans}


@Model.register("jmt_hier_gru_crf")
class HierGruCrf(Model):
    """
    The hierarchical GRU-CRF of Yang et al. (2016): each word is represented by its word
    embedding and a character-level BiGRU ([last forward state; first backward state], from
    AllenNLP's ``character_encoding`` embedder with a ``gru`` encoder, or the plugin's faster
    equivalent ``jmt_character_encoding``, configured in ``training_configs/lib/``), a
    word-level BiGRU runs over the sentence, and a linear layer
    scores the tags for a cost-augmented CRF. Optional gazetteer features are appended to the
    CRF input. Every ablation of the paper is a config change: leave out the characters or
    the word embedding in `text_field_embedder`, set `cost_weight` to 0, leave out gazetteers.

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
    constrain_crf_decoding : `bool`, optional (default=`True` when `label_encoding` is set)
        Forbid transitions the span scheme does not allow.
    gazetteer_dim : `int`, optional (default=`0`)
        The width of the ``gazetteer`` feature field, appended to the CRF input; 0 for none.
    dropout : `float`, optional (default=`0.0`)
        Dropout on the word representation and the encoder output (the paper uses none).
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
        decode_training_batches: bool = False,
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        if label_encoding is not None and label_encoding not in SPAN_DECODERS:
            raise ValueError(f"label_encoding must be one of {sorted(SPAN_DECODERS)} or None, not {label_encoding!r}")
        self.text_field_embedder = text_field_embedder
        self.encoder = encoder
        self.label_namespace = label_namespace
        self.label_encoding = label_encoding
        self.gazetteer_dim = gazetteer_dim
        self.decode_training_batches = decode_training_batches
        self.dropout = torch.nn.Dropout(dropout) if dropout > 0 else None
        self.num_tags = vocab.get_vocab_size(label_namespace)
        self.tag_projection = TimeDistributed(
            torch.nn.Linear(encoder.get_output_dim() + gazetteer_dim, self.num_tags)
        )
        labels = vocab.get_index_to_token_vocabulary(label_namespace)
        if constrain_crf_decoding is None:
            constrain_crf_decoding = label_encoding is not None
        if constrain_crf_decoding and label_encoding is None:
            raise ValueError("constrain_crf_decoding needs a label_encoding")
        constraints = allowed_transitions(label_encoding, labels) if constrain_crf_decoding else None
        self.crf = CostAugmentedCrf(self.num_tags, constraints, include_start_end_transitions, cost_weight)
        self.accuracy = CategoricalAccuracy()
        self.span_f1 = (
            SpanBasedF1Measure(vocab, label_namespace, label_encoding=label_encoding)
            if label_encoding else None
        )
        initializer(self)

    def forward(  # type: ignore
        self,
        tokens: TextFieldTensors,
        tags: Optional[torch.LongTensor] = None,
        gazetteer: Optional[torch.Tensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, Any]:
        """
        Returns ``logits`` and ``mask``; ``loss`` (the negated summed cost-augmented
        log-likelihood) when `tags` are given; ``predicted_tags`` (batch, length) when decoding.
        """
        mask = util.get_text_field_mask(tokens)
        encoded = self._maybe_dropout(self.encoder(self._maybe_dropout(self.text_field_embedder(tokens)), mask))
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

    def _maybe_dropout(self, tensor: torch.Tensor) -> torch.Tensor:
        return self.dropout(tensor) if self.dropout is not None else tensor

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """Adds ``tags`` (label strings, one per word) and, for span tasks, ``spans`` (``[label, start, end]``, end inclusive)."""
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
