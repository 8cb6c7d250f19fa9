"""Multi-task schedulers: which task's batch comes next."""
import itertools
import random
from typing import Dict, Iterable, Iterator, List, Optional, TypeVar, Union

import more_itertools
import torch
from allennlp.common.util import is_distributed
from allennlp.data import Instance
from allennlp.data.data_loaders.multitask_scheduler import HomogeneousRoundRobinScheduler, MultiTaskScheduler
from allennlp.nn.util import dist_reduce

from allennlp_jmt.upstream import chunked

ALL = "all"
T = TypeVar("T")


def equal_task_shards(epoch_instances: Dict[str, Iterable[Instance]]) -> Dict[str, List[Instance]]:
    """
    Each task's instances of the epoch, as lists. In distributed training every worker holds its
    shard of each task (the readers deal the instances out in turn), and a task's shards may
    differ by an instance; each task is then cut, on every worker, to the smallest shard that a
    worker holds of it (one collective call), so that all workers make as many batches of each
    task and, scheduling alike, run the same task at every step: the same layers, heads and
    metrics, which DDP and the metrics' sums over workers need. A task so loses at most one
    instance an epoch on each worker with a larger shard (a random one under shuffling, the
    shard's last one otherwise): with two workers, at most one instance per task.
    """
    instances = {task: list(task_instances) for task, task_instances in epoch_instances.items()}
    if is_distributed():
        tasks = sorted(instances)
        counts = torch.tensor([len(instances[task]) for task in tasks])
        smallest = dist_reduce(counts, torch.distributed.ReduceOp.MIN)
        for task, count in zip(tasks, smallest.tolist()):
            del instances[task][count:]
    return instances


@MultiTaskScheduler.register("jmt_task_order")
class TaskOrderScheduler(HomogeneousRoundRobinScheduler):
    """
    Hashimoto et al. (2017)'s schedule: each epoch goes through the tasks one after another, in
    a fixed order, each over all of its batches (all POS batches, then all chunking batches,
    ...). Batches hold one task each. With `shuffle_order`, each epoch draws a new task order
    from a seeded generator: the paper's random-order ablation. In distributed training, every
    worker draws the same orders and makes as many batches of each task (`equal_task_shards`),
    so all workers train the same task at each step.

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
    unbatched_tasks : `List[str]`, optional (default=`()`)
        Tasks whose data the loader reads but that get no batch: AllenNLP's multitask data
        loader wants a data path for every reader, and a single-task JMT model has readers for
        the tasks below its own (their data give those layers' label vocabularies) but trains,
        validates and tests on its own task only.
    """

    def __init__(
        self,
        batch_size: Union[int, Dict[str, int]],
        order: Optional[List[str]] = None,
        shuffle_order: bool = False,
        seed: int = 13,
        drop_last: bool = False,
        unbatched_tasks: Iterable[str] = (),
    ) -> None:
        super().__init__(batch_size, drop_last)
        self.order = order
        self.shuffle_order = shuffle_order
        self.unbatched_tasks = frozenset(unbatched_tasks)
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

    def _batched(self, by_task: Dict[str, T]) -> Dict[str, T]:
        """`by_task` without the unbatched tasks."""
        return {task: value for task, value in by_task.items() if task not in self.unbatched_tasks}

    def batch_instances(self, epoch_instances: Dict[str, Iterable[Instance]]) -> Iterable[List[Instance]]:
        instances = equal_task_shards(self._batched(epoch_instances))
        return itertools.chain.from_iterable(
            chunked(instances[task], self.batch_size[task], self.drop_last)
            for task in self.task_order(list(instances))
        )

    def count_batches(self, dataset_counts: Dict[str, int]) -> int:
        return super().count_batches(self._batched(dataset_counts))


