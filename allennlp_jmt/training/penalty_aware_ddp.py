"""Torch's DDP for models whose batches leave parameters unused and whose loss gets a regularization penalty."""
from typing import Any, Dict, Optional, Tuple, Union

import torch
from allennlp.models import Model
from allennlp.nn.parallel import DdpAccelerator, DdpWrappedModel, TorchDdpAccelerator

PENALTY_KEY = "regularization_penalty"
"""The model output that holds, in training, the model's regularization penalty computed within the forward."""


@DdpAccelerator.register("jmt_ddp")
class PenaltyAwareDdpAccelerator(TorchDdpAccelerator):
    """
    AllenNLP's ``torch`` DDP accelerator with ``find_unused_parameters`` on by default, for models
    whose batches run only part of the network (the ``jmt`` model runs the layers up to the
    batch's task; AllenNLP's ``multitask`` model, one head and, cross-lingually, one language's
    word layers), and with the model's regularization penalty (the config's ``regularizer``,
    such as the ``jmt`` model's L2) made visible to DDP.

    Why: with ``find_unused_parameters``, DDP takes every parameter that the forward's outputs
    do not reach as unused and ready when the forward ends; AllenNLP's trainer adds the penalty
    to the loss after the forward, so the penalized parameters that the batch does not use (the
    weights of the tasks above it) get a gradient after all, which DDP refuses ("Expected to
    mark a variable ready only once"). A forward hook puts the penalty, computed within the
    forward, into the training outputs (``"regularization_penalty"``), so that DDP sees it reach
    those parameters; the trainer still adds its own, equal penalty to the loss, whose backward
    gives every one of them its gradient once. Parameters that neither the batch nor the penalty
    touch keep no gradient, as in one process (an optimizer then leaves them alone).

    Use it as ``"distributed": {"cuda_devices": [0, 1], "ddp_accelerator": {"type": "jmt_ddp"}}``.

    Registered as a `DdpAccelerator` with name "jmt_ddp".

    # Parameters

    find_unused_parameters : `bool`, optional (default=`True`)
    local_rank, world_size, cuda_device
        Given by AllenNLP's ``train`` command.
    """

    def __init__(
        self,
        *,
        find_unused_parameters: bool = True,
        local_rank: Optional[int] = None,
        world_size: Optional[int] = None,
        cuda_device: Union[torch.device, int] = -1,
    ) -> None:
        super().__init__(find_unused_parameters=find_unused_parameters, local_rank=local_rank,
                         world_size=world_size, cuda_device=cuda_device)

    def wrap_model(self, model: Model) -> Tuple[Model, DdpWrappedModel]:
        model.register_forward_hook(output_regularization_penalty)
        return super().wrap_model(model)


def output_regularization_penalty(model: Model, inputs: Any, output: Dict[str, Any]) -> None:
    """A forward hook: puts a training batch's regularization penalty (if the model has one) into its output."""
    if model.training and isinstance(output, dict) and "loss" in output:
        penalty = model.get_regularization_penalty()
        if penalty is not None:
            output[PENALTY_KEY] = penalty
