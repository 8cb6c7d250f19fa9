"""JMT's dependency layer output: head scores with a learned root, and a label classifier."""
from typing import Tuple

import torch
from allennlp.modules import FeedForward
from allennlp.nn import Activation


class DependencyHeadScorer(torch.nn.Module):
    """
    Hashimoto et al. (2017)'s dependency output: the score of word j heading word t is
    h_t · (W_d h_j), with a learned root vector standing for h_0; a softmax over the candidate
    heads of each word gives the head distribution. The relation label of t is classified from
    [h_t; h_head(t)] by one ReLU layer and a linear layer.

    Written by hand because allennlp-models' biaffine parser scores arcs differently (biaffine
    with separate head/child MLPs), and JMT's scorer is the paper's bilinear one.

    # Parameters

    input_dim : `int`
        The width of the dependency layer's states.
    num_labels : `int`
        The number of relation labels.
    hidden_dim : `int`
        The label classifier's ReLU layer.
    dropout : `float`, optional (default=`0.0`)
    """

    def __init__(self, input_dim: int, num_labels: int, hidden_dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.root = torch.nn.Parameter(torch.empty(input_dim))
        torch.nn.init.normal_(self.root, std=input_dim ** -0.5)
        self.head_projection = torch.nn.Linear(input_dim, input_dim, bias=False)
        self.label_classifier = torch.nn.Sequential(
            FeedForward(2 * input_dim, 1, hidden_dim, Activation.by_name("relu")(), dropout),
            torch.nn.Linear(hidden_dim, num_labels),
        )

    def with_root(self, states: torch.Tensor) -> torch.Tensor:
        """(batch, length, dim) -> (batch, length + 1, dim): the root vector at position 0."""
        return torch.cat([self.root.expand(states.size(0), 1, -1), states], dim=1)

    def arc_scores(self, states: torch.Tensor, mask: torch.BoolTensor) -> Tuple[torch.Tensor, torch.BoolTensor]:
        """
        Returns `scores` (batch, length + 1, length + 1) with ``scores[b, h, m]`` the score of h
        heading m (position 0 = root; row m = 0 unused), impossible arcs (self loops, padding
        heads) at the dtype's minimum; and the mask (batch, length + 1) of root and words.
        """
        with_root = self.with_root(states)
        full_mask = torch.cat([mask.new_ones(mask.size(0), 1), mask], dim=1)
        scores = self.head_projection(with_root) @ with_root.transpose(1, 2)
        allowed = full_mask.unsqueeze(2) & ~torch.eye(scores.size(1), dtype=torch.bool, device=scores.device)
        return scores.masked_fill(~allowed, torch.finfo(scores.dtype).min), full_mask

    def label_logits(self, states: torch.Tensor, heads: torch.LongTensor) -> torch.Tensor:
        """(batch, length, num_labels) relation scores of each word given its head (batch, length)."""
        with_root = self.with_root(states)
        head_states = with_root.gather(1, heads.clamp(min=0).unsqueeze(-1).expand(-1, -1, with_root.size(-1)))
        return self.label_classifier(torch.cat([states, head_states], dim=-1))
