"""JMT's word-level tagging tasks: POS tagging and chunking."""
from typing import Any, Dict, Sequence

import torch
from allennlp.modules import FeedForward
from allennlp.nn import Activation
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_jmt.models.jmt_tasks.base import Gold, JmtTask, JmtTaskSettings, SentenceStates
from allennlp_jmt.modules.tag_spans import overall_span_scores, sorted_spans, span_f1_measure


class TaggingTask(JmtTask[SentenceStates]):
    """
    A tag per word (the JMT model's ``pos``): one ReLU layer and a softmax over the task's label
    namespace, trained with cross entropy; the label embedding of the predicted distribution
    feeds the layers above. Output ``<task>_tags`` (label ids, 0 on padding) and, when asked,
    ``<task>_probabilities`` (the softmax probability of each predicted tag); metric
    ``<task>_accuracy``; readable ``<task>_tags``, label strings, and ``<task>_probabilities``.

    # Parameters

    The `JmtTask`'s.
    """

    feeds_label_embeddings_upward = True
    gold_fields = ("tags",)

    @property
    def tags_key(self) -> str:
        """The output key of the predicted tags."""
        return f"{self.name}_tags"

    @property
    def probabilities_key(self) -> str:
        """The output key of the predicted tags' probabilities."""
        return f"{self.name}_probabilities"

    def _new_metric(self) -> Any:
        return CategoricalAccuracy()

    def build_output(self, input_dim: int, settings: JmtTaskSettings, below: Sequence[JmtTask]) -> torch.nn.Module:
        return torch.nn.Sequential(
            FeedForward(input_dim, 1, settings.hidden_dim, Activation.by_name("relu")(), settings.dropout),
            torch.nn.Linear(settings.hidden_dim, self.num_labels()),
        )

    def forward(self, inputs: SentenceStates) -> torch.Tensor:  # type: ignore[override]
        return self.output(inputs.states)

    def loss(self, scores: torch.Tensor, inputs: SentenceStates, gold: Gold) -> torch.Tensor:
        return self._token_loss(scores, gold["tags"], inputs.mask)

    def decode(self, scores: torch.Tensor, inputs: SentenceStates) -> Dict[str, torch.Tensor]:
        return {self.tags_key: scores.argmax(-1) * inputs.mask}

    def prediction_probabilities(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor],
                                 inputs: SentenceStates) -> Dict[str, torch.Tensor]:
        probabilities = self._predicted_probability(scores, predictions[self.tags_key])
        return {self.probabilities_key: probabilities * inputs.mask}

    def _update_metrics(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor], inputs: SentenceStates,
                        gold: Gold) -> None:
        self.metric(scores, gold["tags"], inputs.mask)

    def _metric_values(self, reset: bool) -> Dict[str, float]:
        return {"accuracy": self.metric.get_metric(reset)}

    def make_output_human_readable(self, output: Dict[str, Any]) -> Dict[str, Any]:
        if self.tags_key not in output:
            return {}
        return {self.tags_key: self._label_strings(output[self.tags_key], output["mask"]),
                **self._readable_rows(output, [self.probabilities_key])}


class ChunkingTask(TaggingTask):
    """
    Chunking (the JMT model's ``chunk``): a `TaggingTask` over BIO tags, scored by span F1 as
    conlleval does (an I- tag after O or another type starts a chunk). Metrics
    ``<task>_precision``, ``<task>_recall``, ``<task>_f1``; readable output adds ``chunks``,
    each sentence's spans ``[label, start, end]`` (end inclusive) in order.

    # Parameters

    The `JmtTask`'s.
    """

    label_encoding = "BIO"

    def _new_metric(self) -> Any:
        return span_f1_measure(self.vocab, self.label_namespace, self.label_encoding)

    def _metric_values(self, reset: bool) -> Dict[str, float]:
        return overall_span_scores(self.metric, reset)

    def make_output_human_readable(self, output: Dict[str, Any]) -> Dict[str, Any]:
        readable = super().make_output_human_readable(output)
        if readable:
            readable["chunks"] = [sorted_spans(tags, self.label_encoding) for tags in readable[self.tags_key]]
        return readable