@MultiTaskScheduler.register("jmt_alternating")
class AlternatingScheduler(HomogeneousRoundRobinScheduler):
    """
    Yang et al. (2016)'s schedule: one batch of each task in turn, each batch holding one task
    (as AllenNLP's ``homogeneous_roundrobin``, with per-task batch sizes), and a configurable
    number of batches of each task per epoch, so that a small task (a target task kept at a low
    labelling rate) is neither drowned by a large one nor run out of. When a task has no batch
    left in the epoch, the others go on alternating.

    `batches_per_epoch` says, for every task or per task, how many of its batches an epoch holds:

    - ``"all"``: one pass over the task's data (AllenNLP's ``homogeneous_roundrobin``; every
      task then weighs in proportion to its size);
    - a number: that many batches. The task's data is a stream that goes on across epochs (the
      rest of the last pass first, then a new shuffled pass, as often as needed), so a large
      task is seen in parts and a small one is repeated;
    - the name of a task: as many batches as one pass over that task has; e.g. ``"nl_ner"``
      for every task: each epoch is one pass over the target task ``nl_ner`` and as many
      batches of each other task, alternating with it.

    An epoch of a validation or test data loader must hold every instance once: give the
    ``validation_data_loader`` this scheduler with ``"all"`` (the default), which is AllenNLP's
    ``homogeneous_roundrobin`` that also works in distributed training (the trainer otherwise
    builds the validation loader from the ``data_loader``'s parameters). AllenNLP's own way to
    bound an epoch, the data loader's `instances_per_epoch` with a sampler, is not needed with
    this scheduler.

    In distributed training every worker makes as many batches of each task
    (`equal_task_shards`) and alternates alike, so all workers run the same task at each step.

    Registered as a `MultiTaskScheduler` with name "jmt_alternating".

    # Parameters

    batch_size : `Union[int, Dict[str, int]]`
        The batch size, for all tasks or per task (paper: 10).
    batches_per_epoch : `Union[int, str, Dict[str, Union[int, str]]]`, optional (default=`"all"`)
        For every task, or per task (a task left out: ``"all"``).
    drop_last : `bool`, optional (default=`False`)
        Drop the last, smaller batch of a task's pass (with ``"all"``).
    seed : `int`, optional (default=`13`)
        The seed of the reshuffles of a task repeated within one epoch.
    """

    def __init__(
        self,
        batch_size: Union[int, Dict[str, int]],
        batches_per_epoch: Union[int, str, Dict[str, Union[int, str]]] = ALL,
        drop_last: bool = False,
        seed: int = 13,
    ) -> None:
        super().__init__(batch_size, drop_last)
        self.batches_per_epoch = batches_per_epoch
        self._random = random.Random(seed)
        self._streams: Dict[str, Iterator[Instance]] = {}

    def epoch_batches(self, dataset_counts: Dict[str, int]) -> Dict[str, Optional[int]]:
        """
        The number of batches of each task in an epoch, given each task's number of instances;
        ``None`` for a task that makes one pass over its data.
        """
        batches: Dict[str, Optional[int]] = {}
        for task, count in dataset_counts.items():
            wanted = self.batches_per_epoch
            if isinstance(wanted, dict):
                wanted = wanted.get(task, ALL)
            if wanted in (ALL, task):
                batches[task] = None
            elif isinstance(wanted, str):
                if wanted not in dataset_counts:
                    raise ValueError(f"batches_per_epoch paces {task!r} by {wanted!r}, which is not a task with "
                                     f"data; the tasks are {sorted(dataset_counts)}")
                batches[task] = self._pass_batches(wanted, dataset_counts[wanted]) if count else 0
            elif isinstance(wanted, int) and not isinstance(wanted, bool) and wanted >= 0:
                batches[task] = wanted if count else 0
            else:
                raise ValueError(f"batches_per_epoch of {task!r} must be 'all', a task name or a count >= 0, "
                                 f"not {wanted!r}")
        return batches

    def count_batches(self, dataset_counts: Dict[str, int]) -> int:
        return sum(
            self._pass_batches(task, dataset_counts[task]) if batches is None else batches
            for task, batches in self.epoch_batches(dataset_counts).items()
        )

    def _pass_batches(self, task: str, count: int) -> int:
        """The number of batches in one pass over `count` instances of `task`."""
        size = self.batch_size[task]
        return count // size if self.drop_last else -(-count // size)

    def batch_instances(self, epoch_instances: Dict[str, Iterable[Instance]]) -> Iterable[List[Instance]]:
        passes = equal_task_shards(epoch_instances)
        batches = self.epoch_batches({task: len(instances) for task, instances in passes.items()})
        return more_itertools.roundrobin(*(
            chunked(instances, self.batch_size[task], self.drop_last) if batches[task] is None
            else more_itertools.chunked(self._draw(task, instances, batches[task] * self.batch_size[task]),
                                        self.batch_size[task])
            for task, instances in passes.items()
        ))

    def _draw(self, task: str, new_pass: List[Instance], count: int) -> List[Instance]:
        """`count` instances of `task`: the rest of its last pass, then `new_pass`, then reshuffled copies."""
        stream = self._streams.get(task, iter(()))
        drawn = list(itertools.islice(stream, count))
        while len(drawn) < count and new_pass:
            stream = iter(new_pass)
            drawn += itertools.islice(stream, count - len(drawn))
            new_pass = self._random.sample(new_pass, len(new_pass))
        self._streams[task] = stream
        return drawn
