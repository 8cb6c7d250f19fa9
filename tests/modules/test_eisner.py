import functools
import itertools
from typing import Callable, List, Sequence, Tuple

import pytest
import torch

from allennlp_jmt.modules.eisner import decode_heads, eisner, is_tree
from allennlp_jmt.modules.tree_repair import greedy_tree_heads


def reaches_root(heads: Sequence[int], word: int) -> bool:
    """`heads[0]` is the root's (unused) entry; True if following heads from `word` reaches 0."""
    for _ in range(len(heads)):
        word = heads[word]
        if word == 0:
            return True
    return False


def is_projective_tree(heads: Sequence[int], single_root: bool) -> bool:
    words = range(1, len(heads))
    if any(heads[m] == m or not reaches_root(heads, m) for m in words):
        return False
    if single_root and sum(heads[m] == 0 for m in words) != 1:
        return False
    arcs = [tuple(sorted((heads[m], m))) for m in words]
    return not any(a1 < a2 < b1 < b2 for (a1, b1), (a2, b2) in itertools.permutations(arcs, 2))


@functools.lru_cache(maxsize=None)
def projective_trees(num_words: int, single_root: bool) -> torch.Tensor:
    """Every projective tree over `num_words` words, as rows of heads (root entry 0)."""
    trees = [
        (0,) + word_heads
        for word_heads in itertools.product(range(num_words + 1), repeat=num_words)
        if is_projective_tree((0,) + word_heads, single_root)
    ]
    return torch.tensor(trees)


def tree_scores(scores: torch.Tensor, heads: torch.Tensor) -> torch.Tensor:
    """The total arc score of each row of `heads` (trees, num_words + 1) under `scores` (n + 1, n + 1)."""
    words = torch.arange(1, heads.size(1))
    return scores[heads[:, 1:], words].sum(dim=1)


