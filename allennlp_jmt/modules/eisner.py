"""
Batched projective dependency decoding (Eisner's algorithm) and Hashimoto et al. (2017)'s
greedy-then-Eisner head decoding for the JMT dependency layer, bounded on long sentences by
`allennlp_jmt.modules.tree_repair.greedy_tree_heads`.

Hand-written because neither allennlp nor allennlp-models has a projective decoder: allennlp
has only `allennlp.nn.chu_liu_edmonds.decode_mst`, which is non-projective and runs in NumPy
one sentence at a time.

Conventions: ``scores[b, h, m]`` is the score of word ``h`` heading word ``m``; position 0 is the
root, positions 1..n the words. ``mask[b, i]`` is True for the root and the real words (padding
at the end). Heads are a ``(batch, n + 1)`` LongTensor with ``heads[b, m]`` the head of ``m``, 0 for
the root and for padding.
"""
from typing import Callable, Tuple

import torch

from allennlp_jmt.modules.tree_repair import greedy_tree_heads

MAX_EISNER_LENGTH = 200
"""
The default longest sentence (in words) that `decode_heads` re-decodes with `eisner`, which is
O(n³): on one CPU thread about 0.06 s at 200 words, 1.2 s at 600, 5 s at 1,000 and 80 s at 2,000.
"""


@torch.no_grad()
def eisner(scores: torch.Tensor, mask: torch.BoolTensor, single_root: bool = True) -> torch.LongTensor:
    """
    The highest-scoring projective tree of every sentence, batched (loops over span widths only).

    With `single_root`, exactly one word attaches to the root; otherwise the root may have several
    children. Scores at padding positions have no influence.
    """
    batch_size, num_positions, _ = scores.shape
    last_word = mask.sum(dim=1) - 1  # the end of each sentence's root-headed span
    batch_index = torch.arange(batch_size, device=scores.device)
    # Charts indexed [b, s, t] for the span s..t; width-0 spans score 0.
    # incomplete_right / incomplete_left: the arc s → t / t → s plus two complete halves.
    # complete_right / complete_left: a complete subtree headed s / t covering s..t.
    incomplete_right = scores.new_zeros(batch_size, num_positions, num_positions)
    incomplete_left = torch.zeros_like(incomplete_right)
    complete_right = torch.zeros_like(incomplete_right)
    complete_left = torch.zeros_like(incomplete_right)
    # The best split point r of each span (absolute position). Both incomplete charts split
    # into complete_right[s, r] + complete_left[r + 1, t], so they share their split.
    incomplete_split = scores.new_zeros(batch_size, num_positions, num_positions, dtype=torch.long)
    complete_right_split = torch.zeros_like(incomplete_split)
    complete_left_split = torch.zeros_like(incomplete_split)

    for width in range(1, num_positions):
        starts = torch.arange(num_positions - width, device=scores.device)
        ends = starts + width
        rows, cols = starts.unsqueeze(1), ends.unsqueeze(1)
        splits = rows + torch.arange(width, device=scores.device)  # (starts, width): s .. t - 1
        next_splits = splits + 1  # s + 1 .. t

        halves = complete_right[:, rows, splits] + complete_left[:, next_splits, cols]
        if single_root:  # the root's incomplete span may not contain earlier root children
            halves[:, 0, 1:] = float("-inf")
        best, best_split = halves.max(dim=-1)
        incomplete_right[:, starts, ends] = best + scores[:, starts, ends]
        incomplete_left[:, starts, ends] = best + scores[:, ends, starts]
        incomplete_split[:, starts, ends] = starts + best_split

        best, best_split = (incomplete_right[:, rows, next_splits] + complete_right[:, next_splits, cols]).max(-1)
        complete_right[:, starts, ends] = best
        complete_right_split[:, starts, ends] = starts + 1 + best_split

        best, best_split = (complete_left[:, rows, splits] + incomplete_left[:, splits, cols]).max(-1)
        complete_left[:, starts, ends] = best
        complete_left_split[:, starts, ends] = starts + best_split

    # Backtrack from the widest spans down, marking the spans of each best derivation. A complete
    # span may split off an incomplete span of its own width, so complete spans go first.
    in_tree_complete_right = torch.zeros_like(complete_right, dtype=torch.bool)
    in_tree_complete_right[batch_index, 0, last_word] = True
    in_tree_complete_left = torch.zeros_like(in_tree_complete_right)
    in_tree_incomplete_right = torch.zeros_like(in_tree_complete_right)
    in_tree_incomplete_left = torch.zeros_like(in_tree_complete_right)
    for width in range(num_positions - 1, 0, -1):
        sentence, start, end = _marked_spans(in_tree_complete_right, width)
        split = complete_right_split[sentence, start, end]
        in_tree_incomplete_right[sentence, start, split] = True
        in_tree_complete_right[sentence, split, end] = True

        sentence, start, end = _marked_spans(in_tree_complete_left, width)
        split = complete_left_split[sentence, start, end]
        in_tree_complete_left[sentence, start, split] = True
        in_tree_incomplete_left[sentence, split, end] = True

        sentence, start, end = _marked_spans(in_tree_incomplete_right | in_tree_incomplete_left, width)
        split = incomplete_split[sentence, start, end]
        in_tree_complete_right[sentence, start, split] = True
        in_tree_complete_left[sentence, split + 1, end] = True

    arcs = in_tree_incomplete_right | in_tree_incomplete_left.transpose(1, 2)  # [b, head, word]
    return arcs.long().argmax(dim=1)  # the root and padding have no arc: head 0


