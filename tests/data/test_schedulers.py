import pytest
from allennlp.common import Params
from allennlp.data import Instance
from allennlp.data.data_loaders.multitask_scheduler import MultiTaskScheduler
from allennlp.data.fields import MetadataField


def instances(task, count):
    return [Instance({"task": MetadataField(task), "i": MetadataField(i)}) for i in range(count)]


def tasks_of(batches):
    return [(batch[0]["task"].metadata, len(batch)) for batch in batches]


def test_each_task_in_turn_over_all_its_batches():
    scheduler = MultiTaskScheduler.from_params(Params(
        {"type": "jmt_task_order", "batch_size": {"pos": 2, "chunk": 3}, "order": ["pos", "chunk", "dep"]}))
    data = {"chunk": instances("chunk", 7), "pos": instances("pos", 3)}
    assert tasks_of(scheduler.batch_instances(data)) == [("pos", 2), ("pos", 1), ("chunk", 3), ("chunk", 3), ("chunk", 1)]
    assert scheduler.count_batches({"chunk": 7, "pos": 3}) == 5


def test_a_task_with_data_must_be_in_the_order():
    scheduler = MultiTaskScheduler.from_params(Params({"type": "jmt_task_order", "batch_size": 2, "order": ["pos"]}))
    with pytest.raises(ValueError, match=r"tasks \['chunk'\] have data but are not in"):
        list(scheduler.batch_instances({"pos": instances("pos", 2), "chunk": instances("chunk", 2)}))


def test_random_order_is_seeded_and_changes_between_epochs():
    def orders(seed):
        scheduler = MultiTaskScheduler.from_params(Params(
            {"type": "jmt_task_order", "batch_size": 1, "shuffle_order": True, "seed": seed}))
        return [scheduler.task_order(["a", "b", "c", "d", "e"]) for _ in range(5)]

    assert orders(1) == orders(1)
    assert len({tuple(order) for order in orders(1)}) > 1
    assert all(sorted(order) == ["a", "b", "c", "d", "e"] for order in orders(2))
