"""The labelling rate of Yang et al. (2016, Table 8): train on a seeded random fraction r of a task's sentences."""
import random
from typing import List, Sequence, TypeVar

T = TypeVar("T")


def keep_fraction(items: Sequence[T], rate: float, seed: int) -> List[T]:
    """
    A seeded random `rate` fraction of `items` (``round(rate * len(items))`` of them, at least
    one), in their original order. The same `items`, `rate` and `seed` always keep the same
    items, and a smaller rate with the same seed keeps a subset of what a larger one keeps.
    """
    if not 0.0 < rate <= 1.0:
        raise ValueError(f"labelling rate must be in (0, 1], not {rate}")
    if rate == 1.0 or not items:
        return list(items)
    count = max(1, round(rate * len(items)))
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [items[index] for index in sorted(order[:count])]
