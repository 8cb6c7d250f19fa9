"""Tai et al. (2015)'s sparse target for a relatedness score, and the expected score of a distribution."""
import math

import numpy as np
import pytest
import torch

from allennlp_jmt.modules.relatedness_distribution import expected_score, score_distribution


def reference_distribution(score: float, num_classes: int) -> np.ndarray:
    """Tai et al.'s definition written out: p_i = y − floor(y) if i = floor(y) + 1,
    floor(y) − y + 1 if i = floor(y), 0 otherwise."""
    p = np.zeros(num_classes)
    for i in range(1, num_classes + 1):
        if i == math.floor(score) + 1:
            p[i - 1] = score - math.floor(score)
        elif i == math.floor(score):
            p[i - 1] = math.floor(score) - score + 1
    return p


@pytest.mark.parametrize("num_classes", [5, 3])
def test_the_target_matches_tai_et_al_and_is_a_distribution_with_mean_the_score(num_classes):
    torch.manual_seed(0)
    scores = torch.cat([1 + (num_classes - 1) * torch.rand(50, dtype=torch.float64),
                        torch.arange(1, num_classes + 1, dtype=torch.float64)])
    target = score_distribution(scores, num_classes)
    assert target.shape == (len(scores), num_classes)
    expected = np.stack([reference_distribution(s, num_classes) for s in scores.tolist()])
    np.testing.assert_allclose(target.numpy(), expected, atol=1e-12)
    assert (target >= 0).all()
    np.testing.assert_allclose(target.sum(-1).numpy(), 1.0, atol=1e-12)
    assert ((target > 0).sum(-1) <= 2).all()  # sparse: at most two neighbouring classes
    np.testing.assert_allclose(expected_score(target).numpy(), scores.numpy(), atol=1e-12)


def test_integer_scores_are_one_hot_at_their_class():
    target = score_distribution(torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert torch.equal(target, torch.eye(5))


def test_out_of_range_scores_still_give_a_distribution():
    target = score_distribution(torch.tensor([0.2, 5.8]))
    assert (target >= 0).all() and torch.allclose(target.sum(-1), torch.ones(2))


def test_expected_score_is_the_mean_class_of_a_predicted_distribution():
    torch.manual_seed(1)
    probabilities = torch.softmax(torch.randn(6, 5), dim=-1)
    expected = (probabilities.numpy() * np.arange(1, 6)).sum(-1)
    result = expected_score(probabilities)
    assert result.shape == (6,)
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-6)
    assert ((result >= 1) & (result <= 5)).all()


def test_the_kl_loss_jmt_trains_with_is_zero_at_the_target_and_its_gradient_is_softmax_minus_target():
    # jmt.py: kl_div(log_softmax(logits), score_distribution(gold), reduction="batchmean").
    target = score_distribution(torch.tensor([2.3, 4.0, 1.75], dtype=torch.float64))
    exact = torch.log(target.clamp(min=1e-300))  # softmax(exact) == target
    loss = torch.nn.functional.kl_div(torch.log_softmax(exact, -1), target, reduction="batchmean")
    assert abs(loss.item()) < 1e-12
    logits = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.kl_div(torch.log_softmax(logits, -1), target, reduction="batchmean")
    assert loss.item() > 0
    loss.backward()
    np.testing.assert_allclose(logits.grad.numpy(),
                               ((torch.softmax(logits, -1) - target) / 3).detach().numpy(), atol=1e-12)
