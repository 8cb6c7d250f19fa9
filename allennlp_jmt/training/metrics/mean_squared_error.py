"""Mean squared error, the SICK relatedness metric (AllenNLP has only the mean absolute error)."""
from typing import Dict, Optional

import torch
from allennlp.nn.util import dist_reduce_sum
from allennlp.training.metrics import Metric


@Metric.register("jmt_mean_squared_error")
class MeanSquaredError(Metric):
    """
    The mean of (prediction − gold)² over all (unmasked) items seen since the last reset. In
    distributed training each call's sum and count are summed over the workers (as AllenNLP's
    `MeanAbsoluteError` does), so that every worker reports the mean over all workers' items; a
    call is then a collective step that every worker makes.

    Registered as a `Metric` with name "jmt_mean_squared_error".
    """

    def __init__(self) -> None:
        self._squared_error = 0.0
        self._count = 0

    def __call__(self, predictions: torch.Tensor, gold_labels: torch.Tensor, mask: Optional[torch.BoolTensor] = None):
        predictions, gold_labels, mask = self.detach_tensors(predictions, gold_labels, mask)
        squared = (predictions - gold_labels) ** 2
        if mask is not None:
            squared = squared[mask]
        squared_error, count = dist_reduce_sum(
            torch.stack([squared.double().sum(), torch.tensor(squared.numel(), dtype=torch.float64,
                                                              device=squared.device)])).tolist()
        self._squared_error += squared_error
        self._count += int(count)

    def get_metric(self, reset: bool = False) -> Dict[str, float]:
        value = self._squared_error / self._count if self._count else 0.0
        if reset:
            self.reset()
        return {"mse": value}

    def reset(self) -> None:
        self._squared_error = 0.0
        self._count = 0
