"""JMT's dependency parsing task: bilinear head scores, tree decoding and relation labels."""
from typing import Any, Dict, Sequence

import torch
from allennlp.modules import Seq2SeqEncoder

from allennlp_jmt.models.jmt_tasks.base import Gold, JmtTask, JmtTaskSettings, SentenceStates
from allennlp_jmt.modules.dependency_head_scorer import DependencyHeadScorer
from allennlp_jmt.modules.eisner import decode_heads
from allennlp_jmt.training.metrics import DistributedAttachmentScores

CHEN_MANNING_PUNCTUATION = ("``", "''", ".", ",", ":")


class DependencyTask(JmtTask[SentenceStates]):
    """
    Dependency parsing (the JMT model's ``dependencies``): `DependencyHeadScorer`'s head scores
    with a learned root, greedy heads re-decoded by Eisner's algorithm when they are not a tree
    (in sentences longer than the settings' `max_eisner_length`: repaired into a tree in O(n²)
    per round; `decode_heads`), and a relation classifier on each word and its head. The loss is
    the cross entropy of the gold heads plus that of the gold relations (classified from the
    gold heads). Labelled training batches are not decoded.

    Output ``heads`` (0 = root, words from 1; 0 on padding) and ``head_labels`` (label ids),
    and, when asked, ``head_probabilities`` (the softmax probability, over each word's candidate
    heads, of its predicted head) and ``head_label_probabilities`` (that of its predicted label
    given its predicted head); metrics ``<task>_uas`` and ``<task>_las``, without the words whose
    gold POS (the batch's ``pos_tags``, if any) is one of the settings' `punctuation_tags`;
    readable ``heads``, ``head_labels`` (label strings) and the probabilities.

    # Parameters

    The `JmtTask`'s.
    """

    decodes_training_batches = False
    gold_fields = ("head_indices", "head_tags")

    def __init__(self, name: str, encoder: Seq2SeqEncoder, settings: JmtTaskSettings,
                 below: Sequence[JmtTask] = ()) -> None:
        super().__init__(name, encoder, settings, below)
        self.single_root = settings.single_root
        self.max_eisner_length = settings.max_eisner_length
        punctuation = set(settings.punctuation_tags)
        gold_pos = self.vocab.get_token_to_index_vocabulary(settings.dependency_pos_namespace)
        self._punctuation_ids = [index for tag, index in gold_pos.items() if tag in punctuation]

    def _new_metric(self) -> Any:
        return DistributedAttachmentScores()

    def build_output(self, input_dim: int, settings: JmtTaskSettings, below: Sequence[JmtTask]) -> torch.nn.Module:
        return DependencyHeadScorer(input_dim, self.num_labels(), settings.hidden_dim, settings.dropout)

    def forward(self, inputs: SentenceStates) -> torch.Tensor:  # type: ignore[override]
        """The arc scores (batch, length + 1, length + 1) of `DependencyHeadScorer.arc_scores`."""
        scores, _ = self.output.arc_scores(inputs.states, inputs.mask)
        return scores

    def loss(self, scores: torch.Tensor, inputs: SentenceStates, gold: Gold) -> torch.Tensor:
        head_scores = scores[:, :, 1:].transpose(1, 2).contiguous()  # (batch, word, candidate head)
        arc_loss = self._token_loss(head_scores, gold["head_indices"], inputs.mask)
        label_logits = self.output.label_logits(inputs.states, gold["head_indices"])
        return arc_loss + self._token_loss(label_logits, gold["head_tags"], inputs.mask)

    def decode(self, scores: torch.Tensor, inputs: SentenceStates) -> Dict[str, torch.Tensor]:
        mask = inputs.mask
        root_and_words = torch.nn.functional.pad(mask, (1, 0), value=True)
        heads = decode_heads(scores, root_and_words, self.single_root, self.max_eisner_length)[:, 1:] * mask
        labels = self.output.label_logits(inputs.states, heads).argmax(-1) * mask
        return {"heads": heads, "head_labels": labels}

    def prediction_probabilities(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor],
                                 inputs: SentenceStates) -> Dict[str, torch.Tensor]:
        heads = predictions["heads"]
        # Each word's candidate heads are its column of the arc scores (impossible ones at the dtype's minimum).
        head_probabilities = self._predicted_probability(scores[:, :, 1:], heads, dim=1)
        label_logits = self.output.label_logits(inputs.states, heads)
        label_probabilities = self._predicted_probability(label_logits, predictions["head_labels"])
        return {"head_probabilities": head_probabilities * inputs.mask,
                "head_label_probabilities": label_probabilities * inputs.mask}

    def _update_metrics(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor], inputs: SentenceStates,
                        gold: Gold) -> None:
        evaluated = inputs.mask
        pos_tags = gold.get("pos_tags")
        if pos_tags is not None:
            evaluated = evaluated & ~torch.isin(pos_tags, pos_tags.new_tensor(self._punctuation_ids))
        self.metric(predictions["heads"], predictions["head_labels"], gold["head_indices"], gold["head_tags"],
                    evaluated)

    def _metric_values(self, reset: bool) -> Dict[str, float]:
        scores = self.metric.get_metric(reset)
        return {"uas": scores["UAS"], "las": scores["LAS"]}

    def make_output_human_readable(self, output: Dict[str, Any]) -> Dict[str, Any]:
        if "heads" not in output:
            return {}
        return {"head_labels": self._label_strings(output["head_labels"], output["mask"]),
                **self._readable_rows(output, ["heads", "head_probabilities", "head_label_probabilities"])}
