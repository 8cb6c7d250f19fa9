"""Successive regularization, per-task gradient clipping and the inverse-time learning-rate decay."""
import logging
from types import SimpleNamespace

import pytest
import torch
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.training.learning_rate_schedulers import LearningRateScheduler

from allennlp_jmt.training import SuccessiveRegularization, TaskGradientClipping, TaskLayeredModel


class ThreeLayers(torch.nn.Module):
    """A stand-in for the JMT model: an embedding below three task layers."""

    tasks = ["pos", "chunk", "dependencies"]

    def __init__(self) -> None:
        super().__init__()
        self.embedding = torch.nn.Linear(3, 3)
        self.layers = torch.nn.ModuleDict({task: torch.nn.Linear(3, 3) for task in self.tasks})

    def task_depth(self, task):
        return self.tasks.index(task) + 1

    def parameters_below(self, task):
        yield from self.embedding.named_parameters(prefix="embedding")
        for lower in self.tasks[: self.tasks.index(task)]:
            yield from self.layers[lower].named_parameters(prefix=f"layers.{lower}")

    def loss(self, task):
        hidden = self.embedding(torch.ones(1, 3))
        for layer in self.tasks[: self.task_depth(task)]:
            hidden = self.layers[layer](hidden)
        return hidden.pow(2).sum()


def move_pos_bias(model: ThreeLayers) -> None:
    """Moves the POS layer's 3 biases by 1 each: a squared distance of 3 from any earlier snapshot."""
    with torch.no_grad():
        model.layers["pos"].bias.add_(1.0)


def test_the_penalty_is_zero_at_the_snapshot_grows_with_the_lower_layers_and_ignores_the_own_layer(tmp_path):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path), weight=0.5)
    assert regularization.penalty(model, "chunk").item() == 0.0  # the snapshot is taken at the turn's start
    with torch.no_grad():
        model.layers["chunk"].weight.add_(1.0)  # the task's own layer: not regularized
        model.layers["dependencies"].weight.add_(1.0)  # above it: not regularized
    assert regularization.penalty(model, "chunk").item() == 0.0
    with torch.no_grad():
        model.layers["pos"].weight.add_(0.1)
    first = regularization.penalty(model, "chunk").item()
    assert first == pytest.approx(0.5 * 9 * 0.01)
    with torch.no_grad():
        model.embedding.bias.add_(0.2)
    assert regularization.penalty(model, "chunk").item() == pytest.approx(first + 0.5 * 3 * 0.04)
    # A new task's turn takes a new snapshot: the moves so far no longer count.
    assert regularization.penalty(model, "dependencies").item() == 0.0


def test_per_task_weights_and_state_survive_a_round_trip(tmp_path):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path), weight=0.5, task_weights={"chunk": 2.0})
    regularization.penalty(model, "chunk")
    move_pos_bias(model)
    assert regularization.penalty(model, "chunk").item() == pytest.approx(2.0 * 3)
    restored = SuccessiveRegularization(str(tmp_path), weight=0.5, task_weights={"chunk": 2.0})
    restored.load_state_dict(regularization.state_dict())
    assert restored.penalty(model, "chunk").item() == pytest.approx(2.0 * 3)


def test_a_task_trained_alone_is_held_to_its_values_at_the_end_of_the_previous_epoch(tmp_path):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path), weight=0.5)
    regularization.penalty(model, "chunk")
    move_pos_bias(model)
    assert regularization.penalty(model, "chunk").item() == pytest.approx(0.5 * 3)
    regularization.on_epoch(SimpleNamespace(model=model), {}, epoch=0)
    assert regularization.penalty(model, "chunk").item() == 0.0  # the same task, a new snapshot
    move_pos_bias(model)
    assert regularization.penalty(model, "chunk").item() == pytest.approx(0.5 * 3)


def test_a_task_with_weight_zero_has_no_penalty(tmp_path):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path), weight=0.5, task_weights={"chunk": 0.0})
    regularization.penalty(model, "chunk")
    move_pos_bias(model)
    assert regularization.penalty(model, "chunk").item() == 0.0
    assert regularization.penalty(model, "dependencies").item() == 0.0  # snapshot at the turn's start
    move_pos_bias(model)
    assert regularization.penalty(model, "dependencies").item() == pytest.approx(0.5 * 3)


