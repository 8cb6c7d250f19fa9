"""Each JMT task alone, on tiny hand-made states: output layer, loss, decoding, metrics, readable output."""
import math
from typing import Sequence

import pytest
import torch
from allennlp.data import Vocabulary
from allennlp.modules.seq2seq_encoders import PassThroughEncoder

from allennlp_jmt.models.jmt import TASK_TYPES
from allennlp_jmt.models.jmt_tasks.base import JmtTask, JmtTaskSettings, PairStates, SentenceStates
from allennlp_jmt.models.jmt_tasks.dependencies import DependencyTask
from allennlp_jmt.models.jmt_tasks.entailment import EntailmentTask
from allennlp_jmt.models.jmt_tasks.relatedness import RelatednessTask
from allennlp_jmt.models.jmt_tasks.tagging import ChunkingTask, TaggingTask

DIM = 6
LABELS = {
    "pos_labels": ["NN", "VB", "."],
    "chunk_labels": ["B-NP", "I-NP", "O", "B-VP"],
    "dependency_labels": ["nsubj", "root", "punct"],
    "dependency_pos_labels": ["NN", "VB", "."],
    "entailment_labels": ["ENTAILMENT", "NEUTRAL", "CONTRADICTION"],
}
MASK = torch.tensor([[True, True, True], [True, True, False]])


def settings(label_embedding_dim: int = 4, loss_reduction: str = "mean") -> JmtTaskSettings:
    vocab = Vocabulary()
    for namespace, labels in LABELS.items():
        vocab.add_tokens_to_namespace(labels, namespace)
    return JmtTaskSettings(
        vocab=vocab,
        label_namespaces={"pos": "pos_labels", "chunk": "chunk_labels", "dependencies": "dependency_labels",
                          "entailment": "entailment_labels"},
        hidden_dim=5, label_embedding_dim=label_embedding_dim, maxout_pool_size=2, dropout=0.0,
        loss_reduction=loss_reduction, dependency_pos_namespace="dependency_pos_labels", punctuation_tags=["."],
        single_root=True,
    )


def task(task_type, name, below=(), **options) -> JmtTask:
    torch.manual_seed(0)
    return task_type(name, PassThroughEncoder(DIM), settings(**options), list(below))


def sentence_states(seed: int = 1) -> SentenceStates:
    torch.manual_seed(seed)
    return SentenceStates(torch.randn(2, 3, DIM), MASK)


def pair_states(features_below=None) -> PairStates:
    return PairStates(sentence_states(1), sentence_states(2), features_below)


