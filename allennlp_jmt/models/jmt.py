"""Hashimoto et al. (2017)'s Joint Many-Task model: POS → chunking → dependencies → relatedness → entailment."""
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import torch
from allennlp.common import Lazy
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.data.dataset_readers.dataset_utils.span_utils import bio_tags_to_spans
from allennlp.models import Model
from allennlp.modules import FeedForward, Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import Activation, InitializerApplicator, util
from allennlp.training.metrics import AttachmentScores, CategoricalAccuracy, PearsonCorrelation, SpanBasedF1Measure

from allennlp_jmt.modules.dependency_head_scorer import DependencyHeadScorer
from allennlp_jmt.modules.eisner import decode_heads
from allennlp_jmt.modules.label_embedding import LabelEmbedding
from allennlp_jmt.modules.relatedness_distribution import expected_score, score_distribution
from allennlp_jmt.modules.sentence_pair_classifier import SentencePairClassifier
from allennlp_jmt.modules.word_dropout import WordDropout
from allennlp_jmt.training.metrics import MeanSquaredError

TASKS = ("pos", "chunk", "dependencies", "relatedness", "entailment")
TAGGING_TASKS = ("pos", "chunk")  # their label embeddings feed the layers above
SENTENCE_TASKS = ("pos", "chunk", "dependencies")
PAIR_TASKS = ("relatedness", "entailment")
CHEN_MANNING_PUNCTUATION = ("``", "''", ".", ",", ":")
RELATEDNESS_CLASSES = 5  # SICK scores 1…5

Layers = Dict[str, torch.Tensor]


