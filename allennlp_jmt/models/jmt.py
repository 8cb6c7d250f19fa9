"""Hashimoto et al. (2017)'s Joint Many-Task model: POS → chunking → dependencies → relatedness → entailment."""
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Type

import torch
from allennlp.common import Lazy
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.models import Model
from allennlp.modules import Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import InitializerApplicator, util

from allennlp_jmt.models.jmt_tasks import (
    CHEN_MANNING_PUNCTUATION,
    ChunkingTask,
    DependencyTask,
    EntailmentTask,
    JmtTask,
    JmtTaskSettings,
    PairStates,
    RelatednessTask,
    SentenceStates,
    TaggingTask,
)
from allennlp_jmt.modules.eisner import MAX_EISNER_LENGTH
from allennlp_jmt.modules.word_dropout import WordDropout

# The tasks the model knows, bottom to top: a task's name -> the `JmtTask` class of its output.
TASK_TYPES: Dict[str, Type[JmtTask]] = {
    "pos": TaggingTask,
    "chunk": ChunkingTask,
    "dependencies": DependencyTask,
    "relatedness": RelatednessTask,
    "entailment": EntailmentTask,
}
TASKS = tuple(TASK_TYPES)
SENTENCE_TASKS = tuple(name for name, task_type in TASK_TYPES.items() if not task_type.is_pair_task)
PAIR_TASKS = tuple(name for name, task_type in TASK_TYPES.items() if task_type.is_pair_task)
SIDES = ("premise", "hypothesis")


