"""JMT's textual entailment task."""
from typing import Any, Dict

import torch
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_jmt.models.jmt_tasks.base import Gold, PairStates
from allennlp_jmt.models.jmt_tasks.sentence_pair import SentencePairTask


class EntailmentTask(SentencePairTask):
    """
    Textual entailment (the JMT model's ``entailment``): on [a − b; a ⊙ b] of the max-pooled
    sentence states and the relatedness label embedding (of the pair tasks below), three maxout
    layers and a softmax over the task's label namespace, trained with cross entropy.

    Output ``<task>_probs``; metric ``<task>_accuracy``; readable ``<task>`` (the most probable
    label) and ``<task>_probs``. The gold labels are the batch's ``entailment``.

    # Parameters

    The `JmtTask`'s.
    """

    gold_fields = ("entailment",)
    maxout_layers = 3

    @property
    def probs_key(self) -> str:
        """The output key of the predicted distribution."""
        return f"{self.name}_probs"

    def _new_metric(self) -> Any:
        return CategoricalAccuracy()

    def loss(self, scores: torch.Tensor, inputs: PairStates, gold: Gold) -> torch.Tensor:
        return torch.nn.functional.cross_entropy(scores, gold["entailment"], reduction=self.loss_reduction)

    def decode(self, scores: torch.Tensor, inputs: PairStates) -> Dict[str, torch.Tensor]:
        return {self.probs_key: torch.softmax(scores, dim=-1)}

    def _update_metrics(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor], inputs: PairStates,
                        gold: Gold) -> None:
        self.metric(scores, gold["entailment"])

    def _metric_values(self, reset: bool) -> Dict[str, float]:
        return {"accuracy": self.metric.get_metric(reset)}

    def make_output_human_readable(self, output: Dict[str, Any]) -> Dict[str, Any]:
        if self.probs_key not in output:
            return {}
        probabilities = output[self.probs_key]
        labels = [self.vocab.get_token_from_index(index, self.label_namespace)
                  for index in probabilities.argmax(-1).tolist()]
        return {self.name: labels, self.probs_key: probabilities.tolist()}
