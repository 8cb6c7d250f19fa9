"""The interface of the JMT model's task outputs: what one task computes on its layer's states."""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Dict, Generic, List, Mapping, NamedTuple, Optional, Sequence, Tuple, TypeVar

import torch
from allennlp.data import Vocabulary
from allennlp.modules import Seq2SeqEncoder
from allennlp.nn import util

from allennlp_jmt.modules.eisner import MAX_EISNER_LENGTH
from allennlp_jmt.modules.label_embedding import LabelEmbedding
from allennlp_jmt.modules.tag_spans import labels_of

Gold = Mapping[str, Optional[torch.Tensor]]


class SentenceStates(NamedTuple):
    """A task layer's states for a batch of sentences: (batch, length, dim), and the words' mask."""

    states: torch.Tensor
    mask: torch.BoolTensor


class PairStates(NamedTuple):
    """
    A task layer's states for a batch of sentence pairs, and `features_below`: the label
    embeddings (batch, dim) of the pair tasks below, concatenated (``None`` when there are none).
    """

    premise: SentenceStates
    hypothesis: SentenceStates
    features_below: Optional[torch.Tensor]


Inputs = TypeVar("Inputs", SentenceStates, PairStates)


@dataclass(frozen=True)
class JmtTaskSettings:
    """
    What the tasks' output layers are built from: the ``jmt`` model's constructor parameters of
    the same names (documented there), but for `label_namespaces` (task name -> its label
    namespace, for the tasks with labels from a vocabulary) and `label_embedding_dim`, 0 when
    the model has no label embeddings.
    """

    vocab: Vocabulary
    label_namespaces: Mapping[str, str]
    hidden_dim: int
    label_embedding_dim: int
    maxout_pool_size: int
    dropout: float
    loss_reduction: str
    dependency_pos_namespace: str
    punctuation_tags: Sequence[str]
    single_root: bool
    max_eisner_length: int = MAX_EISNER_LENGTH


