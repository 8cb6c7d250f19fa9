"""Hashimoto et al. (2017)'s successive regularization, as a trainer callback."""
import logging
from typing import Any, Dict, Optional

import torch
from allennlp.training import GradientDescentTrainer
from allennlp.training.callbacks import TrainerCallback
from torch.utils.hooks import RemovableHandle

from allennlp_jmt.training.task_layered_model import TaskLayeredModel, check_task_layered

logger = logging.getLogger(__name__)

PENALTY_KEY = "successive_regularization"
"""The model output that holds the batch's penalty, computed within the forward."""


@TrainerCallback.register("jmt_successive_regularization")
class SuccessiveRegularization(TrainerCallback):
    """
    Adds δ‖θ − θ′‖² to each training batch's loss, θ being the parameters below the batch's
    task (the word representation and the lower tasks' layers, from the model's
    `parameters_below(task)`) and θ′ their values when the task's turn began, i.e. after the
    previous task's turn. With a scheduler that trains one task after another (``jmt_task_order``)
    this keeps a task from undoing what the tasks below it learned.

    A scheduler that changes the task every batch (``homogeneous_roundrobin``,
    ``jmt_alternating``) makes every turn one batch long: θ′ is retaken before each batch and
    the penalty is always 0. Such a schedule is not refused (the training is still valid, only
    not regularized), but once `ALTERNATION_TURNS` turns in a row have lasted one batch each, a
    warning says so, once.

    The penalty is computed within the model's forward (a forward hook put on the model when
    training starts), into the output's ``"successive_regularization"``, and added to the loss
    in `on_backward`. Under distributed training (DDP with ``find_unused_parameters``), DDP
    takes the parameters that a forward's outputs do not reach as unused and ready when the
    forward ends; a penalty computed afterwards would give some of them (a lower task's output
    layer that the batch's task does not read) a second gradient, which DDP refuses ("marked
    ready twice").

    It calls backward itself, so it must come before ``jmt_task_gradient_clipping`` in the
    trainer's callbacks. The snapshot is saved in checkpoints and restored by ``--recover``.

    The model must be a `TaskLayeredModel` (the ``jmt`` model is), checked when training starts.

    Registered as a `TrainerCallback` with name "jmt_successive_regularization".

    # Parameters

    serialization_dir : `str`
        Given by the trainer.
    weight : `float`, optional (default=`0.01`)
        δ, for every task without an entry in `task_weights`.
    task_weights : `Dict[str, float]`, optional
        δ per task.
    """

    ALTERNATION_TURNS = 10
    """The number of one-batch turns in a row taken for a schedule that alternates tasks every batch."""

    def __init__(self, serialization_dir: str, weight: float = 0.01,
                 task_weights: Optional[Dict[str, float]] = None) -> None:
        super().__init__(serialization_dir)
        self.weight = weight
        self.task_weights = dict(task_weights or {})
        self.task: Optional[str] = None
        self.snapshot: Dict[str, torch.Tensor] = {}
        self._turn_batches = 0  # the batches of the current turn so far
        self._one_batch_turns = 0  # the turns in a row, before the current one, that lasted one batch
        self._warned = False
        self._forward_hook: Optional[RemovableHandle] = None

    def on_start(self, trainer: GradientDescentTrainer, is_primary: bool = True, **kwargs) -> None:
        check_task_layered(trainer.model, "jmt_successive_regularization")
        self._forward_hook = trainer.model.register_forward_hook(self._penalize_in_forward)

    def on_end(self, trainer: GradientDescentTrainer, *args, **kwargs) -> None:
        if self._forward_hook is not None:
            self._forward_hook.remove()
            self._forward_hook = None

    def _penalize_in_forward(self, model: TaskLayeredModel, inputs: Any, output: Dict[str, Any]) -> None:
        """Puts a training batch's penalty into the model's output (see the class docstring: DDP must see it)."""
        if model.training and "loss" in output and output.get("task") is not None:
            output[PENALTY_KEY] = self.penalty(model, output["task"])

    def penalty(self, model: TaskLayeredModel, task: str) -> torch.Tensor:
        """δ‖θ − θ′‖² for a batch of `task`, first taking the snapshot θ′ if a new task's turn begins."""
        if task != self.task:
            self._new_turn(task)
            self.snapshot = {name: parameter.detach().clone() for name, parameter in model.parameters_below(task)}
        self._turn_batches += 1
        weight = self.task_weights.get(task, self.weight)
        below = list(model.parameters_below(task))
        if weight == 0 or not below:
            return torch.zeros((), device=below[0][1].device if below else None)
        # `.to`: --recover loads the snapshot onto the CPU, whatever the model's device.
        return weight * sum(((parameter - self.snapshot[name].to(parameter.device)) ** 2).sum()
                            for name, parameter in below)

    def on_epoch(self, trainer: GradientDescentTrainer, metrics: Dict[str, Any], epoch: int,
                 is_primary: bool = True, **kwargs) -> None:
        """
        Ends the current turn: the next batch retakes the snapshot even if its task is the same (a
        single task trained alone: θ′ is then its values at the end of the previous epoch, as in
        the paper, instead of its initial values for the whole training).
        """
        self.task = None

    def _new_turn(self, task: str) -> None:
        """Starts `task`'s turn, and warns (once) if the tasks have been alternating every batch."""
        if self.task is not None:
            self._one_batch_turns = self._one_batch_turns + 1 if self._turn_batches == 1 else 0
        self.task = task
        self._turn_batches = 0
        if self._one_batch_turns >= self.ALTERNATION_TURNS and not self._warned:
            self._warned = True
            logger.warning(
                "jmt_successive_regularization: the task changed after every batch of the last %d turns, as "
                "under a scheduler that alternates tasks every batch (homogeneous_roundrobin, jmt_alternating). "
                "The snapshot of the lower layers is retaken at each task change, so the penalty is always 0 and "
                "successive regularization does nothing: use jmt_task_order, whose turns run through a task's "
                "data.",
                self._one_batch_turns)

    def on_backward(self, trainer: GradientDescentTrainer, batch_outputs: Dict[str, Any],
                    backward_called: bool, **kwargs) -> bool:
        if backward_called:
            raise ValueError("another callback already called backward: list jmt_successive_regularization "
                             "before it (e.g. before jmt_task_gradient_clipping)")
        task = batch_outputs.get("task")
        if task is None:
            raise ValueError("jmt_successive_regularization needs the model to output its batch's 'task'")
        penalty = batch_outputs.get(PENALTY_KEY)
        if penalty is None:  # a forward that did not run under this callback's hook
            penalty = self.penalty(trainer.model, task)
        (batch_outputs["loss"] + penalty).backward()
        return True

    def state_dict(self) -> Dict[str, Any]:
        return {"task": self.task, "snapshot": self.snapshot}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        self.task = state_dict["task"]
        self.snapshot = state_dict["snapshot"]
