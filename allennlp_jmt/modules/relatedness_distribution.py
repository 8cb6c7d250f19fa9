"""Relatedness scores as distributions over the integer scores 1…K (Tai et al. 2015, used by JMT)."""
import torch


def score_distribution(scores: torch.Tensor, num_classes: int = 5) -> torch.Tensor:
    """
    The sparse target distribution p of a gold score s in [1, K]: p[floor(s)] = floor(s) − s + 1
    and p[floor(s) + 1] = s − floor(s) (classes 1…K at indices 0…K−1), so that Σ_i i·p_i = s.
    (batch,) -> (batch, K).
    """
    scores = scores.clamp(1, num_classes)
    lower = scores.floor().clamp(max=num_classes - 1)
    upper_weight = scores - lower
    distribution = scores.new_zeros(scores.size(0), num_classes)
    distribution.scatter_(1, (lower.long() - 1).unsqueeze(1), (1 - upper_weight).unsqueeze(1))
    distribution.scatter_add_(1, lower.long().unsqueeze(1), upper_weight.unsqueeze(1))
    return distribution


def expected_score(probabilities: torch.Tensor) -> torch.Tensor:
    """Σ_i i·p_i over classes 1…K: (batch, K) -> (batch,)."""
    classes = torch.arange(1, probabilities.size(-1) + 1, dtype=probabilities.dtype, device=probabilities.device)
    return probabilities @ classes
