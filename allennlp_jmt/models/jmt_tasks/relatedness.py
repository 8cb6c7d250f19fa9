"""JMT's semantic relatedness task: a distribution over the scores 1…5 and its expected score."""
from typing import Any, Dict

import torch

from allennlp_jmt.models.jmt_tasks.base import Gold, PairStates
from allennlp_jmt.models.jmt_tasks.sentence_pair import SentencePairTask
from allennlp_jmt.modules.relatedness_distribution import expected_score, score_distribution
from allennlp_jmt.training.metrics import DistributedPearsonCorrelation, MeanSquaredError

RELATEDNESS_CLASSES = 5  # SICK scores 1…5


class RelatednessTask(SentencePairTask):
    """
    Semantic relatedness (the JMT model's ``relatedness``): on [|a − b|; a ⊙ b] of the
    max-pooled sentence states, a maxout layer and a softmax over the scores 1…5, trained with
    the KL divergence to the gold score's distribution (`score_distribution`); the prediction
    is the expected score. The label embedding of the distribution goes to the pair tasks above.

    Output ``<task>`` (the expected score) and ``<task>_probs``; metrics ``<task>_mse`` and
    ``<task>_pearson``; readable ``<task>``, the scores. The gold scores are the batch's
    ``relatedness``.

    # Parameters

    The `JmtTask`'s.
    """

    feeds_label_embeddings_upward = True
    gold_fields = ("relatedness",)
    absolute_difference = True

    def _new_metric(self) -> Any:
        return MeanSquaredError(), DistributedPearsonCorrelation()

    def num_labels(self) -> int:
        return RELATEDNESS_CLASSES

    def loss(self, scores: torch.Tensor, inputs: PairStates, gold: Gold) -> torch.Tensor:
        target = score_distribution(gold["relatedness"], RELATEDNESS_CLASSES)
        return torch.nn.functional.kl_div(torch.log_softmax(scores, dim=-1), target,
                                          reduction="batchmean" if self.loss_reduction == "mean" else "sum")

    def decode(self, scores: torch.Tensor, inputs: PairStates) -> Dict[str, torch.Tensor]:
        probabilities = torch.softmax(scores, dim=-1)
        return {self.name: expected_score(probabilities), f"{self.name}_probs": probabilities}

    def _update_metrics(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor], inputs: PairStates,
                        gold: Gold) -> None:
        for metric in self.metric:
            metric(predictions[self.name], gold["relatedness"])

    def _metric_values(self, reset: bool) -> Dict[str, float]:
        mean_squared_error, pearson = self.metric
        return {"mse": mean_squared_error.get_metric(reset)["mse"], "pearson": pearson.get_metric(reset)}

    def make_output_human_readable(self, output: Dict[str, Any]) -> Dict[str, Any]:
        return {self.name: output[self.name].tolist()} if self.name in output else {}
