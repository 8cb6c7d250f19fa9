"""
Tensors the code creates follow its inputs' device: GPU readiness checked on the CPU.

Each check runs code twice on CPU inputs and parameters: once as usual, once while tensor
factories (``torch.zeros(n)``, ``torch.arange(n)``, ``torch.tensor(...)``) default to the
"meta" device. A tensor made without ``device=<input>.device`` then lands on "meta": mixing it
with the CPU inputs raises, and where an operation lets it through (e.g. a meta index into a CPU
tensor), it reads no data, so the result differs from the usual run's. Both runs must give the
same values on the same device. The opposite direction (the inputs on "meta", what the code
moves to the CPU mixing with them) checks state that a CPU-mapped checkpoint restores.

Limits: a 0-dimensional meta tensor passes as a scalar (as a CPU one does on a GPU); an
in-place operation on a CPU tensor with a one-element meta operand is silently skipped (the
comparison of values catches it where it matters); a tensor made on the CPU on purpose
(``device="cpu"``) and never moved to the inputs' device is not caught (scripts/gpu_smoke.sh on a
GPU is).
"""
import contextlib
import itertools
from types import SimpleNamespace
from typing import Any, Callable, Dict, Tuple

import pytest
import torch
from allennlp.data import Batch
from allennlp.models import Model
from allennlp.models.archival import load_archive
from allennlp.modules.token_embedders import Embedding
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_jmt.modules.crf_marginals import span_probabilities
from allennlp_jmt.modules.dependency_head_scorer import DependencyHeadScorer
from allennlp_jmt.modules.eisner import decode_heads, eisner, is_tree
from allennlp_jmt.modules.label_embedding import LabelEmbedding
from allennlp_jmt.modules.token_embedders import CharacterNgramEmbedder
from allennlp_jmt.modules.tree_repair import greedy_tree_heads
from allennlp_jmt.training import SuccessiveRegularization, TaskGradientClipping
from allennlp_jmt.training.metrics import MeanSquaredError
from tests.conftest import ROOT
from tests.models.test_joint import CROSSLINGUAL, batch_of, build
from tests.modules.test_crf_marginals import LABELS, random_case
from tests.modules.test_eisner import padded_batch
from tests.modules.token_embedders.test_distinct_word_character_encoder import batch_with_repeats, twin_encoders
from tests.training.test_jmt_callbacks import ThreeLayers


def assert_same(actual: Any, expected: Any) -> None:
    """Equal values, tensors on the same device (recursively through lists, tuples and dicts)."""
    if isinstance(expected, torch.Tensor):
        torch.testing.assert_close(actual, expected, equal_nan=True)  # checks the device too
    elif isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected) and len(actual) == len(expected)
        for actual_item, expected_item in zip(actual, expected):
            assert_same(actual_item, expected_item)
    elif isinstance(expected, dict):
        assert actual.keys() == expected.keys()
        for key in expected:
            assert_same(actual[key], expected[key])
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, nan_ok=True)
    else:
        assert actual == expected


def assert_follows_inputs(function: Callable[[], Any]) -> Any:
    """`function()`'s result, checked to be the same when tensor factories default to "meta"."""
    expected = function()
    with torch.device("meta"):
        actual = function()
    assert_same(actual, expected)
    return actual


def test_the_check_fails_on_a_tensor_made_without_the_inputs_device():
    inputs = torch.ones(3)
    with pytest.raises(RuntimeError, match="device"):
        assert_follows_inputs(lambda: inputs + torch.zeros(3))
    with pytest.raises(AssertionError):  # a meta index reads no data: the values differ
        assert_follows_inputs(lambda: torch.arange(3.0)[torch.tensor([2, 0])])
    assert_follows_inputs(lambda: inputs + torch.zeros(3, device=inputs.device))


@pytest.mark.parametrize("start_end", [True, False])
def test_crf_likelihood_and_decoding(start_end):
    crf, logits, mask = random_case("BIOUL", start_end=start_end)
    tags = logits.argmax(-1) * mask
    assert_follows_inputs(lambda: crf(logits, tags, mask))
    assert_follows_inputs(lambda: crf(logits, tags))  # the mask made by the CRF
    assert_follows_inputs(lambda: crf.viterbi_tags(logits, mask))
    assert_follows_inputs(lambda: crf.viterbi_tags(logits))
    assert_follows_inputs(lambda: crf.viterbi_tags(logits, mask, top_k=3))
    assert_follows_inputs(lambda: crf.valid_top_k(logits, mask, 3))