@Model.register("jmt")
class JointManyTaskModel(Model):
    """
    The Joint Many-Task model of Hashimoto et al. (2017): one BiLSTM layer per task, stacked in
    the order of `tasks`, each fed [the layer below (vertical connection); the word
    representation (shortcut connection); the label embeddings of the POS and chunking
    predictions below it]. A batch holds one task (its ``task`` field, from AllenNLP's
    ``multitask`` reader; a scheduler such as ``jmt_task_order`` batches one task at a time)
    and runs only the layers up to that task's own.

    Each task's output is a `JmtTask` of `TASK_TYPES` (``allennlp_jmt.models.jmt_tasks``), which
    also holds the task's layer, so that its parameters are ``task_layers.<task>.*``: POS and
    chunking, a ReLU layer and a softmax; dependencies, bilinear head scores with a learned
    root, greedy heads re-decoded by Eisner's algorithm when they are not a tree (beyond
    `max_eisner_length` words, repaired into a tree in O(n²) per round), and a relation
    classifier; relatedness, max-pooled sentence states, [|a − b|; a ⊙ b], a maxout layer and a
    softmax over the scores 1…5 trained with KL divergence to the gold distribution
    (prediction: the expected score); entailment, [a − b; a ⊙ b] plus the relatedness label
    embedding, three maxout layers and a softmax. This model stacks the layers and hands each
    task its states; a new task is a `JmtTask` subclass and its `TASK_TYPES` entry (and, for
    new kinds of gold labels, a `forward` argument).

    Every ablation of the paper is a config change: `shortcut_connections`,
    `vertical_connections`, `label_embeddings` switches, and `tasks` subsets (JMT_AB = pos and
    chunk, JMT_DE = relatedness and entailment, ...). Successive regularization and per-task
    gradient clipping are trainer callbacks (``jmt_successive_regularization``,
    ``jmt_task_gradient_clipping``) that use `task_depth` and `parameters_below`: this model is
    a `TaskLayeredModel`. Distributed training needs the ``jmt_ddp`` DDP accelerator, since a
    batch leaves the layers above its task unused (``docs/distributed.md``).

    Metrics (prefixed by the task, reported for the tasks scored since the last reset):
    ``pos_accuracy``; ``chunk_precision/recall/f1`` (conlleval's chunks: an I- tag after O or
    another type starts one); ``dependencies_uas/las`` without punctuation (tokens whose gold
    POS is in `punctuation_tags`); ``relatedness_mse`` and ``relatedness_pearson``;
    ``entailment_accuracy``. Dependency training batches are not decoded. In distributed training
    every metric sums over the workers, which all run the same task at each step (the scheduler
    sees to it), so all report the same metrics, of all workers' batches.

    Without a ``task`` field (prediction), a sentence (``tokens``) runs every sentence-level
    layer and a pair (``premise``, ``hypothesis``) runs all layers. Within
    `prediction_probabilities`, the outputs also give each prediction's probability.

    Registered as a `Model` with name "jmt".

    # Parameters

    vocab : `Vocabulary`
    text_field_embedder : `TextFieldEmbedder`
        The word representation (paper: word embedding + character n-gram embedding, 100 each).
    encoder : `Lazy[Seq2SeqEncoder]`
        One task layer, built once per task with that layer's input size (paper: ``lstm``,
        100 units, bidirectional).
    tasks : `List[str]`, optional (default=all five, in the paper's order)
        The tasks, bottom to top: an ordered subset of pos, chunk, dependencies, relatedness,
        entailment.
    hidden_dim : `int`, optional (default=`100`)
        The width of the output layers' hidden (ReLU or maxout) layers.
    label_embedding_dim : `int`, optional (default=`100`)
    maxout_pool_size : `int`, optional (default=`2`)
    shortcut_connections : `bool`, optional (default=`True`)
    vertical_connections : `bool`, optional (default=`True`)
    label_embeddings : `bool`, optional (default=`True`)
    pos_namespace, chunk_namespace, dependency_namespace, dependency_pos_namespace, entailment_namespace : `str`
        The label namespaces of the readers (defaults: ``pos_labels``, ``chunk_labels``,
        ``dependency_labels``, ``dependency_pos_labels``, ``entailment_labels``).
    punctuation_tags : `List[str]`, optional (default=Chen & Manning's ``` `` '' . , : ```)
        Gold POS tags (of the dependency data) excluded from UAS/LAS; ``["PUNCT"]`` for UPOS.
    single_root : `bool`, optional (default=`True`)
        Decode trees with exactly one word attached to the root.
    max_eisner_length : `int`, optional (default=`200`)
        The longest sentence (in words) whose greedy heads, when they are not a tree, are
        re-decoded with Eisner's algorithm, O(n³) (one CPU thread: 0.06 s at 200 words, 1.2 s at
        600, 80 s at 2,000); a longer one's are repaired into a tree by
        `allennlp_jmt.modules.tree_repair.greedy_tree_heads`, at most log₂(n) + 1 rounds of O(n²)
        (a second at 5,000 words), which finds a tree but not necessarily the best one.
    dropout : `float`, optional (default=`0.0`)
        Dropout on every layer's input and output (paper code: 0.2).
    word_dropout : `float`, optional (default=`0.0`)
        The probability that a training word is replaced by the unknown word in the
        `word_indexer`'s ids (paper code: 0.25); the character n-grams are kept.
    word_indexer : `str`, optional (default=`"tokens"`)
        The text field's word indexer, over the vocabulary namespace of the same name.
    loss_reduction : `str`, optional (default=`"mean"`)
        ``"mean"``: each loss is averaged over the batch's sentences (tagging and dependencies:
        over their tokens first, as AllenNLP's `sequence_cross_entropy_with_logits`) or pairs.
        ``"sum"``: summed over the batch's tokens or pairs, the paper's objective, whose
        regularization weights (L2 λ, successive regularization δ) are relative to that sum.
    initializer : `InitializerApplicator`, optional
    """

    def __init__(
        self,
        vocab: Vocabulary,
        text_field_embedder: TextFieldEmbedder,
        encoder: Lazy[Seq2SeqEncoder],
        tasks: Sequence[str] = TASKS,
        hidden_dim: int = 100,
        label_embedding_dim: int = 100,
        maxout_pool_size: int = 2,
        shortcut_connections: bool = True,
        vertical_connections: bool = True,
        label_embeddings: bool = True,
        pos_namespace: str = "pos_labels",
        chunk_namespace: str = "chunk_labels",
        dependency_namespace: str = "dependency_labels",
        dependency_pos_namespace: str = "dependency_pos_labels",
        entailment_namespace: str = "entailment_labels",
        punctuation_tags: Sequence[str] = CHEN_MANNING_PUNCTUATION,
        single_root: bool = True,
        max_eisner_length: int = MAX_EISNER_LENGTH,
        dropout: float = 0.0,
        word_dropout: float = 0.0,
        word_indexer: str = "tokens",
        loss_reduction: str = "mean",
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        tasks = list(tasks)
        if not tasks or [task for task in TASKS if task in tasks] != tasks:
            raise ValueError(f"tasks must be a non-empty ordered subset of {list(TASKS)}, not {tasks}")
        if len(tasks) > 1 and not (shortcut_connections or vertical_connections):
            raise ValueError("layers above the first need shortcut or vertical connections (or both)")
        if loss_reduction not in ("mean", "sum"):
            raise ValueError(f"loss_reduction must be 'mean' or 'sum', not {loss_reduction!r}")
        self.tasks = tasks
        self.text_field_embedder = text_field_embedder
        self.shortcut_connections = shortcut_connections
        self.vertical_connections = vertical_connections
        self.dropout = torch.nn.Dropout(dropout)
        self.word_dropout = WordDropout(word_dropout, vocab, word_indexer, word_indexer)

        settings = JmtTaskSettings(
            vocab=vocab,
            label_namespaces={"pos": pos_namespace, "chunk": chunk_namespace, "dependencies": dependency_namespace,
                              "entailment": entailment_namespace},
            hidden_dim=hidden_dim,
            label_embedding_dim=label_embedding_dim if label_embeddings else 0,
            maxout_pool_size=maxout_pool_size,
            dropout=dropout,
            loss_reduction=loss_reduction,
            dependency_pos_namespace=dependency_pos_namespace,
            punctuation_tags=punctuation_tags,
            single_root=single_root,
            max_eisner_length=max_eisner_length,
        )
        # The model's tasks only: looking up an absent namespace would add an empty one to the vocabulary.
        self.task_layers = torch.nn.ModuleDict()
        word_dim = text_field_embedder.get_output_dim()
        below_dim, label_dim = 0, 0
        for name in tasks:
            input_dim = (below_dim if vertical_connections else 0) + (
                word_dim if below_dim == 0 or shortcut_connections else 0) + label_dim
            below: List[JmtTask] = list(self.task_layers.values())
            task = TASK_TYPES[name](name, encoder.construct(input_size=input_dim), settings, below)
            below_dim = task.encoder.get_output_dim()
            if not task.is_pair_task:  # a sentence task's label embedding feeds the encoders above
                label_dim += task.label_embedding_dim
            self.task_layers[name] = task
        self._prediction_probabilities = False
        initializer(self)

    # The interface of the training callbacks (`TaskLayeredModel`).

    def task_depth(self, task: str) -> int:
        """The number of layers a task's batches run (1 for the lowest task)."""
        return self.task_layers[task].depth

    def parameters_below(self, task: str) -> Iterator[Tuple[str, torch.nn.Parameter]]:
        """The word representation's and the lower tasks' parameters (successive regularization's θ)."""
        yield from self.text_field_embedder.named_parameters(prefix="text_field_embedder")
        for lower in self.tasks[: self.tasks.index(task)]:
            yield from self.task_layers[lower].named_parameters(prefix=f"task_layers.{lower}")

    @contextmanager
    def prediction_probabilities(self, enabled: bool = True) -> Iterator[None]:
        """
        Within the context (if `enabled`), `forward` also outputs the model's probability of
        each prediction: ``pos_probabilities``, ``chunk_probabilities`` (each predicted tag's),
        ``head_probabilities`` (each word's predicted head's, over its candidate heads) and
        ``head_label_probabilities`` (each predicted relation's), prefixed for pairs as the
        other sentence outputs. Each task computes its own (`JmtTask.prediction_probabilities`).
        """
        previous, self._prediction_probabilities = self._prediction_probabilities, enabled
        try:
            yield
        finally:
            self._prediction_probabilities = previous

    # The network.

    def forward(  # type: ignore
        self,
        task: Optional[List[str]] = None,
        tokens: Optional[TextFieldTensors] = None,
        tags: Optional[torch.LongTensor] = None,
        pos_tags: Optional[torch.LongTensor] = None,
        head_indices: Optional[torch.LongTensor] = None,
        head_tags: Optional[torch.LongTensor] = None,
        premise: Optional[TextFieldTensors] = None,
        hypothesis: Optional[TextFieldTensors] = None,
        relatedness: Optional[torch.Tensor] = None,
        entailment: Optional[torch.LongTensor] = None,
        metadata: Optional[List[Dict[str, Any]]] = None,
    ) -> Dict[str, Any]:
        """
        Returns ``loss`` for a labelled batch of one task, and each computed task's predictions:
        ``pos_tags``/``chunk_tags`` (label ids), ``heads``/``head_labels``, ``relatedness``
        (expected score), ``entailment_probs``, and within `prediction_probabilities` the
        ``*_probabilities`` of the sentence tasks' predictions; pairs prefix the sentence
        outputs with ``premise_``/``hypothesis_``.
        """
        name = self._batch_task(task)
        if name is not None and name not in self.tasks:
            raise ValueError(f"the batch's task {name!r} is not one of the model's tasks {self.tasks}")
        gold = {"tags": tags, "pos_tags": pos_tags, "head_indices": head_indices, "head_tags": head_tags,
                "relatedness": relatedness, "entailment": entailment}
        output: Dict[str, Any] = {"task": name}
        if tokens is not None:
            sentence_tasks = [layer.name for layer in self.task_layers.values() if not layer.is_pair_task]
            if name is None and not sentence_tasks:
                raise ValueError(f"this model's tasks {self.tasks} take sentence pairs, not single sentences")
            mask, states, scores = self._run_layers(tokens, name or sentence_tasks[-1])
            output.update(self._sentence_outputs(mask, states, scores, name, gold))
            if metadata is not None:
                output["words"] = [entry["words"] for entry in metadata]
        if premise is not None and hypothesis is not None:
            output.update(self._pair_outputs(premise, hypothesis, name, gold))
        return output

    @staticmethod
    def _batch_task(task: Optional[List[str]]) -> Optional[str]:
        if task is None:
            return None
        if len(set(task)) != 1:
            raise ValueError(
                f"a batch must hold one task, this one holds {sorted(set(task))}: use a scheduler that batches "
                "one task at a time and gives each task a turn of many batches, as jmt_task_order does (the "
                "paper's schedule: each task's turn runs through all of its data). Not homogeneous_roundrobin: it "
                "changes the task every batch, and jmt_successive_regularization, which holds the lower layers to "
                "where they were when the task's turn began, then never penalizes anything")
        return task[0]

    def _run_layers(self, text: TextFieldTensors,
                    top: str) -> Tuple[torch.BoolTensor, Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """
        Runs the layers up to `top`'s. Returns the words' mask, each layer's states (by task), and
        the scores of the sentence tasks whose label embeddings feed the layers above, computed on
        the way (by task).
        """
        mask = util.get_text_field_mask(text)
        words = self.dropout(self.text_field_embedder(self.word_dropout(text)))
        states: Dict[str, torch.Tensor] = {}
        scores: Dict[str, torch.Tensor] = {}
        below: Optional[torch.Tensor] = None
        label_features: List[torch.Tensor] = []
        for task in self._tasks_up_to(top):
            inputs = [below] if below is not None and self.vertical_connections else []
            if below is None or self.shortcut_connections:
                inputs.append(words)
            below = self.dropout(task.encoder(torch.cat(inputs + label_features, dim=-1), mask))
            states[task.name] = below
            if task.feeds_label_embeddings_upward and not task.is_pair_task:
                scores[task.name] = task(SentenceStates(below, mask))
                if task.label_embedding_dim and task.name != top:
                    label_features.append(task.embed_labels(scores[task.name]))
        return mask, states, scores

    def _tasks_up_to(self, top: str) -> List[JmtTask]:
        """The tasks from the lowest to `top`, the layers a batch of `top` runs."""
        return list(self.task_layers.values())[: self.tasks.index(top) + 1]

    def _sentence_outputs(self, mask: torch.BoolTensor, states: Dict[str, torch.Tensor],
                          scores: Dict[str, torch.Tensor], batch_task: Optional[str],
                          gold: Mapping[str, Optional[torch.Tensor]]) -> Dict[str, Any]:
        """The sentence tasks' outputs on the `states` and `scores` of `_run_layers` (computing missing scores)."""
        output: Dict[str, Any] = {"mask": mask}
        for name, task_states in states.items():
            task = self.task_layers[name]
            if task.is_pair_task:
                continue
            inputs = SentenceStates(task_states, mask)
            task_scores = scores[name] if name in scores else task(inputs)
            output.update(task.outputs(task_scores, inputs, gold if name == batch_task else None,
                                       probabilities=self._prediction_probabilities))
        return output

    def _pair_outputs(self, premise: TextFieldTensors, hypothesis: TextFieldTensors, batch_task: Optional[str],
                      gold: Mapping[str, Optional[torch.Tensor]]) -> Dict[str, Any]:
        """The pair tasks' outputs; without a batch task (prediction), each sentence's outputs too."""
        top = batch_task or self.tasks[-1]
        output: Dict[str, Any] = {}
        sides = []
        for side, text in zip(SIDES, (premise, hypothesis)):
            mask, states, scores = self._run_layers(text, top)
            sides.append((mask, states))
            if batch_task is None:
                side_output = self._sentence_outputs(mask, states, scores, None, gold)
                output.update({f"{side}_{key}": value for key, value in side_output.items()})
        (premise_mask, premise_states), (hypothesis_mask, hypothesis_states) = sides
        features_below: List[torch.Tensor] = []  # the label embeddings of the pair tasks below
        for name in premise_states:
            task = self.task_layers[name]
            if not task.is_pair_task:
                continue
            inputs = PairStates(SentenceStates(premise_states[name], premise_mask),
                                SentenceStates(hypothesis_states[name], hypothesis_mask),
                                torch.cat(features_below, dim=-1) if features_below else None)
            task_scores = task(inputs)
            output.update(task.outputs(task_scores, inputs, gold if name == batch_task else None))
            if task.label_embedding_dim and name != top:
                features_below.append(task.embed_labels(task_scores))
        return output

    # Output and metrics.

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """
        Label strings per word, chunk spans ``[label, start, end]`` (end inclusive), heads,
        relation labels, scores: each task's `make_output_human_readable` of its outputs.
        """
        readable: Dict[str, Any] = {}
        for prefix in ("",) + tuple(f"{side}_" for side in SIDES):
            if f"{prefix}mask" not in output_dict:
                continue
            sentence = {key[len(prefix):]: value for key, value in output_dict.items() if key.startswith(prefix)}
            for task in self.task_layers.values():
                if not task.is_pair_task:
                    readable.update({prefix + key: value
                                     for key, value in task.make_output_human_readable(sentence).items()})
        for task in self.task_layers.values():
            if task.is_pair_task:
                readable.update(task.make_output_human_readable(output_dict))
        if "words" in output_dict:
            readable["words"] = output_dict["words"]
        return readable

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        metrics: Dict[str, float] = {}
        for task in self.task_layers.values():
            metrics.update(task.get_metrics(reset))
        return metrics

    default_predictor = "jmt"