def padded_batch(lengths: List[int], seed: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """Random scores and the mask of sentences with `lengths` words each."""
    generator = torch.Generator().manual_seed(seed)
    num_positions = max(lengths) + 1
    scores = torch.randn(len(lengths), num_positions, num_positions, generator=generator)
    mask = torch.arange(num_positions) <= torch.tensor(lengths).unsqueeze(1)
    return scores, mask


@pytest.mark.parametrize("single_root", [True, False])
@pytest.mark.parametrize("num_words", [1, 2, 3, 4, 5])
def test_eisner_finds_the_best_projective_tree(num_words, single_root):
    trees = projective_trees(num_words, single_root)
    scores, mask = padded_batch([num_words] * 6, seed=num_words)
    heads = eisner(scores, mask, single_root)
    for sentence_scores, sentence_heads in zip(scores, heads):
        all_scores = tree_scores(sentence_scores, trees)
        assert tree_scores(sentence_scores, sentence_heads.unsqueeze(0)).item() == pytest.approx(
            all_scores.max().item()
        )
        assert sentence_heads.tolist() == trees[all_scores.argmax()].tolist()


def assert_a_padded_batch_is_decoded_as_its_sentences_alone(decoder: Callable, lengths: List[int], seed: int,
                                                            single_root: bool) -> None:
    """
    `decoder`'s heads of a padded batch are those of each sentence alone, and the scores of
    padding arcs and self loops do not count.
    """
    scores, mask = padded_batch(lengths, seed)
    heads = decoder(scores, mask, single_root)
    for sentence, length in enumerate(lengths):
        alone_scores = scores[sentence : sentence + 1, : length + 1, : length + 1]
        alone = decoder(alone_scores, torch.ones(1, length + 1, dtype=torch.bool), single_root)
        assert heads[sentence, : length + 1].tolist() == alone[0].tolist()
        assert not heads[sentence, length + 1 :].any()

    impossible_arcs = ~(mask.unsqueeze(1) & mask.unsqueeze(2)) | torch.eye(scores.size(1), dtype=torch.bool)
    disturbed = scores.masked_fill(impossible_arcs, 1e4)
    assert torch.equal(decoder(disturbed, mask, single_root), heads)


@pytest.mark.parametrize("single_root", [True, False])
def test_eisner_batch_with_padding_equals_sentences_alone(single_root):
    assert_a_padded_batch_is_decoded_as_its_sentences_alone(eisner, [1, 3, 5, 2], seed=1, single_root=single_root)


def test_eisner_trees_are_well_formed_and_independent_of_dtype():
    scores, mask = padded_batch([4, 2, 6], seed=2)
    for single_root in (True, False):
        heads = eisner(scores, mask, single_root)
        assert is_tree(heads, mask, single_root).all()
        assert torch.equal(eisner(scores.double(), mask, single_root), heads)


def test_eisner_single_root_differs_when_the_root_prefers_two_children():
    scores, mask = padded_batch([3], seed=3)
    scores[0, 0, 1:] = 10.0  # the root is by far the best head of every word
    assert eisner(scores, mask, single_root=False).tolist() == [[0, 0, 0, 0]]
    single = eisner(scores, mask, single_root=True)
    assert (single[0, 1:] == 0).sum() == 1


@pytest.mark.parametrize(
    "heads, num_words, single_root, expected",
    [
        ([0, 2, 0, 2, 3], 4, True, True),  # a valid tree
        ([0, 2, 3, 1, 0], 4, True, False),  # cycle 1 → 2 → 3 → 1
        ([0, 1, 0, 2, 2], 4, True, False),  # self loop
        ([0, 0, 0, 2, 2], 4, True, False),  # two root children
        ([0, 0, 0, 2, 2], 4, False, True),
        ([0, 4, 0, 2, 0], 3, True, False),  # head in the padding
        ([0, 2, 0, 2, 3], 3, True, True),  # padding entries are ignored
        ([0, 9, 0, 2, 3], 4, False, False),  # head out of range
        ([0, -1, 0, 2, 3], 4, False, False),
        ([0, 0, 0, 0, 0], 0, True, True),  # no words
    ],
)
def test_is_tree(heads, num_words, single_root, expected):
    mask = torch.arange(5) <= num_words
    assert is_tree(torch.tensor([heads]), mask.unsqueeze(0), single_root).tolist() == [expected]


def arc_scores(heads: List[int], num_positions: int, seed: int) -> torch.Tensor:
    """Small random scores with 10 added on the arcs of `heads`."""
    scores = 0.1 * torch.randn(num_positions, num_positions, generator=torch.Generator().manual_seed(seed))
    scores[heads[1:], torch.arange(1, len(heads))] += 10.0
    return scores


def test_decode_heads_keeps_a_non_projective_greedy_tree_and_redecodes_a_cycle():
    non_projective = [0, 3, 0, 2, 2]  # arcs 3 → 1 and 2 → 4 cross
    cyclic = [0, 2, 1, 0, 0, 0]  # 1 ↔ 2
    scores = torch.stack([torch.zeros(6, 6), arc_scores(cyclic, 6, seed=4)])
    scores[0, :5, :5] = arc_scores(non_projective, 5, seed=5)
    scores[0, 5, :] = scores[0, :, 5] = 1e4  # padding must not be chosen
    scores[:, range(6), range(6)] = 1e4  # nor self loops
    mask = torch.tensor([[True] * 5 + [False], [True] * 6])

    heads = decode_heads(scores, mask)
    assert heads[0].tolist() == non_projective + [0]
    assert eisner(scores[:1], mask[:1])[0].tolist() != non_projective + [0]
    assert heads[1].tolist() == eisner(scores[1:], mask[1:])[0].tolist()
    assert heads[1].tolist() != cyclic


def test_decode_heads_single_root_redecodes_greedy_with_two_root_children():
    two_root_children = [0, 0, 1, 0, 3]
    scores = arc_scores(two_root_children, 5, seed=6).unsqueeze(0)
    mask = torch.ones(1, 5, dtype=torch.bool)
    assert decode_heads(scores, mask, single_root=False)[0].tolist() == two_root_children
    single = decode_heads(scores, mask, single_root=True)
    assert torch.equal(single, eisner(scores, mask, single_root=True))
    assert (single[0, 1:] == 0).sum() == 1


def test_decode_heads_repairs_the_greedy_heads_of_sentences_longer_than_max_eisner_length():
    cyclic = [[0, 2, 1, 2, 3, 0, 5], [0, 2, 3, 1], [0, 2, 1, 0, 3, 4, 5, 6, 7, 8]]  # greedy heads with a cycle
    mask = torch.arange(10) < torch.tensor([len(heads) for heads in cyclic]).unsqueeze(1)
    scores = torch.zeros(3, 10, 10)
    for sentence, heads in enumerate(cyclic):
        scores[sentence, : len(heads), : len(heads)] = arc_scores(heads, len(heads), seed=sentence)
    for single_root in (True, False):
        repaired = decode_heads(scores, mask, single_root, max_eisner_length=0)  # no sentence by Eisner
        assert torch.equal(repaired, greedy_tree_heads(scores, mask, single_root))
        mixed = decode_heads(scores, mask, single_root, max_eisner_length=6)
        for sentence, heads in enumerate(cyclic):
            alone = scores[sentence : sentence + 1, : len(heads), : len(heads)]
            decoder = eisner if len(heads) - 1 <= 6 else greedy_tree_heads
            expected = decoder(alone, torch.ones(1, len(heads), dtype=torch.bool), single_root)[0].tolist()
            assert mixed[sentence, : len(heads)].tolist() == expected
            assert expected != heads