@pytest.mark.parametrize("encoding", ["BIOUL", "BIO"])
def test_crf_marginals_and_span_probabilities(encoding):
    crf, logits, mask = random_case(encoding)
    tag_index = {tag: index for index, tag in enumerate(LABELS[encoding])}
    spans = [[["X", 0, 1], ["Y", 3, 3]], [["Y", 1, 2]], [], [["X", 0, 0], ["X", 2, 3]]]

    def marginals():
        result = crf.marginals(logits, mask)
        spans_probabilities = span_probabilities(result, spans, encoding, tag_index)
        return result.tag_probabilities, result.log_partition, spans_probabilities

    probabilities = assert_follows_inputs(marginals)[2]
    assert all(0.0 < p <= 1.0 for sentence in probabilities for p in sentence)


@pytest.mark.parametrize("single_root", [True, False])
def test_eisner_tree_repair_and_head_decoding(single_root):
    scores, mask = padded_batch([6, 4, 2, 1], seed=3)
    num_positions = mask.size(1)
    impossible = ~mask.unsqueeze(2) | torch.eye(num_positions, dtype=torch.bool)
    words = mask & (torch.arange(num_positions) > 0)
    greedy = scores.masked_fill(impossible, float("-inf")).argmax(dim=1) * words
    assert is_tree(greedy, mask, single_root).tolist() == [False, False, False, True]  # to re-decode
    heads = assert_follows_inputs(lambda: eisner(scores, mask, single_root))
    assert_follows_inputs(lambda: greedy_tree_heads(scores, mask, single_root))
    assert_follows_inputs(lambda: is_tree(heads, mask, single_root))
    # max_eisner_length=3: the two long sentences are repaired, the others re-decoded by Eisner
    decoded = assert_follows_inputs(lambda: decode_heads(scores, mask, single_root, max_eisner_length=3))
    assert is_tree(decoded, mask, single_root).all()


def test_distinct_word_character_encoder():
    _, encoder = twin_encoders()
    characters = batch_with_repeats()
    assert_follows_inputs(lambda: encoder(characters))


def test_character_ngram_embedder():
    embedder = CharacterNgramEmbedder(Embedding(embedding_dim=3, num_embeddings=10))
    ngrams = torch.tensor([[[1, 4, 0], [0, 0, 0]], [[9, 2, 3], [5, 0, 0]]])
    assert_follows_inputs(lambda: embedder(ngrams))
    assert_follows_inputs(lambda: embedder(ngrams[:, :, :0]))  # no n-grams at all


def test_label_embedding_and_dependency_head_scorer():
    torch.manual_seed(0)
    label_embedding = LabelEmbedding(num_labels=5, embedding_dim=3)
    scorer = DependencyHeadScorer(input_dim=3, num_labels=4, hidden_dim=5).eval()
    states, logits = torch.randn(2, 4, 3), torch.randn(2, 4, 5)
    mask = torch.tensor([[True] * 4, [True, True, False, False]])
    assert_follows_inputs(lambda: label_embedding(logits))
    scores, _ = assert_follows_inputs(lambda: scorer.arc_scores(states, mask))
    heads = scores.argmax(dim=1)[:, 1:]
    assert_follows_inputs(lambda: scorer.label_logits(states, heads))


def test_training_callbacks_backward(tmp_path):
    model = ThreeLayers()
    trainer = SimpleNamespace(model=model)
    regularization = SuccessiveRegularization(str(tmp_path), weight=0.5)
    clipping = TaskGradientClipping(str(tmp_path), max_norm=0.1)
    regularization.penalty(model, "chunk")  # the snapshot, then a step away from it
    with torch.no_grad():
        model.embedding.weight.add_(0.3)
    # made outside the check: the stand-in's `loss` makes its input without a device
    losses = iter([model.loss("chunk") for _ in range(2)])

    def gradients():
        model.zero_grad()
        outputs = {"loss": next(losses), "task": "chunk"}
        backward_called = regularization.on_backward(trainer, outputs, backward_called=False)
        clipping.on_backward(trainer, outputs, backward_called=backward_called)
        return [parameter.grad.clone() for parameter in model.parameters() if parameter.grad is not None]

    clipped = assert_follows_inputs(gradients)
    assert regularization.penalty(model, "chunk").item() > 0
    assert torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in clipped])) <= 0.1 + 1e-6


