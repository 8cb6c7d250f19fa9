"""The bounded decoder: greedy heads repaired into a tree, checked by an independent tree test."""
from typing import List, Sequence

import pytest
import torch

from allennlp_jmt.modules.tree_repair import greedy_tree_heads
from tests.modules.test_eisner import (
    arc_scores,
    assert_a_padded_batch_is_decoded_as_its_sentences_alone,
    padded_batch,
)


def is_tree_by_search(heads: Sequence[int], single_root: bool) -> bool:
    """Whether `heads` (entry 0 the root's, unused) is a tree: a search from the root reaches every word once."""
    num_positions = len(heads)
    if any(not 0 <= heads[word] < num_positions or heads[word] == word for word in range(1, num_positions)):
        return False
    children: List[List[int]] = [[] for _ in range(num_positions)]
    for word in range(1, num_positions):
        children[heads[word]].append(word)
    if single_root and num_positions > 1 and len(children[0]) != 1:
        return False
    reached, stack = 0, [0]
    while stack:
        position = stack.pop()
        reached += 1
        stack.extend(children[position])
    return reached == num_positions  # a word on a cycle is never reached


def greedy_heads(scores: torch.Tensor, mask: torch.BoolTensor) -> torch.Tensor:
    """Each word's best head among the root and the other words, by a loop over the words."""
    heads = torch.zeros(mask.shape, dtype=torch.long)
    for sentence, length in enumerate(mask.sum(dim=1).tolist()):
        for word in range(1, length):
            candidates = [head for head in range(length) if head != word]
            heads[sentence, word] = max(candidates, key=lambda head: scores[sentence, head, word].item())
    return heads


def assert_trees(heads: torch.Tensor, mask: torch.BoolTensor, single_root: bool) -> None:
    for sentence_heads, length in zip(heads.tolist(), mask.sum(dim=1).tolist()):
        assert is_tree_by_search(sentence_heads[:length], single_root)
        assert not any(sentence_heads[length:])  # padding: head 0


@pytest.mark.parametrize("single_root", [True, False])
def test_random_scores_always_give_trees(single_root):
    for seed in range(40):  # short sentences: the greedy heads of random scores are rarely a tree
        scores, mask = padded_batch([1, 2, 3, 5, 8, 13, 30], seed=seed)
        assert_trees(greedy_tree_heads(scores, mask, single_root), mask, single_root)
    scores, mask = padded_batch([3000, 1000, 7, 1], seed=99)  # a few thousand words
    assert_trees(greedy_tree_heads(scores, mask, single_root), mask, single_root)


@pytest.mark.parametrize("single_root", [True, False])
def test_many_cycles_at_once_are_all_broken(single_root):
    num_words = 2001
    scores = torch.zeros(1, num_words + 1, num_words + 1)
    scores[0, 0, 1:] = -5.0  # the root is a poor head for everyone
    odd = torch.arange(1, num_words, 2)
    scores[0, odd, odd + 1] = scores[0, odd + 1, odd] = 10.0  # 1000 two-word cycles, and a word alone
    mask = torch.ones(1, num_words + 1, dtype=torch.bool)
    assert_trees(greedy_tree_heads(scores, mask, single_root), mask, single_root)


@pytest.mark.parametrize("single_root", [True, False])
def test_greedy_heads_that_are_a_tree_are_kept(single_root):
    trees = [[0, 3, 0, 2, 2], [0, 2, 0, 2, 3, 4, 1]]  # non-projective: arcs 3 → 1 and 2 → 4 cross
    if not single_root:
        trees.append([0, 0, 1, 0, 3])  # two root children
    for seed, tree in enumerate(trees):
        scores = arc_scores(tree, len(tree), seed).unsqueeze(0)
        mask = torch.ones(1, len(tree), dtype=torch.bool)
        assert greedy_heads(scores, mask)[0].tolist() == tree
        assert greedy_tree_heads(scores, mask, single_root)[0].tolist() == tree
    for seed in range(20):  # random scores: whenever the greedy heads are a tree, they are the result
        scores, mask = padded_batch([2, 3, 4, 6], seed=seed)
        greedy = greedy_heads(scores, mask)
        repaired = greedy_tree_heads(scores, mask, single_root)
        for length, greedy_row, repaired_row in zip(mask.sum(dim=1).tolist(), greedy.tolist(), repaired.tolist()):
            if is_tree_by_search(greedy_row[:length], single_root):
                assert repaired_row == greedy_row


def test_a_cycle_is_broken_where_it_loses_least():
    # 1 ↔ 2 is a cycle; moving 1 to the root loses 10 − 5 = 5, moving 2 loses 10 − 9 = 1.
    scores = torch.zeros(1, 4, 4)
    scores[0, 2, 1] = scores[0, 1, 2] = scores[0, 2, 3] = 10.0
    scores[0, 0, 1], scores[0, 0, 2], scores[0, 0, 3] = 5.0, 9.0, -10.0
    mask = torch.ones(1, 4, dtype=torch.bool)
    for single_root in (True, False):
        assert greedy_tree_heads(scores, mask, single_root)[0].tolist() == [0, 2, 0, 2]


def test_cycles_that_reattach_to_each_other_merge_and_are_broken_in_the_next_round():
    # Cycles 1 ↔ 2 and 3 ↔ 4: each one's cheapest way out is into the other (3 → 1, 1 → 3), which
    # makes the cycle 1 ↔ 3; the next round moves 1 (the lower of two equal losses) to the root.
    scores = torch.zeros(1, 5, 5)
    scores[0, 0, 1:] = -100.0
    scores[0, 2, 1] = scores[0, 1, 2] = scores[0, 4, 3] = scores[0, 3, 4] = 10.0
    scores[0, 3, 1] = scores[0, 1, 3] = 8.0
    mask = torch.ones(1, 5, dtype=torch.bool)
    assert greedy_tree_heads(scores, mask, single_root=False)[0].tolist() == [0, 0, 1, 1, 3]


def test_single_root_keeps_the_word_that_loses_least_at_the_root():
    # Every word's best head is the root; word 2 gains most by it (root 9 against its best word head 1).
    scores = torch.zeros(1, 4, 4)
    scores[0, 0, 1:] = torch.tensor([5.0, 9.0, 6.0])
    scores[0, 2, 1], scores[0, 1, 3], scores[0, 3, 2] = 4.0, 3.0, 1.0
    mask = torch.ones(1, 4, dtype=torch.bool)
    assert greedy_tree_heads(scores, mask, single_root=False)[0].tolist() == [0, 0, 0, 0]
    assert greedy_tree_heads(scores, mask, single_root=True)[0].tolist() == [0, 2, 0, 1]


@pytest.mark.parametrize("single_root", [True, False])
def test_a_padded_batch_equals_its_sentences_alone_and_ignores_padding_scores(single_root):
    assert_a_padded_batch_is_decoded_as_its_sentences_alone(greedy_tree_heads, [6, 1, 4, 9], seed=7,
                                                            single_root=single_root)
