"""The JMT model: training, saving and loading, task subsets, ablation switches, what each task runs."""
import json

import pytest
import torch
from allennlp.common import Params
from allennlp.commands.train import train_model
from allennlp.data import Batch, DatasetReader, Vocabulary
from allennlp.data.fields import MetadataField
from allennlp.models import Model, load_archive

from allennlp_jmt.modules.eisner import MAX_EISNER_LENGTH
from tests.conftest import ROOT

CONFIG = str(ROOT / "fixtures" / "configs" / "jmt_tiny.jsonnet")
TASKS = ["pos", "chunk", "dependencies", "relatedness", "entailment"]


def config(**overrides) -> Params:
    return Params.from_file(CONFIG, params_overrides=json.dumps(overrides))


def subset(tasks, metric):
    """The tiny config restricted to `tasks`, as a task-subset row of the paper (JMT_AB, JMT_DE, ...)."""
    params = config().as_dict()
    for key in ("train_data_path", "validation_data_path", "test_data_path"):
        params[key] = {task: path for task, path in params[key].items() if task in tasks}
    params["dataset_reader"]["readers"] = {t: r for t, r in params["dataset_reader"]["readers"].items() if t in tasks}
    params["model"]["tasks"] = tasks
    params["data_loader"]["scheduler"]["order"] = tasks
    params["trainer"]["validation_metric"] = metric
    return Params(params)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The tiny five-task model, trained for two epochs, and its archive."""
    out = tmp_path_factory.mktemp("jmt") / "run"
    model = train_model(config(), str(out))
    return model, out


@pytest.fixture(scope="module")
def batches(trained):
    """One validation batch per task, read by the archive's multitask reader."""
    _, out = trained
    archive = load_archive(str(out / "model.tar.gz"))
    params = config()
    reader = archive.dataset_reader
    result = {}
    for task, path in params["validation_data_path"].as_dict().items():
        instances = list(reader.readers[task].read(path))[:4]
        for instance in instances:
            instance.add_field("task", MetadataField(task))
            instance.index_fields(archive.model.vocab)
        result[task] = Batch(instances).as_tensor_dict()
    return result


def test_training_reports_every_task_and_the_archive_reproduces_the_model(trained, batches):
    model, out = trained
    metrics = json.loads((out / "metrics.json").read_text())
    for name in ("pos_accuracy", "chunk_f1", "dependencies_uas", "dependencies_las", "relatedness_mse",
                 "relatedness_pearson", "entailment_accuracy"):
        assert f"validation_{name}" in metrics and f"test_{name}" in metrics
    assert 0.0 <= metrics["test_dependencies_las"] <= metrics["test_dependencies_uas"] <= 1.0

    loaded = load_archive(str(out / "model.tar.gz")).model
    model.eval()
    loaded.eval()
    for task, batch in batches.items():
        ours, theirs = model(**batch), loaded(**batch)
        assert torch.allclose(ours["loss"], theirs["loss"]), task
        assert ours["task"] == task
    # Every task's parameters were trained: none is still at its initial value of an untrained model.
    untrained = Model.from_params(vocab=model.vocab, params=config()["model"])
    for task in TASKS:
        before = dict(untrained.task_layers[task].named_parameters())
        after = dict(model.task_layers[task].named_parameters())
        assert any(not torch.equal(before[name], after[name]) for name in after), task


def test_a_task_runs_only_the_layers_up_to_its_own(trained, batches):
    model, _ = trained
    model.train()
    called = []
    hooks = [model.task_layers[task].encoder.register_forward_hook(lambda *_, t=task: called.append(t))
             for task in TASKS]
    try:
        for task in TASKS:
            called.clear()
            model.zero_grad()
            model(**batches[task])["loss"].backward()
            runs = set(TASKS[: TASKS.index(task) + 1])
            assert set(called) == runs, task
            for other in TASKS:
                has_gradient = any(p.grad is not None and p.grad.abs().sum() > 0
                                   for p in model.task_layers[other].encoder.parameters())
                assert has_gradient == (other in runs), (task, other)
    finally:
        for hook in hooks:
            hook.remove()


