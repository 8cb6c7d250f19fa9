"""The learning-rate schedule of Hashimoto et al. (2017)'s code: lr / (1 + decay · epoch)."""
import torch
from allennlp.training.learning_rate_schedulers import LearningRateScheduler

from allennlp_jmt.upstream import PyTorchSchedulerWrapper


@LearningRateScheduler.register("jmt_inverse_time_decay")
class InverseTimeDecay(PyTorchSchedulerWrapper):
    """
    Sets the learning rate of epoch e to lr / (1 + `decay` · e) (AllenNLP has no such schedule;
    this wraps torch's ``LambdaLR``). Stepped once per epoch by the trainer.

    Registered as a `LearningRateScheduler` with name "jmt_inverse_time_decay".

    # Parameters

    optimizer : `torch.optim.Optimizer`
        Given by the trainer.
    decay : `float`, optional (default=`0.3`)
    last_epoch : `int`, optional (default=`-1`)
    """

    def __init__(self, optimizer: torch.optim.Optimizer, decay: float = 0.3, last_epoch: int = -1) -> None:
        super().__init__(torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0 / (1.0 + decay * epoch),
                                                           last_epoch=last_epoch))
