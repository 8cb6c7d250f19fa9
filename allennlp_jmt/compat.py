"""
Fixes for AllenNLP 2.10.1 running on torch 2.x, in one place, applied when `allennlp_jmt`
is imported. AllenNLP is archived and pins ``torch<1.13``; the project runs it on torch 2.x
(see the README), where these upstream code paths break. Nothing in site-packages is edited.

1. ``allennlp train --recover`` fails with ``UnpicklingError``: since torch 2.6,
   `torch.load` defaults to ``weights_only=True``, and the trainer's
   ``training_state_e*.th`` holds numpy scalars (metric values) and other plain Python
   objects. `Checkpointer.load_checkpoint` is replaced by a copy that loads that file,
   which the trainer itself wrote into the serialization directory, with
   ``weights_only=False``. Model weights are still loaded with torch's safe default.
2. The ``reduce_on_plateau`` learning-rate scheduler passes ``verbose`` to
   `torch.optim.lr_scheduler.ReduceLROnPlateau`, which newer torch no longer accepts. The
   registered name is pointed at a subclass that drops it (and accepts it in configs).
"""
import logging
from typing import List, Optional, Union

import torch
from allennlp.nn import util as nn_util
from allennlp.training.checkpointer import Checkpointer, TrainerCheckpoint
from allennlp.training.learning_rate_schedulers import LearningRateScheduler
from allennlp.training.learning_rate_schedulers.pytorch_lr_schedulers import ReduceOnPlateauLearningRateScheduler
from torch.optim import Optimizer

from allennlp_jmt.upstream import PyTorchSchedulerWithMetricsWrapper

logger = logging.getLogger(__name__)


def _load_checkpoint(self: Checkpointer) -> Optional[TrainerCheckpoint]:
    """`Checkpointer.load_checkpoint`, reading the training state with ``weights_only=False``."""
    latest_checkpoint = self.find_latest_checkpoint()
    if latest_checkpoint is None:
        return None
    model_path, training_state_path = latest_checkpoint
    on_cpu = nn_util.device_mapping(-1)
    model_state = torch.load(model_path, map_location=on_cpu)
    training_state = torch.load(training_state_path, map_location=on_cpu, weights_only=False)
    return TrainerCheckpoint(model_state, training_state)


class ReduceOnPlateauWithoutVerbose(ReduceOnPlateauLearningRateScheduler):
    """
    AllenNLP's ``reduce_on_plateau`` scheduler without the ``verbose`` argument that newer
    torch removed; its parameters are those of `torch.optim.lr_scheduler.ReduceLROnPlateau`.

    Registered as a `LearningRateScheduler` with name "reduce_on_plateau", replacing the
    upstream class of that name.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        verbose: bool = False,
        threshold_mode: str = "rel",
        threshold: float = 1e-4,
        cooldown: int = 0,
        min_lr: Union[float, List[float]] = 0,
        eps: float = 1e-8,
    ) -> None:
        if verbose:
            logger.info("reduce_on_plateau: 'verbose' is not supported by this torch; ignored")
        lr_scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer=optimizer, mode=mode, factor=factor, patience=patience,
            threshold_mode=threshold_mode, threshold=threshold, cooldown=cooldown,
            min_lr=min_lr, eps=eps,
        )
        PyTorchSchedulerWithMetricsWrapper.__init__(self, lr_scheduler)


def apply() -> None:
    """Applies every fix; importing `allennlp_jmt` calls it, and calling it again changes nothing."""
    Checkpointer.load_checkpoint = _load_checkpoint
    LearningRateScheduler.register("reduce_on_plateau", exist_ok=True)(ReduceOnPlateauWithoutVerbose)
