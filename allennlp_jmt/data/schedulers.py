"""Multi-task schedulers: which task's batch comes next."""
import itertools
import random
from typing import Dict, Iterable, List, Optional, Union

from allennlp.data import Instance
from allennlp.data.data_loaders.multitask_scheduler import (
    HomogeneousRoundRobinScheduler,
    MultiTaskScheduler,
    _chunked_iterator,
)


@MultiTaskScheduler.register("jmt_task_order")
class TaskOrderScheduler(HomogeneousRoundRobinScheduler):
    """
    Hashimoto et al. (2017)'s schedule: each epoch goes through the tasks one after another, in
    a fixed order, each over all of its batches (all POS batches, then all chunking batches,
    ...). Batches hold one task each. With `shuffle_order`, each epoch draws a new task order
    from a seeded generator: the paper's random-order ablation.

    Registered as a `MultiTaskScheduler` with name "jmt_task_order".

    # Parameters

    batch_size : `Union[int, Dict[str, int]]`
        The batch size, for all tasks or per task.
    order : `List[str]`, optional (default=`None`: the order of the data loader's datasets)
        The task order. It may name tasks a config leaves out (so that one order serves the
        paper's task subsets), but must name every task that has data.
    shuffle_order : `bool`, optional (default=`False`)
    seed : `int`, optional (default=`13`)
        The seed of the random orders.
    drop_last : `bool`, optional (default=`False`)
        Drop each task's last, smaller batch.
    """

    def __init__(
        self,
        batch_size: Union[int, Dict[str, int]],
        order: Optional[List[str]] = None,
        shuffle_order: bool = False,
        seed: int = 13,
        drop_last: bool = False,
    ) -> None:
        super().__init__(batch_size, drop_last)
        self.order = order
        self.shuffle_order = shuffle_order
        self._random = random.Random(seed)

    def task_order(self, tasks: List[str]) -> List[str]:
        """The order of `tasks` for the next epoch (a new random one each call with `shuffle_order`)."""
        if self.order is not None:
            missing = sorted(set(tasks) - set(self.order))
            if missing:
                raise ValueError(f"tasks {missing} have data but are not in the scheduler's order {self.order}")
            tasks = [task for task in self.order if task in tasks]
        if self.shuffle_order:
            tasks = list(tasks)
            self._random.shuffle(tasks)
        return tasks

    def batch_instances(self, epoch_instances: Dict[str, Iterable[Instance]]) -> Iterable[List[Instance]]:
        return itertools.chain.from_iterable(
            _chunked_iterator(epoch_instances[task], self.batch_size[task], self.drop_last)
            for task in self.task_order(list(epoch_instances))
        )
