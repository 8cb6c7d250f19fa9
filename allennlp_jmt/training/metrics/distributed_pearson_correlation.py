"""Pearson's correlation from sums that add up over calls and over the workers of distributed training."""
import math
from typing import Optional

import torch
from allennlp.nn.util import dist_reduce_sum
from allennlp.training.metrics import Metric


class DistributedPearsonCorrelation(Metric):
    """
    The sample Pearson correlation of predictions and gold values (each element an observation,
    masked ones left out) over all calls since the last reset, as AllenNLP's
    `PearsonCorrelation` computes it (0 when either variance is about 0), which raises in
    distributed training. AllenNLP's keeps streaming means and co-moments, which do not add up
    over workers; this one keeps the count and the sums of x, y, x², y² and xy (in float64), which
    do: each call's sums are summed over the workers, as AllenNLP's other metrics sum their
    counts, so a call is a collective step that every worker makes.

    Sums of squares lose precision when the values' mean is large against their spread; for
    scores such as SICK's 1 to 5 the error is far below what is reported.
    """

    def __init__(self) -> None:
        self._sums = torch.zeros(6, dtype=torch.float64)  # n, Σx, Σy, Σx², Σy², Σxy

    def __call__(self, predictions: torch.Tensor, gold_labels: torch.Tensor,
                 mask: Optional[torch.BoolTensor] = None) -> None:
        predictions, gold_labels, mask = self.detach_tensors(predictions, gold_labels, mask)
        x, y = predictions.double().reshape(-1), gold_labels.double().reshape(-1)
        if mask is not None:
            keep = mask.reshape(-1).bool()
            x, y = x[keep], y[keep]
        sums = torch.stack([torch.tensor(float(x.numel()), dtype=torch.float64, device=x.device),
                            x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum()])
        self._sums += dist_reduce_sum(sums).cpu()

    def get_metric(self, reset: bool = False) -> float:
        count, sum_x, sum_y, sum_xx, sum_yy, sum_xy = self._sums.tolist()
        if reset:
            self.reset()
        if count < 2:
            return 0.0
        covariance = (sum_xy - sum_x * sum_y / count) / (count - 1)
        variance_x = max(sum_xx - sum_x * sum_x / count, 0.0) / (count - 1)
        variance_y = max(sum_yy - sum_y * sum_y / count, 0.0) / (count - 1)
        denominator = math.sqrt(variance_x) * math.sqrt(variance_y)
        return 0.0 if round(denominator, 5) == 0 else covariance / denominator

    def reset(self) -> None:
        self._sums = torch.zeros(6, dtype=torch.float64)
