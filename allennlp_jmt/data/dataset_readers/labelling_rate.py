"""
Seeded random fractions of a corpus: the labelling rate of Yang et al. (2016, Table 8), which
trains on a fraction r of a task's sentences, and held-out development sets (Yang et al. hold out
a fifth of CoNLL-2000's training set, which has no development split).
"""
import random
from typing import List, Sequence, Tuple, TypeVar

T = TypeVar("T")


def keep_fraction(items: Sequence[T], rate: float, seed: int) -> List[T]:
    """
    A seeded random `rate` fraction of `items` (``round(rate * len(items))`` of them, at least
    one), in their original order. The same `items`, `rate` and `seed` always keep the same
    items, and a smaller rate with the same seed keeps a subset of what a larger one keeps.
    """
    if not 0.0 < rate <= 1.0:
        raise ValueError(f"labelling rate must be in (0, 1], not {rate}")
    return split_fraction(items, rate, seed)[0]


def split_fraction(items: Sequence[T], rate: float, seed: int) -> Tuple[List[T], List[T]]:
    """`items` split into a seeded random `rate` fraction (as `keep_fraction` keeps it) and the rest, both in order."""
    if rate >= 1.0 or not items:
        return list(items), []
    count = max(1, round(rate * len(items)))
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    chosen = set(order[:count])
    return ([item for index, item in enumerate(items) if index in chosen],
            [item for index, item in enumerate(items) if index not in chosen])