def test_the_parameters_below_a_task_are_the_word_representation_and_the_lower_layers(trained):
    model, _ = trained
    names = [name for name, _ in model.parameters_below("dependencies")]
    assert any(name.startswith("text_field_embedder.") for name in names)
    assert any(name.startswith("task_layers.pos.") for name in names)
    assert any(name.startswith("task_layers.chunk.") for name in names)
    assert not any(name.startswith(("task_layers.dependencies.", "task_layers.relatedness.")) for name in names)
    assert all(name.startswith("text_field_embedder.") for name, _ in model.parameters_below("pos"))
    assert [model.task_depth(task) for task in TASKS] == [1, 2, 3, 4, 5]


def test_prediction_without_a_task_runs_every_layer(trained, batches):
    model, _ = trained
    model.eval()
    sentence = {key: value for key, value in batches["dependencies"].items()
                if key in ("tokens", "metadata")}
    readable = model.make_output_human_readable(model(**sentence))
    for key in ("pos_tags", "chunk_tags", "chunks", "heads", "head_labels"):
        assert len(readable[key]) == 4, key
    for words, tags, heads in zip(readable["words"], readable["pos_tags"], readable["heads"]):
        assert len(tags) == len(heads) == len(words)
        assert sum(head == 0 for head in heads) == 1  # one root: a tree
    pair = {key: value for key, value in batches["entailment"].items() if key in ("premise", "hypothesis")}
    output = model(**pair)
    readable = model.make_output_human_readable(output)
    # The score is the expectation Σ i·p_i of the predicted distribution over 1…5, computed here by hand,
    # and the model tells the pairs apart.
    distributions = output["relatedness_probs"].tolist()
    expected = [sum(score * p for score, p in zip(range(1, 6), distribution)) for distribution in distributions]
    assert readable["relatedness"] == pytest.approx(expected, abs=1e-6)
    assert all(sum(distribution) == pytest.approx(1.0) for distribution in distributions)
    assert len(set(round(score, 6) for score in readable["relatedness"])) > 1
    assert set(readable["entailment"]) <= {"ENTAILMENT", "NEUTRAL", "CONTRADICTION"}
    assert len(readable["premise_pos_tags"]) == len(readable["hypothesis_heads"]) == 4


def test_prediction_probabilities_are_output_within_their_context_only(trained, batches):
    model, _ = trained
    model.eval()
    pair = {key: value for key, value in batches["entailment"].items() if key in ("premise", "hypothesis")}
    assert not any(key.endswith("_probabilities") for key in model(**pair))
    with model.prediction_probabilities():
        output = model(**pair)
    assert not any(key.endswith("_probabilities") for key in model(**pair))  # off again after the context
    for side in ("premise", "hypothesis"):
        mask = output[f"{side}_mask"]
        for key in ("pos_probabilities", "chunk_probabilities", "head_probabilities", "head_label_probabilities"):
            probabilities = output[f"{side}_{key}"]
            assert probabilities.shape == mask.shape, key
            assert ((probabilities > 0) & (probabilities <= 1)).eq(mask).all(), key  # zero on padding only
    readable = model.make_output_human_readable(output)
    lengths = [len(row) for row in readable["premise_heads"]]
    assert [len(row) for row in readable["premise_head_probabilities"]] == lengths


def test_max_eisner_length_reaches_the_dependency_decoding(trained):
    model, _ = trained
    assert model.task_layers["dependencies"].max_eisner_length == MAX_EISNER_LENGTH  # the default of old configs
    shorter = Model.from_params(vocab=model.vocab, params=config(**{"model.max_eisner_length": 7})["model"])
    assert shorter.task_layers["dependencies"].max_eisner_length == 7


def test_a_batch_of_two_tasks_is_refused_for_a_scheduler_with_turns_of_many_batches(trained, batches):
    model, _ = trained
    batch = dict(batches["pos"], task=["pos", "chunk", "pos", "pos"])
    with pytest.raises(ValueError, match="one task") as refusal:
        model(**batch)
    message = str(refusal.value)
    assert "jmt_task_order" in message
    # Round-robin is named only as the schedule not to use, under which successive regularization does nothing.
    assert message.index("jmt_task_order") < message.index("Not homogeneous_roundrobin")
    assert "jmt_successive_regularization" in message and "never penalizes" in message


@pytest.mark.parametrize("tasks, metric", [(["pos", "chunk"], "+chunk_f1"),
                                           (["relatedness", "entailment"], "+entailment_accuracy")])
def test_task_subsets_train(tmp_path, tasks, metric):
    model = train_model(subset(tasks, metric), str(tmp_path / "run"))
    assert list(model.task_layers) == tasks
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert f"best_validation_{metric[1:]}" in metrics