def test_backward_adds_the_penalty_gradient_and_clipping_follows_the_task_depth(tmp_path):
    model = ThreeLayers()
    trainer = SimpleNamespace(model=model)
    regularization = SuccessiveRegularization(str(tmp_path), weight=1.0)
    clipping = TaskGradientClipping(str(tmp_path), max_norm=3.0)

    regularization.penalty(model, "chunk")  # snapshot
    move_pos_bias(model)
    loss = model.loss("chunk")
    loss.backward(retain_graph=True)
    plain = model.layers["pos"].bias.grad.clone()
    model.zero_grad()
    called = regularization.on_backward(trainer, {"loss": loss, "task": "chunk"}, False)
    assert called
    assert torch.allclose(model.layers["pos"].bias.grad, plain + 2.0)  # d/dθ ‖θ − θ′‖² = 2 (θ − θ′)

    for task, limit in (("pos", 1.0), ("chunk", 2.0), ("dependencies", 3.0)):
        model.zero_grad()
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.mul_(3.0)  # large weights: large gradients
        assert clipping.on_backward(trainer, {"loss": model.loss(task), "task": task}, False)
        norm = torch.norm(torch.stack([p.grad.norm() for p in model.parameters() if p.grad is not None]))
        assert norm.item() == pytest.approx(limit, rel=1e-4)
        assert (model.layers["dependencies"].weight.grad is None) == (task != "dependencies")


def test_successive_regularization_must_come_before_a_callback_that_ran_backward(tmp_path):
    regularization = SuccessiveRegularization(str(tmp_path))
    with pytest.raises(ValueError, match="before"):
        regularization.on_backward(SimpleNamespace(model=ThreeLayers()), {"loss": torch.tensor(1.0), "task": "pos"}, True)
    with pytest.raises(ValueError, match="'task'"):
        TaskGradientClipping(str(tmp_path)).on_backward(SimpleNamespace(model=ThreeLayers()), {"loss": torch.tensor(1.0)}, False)


class WithoutParametersBelow(torch.nn.Module):
    """A model with task depths but nothing to say which parameters lie below a task."""

    def task_depth(self, task):
        return 1


@pytest.mark.parametrize("callback_type", [SuccessiveRegularization, TaskGradientClipping])
def test_the_callbacks_refuse_a_model_that_is_no_task_layered_model_when_training_starts(tmp_path, callback_type):
    assert isinstance(ThreeLayers(), TaskLayeredModel)
    callback_type(str(tmp_path)).on_start(SimpleNamespace(model=ThreeLayers()))  # accepted
    for model, missing in ((WithoutParametersBelow(), "lacks parameters_below"),
                           (torch.nn.Linear(2, 2), "lacks task_depth, parameters_below")):
        assert not isinstance(model, TaskLayeredModel)
        with pytest.raises(ConfigurationError, match=missing) as refusal:
            callback_type(str(tmp_path)).on_start(SimpleNamespace(model=model))
        assert "TaskLayeredModel" in str(refusal.value) and type(model).__name__ in str(refusal.value)


ALTERNATION_WARNING = "the task changed after every batch"


def test_successive_regularization_warns_once_when_the_task_changes_every_batch(tmp_path, caplog):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path))
    turns = SuccessiveRegularization.ALTERNATION_TURNS
    with caplog.at_level(logging.WARNING, logger="allennlp_jmt.training.successive_regularization"):
        for batch in range(turns):  # round-robin: pos, chunk, pos, ...; each penalty is 0
            assert regularization.penalty(model, model.tasks[batch % 2]).item() == 0.0
        assert ALTERNATION_WARNING not in caplog.text  # `turns` - 1 one-batch turns have ended
        regularization.penalty(model, "dependencies")
        assert caplog.text.count(ALTERNATION_WARNING) == 1 and "jmt_task_order" in caplog.text
        for batch in range(3 * turns):
            regularization.penalty(model, model.tasks[batch % 3])
    assert caplog.text.count(ALTERNATION_WARNING) == 1  # once


def test_successive_regularization_does_not_warn_under_turns_of_several_batches(tmp_path, caplog):
    model = ThreeLayers()
    regularization = SuccessiveRegularization(str(tmp_path))
    # jmt_task_order on small data: some tasks' turns are one batch long, but not all of them in a row.
    schedule = (["pos"] + ["chunk"] * 3 + ["dependencies"]) * (2 * SuccessiveRegularization.ALTERNATION_TURNS)
    with caplog.at_level(logging.WARNING, logger="allennlp_jmt.training.successive_regularization"):
        for task in schedule:
            regularization.penalty(model, task)
    assert ALTERNATION_WARNING not in caplog.text


def test_inverse_time_decay_divides_the_rate_by_one_plus_decay_times_epoch():
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=1.0)
    scheduler = LearningRateScheduler.from_params(Params({"type": "jmt_inverse_time_decay", "decay": 0.3}),
                                                  optimizer=optimizer)
    rates = []
    for _ in range(3):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert rates == pytest.approx([1.0, 1 / 1.3, 1 / 1.6])