def _marked_spans(marks: torch.BoolTensor, width: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(sentence, start, end) of the spans of `width` marked in `marks` (batch, n + 1, n + 1)."""
    starts = torch.arange(marks.size(1) - width, device=marks.device)
    sentence, start = marks[:, starts, starts + width].nonzero(as_tuple=True)
    return sentence, start, start + width


def is_tree(heads: torch.LongTensor, mask: torch.BoolTensor, single_root: bool = True) -> torch.BoolTensor:
    """
    Whether each sentence's `heads` form a tree: every word's head is the root or another word of
    the sentence, every word reaches the root, and with `single_root` exactly one word has head 0.
    Entries at the root and at padding are ignored; a sentence without words counts as a tree.
    """
    num_positions = heads.size(1)
    words = mask.clone()
    words[:, 0] = False
    in_range = (heads >= 0) & (heads < num_positions)
    safe_heads = torch.where(words & in_range, heads, 0)  # the root and padding point to the root
    valid_head = in_range & mask.gather(1, safe_heads)

    # Pointer doubling: after k steps `ancestors[m]` is m's ancestor 2^k levels up (0 stays 0);
    # a word on a cycle (a self loop included) never reaches 0.
    ancestors = safe_heads
    for _ in range(max(num_positions - 1, 1).bit_length()):
        ancestors = ancestors.gather(1, ancestors)
    well_formed = ((valid_head & (ancestors == 0)) | ~words).all(dim=1)
    if not single_root:
        return well_formed
    root_children = (words & (heads == 0)).sum(dim=1)
    return well_formed & ((root_children == 1) | ~words.any(dim=1))


@torch.no_grad()
def decode_heads(scores: torch.Tensor, mask: torch.BoolTensor, single_root: bool = True,
                 max_eisner_length: int = MAX_EISNER_LENGTH) -> torch.LongTensor:
    """
    Hashimoto et al. (2017)'s decoding: each word takes its best head among the root and the other
    words; sentences whose greedy heads do not form a tree are re-decoded with `eisner` if they
    have at most `max_eisner_length` words, and repaired into a tree by `greedy_tree_heads`
    (O(n²) per round, at most log₂(n) + 1 rounds) if they are longer.
    """
    num_positions = scores.size(1)
    self_arcs = torch.eye(num_positions, dtype=torch.bool, device=scores.device)
    impossible_arcs = ~mask.unsqueeze(2) | self_arcs
    words = mask.clone()
    words[:, 0] = False
    heads = scores.masked_fill(impossible_arcs, float("-inf")).argmax(dim=1) * words
    not_trees = ~is_tree(heads, mask, single_root)
    short = words.sum(dim=1) <= max_eisner_length
    _redecode(eisner, heads, scores, mask, not_trees & short, single_root)
    _redecode(greedy_tree_heads, heads, scores, mask, not_trees & ~short, single_root)
    return heads


def _redecode(decoder: Callable[[torch.Tensor, torch.BoolTensor, bool], torch.LongTensor], heads: torch.LongTensor,
              scores: torch.Tensor, mask: torch.BoolTensor, selected: torch.BoolTensor, single_root: bool) -> None:
    """
    Replaces the `heads` of the `selected` sentences by `decoder`'s, run on those sentences alone,
    cut to the longest of them (a long sentence elsewhere in the batch does not cost them time).
    """
    if not selected.any():
        return
    num_positions = int(mask[selected].sum(dim=1).max())
    heads[selected, :num_positions] = decoder(scores[selected, :num_positions, :num_positions],
                                              mask[selected, :num_positions], single_root)
