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


def test_unbatched_tasks_are_read_but_never_batched_nor_counted():
    scheduler = MultiTaskScheduler.from_params(Params(
        {"type": "jmt_task_order", "batch_size": 2, "order": ["pos", "chunk"], "unbatched_tasks": ["pos"]}))
    data = {"pos": instances("pos", 5), "chunk": instances("chunk", 3)}
    assert tasks_of(scheduler.batch_instances(data)) == [("chunk", 2), ("chunk", 1)]
    assert scheduler.count_batches({"pos": 5, "chunk": 3}) == 2


def test_random_order_is_seeded_and_changes_between_epochs():
    def orders(seed):
        scheduler = MultiTaskScheduler.from_params(Params(
            {"type": "jmt_task_order", "batch_size": 1, "shuffle_order": True, "seed": seed}))
        return [scheduler.task_order(["a", "b", "c", "d", "e"]) for _ in range(5)]

    assert orders(1) == orders(1)
    assert len({tuple(order) for order in orders(1)}) > 1
    assert all(sorted(order) == ["a", "b", "c", "d", "e"] for order in orders(2))


def alternating(**params):
    return MultiTaskScheduler.from_params(Params({"type": "jmt_alternating", **params}))


def ids(batches):
    return [[instance["i"].metadata for instance in batch] for batch in batches]


def test_all_is_allennlps_homogeneous_round_robin():
    ours = alternating(batch_size={"a": 2, "b": 3})
    theirs = MultiTaskScheduler.from_params(Params({"type": "homogeneous_roundrobin", "batch_size": {"a": 2, "b": 3}}))
    data = lambda: {"a": instances("a", 7), "b": instances("b", 4)}  # noqa: E731
    assert tasks_of(ours.batch_instances(data())) == tasks_of(theirs.batch_instances(data())) == [
        ("a", 2), ("b", 3), ("a", 2), ("b", 1), ("a", 2), ("a", 1)]
    assert ours.count_batches({"a": 7, "b": 4}) == theirs.count_batches({"a": 7, "b": 4}) == 6


def test_paced_by_the_target_a_large_task_goes_on_where_it_stopped():
    scheduler = alternating(batch_size=2, batches_per_epoch="small")
    large = instances("large", 9)
    epochs = [list(scheduler.batch_instances({"small": instances("small", 3), "large": large})) for _ in range(3)]
    for batches in epochs:
        assert tasks_of(batches) == [("small", 2), ("large", 2), ("small", 1), ("large", 2)]
        assert len(batches) == scheduler.count_batches({"small": 3, "large": 9}) == 4
    seen = [ids(batches[1::2]) for batches in epochs]
    assert seen[0] == [[0, 1], [2, 3]] and seen[1] == [[4, 5], [6, 7]]  # the rest of the pass, in order
    assert seen[2][0][0] == 8 and sorted(seen[2][0][1:] + seen[2][1]) == [0, 1, 2]  # then a new pass


def test_a_fixed_count_repeats_a_small_task_in_a_seeded_order():
    def epoch(seed):
        scheduler = alternating(batch_size=2, batches_per_epoch={"a": 5}, seed=seed)
        return list(scheduler.batch_instances({"a": instances("a", 3), "b": instances("b", 4)}))

    batches = epoch(1)
    assert tasks_of(batches) == [("a", 2), ("b", 2), ("a", 2), ("b", 2), ("a", 2), ("a", 2), ("a", 2)]
    assert len(batches) == alternating(batch_size=2, batches_per_epoch={"a": 5}).count_batches({"a": 3, "b": 4})
    a = [i for batch in ids(batches[0::2][:3] + batches[5:]) for i in batch]
    assert a[:3] == [0, 1, 2] and sorted(a[3:6]) == sorted(a[6:9]) == [0, 1, 2]  # the pass, then reshuffled copies
    assert ids(epoch(1)) == ids(batches)


@pytest.mark.parametrize("batches_per_epoch, message", [
    ("nope", r"paces 'a' by 'nope', which is not a task with data"),
    ({"a": -1}, "must be 'all', a task name or a count >= 0"),
])
def test_bad_batch_counts_are_clear_errors(batches_per_epoch, message):
    with pytest.raises(ValueError, match=message):
        alternating(batch_size=2, batches_per_epoch=batches_per_epoch).count_batches({"a": 3, "b": 4})
