"""
Bounded dependency decoding for long sentences: greedy heads, then O(n²) repair into a tree.

Hand-written because no library decoder is bounded on long input: Eisner's algorithm
(`allennlp_jmt.modules.eisner.eisner`) is O(n³) (about 1 s at 600 words, 80 s at 2,000 on one
thread), and AllenNLP's `allennlp.nn.chu_liu_edmonds.decode_mst` is a recursive pure-Python
Chu-Liu-Edmonds (7–44 s at 1,000 words, a `RecursionError` at 2,000). The repair here is
batched tensor code whose rounds each cost O(n²) and whose number of rounds is at most
log₂(n) + 1 (see `greedy_tree_heads`); it finds a tree, not necessarily the best one.

Conventions as in `allennlp_jmt.modules.eisner`: ``scores[b, h, m]`` is the score of word ``h``
heading word ``m``; position 0 is the root, positions 1..n the words; ``mask[b, i]`` is True for
the root and the real words (padding at the end); heads are a ``(batch, n + 1)`` LongTensor, 0 for
the root and for padding.
"""
from typing import Tuple

import torch


@torch.no_grad()
def greedy_tree_heads(scores: torch.Tensor, mask: torch.BoolTensor, single_root: bool = True) -> torch.LongTensor:
    """
    Each word's best head, repaired into a tree: the greedy heads themselves when they already
    form one (with `single_root`, exactly one word attached to the root).

    With `single_root`, the root first keeps the one word that loses least (gains most) by
    attaching to it rather than to its best word head — a greedy root child, when there is one —
    and the other words choose among the words only. Then, in rounds, every cycle of the heads
    is broken at once: of the cycle's words, the one whose best head outside its own component
    (the cycle and the words that hang from it, its subtree once it is detached) loses the least
    score against its current head is re-attached to that head. A head outside the component
    cannot close a new cycle inside it; components that re-attach into each other in the same
    round merge into one cycle, so each round at least halves the number of cycles: at most
    log₂(n) + 1 rounds of O(n²) each.

    # Parameters

    scores : `torch.Tensor`
        (batch, n + 1, n + 1) arc scores; impossible arcs (self loops, padding) are ignored.
    mask : `torch.BoolTensor`
        (batch, n + 1), the root and the words.
    single_root : `bool`, optional (default=`True`)
        Exactly one word attached to the root.

    # Returns

    heads : `torch.LongTensor`
        (batch, n + 1), a tree per sentence (``allennlp_jmt.modules.eisner.is_tree``).
    """
    num_positions = scores.size(1)
    words = mask.clone()
    words[:, 0] = False
    # Each word's candidate heads along the last dimension: reductions over them are contiguous.
    head_scores = scores.transpose(1, 2).contiguous()  # [b, word, head]
    self_arcs = torch.eye(num_positions, dtype=torch.bool, device=scores.device)
    head_scores.masked_fill_(~mask.unsqueeze(1) | self_arcs, float("-inf"))
    if single_root:
        _keep_one_root_child(head_scores, words)
    heads = head_scores.argmax(dim=-1) * words
    for _ in range(num_positions.bit_length() + 1):
        component, on_cycle = _cycles(heads, words)
        if not on_cycle.any():
            return heads
        _break_cycles(head_scores, heads, component, on_cycle)
    raise RuntimeError("cycle repair did not converge: the number of cycles must halve every round")


def _keep_one_root_child(head_scores: torch.Tensor, words: torch.BoolTensor) -> None:
    """
    Leaves the root one candidate child per sentence in `head_scores` ([b, word, head], in
    place): the word that loses least by attaching to the root rather than to its best word
    head, which gets the root as its only candidate head.
    """
    best_word_head = head_scores[:, :, 1:].max(dim=-1).values
    gain = (head_scores[:, :, 0] - best_word_head).masked_fill(~words, float("-inf"))
    root_child = torch.nn.functional.one_hot(gain.argmax(dim=1), head_scores.size(1)).bool()  # (batch, n + 1)
    head_scores[:, :, 0].masked_fill_(~root_child, float("-inf"))
    head_scores[:, :, 1:].masked_fill_(root_child.unsqueeze(2), float("-inf"))


def _cycles(heads: torch.LongTensor, words: torch.BoolTensor) -> Tuple[torch.LongTensor, torch.BoolTensor]:
    """
    Returns `component` (batch, n + 1): 0 for the positions that reach the root (the root and
    padding included), for the others the id of the cycle they end in, the cycle's lowest
    position (≥ 1); and `on_cycle` (batch, n + 1), the words on a cycle.

    Pointer doubling: after k steps, `ancestors[v]` is v's ancestor 2^k heads up and `lowest[v]`
    the lowest position on the way. After ⌈log₂(n + 1)⌉ steps every word that does not reach the
    root stands on its cycle, where the lowest position seen spans the whole cycle; and as
    going 2^k heads up moves a cycle's words around it, they are all someone's ancestor then.
    """
    ancestors = heads * words
    positions = torch.arange(heads.size(1), device=heads.device).expand_as(heads)
    lowest = torch.minimum(positions, ancestors)
    for _ in range(max(heads.size(1) - 1, 1).bit_length()):
        lowest = torch.minimum(lowest, lowest.gather(1, ancestors))
        ancestors = ancestors.gather(1, ancestors)
    component = torch.where(ancestors == 0, 0, lowest.gather(1, ancestors))
    on_cycle = torch.zeros_like(words).scatter_(1, ancestors, True)
    on_cycle[:, 0] = False
    return component, on_cycle


def _break_cycles(head_scores: torch.Tensor, heads: torch.LongTensor, component: torch.LongTensor,
                  on_cycle: torch.BoolTensor) -> None:
    """
    Re-attaches one word of every cycle to its best head outside its component (in place in
    `heads`): the word that loses the least score against its current head, the lowest on a tie.
    `head_scores` are the arc scores [b, word, head].
    """
    num_positions = heads.size(1)
    sentence, word = on_cycle.nonzero(as_tuple=True)
    word_component = component[sentence, word]
    outside = component[sentence] != word_component.unsqueeze(1)  # (cycle words, candidate heads)
    best_score, best_head = head_scores[sentence, word].masked_fill(~outside, float("-inf")).max(dim=1)
    loss = head_scores[sentence, word, heads[sentence, word]] - best_score
    cycle = sentence * num_positions + word_component  # one id per cycle of the batch
    least_loss = loss.new_full((heads.numel(),), float("inf")).scatter_reduce(0, cycle, loss, "amin")
    candidate = loss == least_loss[cycle]
    lowest_word = heads.new_full((heads.numel(),), num_positions)
    lowest_word.scatter_reduce_(0, cycle[candidate], word[candidate], "amin")
    chosen = candidate & (word == lowest_word[cycle])
    heads[sentence[chosen], word[chosen]] = best_head[chosen]