def fit(jmt_task: JmtTask, inputs, gold, steps: int = 300) -> None:
    """Trains the task's output layer alone on one batch."""
    optimizer = torch.optim.Adam(jmt_task.parameters(), lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        jmt_task.loss(jmt_task(inputs), inputs, gold).backward()
        optimizer.step()


def softmax_at(logits: Sequence[float], index: int) -> float:
    """The softmax probability of `logits[index]`, by the formula."""
    largest = max(logits)
    return math.exp(logits[index] - largest) / sum(math.exp(logit - largest) for logit in logits)


def test_the_task_table_holds_one_task_class_per_task():
    assert all(issubclass(task_type, JmtTask) for task_type in TASK_TYPES.values())
    assert [name for name, kind in TASK_TYPES.items() if kind.is_pair_task] == ["relatedness", "entailment"]
    assert [name for name, kind in TASK_TYPES.items() if kind.feeds_label_embeddings_upward] == [
        "pos", "chunk", "relatedness"]


def test_tagging_loss_decoding_metrics_and_readable_output():
    pos = task(TaggingTask, "pos")
    assert (pos.name, pos.depth, pos.is_pair_task, pos.label_embedding_dim) == ("pos", 1, False, 4)
    inputs = sentence_states()
    scores = pos(inputs)
    assert scores.shape == (2, 3, 3)
    gold = {"tags": torch.tensor([[0, 1, 2], [1, 0, 0]])}

    # The loss: each sentence's mean negative log-likelihood of its words, averaged over the sentences.
    log_probs = torch.log_softmax(scores, dim=-1).gather(-1, gold["tags"].unsqueeze(-1)).squeeze(-1)
    expected = -((log_probs[0].mean() + log_probs[1, :2].mean()) / 2)
    assert torch.allclose(pos.loss(scores, inputs, gold), expected)

    output = pos.outputs(scores, inputs, gold)
    assert set(output) == {"pos_tags", "loss"}
    assert torch.equal(output["pos_tags"], scores.argmax(-1) * MASK)
    correct = (output["pos_tags"] == gold["tags"])[MASK].float().mean().item()
    assert pos.get_metrics(reset=True) == {"pos_accuracy": pytest.approx(correct)}
    assert pos.get_metrics() == {}  # nothing scored since the reset
    assert set(pos.outputs(scores, inputs)) == {"pos_tags"}  # without gold: predictions only, no metric
    assert pos.get_metrics() == {}

    readable = pos.make_output_human_readable({"mask": MASK, "pos_tags": torch.tensor([[0, 1, 2], [2, 0, 0]])})
    assert readable == {"pos_tags": [["NN", "VB", "."], [".", "NN"]]}
    assert pos.make_output_human_readable({"mask": MASK}) == {}
    assert pos.embed_labels(scores).shape == (2, 3, 4)


def test_chunking_scores_spans_and_reads_them_out_in_order():
    chunk = task(ChunkingTask, "chunk", below=[task(TaggingTask, "pos")])
    assert chunk.depth == 2
    inputs = sentence_states()
    gold = {"tags": torch.tensor([[0, 1, 3], [3, 2, 0]])}  # B-NP I-NP B-VP / B-VP O
    perfect = torch.nn.functional.one_hot(gold["tags"], 4).float()
    chunk.update_metrics(perfect, {}, inputs, gold)
    assert chunk.get_metrics() == {"chunk_precision": pytest.approx(1.0), "chunk_recall": pytest.approx(1.0),
                                   "chunk_f1": pytest.approx(1.0)}
    wrong = torch.nn.functional.one_hot(torch.full_like(gold["tags"], 2), 4).float()  # all O: no chunk found
    chunk.update_metrics(wrong, {}, inputs, gold)
    assert chunk.get_metrics(reset=True)["chunk_recall"] == pytest.approx(0.5)

    readable = chunk.make_output_human_readable({"mask": MASK, "chunk_tags": torch.tensor([[3, 0, 1], [2, 1, 0]])})
    assert readable["chunk_tags"] == [["B-VP", "B-NP", "I-NP"], ["O", "I-NP"]]
    assert readable["chunks"] == [[["VP", 0, 0], ["NP", 1, 2]], [["NP", 1, 1]]]  # conlleval: I- after O starts one


def test_dependencies_train_to_the_gold_tree_and_leave_punctuation_out_of_the_scores():
    parser = task(DependencyTask, "dependencies", below=[task(TaggingTask, "pos"), task(ChunkingTask, "chunk")])
    assert parser.depth == 3 and parser.label_embedding is None and not parser.feeds_label_embeddings_upward
    inputs = sentence_states()
    gold = {"head_indices": torch.tensor([[2, 0, 2], [0, 1, 0]]),
            "head_tags": torch.tensor([[0, 1, 2], [1, 2, 0]]),
            "pos_tags": torch.tensor([[0, 1, 2], [1, 2, 0]])}  # the last word of each sentence is punctuation
    assert parser(inputs).shape == (2, 4, 4)  # the root and three words
    before = parser.loss(parser(inputs), inputs, gold).item()
    fit(parser, inputs, gold)
    parser.eval()
    scores = parser(inputs)
    assert parser.loss(scores, inputs, gold).item() < before / 10
    output = parser.outputs(scores, inputs, gold)
    assert output["heads"].tolist() == [[2, 0, 2], [0, 1, 0]]
    assert output["head_labels"].tolist() == [[0, 1, 2], [1, 2, 0]]
    assert parser.get_metrics(reset=True) == {"dependencies_uas": 1.0, "dependencies_las": 1.0}

    # A wrong head on punctuation does not count; on a word it does.
    wrong_punctuation = {"heads": torch.tensor([[2, 0, 1], [0, 1, 0]]), "head_labels": output["head_labels"]}
    parser.update_metrics(scores, wrong_punctuation, inputs, gold)
    assert parser.get_metrics(reset=True)["dependencies_uas"] == 1.0
    without_pos = {key: gold[key] for key in ("head_indices", "head_tags")}
    parser.update_metrics(scores, wrong_punctuation, inputs, without_pos)
    assert parser.get_metrics(reset=True)["dependencies_uas"] == pytest.approx(4 / 5)

    parser.train()  # a labelled training batch gets its loss only: decoding costs time
    assert set(parser.outputs(parser(inputs), inputs, gold)) == {"loss"}
    assert parser.get_metrics() == {}
    readable = parser.make_output_human_readable(dict(output, mask=MASK))
    assert readable == {"heads": [[2, 0, 2], [0, 1]],
                        "head_labels": [["nsubj", "root", "punct"], ["root", "punct"]]}


def test_relatedness_predicts_the_expected_score_and_trains_towards_the_gold_scores():
    relatedness = task(RelatednessTask, "relatedness")
    assert relatedness.is_pair_task and relatedness.num_labels() == 5 and relatedness.label_embedding_dim == 4
    inputs = pair_states()
    gold = {"relatedness": torch.tensor([1.5, 4.2])}
    scores = relatedness(inputs)
    assert scores.shape == (2, 5)
    predictions = relatedness.decode(scores, inputs)
    distributions = predictions["relatedness_probs"].tolist()
    by_hand = [sum(score * p for score, p in zip(range(1, 6), row)) for row in distributions]
    assert predictions["relatedness"].tolist() == pytest.approx(by_hand)

    fit(relatedness, inputs, gold)
    output = relatedness.outputs(relatedness(inputs), inputs, gold)
    assert output["relatedness"].tolist() == pytest.approx([1.5, 4.2], abs=0.05)
    metrics = relatedness.get_metrics(reset=True)
    assert set(metrics) == {"relatedness_mse", "relatedness_pearson"} and metrics["relatedness_mse"] < 0.01
    assert relatedness.make_output_human_readable(output) == {"relatedness": output["relatedness"].tolist()}
    assert relatedness.embed_labels(scores).shape == (2, 4)


def test_entailment_reads_the_relatedness_label_embedding_below_it():
    relatedness = task(RelatednessTask, "relatedness")
    entailment = task(EntailmentTask, "entailment", below=[relatedness])
    assert entailment.depth == 2 and entailment.label_embedding is None
    assert entailment.output.maxout.get_input_dim() == 2 * DIM + 4  # [a − b; a ⊙ b] and the relatedness embedding
    features = relatedness.embed_labels(relatedness(pair_states()))
    inputs = pair_states(features)
    gold = {"entailment": torch.tensor([0, 2])}
    scores = entailment(inputs)
    cross_entropy = torch.nn.functional.cross_entropy(scores, gold["entailment"])
    assert torch.allclose(entailment.loss(scores, inputs, gold), cross_entropy)
    output = entailment.outputs(scores, inputs, gold)
    assert set(output) == {"entailment_probs", "loss"}
    predicted = output["entailment_probs"].argmax(-1)
    accuracy = (predicted == gold["entailment"]).float().mean().item()
    assert entailment.get_metrics() == {"entailment_accuracy": accuracy}
    readable = entailment.make_output_human_readable(output)
    assert readable["entailment"] == [LABELS["entailment_labels"][index] for index in predicted.tolist()]
    assert readable["entailment_probs"] == output["entailment_probs"].tolist()

    alone = task(EntailmentTask, "entailment", label_embedding_dim=0)  # no pair task below: no extra features
    assert alone.output.maxout.get_input_dim() == 2 * DIM


def test_without_label_embeddings_no_task_has_one():
    pos = task(TaggingTask, "pos", label_embedding_dim=0)
    assert pos.label_embedding is None and pos.label_embedding_dim == 0
    assert "label_embedding" not in dict(pos.named_children())
    with pytest.raises(ValueError, match="no label embedding"):
        pos.embed_labels(torch.zeros(1, 1, 3))


def test_summed_losses_add_up_over_the_words():
    pos = task(TaggingTask, "pos", loss_reduction="sum")
    inputs = sentence_states()
    gold = {"tags": torch.tensor([[0, 1, 2], [1, 0, 0]])}
    scores = pos(inputs)
    log_probs = torch.log_softmax(scores, dim=-1).gather(-1, gold["tags"].unsqueeze(-1)).squeeze(-1)
    assert pos.loss(scores, inputs, gold).item() == pytest.approx(-log_probs[MASK].sum().item(), rel=1e-5)


def test_tagging_gives_each_predicted_tags_probability_when_asked():
    chunk = task(ChunkingTask, "chunk")
    inputs = sentence_states()
    scores = chunk(inputs)
    assert set(chunk.outputs(scores, inputs)) == {"chunk_tags"}  # off by default
    output = chunk.outputs(scores, inputs, probabilities=True)
    assert set(output) == {"chunk_tags", "chunk_probabilities"}
    for sentence, length in enumerate(MASK.sum(dim=1).tolist()):
        for word in range(length):
            tag = output["chunk_tags"][sentence, word].item()
            expected = softmax_at(scores[sentence, word].tolist(), tag)
            assert output["chunk_probabilities"][sentence, word].item() == pytest.approx(expected, rel=1e-5)
    assert output["chunk_probabilities"][1, 2] == 0  # padding
    readable = chunk.make_output_human_readable(dict(output, mask=MASK))
    assert readable["chunk_probabilities"] == [output["chunk_probabilities"][0].tolist(),
                                               output["chunk_probabilities"][1, :2].tolist()]
    assert all(0.0 < p <= 1.0 for row in readable["chunk_probabilities"] for p in row)


def test_dependencies_give_each_predicted_heads_and_labels_probability_when_asked():
    parser = task(DependencyTask, "dependencies")
    parser.eval()
    inputs = sentence_states()
    scores = parser(inputs)
    assert set(parser.outputs(scores, inputs)) == {"heads", "head_labels"}  # off by default
    output = parser.outputs(scores, inputs, probabilities=True)
    assert set(output) == {"heads", "head_labels", "head_probabilities", "head_label_probabilities"}
    label_logits = parser.output.label_logits(inputs.states, output["heads"])
    for sentence, length in enumerate(MASK.sum(dim=1).tolist()):
        for word in range(1, length + 1):  # arc-score positions: 0 the root, words from 1
            candidates = [head for head in range(length + 1) if head != word]
            head = output["heads"][sentence, word - 1].item()
            candidate_scores = [scores[sentence, candidate, word].item() for candidate in candidates]
            expected_head = softmax_at(candidate_scores, candidates.index(head))
            label = output["head_labels"][sentence, word - 1].item()
            expected_label = softmax_at(label_logits[sentence, word - 1].tolist(), label)
            probabilities = (output["head_probabilities"][sentence, word - 1].item(),
                             output["head_label_probabilities"][sentence, word - 1].item())
            assert probabilities == pytest.approx((expected_head, expected_label), rel=1e-5)
    readable = parser.make_output_human_readable(dict(output, mask=MASK))
    assert [len(row) for row in readable["head_probabilities"]] == [3, 2]
    assert all(0.0 < p <= 1.0 for key in ("head_probabilities", "head_label_probabilities")
               for row in readable[key] for p in row)


def test_pair_tasks_have_no_probabilities_to_add():
    entailment = task(EntailmentTask, "entailment", label_embedding_dim=0)
    inputs = pair_states()
    assert set(entailment.outputs(entailment(inputs), inputs, probabilities=True)) == {"entailment_probs"}
