"""AllenNLP's span F1 with its counts summed over the workers of distributed training."""
from typing import Dict, List, Optional

import torch
from allennlp.common.util import is_distributed
from allennlp.data import Vocabulary
from allennlp.nn.util import dist_reduce_sum
from allennlp.training.metrics import SpanBasedF1Measure


class DistributedSpanBasedF1Measure(SpanBasedF1Measure):
    """
    AllenNLP's `SpanBasedF1Measure` (same arguments; the same results in one process) that also
    works in distributed training, where AllenNLP's raises "Distributed aggregation for
    SpanBasedF1Measure is currently not supported". Each call's per-label true positive, false
    positive and false negative counts are summed over the workers, as AllenNLP's other metrics
    (`CategoricalAccuracy`, ...) sum theirs, so that every worker holds the counts of all the
    workers' batches; like theirs, a call is then a collective step that every worker makes.

    The labels summed are the span types of the tag namespace (``NP`` of ``B-NP``): the same on
    every worker, which all share the vocabulary.
    """

    def __init__(self, vocabulary: Vocabulary, tag_namespace: str = "tags", **kwargs) -> None:
        super().__init__(vocabulary, tag_namespace, **kwargs)
        tags = vocabulary.get_token_to_index_vocabulary(tag_namespace)
        self._span_labels = sorted({tag.split("-", 1)[1] for tag in tags if "-" in tag})

    def __call__(self, predictions: torch.Tensor, gold_labels: torch.Tensor,
                 mask: Optional[torch.BoolTensor] = None, prediction_map: Optional[torch.Tensor] = None) -> None:
        if not is_distributed():
            super().__call__(predictions, gold_labels, mask, prediction_map)
            return
        totals = self._counters()
        self.reset()
        try:
            super().__call__(predictions, gold_labels, mask, prediction_map)  # this worker's batch alone
            batch = self._counters()
        finally:
            self._true_positives, self._false_positives, self._false_negatives = totals
        unknown = sorted(set().union(*batch) - set(self._span_labels))
        if unknown:
            raise ValueError(f"span labels {unknown} are not span types of the tag vocabulary {self._span_labels}")
        counts = torch.tensor([[label_counts[label] for label in self._span_labels] for label_counts in batch])
        summed = dist_reduce_sum(counts)
        for total, row in zip(totals, summed.tolist()):
            for label, count in zip(self._span_labels, row):
                if count:  # as in one process, a label has a key once something was counted for it
                    total[label] += count

    def _counters(self) -> List[Dict[str, int]]:
        """The per-label true positive, false positive and false negative counts."""
        return [self._true_positives, self._false_positives, self._false_negatives]

    def get_metric(self, reset: bool = False) -> Dict[str, float]:
        """AllenNLP's per-label and overall precision, recall and F1 (its own refuses in distributed training)."""
        metrics: Dict[str, float] = {}
        for tag in set().union(*self._counters()):
            scores = self._compute_metrics(*(counts[tag] for counts in self._counters()))
            metrics.update(zip((f"precision-{tag}", f"recall-{tag}", f"f1-measure-{tag}"), scores))
        scores = self._compute_metrics(*(sum(counts.values()) for counts in self._counters()))
        metrics.update(zip(("precision-overall", "recall-overall", "f1-measure-overall"), scores))
        if reset:
            self.reset()
        return metrics