def test_successive_regularization_follows_the_model_after_a_cpu_mapped_checkpoint(tmp_path):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path))
    regularization.penalty(model, "chunk")
    restored = SuccessiveRegularization(str(tmp_path))
    restored.load_state_dict(regularization.state_dict())  # the snapshot on the CPU, as --recover loads it
    model.to("meta")  # the model on its device, standing for the GPU
    assert restored.penalty(model, "chunk").device == torch.device("meta")


def test_mean_squared_error():
    metric = MeanSquaredError()
    predictions, gold = torch.tensor([1.0, 2.0, 4.0]), torch.tensor([1.5, 2.0, 3.0])
    mask = torch.tensor([True, False, True])

    def mean_squared_error():
        metric(predictions, gold, mask)
        return metric.get_metric(reset=True)

    assert assert_follows_inputs(mean_squared_error) == {"mse": pytest.approx(0.625)}


def test_the_joint_backbone_on_a_batch_mixing_languages():
    _, _, vocab, model, instances = build(CROSSLINGUAL)
    tensors = batch_of(instances["nl_ner"][:3] + instances["es_ner"][:2], vocab)
    backbone = model._backbone.eval()
    assert_follows_inputs(lambda: backbone(tokens=tensors["tokens"], task=tensors["task"]))


def fixture_archive(name: str) -> Tuple[Model, Dict[str, Dict[str, torch.Tensor]]]:
    """The model of fixtures/archives/NAME.tar.gz, and a batch of 3 validation instances per task."""
    archive = load_archive(str(ROOT / "fixtures" / "archives" / f"{name}.tar.gz"))
    reader, paths = archive.validation_dataset_reader, archive.config.as_dict()["validation_data_path"]
    if isinstance(paths, dict):  # a multitask reader
        task_readers = {task: (reader.readers[task], path) for task, path in paths.items()}
    else:
        task_readers = {name: (reader, paths)}
    batches = {}
    for task, (task_reader, path) in task_readers.items():
        instances = list(itertools.islice(task_reader.read(str(ROOT / path)), 3))
        for instance in instances:
            task_reader.apply_token_indexers(instance)
        batch = Batch(instances)
        batch.index_instances(archive.model.vocab)
        batches[task] = batch.as_tensor_dict()
    return archive.model, batches


@pytest.mark.parametrize("name", ["tagger", "joint", "jmt"])
def test_the_models_of_the_fixture_archives(name, monkeypatch):
    """Training (loss and gradients) and prediction (with JMT's probabilities) on each task's batch."""
    # Upstream's CategoricalAccuracy (JMT's entailment metric) counts in a device-less tensor that
    # it reads at once with .item(): harmless on a GPU, and not this project's code.
    monkeypatch.setattr(CategoricalAccuracy, "__call__", lambda *args, **kwargs: None)
    model, batches = fixture_archive(name)
    probabilities = getattr(model, "prediction_probabilities", contextlib.nullcontext)
    predicted = set()  # the output keys of every task's batch
    for tensors in batches.values():

        def train():
            torch.manual_seed(0)  # the same dropout masks
            model.train().zero_grad()
            output = model(**tensors)
            output["loss"].backward()
            gradients = [parameter.grad.clone() for parameter in model.parameters() if parameter.grad is not None]
            return output, gradients

        def predict():
            with torch.no_grad(), probabilities():
                return model.eval()(**tensors)

        assert assert_follows_inputs(train)[0]["loss"] > 0
        predicted |= assert_follows_inputs(predict).keys()
    assert name != "jmt" or {"pos_probabilities", "head_probabilities", "entailment_probs"} <= predicted