class JmtTask(torch.nn.Module, Generic[Inputs], ABC):
    """
    One task of the JMT model, on the states of its layer: its output layer(s) (`forward`, which
    gives the output's scores), `loss`, `decode`, metrics (`update_metrics`, `get_metrics`) and
    readable output. The model stacks the tasks' layers and runs each task's `encoder`; the
    encoder is registered here so that the parameters of a task's layer are named
    ``task_layers.<task>.encoder``, ``.output`` and ``.label_embedding``, as in the archives.

    A subclass sets the class attributes and builds its output layer(s) in `build_output` and
    its metric in `_new_metric`, both called by this constructor; a task whose predictions are
    not distributions gives their probabilities in `prediction_probabilities`. The task's
    output keys, metric names (``<task>_<metric>``) and readable keys are the subclass's.

    # Parameters

    name : `str`
        The task's name in the model (its ``tasks`` entry, the prefix of its metrics).
    encoder : `Seq2SeqEncoder`
        The task's layer, built by the model with the layer's input size.
    settings : `JmtTaskSettings`
    below : `Sequence[JmtTask]`, optional (default=`()`)
        The model's tasks below this one, bottom first.
    """

    is_pair_task: bool = False
    """Whether the task reads sentence pairs (`PairStates`) rather than single sentences (`SentenceStates`)."""
    feeds_label_embeddings_upward: bool = False
    """
    Whether the task has a label embedding of its prediction for the layers above (with the
    model's `label_embeddings`): a sentence task's feeds the encoders above, a pair task's the
    classifiers of the pair tasks above.
    """
    decodes_training_batches: bool = True
    """False: a labelled training batch of the task gets its loss only (decoding costs time)."""
    gold_fields: Tuple[str, ...] = ()
    """The model's `forward` arguments that a labelled batch of the task holds."""

    def __init__(self, name: str, encoder: Seq2SeqEncoder, settings: JmtTaskSettings,
                 below: Sequence["JmtTask"] = ()) -> None:
        super().__init__()
        self.name = name
        self.depth = len(below) + 1
        self.vocab = settings.vocab
        self.label_namespace = settings.label_namespaces.get(name)
        self.loss_reduction = settings.loss_reduction
        self.encoder = encoder
        self.output = self.build_output(encoder.get_output_dim(), settings, below)
        self.label_embedding: Optional[LabelEmbedding] = None
        if self.feeds_label_embeddings_upward and settings.label_embedding_dim:
            self.label_embedding = LabelEmbedding(self.num_labels(), settings.label_embedding_dim)
        self.metric = self._new_metric()
        self._scored = False  # whether the metric was updated since the last reset

    @property
    def label_embedding_dim(self) -> int:
        """The width of the task's label embedding, 0 without one."""
        return 0 if self.label_embedding is None else self.label_embedding.get_output_dim()

    def num_labels(self) -> int:
        """The number of the task's output classes (by default, of its label namespace)."""
        if self.label_namespace is None:
            raise ValueError(f"the task {self.name!r} has no label namespace")
        return self.vocab.get_vocab_size(self.label_namespace)

    # What a subclass defines.

    @abstractmethod
    def build_output(self, input_dim: int, settings: JmtTaskSettings,
                     below: Sequence["JmtTask"]) -> torch.nn.Module:
        """The output layer(s) on the task's states, `input_dim` wide (called by the constructor)."""

    @abstractmethod
    def forward(self, inputs: Inputs) -> torch.Tensor:  # type: ignore[override]
        """The output layer(s) on the task's layer's states: the output's scores (logits)."""

    @abstractmethod
    def loss(self, scores: torch.Tensor, inputs: Inputs, gold: Gold) -> torch.Tensor:
        """The loss of `scores` against the labels in `gold`, which holds every one of `gold_fields`."""

    @abstractmethod
    def decode(self, scores: torch.Tensor, inputs: Inputs) -> Dict[str, torch.Tensor]:
        """The predictions, as the model's output entries."""

    @abstractmethod
    def _new_metric(self) -> Any:
        """The task's metric (called by the constructor)."""

    @abstractmethod
    def _update_metrics(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor], inputs: Inputs,
                        gold: Gold) -> None:
        """Scores the batch's `predictions` (from `decode`) against `gold`."""

    @abstractmethod
    def _metric_values(self, reset: bool) -> Dict[str, float]:
        """The metrics, unprefixed."""

    @abstractmethod
    def make_output_human_readable(self, output: Dict[str, Any]) -> Dict[str, Any]:
        """
        The readable form of the task's entries in `output` (a sentence task's: the entries of one
        sentence of a pair, unprefixed, with their ``mask``); empty if they are not there.
        """

    # What every task does with them.

    def embed_labels(self, scores: torch.Tensor) -> torch.Tensor:
        """The label embedding of the prediction `scores`, for the layers above."""
        if self.label_embedding is None:
            raise ValueError(f"the task {self.name!r} has no label embedding")
        return self.label_embedding(scores)

    def outputs(self, scores: torch.Tensor, inputs: Inputs, gold: Optional[Gold] = None,
                probabilities: bool = False) -> Dict[str, Any]:
        """
        The task's output entries for a batch: its predictions, with `probabilities` each
        prediction's probability too (`prediction_probabilities`), and, with `gold` (given for a
        batch of this task) holding every one of `gold_fields`, its ``loss``; the metrics score
        the predictions. A labelled training batch is not decoded unless `decodes_training_batches`.
        """
        labelled = None if gold is None or any(gold.get(field) is None for field in self.gold_fields) else gold
        if labelled is not None and self.training and not self.decodes_training_batches:
            return {"loss": self.loss(scores, inputs, labelled)}
        predictions = self.decode(scores, inputs)
        output: Dict[str, Any] = dict(predictions)
        if probabilities:
            output.update(self.prediction_probabilities(scores, predictions, inputs))
        if labelled is not None:
            output["loss"] = self.loss(scores, inputs, labelled)
            self.update_metrics(scores, predictions, inputs, labelled)
        return output

    def prediction_probabilities(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor],
                                 inputs: Inputs) -> Dict[str, torch.Tensor]:
        """
        The model's probability of each of the `predictions` (from `decode`), as output entries
        ``<prediction>_probabilities``; none by default (a pair task's outputs are distributions).
        """
        return {}

    def update_metrics(self, scores: torch.Tensor, predictions: Dict[str, torch.Tensor], inputs: Inputs,
                       gold: Gold) -> None:
        """Scores the batch's `predictions` (from `decode`) against `gold`."""
        self._update_metrics(scores, predictions, inputs, gold)
        self._scored = True

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        """The metrics, named ``<task>_<metric>``; none if no batch was scored since the last reset."""
        if not self._scored:
            return {}
        metrics = {f"{self.name}_{name}": value for name, value in self._metric_values(reset).items()}
        if reset:
            self._scored = False
        return metrics

    # Helpers of the subclasses.

    def _token_loss(self, logits: torch.Tensor, labels: torch.LongTensor, mask: torch.BoolTensor) -> torch.Tensor:
        """Cross entropy of per-word predictions, reduced as the model's `loss_reduction` says."""
        if self.loss_reduction == "mean":
            return util.sequence_cross_entropy_with_logits(logits, labels, mask)
        return util.sequence_cross_entropy_with_logits(logits, labels, mask, average="token") * mask.sum()

    @staticmethod
    def _sentence_rows(values: torch.Tensor, mask: torch.BoolTensor) -> List[List[Any]]:
        """Per-word values (batch, length) as one list per sentence, without the padding."""
        return [row[:length] for row, length in zip(values.tolist(), mask.sum(dim=1).tolist())]

    def _readable_rows(self, output: Dict[str, Any], keys: Sequence[str]) -> Dict[str, List[List[Any]]]:
        """The per-word entries of `output` named `keys` (those present), as `_sentence_rows`."""
        return {key: self._sentence_rows(output[key], output["mask"]) for key in keys if key in output}

    @staticmethod
    def _predicted_probability(logits: torch.Tensor, predicted: torch.LongTensor, dim: int = -1) -> torch.Tensor:
        """
        The softmax probability, over `dim` of `logits`, of the `predicted` index: `logits`
        without `dim` is the shape of `predicted`.
        """
        probabilities = torch.softmax(logits, dim=dim)
        return probabilities.gather(dim, predicted.unsqueeze(dim)).squeeze(dim)

    def _label_strings(self, indices: torch.Tensor, mask: torch.BoolTensor) -> List[List[str]]:
        """Per-word label ids (batch, length) as one list of the task's label strings per sentence."""
        return labels_of(indices, mask.sum(dim=1).tolist(), self.vocab, self.label_namespace)
