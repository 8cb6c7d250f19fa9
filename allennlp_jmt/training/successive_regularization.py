"""Hashimoto et al. (2017)'s successive regularization, as a trainer callback."""
from typing import Any, Dict, Optional

import torch
from allennlp.training import GradientDescentTrainer
from allennlp.training.callbacks import TrainerCallback


@TrainerCallback.register("jmt_successive_regularization")
class SuccessiveRegularization(TrainerCallback):
    """
    Adds δ‖θ − θ′‖² to each training batch's loss, θ being the parameters below the batch's
    task (the word representation and the lower tasks' layers, from the model's
    `parameters_below(task)`) and θ′ their values when the task's turn began, i.e. after the
    previous task's turn. With a scheduler that trains one task after another (``jmt_task_order``)
    this keeps a task from undoing what the tasks below it learned.

    It calls backward itself, so it must come before ``jmt_task_gradient_clipping`` in the
    trainer's callbacks. The snapshot is saved in checkpoints and restored by ``--recover``.

    The model must put its batch's ``task`` into its output dict and have
    `parameters_below(task)` (the ``jmt`` model does).

    Registered as a `TrainerCallback` with name "jmt_successive_regularization".

    # Parameters

    serialization_dir : `str`
        Given by the trainer.
    weight : `float`, optional (default=`0.01`)
        δ, for every task without an entry in `task_weights`.
    task_weights : `Dict[str, float]`, optional
        δ per task.
    """

    def __init__(self, serialization_dir: str, weight: float = 0.01,
                 task_weights: Optional[Dict[str, float]] = None) -> None:
        super().__init__(serialization_dir)
        self.weight = weight
        self.task_weights = dict(task_weights or {})
        self.task: Optional[str] = None
        self.snapshot: Dict[str, torch.Tensor] = {}

    def penalty(self, model: torch.nn.Module, task: str) -> torch.Tensor:
        """δ‖θ − θ′‖² for `task`, first taking the snapshot θ′ if a new task's turn begins."""
        if task != self.task:
            self.task = task
            self.snapshot = {name: parameter.detach().clone() for name, parameter in model.parameters_below(task)}
        weight = self.task_weights.get(task, self.weight)
        total = sum(((parameter - self.snapshot[name]) ** 2).sum() for name, parameter in model.parameters_below(task))
        return weight * total if isinstance(total, torch.Tensor) else torch.tensor(0.0)

    def on_backward(self, trainer: GradientDescentTrainer, batch_outputs: Dict[str, Any],
                    backward_called: bool, **kwargs) -> bool:
        if backward_called:
            raise ValueError("another callback already called backward: list jmt_successive_regularization "
                             "before it (e.g. before jmt_task_gradient_clipping)")
        task = batch_outputs.get("task")
        if task is None:
            raise ValueError("jmt_successive_regularization needs the model to output its batch's 'task'")
        (batch_outputs["loss"] + self.penalty(trainer.model, task)).backward()
        return True

    def state_dict(self) -> Dict[str, Any]:
        return {"task": self.task, "snapshot": self.snapshot}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self.task = state_dict["task"]
        self.snapshot = state_dict["snapshot"]
