"""
Tag ids to label strings, span tags to ``[label, start, end]`` spans, and the span F1 metric:
what every tagger of the plugin (the CRF taggers, JMT's chunking) reads its tags with.
"""
from typing import Dict, List, Union

import torch
from allennlp.data import Vocabulary
from allennlp.training.metrics import SpanBasedF1Measure

from allennlp_jmt.data.dataset_readers.tag_schemes import SPAN_DECODERS
from allennlp_jmt.training.metrics import DistributedSpanBasedF1Measure

# A span of a sentence's tags: its label, its first and its last word (inclusive).
SpanList = List[Union[str, int]]


def span_f1_measure(vocab: Vocabulary, namespace: str, encoding: str) -> SpanBasedF1Measure:
    """
    AllenNLP's span precision, recall and F1 of the tags of `namespace` in the span scheme
    `encoding` (``"BIOUL"``, ``"BIO"`` or ``"IOB1"``); they agree with conlleval (an I- tag
    after O or after another type starts a chunk). Summed over the workers in distributed
    training (`DistributedSpanBasedF1Measure`).
    """
    _check_encoding(encoding)
    return DistributedSpanBasedF1Measure(vocab, namespace, label_encoding=encoding)


def overall_span_scores(metric: SpanBasedF1Measure, reset: bool = False) -> Dict[str, float]:
    """The overall ``precision``, ``recall`` and ``f1`` of a `span_f1_measure`, under those names."""
    scores = metric.get_metric(reset)
    return {"precision": scores["precision-overall"], "recall": scores["recall-overall"],
            "f1": scores["f1-measure-overall"]}


def sorted_spans(tags: List[str], encoding: str) -> List[SpanList]:
    """A sentence's spans in the scheme `encoding`, by start: ``[label, start, end]``, end inclusive."""
    _check_encoding(encoding)
    return sorted(([label, start, end] for label, (start, end) in SPAN_DECODERS[encoding](tags)),
                  key=lambda span: span[1])


def labels_of(indices: torch.Tensor, lengths: List[int], vocab: Vocabulary, namespace: str) -> List[List[str]]:
    """
    The label strings of a batch of label ids, ``(batch, length)``, in `namespace`: each row
    cut to its sentence's length (from `lengths`), so padding gives no label.
    """
    return [[vocab.get_token_from_index(index, namespace) for index in row[:length]]
            for row, length in zip(indices.tolist(), lengths)]


def _check_encoding(encoding: str) -> None:
    if encoding not in SPAN_DECODERS:
        raise ValueError(f"unknown label_encoding {encoding!r}: use one of {sorted(SPAN_DECODERS)}")
