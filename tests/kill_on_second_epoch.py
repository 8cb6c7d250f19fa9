"""
A test-only trainer callback: it counts trained batches in a numpy integer (so the training
state holds a numpy scalar, as metric values often are) and SIGKILLs training on the first batch
of the second epoch when `ENV` is set. On start it writes the count it was restored with.
"""
import json
import os
import signal

import numpy

from allennlp.training.callbacks import TrainerCallback

ENV = "JMT_TEST_KILL_ON_SECOND_EPOCH"
START_FILE = "batches_trained_at_start.json"


@TrainerCallback.register("jmt_test_kill_on_second_epoch")
class KillOnSecondEpoch(TrainerCallback):
    def __init__(self, serialization_dir: str) -> None:
        super().__init__(serialization_dir)
        self.batches_trained = numpy.int64(0)

    def on_start(self, trainer, is_primary: bool = True, **kwargs) -> None:
        with open(os.path.join(self.serialization_dir, START_FILE), "w") as handle:
            json.dump(int(self.batches_trained), handle)

    def on_batch(self, trainer, batch_inputs, batch_outputs, batch_metrics, epoch, batch_number,
                 is_training, is_primary=True, batch_grad_norm=None, **kwargs) -> None:
        if not is_training:
            return
        if os.environ.get(ENV) and epoch >= 1:
            os.kill(os.getpid(), signal.SIGKILL)  # as an out-of-memory killer or a lost machine would
        self.batches_trained += 1

    def state_dict(self):
        return {"batches_trained": self.batches_trained}

    def load_state_dict(self, state_dict) -> None:
        self.batches_trained = state_dict["batches_trained"]
