import pytest

from allennlp_jmt.data.dataset_readers import Conll2000Reader, Conll2002Reader
from allennlp_jmt.data.dataset_readers.labelling_rate import keep_fraction
from tests.data.dataset_readers.helpers import read


def test_keeps_the_rounded_fraction_in_order():
    kept = keep_fraction(list(range(1000)), 0.1, seed=1)
    assert len(kept) == 100
    assert kept == sorted(kept)


def test_same_seed_same_sample_other_seed_other_sample():
    items = list(range(500))
    assert keep_fraction(items, 0.3, seed=7) == keep_fraction(items, 0.3, seed=7)
    assert keep_fraction(items, 0.3, seed=7) != keep_fraction(items, 0.3, seed=8)


def test_smaller_rate_keeps_a_subset():
    items = list(range(500))
    assert set(keep_fraction(items, 0.1, seed=3)) <= set(keep_fraction(items, 0.3, seed=3))


def test_at_least_one_and_rate_one_keeps_all():
    assert len(keep_fraction([1, 2, 3], 0.01, seed=0)) == 1
    assert keep_fraction([3, 1, 2], 1.0, seed=0) == [3, 1, 2]


@pytest.mark.parametrize("rate", [0.0, -0.5, 1.5])
def test_rates_outside_zero_one_are_rejected(rate):
    with pytest.raises(ValueError, match="labelling"):
        keep_fraction([1], rate, seed=0)
    with pytest.raises(ValueError, match="labelling_rate"):
        Conll2002Reader(labelling_rate=rate)


def test_reader_keeps_a_seeded_fraction(fixtures):
    path = fixtures / "conll2002/ned.train"
    everything = [i["metadata"]["source"] for i in read(Conll2002Reader(), path)]
    tenth = [i["metadata"]["source"] for i in read(Conll2002Reader(labelling_rate=0.1, labelling_seed=5), path)]
    again = [i["metadata"]["source"] for i in read(Conll2002Reader(labelling_rate=0.1, labelling_seed=5), path)]
    assert len(tenth) == round(0.1 * len(everything))
    assert tenth == again and set(tenth) < set(everything)


def test_held_out_part_and_rest_partition_the_file(fixtures):
    path = fixtures / "conll2000/train.txt"
    reader = Conll2000Reader(hold_out_fraction=0.2)
    everything = [i["metadata"]["source"] for i in read(reader, path)]
    rest = [i["metadata"]["source"] for i in read(reader, f"{path}#rest")]
    held_out = [i["metadata"]["source"] for i in read(reader, f"{path}#held_out")]
    assert len(everything) == 24 and len(held_out) == round(0.2 * 24)
    assert sorted(rest + held_out) == sorted(everything) and not set(rest) & set(held_out)
    with pytest.raises(ValueError, match="no hold_out_fraction"):
        read(Conll2000Reader(), f"{path}#held_out")
