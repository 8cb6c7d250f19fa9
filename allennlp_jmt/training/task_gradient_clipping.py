"""Per-task gradient-norm clipping, as a trainer callback."""
from typing import Any, Dict

import torch
from allennlp.training import GradientDescentTrainer
from allennlp.training.callbacks import TrainerCallback

from allennlp_jmt.training.task_layered_model import TaskLayeredModel, check_task_layered


@TrainerCallback.register("jmt_task_gradient_clipping")
class TaskGradientClipping(TrainerCallback):
    """
    Clips each batch's gradient norm at min(`max_norm`, depth of the batch's task), as Hashimoto
    et al. (2017) do: the deeper a task, the more layers its gradient flows through, the larger
    the norm it may have. (The trainer's own ``grad_norm`` is one value for all batches.)

    It runs backward itself unless an earlier callback did (``jmt_successive_regularization``),
    so list it last. The model must be a `TaskLayeredModel` (the ``jmt`` model is), checked when
    training starts.

    Registered as a `TrainerCallback` with name "jmt_task_gradient_clipping".

    # Parameters

    serialization_dir : `str`
        Given by the trainer.
    max_norm : `float`, optional (default=`3.0`)
    """

    def __init__(self, serialization_dir: str, max_norm: float = 3.0) -> None:
        super().__init__(serialization_dir)
        self.max_norm = max_norm

    def on_start(self, trainer: GradientDescentTrainer, is_primary: bool = True, **kwargs) -> None:
        check_task_layered(trainer.model, "jmt_task_gradient_clipping")

    def clip_norm(self, model: TaskLayeredModel, task: str) -> float:
        return min(self.max_norm, float(model.task_depth(task)))

    def on_backward(self, trainer: GradientDescentTrainer, batch_outputs: Dict[str, Any],
                    backward_called: bool, **kwargs) -> bool:
        task = batch_outputs.get("task")
        if task is None:
            raise ValueError("jmt_task_gradient_clipping needs the model to output its batch's 'task'")
        if not backward_called:
            batch_outputs["loss"].backward()
        parameters = [parameter for parameter in trainer.model.parameters() if parameter.grad is not None]
        torch.nn.utils.clip_grad_norm_(parameters, self.clip_norm(trainer.model, task))
        return True