def _layer_input_sizes(**switches):
    params = config()["model"].as_dict()
    params.update(switches)
    reader_params = config()["dataset_reader"]
    reader = DatasetReader.from_params(reader_params)
    instances = [instance for task, path in config()["train_data_path"].as_dict().items()
                 for instance in reader.readers[task].read(path)]
    model = Model.from_params(vocab=Vocabulary.from_instances(instances), params=Params(params))
    return {task: model.task_layers[task].encoder.get_input_dim() for task in TASKS}


def test_ablation_switches_change_what_each_layer_reads():
    full = _layer_input_sizes()
    word, below, label = 16, 16, 8  # tiny config: 8 + 8 word representation, 2 x 8 states, 8 per label embedding
    assert full == {"pos": word, "chunk": below + word + label, "dependencies": below + word + 2 * label,
                    "relatedness": below + word + 2 * label, "entailment": below + word + 2 * label}
    assert _layer_input_sizes(shortcut_connections=False)["chunk"] == below + label
    assert _layer_input_sizes(vertical_connections=False)["dependencies"] == word + 2 * label
    assert _layer_input_sizes(label_embeddings=False)["entailment"] == below + word
    with pytest.raises(ValueError, match="ordered subset"):
        _layer_input_sizes(tasks=["chunk", "pos"])
    with pytest.raises(ValueError, match="shortcut or vertical"):
        _layer_input_sizes(shortcut_connections=False, vertical_connections=False)


def test_word_dropout_replaces_training_words_only(trained, batches):
    model, _ = trained
    assert model.word_dropout.rate == 0.25  # the libsonnet's default, as in the authors' code
    seen = []
    hook = model.text_field_embedder.token_embedder_tokens.register_forward_pre_hook(
        lambda module, inputs: seen.append(inputs[0].clone()))
    oov = model.vocab.get_token_index(model.vocab._oov_token, "tokens")
    batch = batches["dependencies"]  # four sentences: the POS dev fixture is one short one
    ids = batch["tokens"]["tokens"]["tokens"]
    try:
        torch.manual_seed(1)
        model.train()
        model(**batch)
        model.eval()
        model(**batch)
    finally:
        hook.remove()
    trained_ids, evaluated_ids = seen
    assert torch.equal(evaluated_ids, ids)
    replaced = trained_ids != ids
    assert replaced.any() and (trained_ids[replaced] == oov).all()


def test_summed_losses_are_the_averaged_ones_times_the_tokens_or_pairs(trained, batches):
    """loss_reduction 'sum' (the paper's objective) against the default per-batch averages."""
    model, _ = trained
    model.eval()
    summed = Model.from_params(vocab=model.vocab, params=config(**{"model.loss_reduction": "sum"})["model"])
    summed.load_state_dict(model.state_dict())
    summed.eval()
    for task, batch in batches.items():
        mean, total = model(**batch)["loss"], summed(**batch)["loss"]
        if task in ("relatedness", "entailment"):
            count = batch["premise"]["tokens"]["tokens"].size(0)  # pairs
            assert torch.allclose(total, mean * count), task
        elif task in ("pos", "chunk"):  # every token's negative log-likelihood, added up
            mask, _, scores = summed._run_layers(batch["tokens"], task)
            log_probs = torch.log_softmax(scores[task], dim=-1)
            gold = log_probs.gather(-1, batch["tags"].unsqueeze(-1)).squeeze(-1)
            assert torch.allclose(total, -(gold * mask).sum()), task
        else:  # arc and label losses, each summed over the words: more than their sentence averages
            assert total > mean * batch["tokens"]["tokens"]["tokens"].size(0), task
    with pytest.raises(ValueError, match="loss_reduction"):
        Model.from_params(vocab=model.vocab, params=config(**{"model.loss_reduction": "median"})["model"])


def test_l2_regularizes_the_task_layers_weights_not_the_embeddings(trained):
    """Under Adam, an L2 gradient on every embedding row would drive untouched rows (dev-only words) to 0."""
    model, _ = trained
    model.zero_grad()
    model.get_regularization_penalty().backward()
    for name, parameter in model.named_parameters():
        regularized = parameter.grad is not None and bool(parameter.grad.abs().sum() > 0)
        is_weight = "weight" in name.rsplit(".", 1)[-1]  # Linear .weight, LSTM .weight_ih_l0, ...
        assert regularized == (name.startswith("task_layers.") and is_weight), name
