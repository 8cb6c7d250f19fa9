"""JMT's sentence-pair tasks' common part: a classifier on the pair's max-pooled sentence states."""
from typing import Sequence

import torch

from allennlp_jmt.models.jmt_tasks.base import JmtTask, JmtTaskSettings, PairStates
from allennlp_jmt.modules.sentence_pair_classifier import SentencePairClassifier


class SentencePairTask(JmtTask[PairStates]):
    """
    A task on sentence pairs: a `SentencePairClassifier` on the task's states of both sentences,
    with the label embeddings of the pair tasks below as extra pair features. A subclass sets
    `maxout_layers` and `absolute_difference` (the classifier's) and the `JmtTask` methods.

    # Parameters

    The `JmtTask`'s.
    """

    is_pair_task = True
    maxout_layers = 1
    absolute_difference = False

    def build_output(self, input_dim: int, settings: JmtTaskSettings, below: Sequence[JmtTask]) -> torch.nn.Module:
        features_below = sum(task.label_embedding_dim for task in below if task.is_pair_task)
        return SentencePairClassifier(input_dim, self.num_labels(), settings.hidden_dim, self.maxout_layers,
                                      settings.maxout_pool_size, absolute_difference=self.absolute_difference,
                                      extra_dim=features_below, dropout=settings.dropout)

    def forward(self, inputs: PairStates) -> torch.Tensor:  # type: ignore[override]
        premise, hypothesis = inputs.premise, inputs.hypothesis
        return self.output(premise.states, premise.mask, hypothesis.states, hypothesis.mask, inputs.features_below)