@Model.register("jmt")
class JointManyTaskModel(Model):
    """
    The Joint Many-Task model of Hashimoto et al. (2017): one BiLSTM layer per task, stacked in
    the order of `tasks`, each fed [the layer below (vertical connection); the word
    representation (shortcut connection); the label embeddings of the POS and chunking
    predictions below it]. A batch holds one task (its ``task`` field, from AllenNLP's
    ``multitask`` reader) and runs only the layers up to that task's own.

    Outputs: POS and chunking, a ReLU layer and a softmax; dependencies, bilinear head scores
    with a learned root, greedy heads repaired by Eisner's algorithm when they are not a tree,
    and a relation classifier; relatedness, max-pooled sentence states, [|a − b|; a ⊙ b], a
    maxout layer and a softmax over the scores 1…5 trained with KL divergence to the gold
    distribution (prediction: the expected score); entailment, [a − b; a ⊙ b] plus the
    relatedness label embedding, three maxout layers and a softmax.

    Every ablation of the paper is a config change: `shortcut_connections`,
    `vertical_connections`, `label_embeddings` switches, and `tasks` subsets (JMT_AB = pos and
    chunk, JMT_DE = relatedness and entailment, ...). Successive regularization and per-task
    gradient clipping are trainer callbacks (``jmt_successive_regularization``,
    ``jmt_task_gradient_clipping``) that use `task_depth` and `parameters_below`.

    Metrics (prefixed by the task, reported for the tasks scored since the last reset):
    ``pos_accuracy``; ``chunk_precision/recall/f1`` (conlleval's chunks: an I- tag after O or
    another type starts one); ``dependencies_uas/las`` without punctuation (tokens whose gold
    POS is in `punctuation_tags`); ``relatedness_mse`` and ``relatedness_pearson``;
    ``entailment_accuracy``. Dependency training batches are not decoded.

    Without a ``task`` field (prediction), a sentence (``tokens``) runs every sentence-level
    layer and a pair (``premise``, ``hypothesis``) runs all layers.

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
        self.loss_reduction = loss_reduction
        self.text_field_embedder = text_field_embedder
        self.shortcut_connections = shortcut_connections
        self.vertical_connections = vertical_connections
        self.label_embeddings = label_embeddings
        self.single_root = single_root
        self.namespaces = {"pos": pos_namespace, "chunk": chunk_namespace,
                           "dependencies": dependency_namespace, "entailment": entailment_namespace}
        self.dropout = torch.nn.Dropout(dropout)
        self.word_dropout = WordDropout(word_dropout, vocab, word_indexer, word_indexer)

        self.task_layers = torch.nn.ModuleDict()
        word_dim = text_field_embedder.get_output_dim()
        below_dim, label_dim = 0, 0
        for task in tasks:
            input_dim = (below_dim if vertical_connections else 0) + (
                word_dim if below_dim == 0 or shortcut_connections else 0) + label_dim
            layer = torch.nn.ModuleDict({"encoder": encoder.construct(input_size=input_dim)})
            below_dim = layer["encoder"].get_output_dim()
            layer["output"] = self._output_module(task, below_dim, hidden_dim, maxout_pool_size,
                                                  label_embedding_dim if label_embeddings else 0, dropout)
            if label_embeddings and task in TAGGING_TASKS + ("relatedness",):
                num_labels = RELATEDNESS_CLASSES if task == "relatedness" else self._num_labels(task)
                layer["label_embedding"] = LabelEmbedding(num_labels, label_embedding_dim)
                if task in TAGGING_TASKS:
                    label_dim += label_embedding_dim
            self.task_layers[task] = layer

        # Built for the model's tasks only: looking up an absent namespace would add an empty one to the vocabulary.
        metrics: Dict[str, Any] = {
            "pos": lambda: CategoricalAccuracy(),
            "chunk": lambda: SpanBasedF1Measure(vocab, chunk_namespace, label_encoding="BIO"),
            "dependencies": lambda: AttachmentScores(),
            "relatedness": lambda: (MeanSquaredError(), PearsonCorrelation()),
            "entailment": lambda: CategoricalAccuracy(),
        }
        self.metrics = {task: metrics[task]() for task in tasks}
        punctuation = set(punctuation_tags)
        self._punctuation_ids = [
            index for tag, index in vocab.get_token_to_index_vocabulary(dependency_pos_namespace).items()
            if tag in punctuation
        ] if "dependencies" in tasks else []
        self._scored_tasks: set = set()  # the tasks whose metrics were updated since the last reset
        initializer(self)

    def _num_labels(self, task: str) -> int:
        return self.vocab.get_vocab_size(self.namespaces[task])

    def _output_module(self, task: str, input_dim: int, hidden_dim: int, pool_size: int,
                       label_embedding_dim: int, dropout: float) -> torch.nn.Module:
        if task in TAGGING_TASKS:  # one ReLU layer and a softmax
            return torch.nn.Sequential(
                FeedForward(input_dim, 1, hidden_dim, Activation.by_name("relu")(), dropout),
                torch.nn.Linear(hidden_dim, self._num_labels(task)),
            )
        if task == "dependencies":
            return DependencyHeadScorer(input_dim, self._num_labels(task), hidden_dim, dropout)
        if task == "relatedness":
            return SentencePairClassifier(input_dim, RELATEDNESS_CLASSES, hidden_dim, 1, pool_size,
                                          absolute_difference=True, dropout=dropout)
        relatedness_dim = label_embedding_dim if "relatedness" in self.tasks else 0  # 0 without label embeddings
        return SentencePairClassifier(input_dim, self._num_labels(task), hidden_dim, 3, pool_size,
                                      extra_dim=relatedness_dim, dropout=dropout)

    # The interface of the training callbacks.

    def task_depth(self, task: str) -> int:
        """The number of layers a task's batches run (1 for the lowest task)."""
        return self.tasks.index(task) + 1

    def parameters_below(self, task: str) -> Iterator[Tuple[str, torch.nn.Parameter]]:
        """The word representation's and the lower tasks' parameters (successive regularization's θ)."""
        yield from self.text_field_embedder.named_parameters(prefix="text_field_embedder")
        for lower in self.tasks[: self.tasks.index(task)]:
            yield from self.task_layers[lower].named_parameters(prefix=f"task_layers.{lower}")

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
        (expected score), ``entailment_probs``; pairs prefix the sentence outputs with
        ``premise_``/``hypothesis_``.
        """
        name = self._batch_task(task)
        if name is not None and name not in self.tasks:
            raise ValueError(f"the batch's task {name!r} is not one of the model's tasks {self.tasks}")
        output: Dict[str, Any] = {"task": name}
        if tokens is not None:
            sentence_tasks = [t for t in self.tasks if t in SENTENCE_TASKS]
            if name is None and not sentence_tasks:
                raise ValueError(f"this model's tasks {self.tasks} take sentence pairs, not single sentences")
            top = name or sentence_tasks[-1]
            mask, layers = self._run_layers(tokens, top)
            output.update(self._sentence_outputs(layers, mask, name, tags, pos_tags, head_indices, head_tags))
            if metadata is not None:
                output["words"] = [entry["words"] for entry in metadata]
        if premise is not None and hypothesis is not None:
            output.update(self._pair_outputs(premise, hypothesis, name, relatedness, entailment))
        return output

    @staticmethod
    def _batch_task(task: Optional[List[str]]) -> Optional[str]:
        if task is None:
            return None
        if len(set(task)) != 1:
            raise ValueError(f"a batch must hold one task, this one holds {sorted(set(task))}: use a "
                             "scheduler that batches one task at a time (jmt_task_order, homogeneous_roundrobin)")
        return task[0]

    def _token_loss(self, logits: torch.Tensor, labels: torch.LongTensor, mask: torch.BoolTensor) -> torch.Tensor:
        """Cross entropy of per-token predictions, reduced as `loss_reduction` says."""
        if self.loss_reduction == "mean":
            return util.sequence_cross_entropy_with_logits(logits, labels, mask)
        return util.sequence_cross_entropy_with_logits(logits, labels, mask, average="token") * mask.sum()

    def _run_layers(self, text: TextFieldTensors, top: str) -> Tuple[torch.BoolTensor, Layers]:
        """Runs the layers up to `top`: each task's states, and the tagging tasks' logits (``{task}_logits``)."""
        mask = util.get_text_field_mask(text)
        words = self.dropout(self.text_field_embedder(self.word_dropout(text)))
        layers: Layers = {}
        below: Optional[torch.Tensor] = None
        label_features: List[torch.Tensor] = []
        for task in self.tasks[: self.tasks.index(top) + 1]:
            inputs = [below] if below is not None and self.vertical_connections else []
            if below is None or self.shortcut_connections:
                inputs.append(words)
            layer = self.task_layers[task]
            below = self.dropout(layer["encoder"](torch.cat(inputs + label_features, dim=-1), mask))
            layers[task] = below
            if task in TAGGING_TASKS:
                layers[f"{task}_logits"] = layer["output"](below)
                if self.label_embeddings and task != top:
                    label_features.append(layer["label_embedding"](layers[f"{task}_logits"]))
        return mask, layers

    def _sentence_outputs(self, layers: Layers, mask: torch.BoolTensor, task: Optional[str],
                          tags: Optional[torch.LongTensor], pos_tags: Optional[torch.LongTensor],
                          head_indices: Optional[torch.LongTensor],
                          head_tags: Optional[torch.LongTensor]) -> Dict[str, Any]:
        output: Dict[str, Any] = {"mask": mask}
        for tagging in TAGGING_TASKS:
            if f"{tagging}_logits" not in layers:
                continue
            logits = layers[f"{tagging}_logits"]
            output[f"{tagging}_tags"] = logits.argmax(-1) * mask
            if task == tagging and tags is not None:
                output["loss"] = self._token_loss(logits, tags, mask)
                self.metrics[tagging](logits, tags, mask)
                self._scored_tasks.add(tagging)
        if "dependencies" in layers:
            output.update(self._dependency_outputs(layers["dependencies"], mask, task == "dependencies",
                                                   pos_tags, head_indices, head_tags))
        return output

    def _dependency_outputs(self, states: torch.Tensor, mask: torch.BoolTensor, is_task: bool,
                            pos_tags: Optional[torch.LongTensor], gold_heads: Optional[torch.LongTensor],
                            gold_labels: Optional[torch.LongTensor]) -> Dict[str, Any]:
        scorer: DependencyHeadScorer = self.task_layers["dependencies"]["output"]
        scores, full_mask = scorer.arc_scores(states, mask)
        output: Dict[str, Any] = {}
        labelled = is_task and gold_heads is not None and gold_labels is not None
        if labelled:
            arc_loss = self._token_loss(scores[:, :, 1:].transpose(1, 2).contiguous(), gold_heads, mask)
            label_loss = self._token_loss(scorer.label_logits(states, gold_heads), gold_labels, mask)
            output["loss"] = arc_loss + label_loss
        if self.training and labelled:
            return output  # decoding costs time; training batches are not decoded
        heads = decode_heads(scores, full_mask, self.single_root)[:, 1:] * mask
        labels = scorer.label_logits(states, heads).argmax(-1) * mask
        output.update({"heads": heads, "head_labels": labels})
        if labelled:
            evaluated = mask
            if pos_tags is not None:
                evaluated = mask & ~torch.isin(pos_tags, pos_tags.new_tensor(self._punctuation_ids))
            self.metrics["dependencies"](heads, labels, gold_heads, gold_labels, evaluated)
            self._scored_tasks.add("dependencies")
        return output

    def _pair_outputs(self, premise: TextFieldTensors, hypothesis: TextFieldTensors, task: Optional[str],
                      relatedness: Optional[torch.Tensor], entailment: Optional[torch.LongTensor]) -> Dict[str, Any]:
        top = task or self.tasks[-1]
        output: Dict[str, Any] = {}
        sentences = {}
        for side, text in (("premise", premise), ("hypothesis", hypothesis)):
            mask, layers = self._run_layers(text, top)
            sentences[side] = (mask, layers)
            if task is None:  # prediction: every sentence-level output too
                side_output = self._sentence_outputs(layers, mask, None, None, None, None, None)
                output.update({f"{side}_{key}": value for key, value in side_output.items()})
        (first_mask, first), (second_mask, second) = sentences["premise"], sentences["hypothesis"]
        relatedness_embedding = None
        if "relatedness" in first:
            logits = self.task_layers["relatedness"]["output"](first["relatedness"], first_mask,
                                                                 second["relatedness"], second_mask)
            probabilities = torch.softmax(logits, dim=-1)
            output["relatedness"] = expected_score(probabilities)
            output["relatedness_probs"] = probabilities
            if task == "relatedness" and relatedness is not None:
                target = score_distribution(relatedness, RELATEDNESS_CLASSES)
                output["loss"] = torch.nn.functional.kl_div(
                    torch.log_softmax(logits, dim=-1), target,
                    reduction="batchmean" if self.loss_reduction == "mean" else "sum")
                for metric in self.metrics["relatedness"]:
                    metric(output["relatedness"], relatedness)
                self._scored_tasks.add("relatedness")
            if self.label_embeddings:
                relatedness_embedding = self.task_layers["relatedness"]["label_embedding"](logits)
        if "entailment" in first:
            logits = self.task_layers["entailment"]["output"](first["entailment"], first_mask, second["entailment"],
                                                                second_mask, relatedness_embedding)
            output["entailment_probs"] = torch.softmax(logits, dim=-1)
            if task == "entailment" and entailment is not None:
                output["loss"] = torch.nn.functional.cross_entropy(logits, entailment, reduction=self.loss_reduction)
                self.metrics["entailment"](logits, entailment)
                self._scored_tasks.add("entailment")
        return output

    # Output and metrics.

    def make_output_human_readable(self, output_dict: Dict[str, Any]) -> Dict[str, Any]:
        """Label strings per word, chunk spans ``[label, start, end]`` (end inclusive), heads, relation labels, scores."""
        readable: Dict[str, Any] = {}
        for prefix in ("", "premise_", "hypothesis_"):
            if f"{prefix}mask" not in output_dict:
                continue
            lengths = output_dict[f"{prefix}mask"].sum(dim=1).tolist()
            for key, namespace in ((f"{prefix}pos_tags", "pos"), (f"{prefix}chunk_tags", "chunk"),
                                   (f"{prefix}head_labels", "dependencies")):
                if key in output_dict:
                    readable[key] = self._labels(output_dict[key], lengths, self.namespaces[namespace])
            if f"{prefix}chunk_tags" in readable:
                readable[f"{prefix}chunks"] = [
                    sorted(([label, start, end] for label, (start, end) in bio_tags_to_spans(tags)), key=lambda s: s[1])
                    for tags in readable[f"{prefix}chunk_tags"]
                ]
            if f"{prefix}heads" in output_dict:
                readable[f"{prefix}heads"] = [row[:length] for row, length in
                                              zip(output_dict[f"{prefix}heads"].tolist(), lengths)]
        if "relatedness" in output_dict:
            readable["relatedness"] = output_dict["relatedness"].tolist()
        if "entailment_probs" in output_dict:
            probabilities = output_dict["entailment_probs"]
            readable["entailment"] = [self.vocab.get_token_from_index(index, self.namespaces["entailment"])
                                      for index in probabilities.argmax(-1).tolist()]
            readable["entailment_probs"] = probabilities.tolist()
        if "words" in output_dict:
            readable["words"] = output_dict["words"]
        return readable

    def _labels(self, indices: torch.Tensor, lengths: List[int], namespace: str) -> List[List[str]]:
        return [[self.vocab.get_token_from_index(index, namespace) for index in row[:length]]
                for row, length in zip(indices.tolist(), lengths)]

    def get_metrics(self, reset: bool = False) -> Dict[str, float]:
        metrics: Dict[str, float] = {}
        seen = self._scored_tasks
        if "pos" in seen:
            metrics["pos_accuracy"] = self.metrics["pos"].get_metric(reset)
        if "chunk" in seen:
            spans = self.metrics["chunk"].get_metric(reset)
            metrics.update({f"chunk_{name}": spans[f"{name}-measure-overall" if name == "f1" else f"{name}-overall"]
                            for name in ("precision", "recall", "f1")})
        if "dependencies" in seen:
            scores = self.metrics["dependencies"].get_metric(reset)
            metrics.update({"dependencies_uas": scores["UAS"], "dependencies_las": scores["LAS"]})
        if "relatedness" in seen:
            mse, pearson = self.metrics["relatedness"]
            metrics["relatedness_mse"] = mse.get_metric(reset)["mse"]
            metrics["relatedness_pearson"] = pearson.get_metric(reset)
        if "entailment" in seen:
            metrics["entailment_accuracy"] = self.metrics["entailment"].get_metric(reset)
        if reset:
            self._scored_tasks = set()
        return metrics

    default_predictor = "jmt"
