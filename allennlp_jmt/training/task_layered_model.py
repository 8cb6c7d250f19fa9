"""What JMT's training callbacks need from a model: tasks that are layers stacked on one another."""
from typing import Iterator, List, Protocol, Tuple, runtime_checkable

import torch
from allennlp.common.checks import ConfigurationError


@runtime_checkable
class TaskLayeredModel(Protocol):
    """
    A model whose tasks are layers stacked on one another, each task's batches running the
    layers up to the task's own (the ``jmt`` model): what ``jmt_successive_regularization`` and
    ``jmt_task_gradient_clipping`` use. Besides these methods, the model's forward must put the
    batch's task into its output dict, under ``"task"`` (the callbacks check that batch by batch).
    """

    def task_depth(self, task: str) -> int:
        """The number of layers a batch of `task` runs: 1 for the lowest task."""

    def parameters_below(self, task: str) -> Iterator[Tuple[str, torch.nn.Parameter]]:
        """The named parameters below `task`'s own layer (the shared word representation and the lower tasks')."""


PROTOCOL_MEMBERS = tuple(name for name, value in vars(TaskLayeredModel).items()
                         if callable(value) and not name.startswith("_"))


def missing_members(model: object) -> List[str]:
    """The `TaskLayeredModel` methods that `model` lacks."""
    return [name for name in PROTOCOL_MEMBERS if not callable(getattr(model, name, None))]


def check_task_layered(model: object, callback: str) -> None:
    """Raises a `ConfigurationError` naming what `model` lacks of a `TaskLayeredModel` (for `callback`)."""
    missing = missing_members(model)
    if missing or not isinstance(model, TaskLayeredModel):
        raise ConfigurationError(
            f"{callback} needs a model with the methods of TaskLayeredModel ({', '.join(PROTOCOL_MEMBERS)}), "
            f"as the jmt model has; {type(model).__name__} lacks {', '.join(missing)}")
