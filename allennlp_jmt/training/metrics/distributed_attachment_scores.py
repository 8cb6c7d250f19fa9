"""AllenNLP's attachment scores with counts that can be summed over workers whose batches differ in shape."""
from typing import Optional

import torch
from allennlp.nn.util import dist_reduce_sum
from allennlp.training.metrics import AttachmentScores


class DistributedAttachmentScores(AttachmentScores):
    """
    AllenNLP's `AttachmentScores` (UAS, LAS, UEM, LEM; same arguments and results) that is right
    in distributed training too. AllenNLP's sums each batch's per-word tensors over the workers
    before counting, which fails (gloo: a size mismatch) as soon as two workers' batches differ in
    size or length, i.e. nearly always; this one counts each worker's batch first and sums the six
    counts. A call is a collective step that every worker makes, as with AllenNLP's metrics.
    """

    def __call__(  # type: ignore[override]
        self,
        predicted_indices: torch.Tensor,
        predicted_labels: torch.Tensor,
        gold_indices: torch.Tensor,
        gold_labels: torch.Tensor,
        mask: Optional[torch.BoolTensor] = None,
    ) -> None:
        predicted_indices, predicted_labels, gold_indices, gold_labels, mask = self.detach_tensors(
            predicted_indices, predicted_labels, gold_indices, gold_labels, mask)
        if mask is None:
            mask = torch.ones_like(predicted_indices).bool()
        for label in self._ignore_classes:
            mask = mask & ~gold_labels.eq(label)
        correct_heads = predicted_indices.long().eq(gold_indices.long()) & mask
        correct_labelled = correct_heads & predicted_labels.long().eq(gold_labels.long())
        counts = dist_reduce_sum(torch.stack([
            correct_heads.sum(),
            correct_labelled.sum(),
            (correct_heads | ~mask).all(dim=-1).sum(),  # sentences whose every (unmasked) head is right
            (correct_labelled | ~mask).all(dim=-1).sum(),
            mask.sum(),
            torch.tensor(mask.size(0), device=mask.device),
        ]).double()).tolist()
        (unlabeled, labeled, exact_unlabeled, exact_labeled, words, sentences) = counts
        self._unlabeled_correct += unlabeled
        self._labeled_correct += labeled
        self._exact_unlabeled_correct += exact_unlabeled
        self._exact_labeled_correct += exact_labeled
        self._total_words += words
        self._total_sentences += sentences
