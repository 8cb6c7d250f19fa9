import itertools
import math

import pytest
import torch
from allennlp.modules import ConditionalRandomField
from allennlp.modules.conditional_random_field import allowed_transitions

from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf

LABELS = {0: "O", 1: "B-X", 2: "I-X", 3: "L-X", 4: "U-X", 5: "B-Y", 6: "I-Y", 7: "L-Y", 8: "U-Y"}


def path_score(crf, emissions, path):
    score = sum(emissions[t, tag] for t, tag in enumerate(path))
    score += sum(crf.transitions[a, b] for a, b in zip(path, path[1:]))
    if crf.include_start_end_transitions:
        score += crf.start_transitions[path[0]] + crf.end_transitions[path[-1]]
    return score


def brute_force_objective(crf, emissions, gold, cost_weight):
    """f(y) - log sum_y' exp(f(y') + c * Hamming(y, y')) by enumerating every tag sequence."""
    length, num_tags = emissions.shape
    augmented = [
        path_score(crf, emissions, path) + cost_weight * sum(a != b for a, b in zip(path, gold))
        for path in itertools.product(range(num_tags), repeat=length)
    ]
    return path_score(crf, emissions, gold) - torch.logsumexp(torch.stack(augmented), dim=0)


@pytest.mark.parametrize("cost_weight", [0.0, 5.0, 0.7])
@pytest.mark.parametrize("start_end", [True, False])
def test_objective_equals_brute_force_with_padding(cost_weight, start_end):
    torch.manual_seed(0)
    crf = CostAugmentedCrf(3, include_start_end_transitions=start_end, cost_weight=cost_weight)
    lengths = [4, 2, 1, 3]
    emissions = torch.randn(len(lengths), 4, 3)
    tags = torch.randint(0, 3, (len(lengths), 4))
    mask = torch.tensor([[t < n for t in range(4)] for n in lengths])
    tags = tags * mask  # padding holds tag 0, as AllenNLP pads
    expected = sum(
        brute_force_objective(crf, emissions[b, :n], tags[b, :n].tolist(), cost_weight)
        for b, n in enumerate(lengths)
    )
    assert crf(emissions, tags, mask).item() == pytest.approx(expected.item(), abs=1e-4)


def test_zero_cost_is_allennlps_likelihood():
    torch.manual_seed(1)
    crf = CostAugmentedCrf(5)
    emissions, tags = torch.randn(3, 6, 5), torch.randint(0, 5, (3, 6))
    mask = torch.ones(3, 6, dtype=torch.bool)
    mask[1, 4:] = False
    assert crf(emissions, tags, mask).item() == pytest.approx(
        ConditionalRandomField.forward(crf, emissions, tags, mask).item(), abs=1e-5)


def test_cost_lowers_the_objective_and_has_gradients():
    torch.manual_seed(2)
    emissions, tags = torch.randn(2, 5, 4, requires_grad=True), torch.randint(0, 4, (2, 5))
    plain = CostAugmentedCrf(4)
    costly = CostAugmentedCrf(4, cost_weight=5.0)
    costly.load_state_dict(plain.state_dict())
    objective = costly(emissions, tags)
    assert objective.item() < plain(emissions, tags).item()
    objective.backward()
    assert emissions.grad is not None and costly.transitions.grad is not None


def random_case(seed, batch=16, length=9, constrained=True, start_end=True):
    torch.manual_seed(seed)
    constraints = allowed_transitions("BIOUL", LABELS) if constrained else None
    crf = CostAugmentedCrf(len(LABELS), constraints, include_start_end_transitions=start_end)
    logits = torch.randn(batch, length, len(LABELS)) * 3
    lengths = torch.randint(1, length + 1, (batch,))
    lengths[0] = length
    mask = torch.arange(length).unsqueeze(0) < lengths.unsqueeze(1)
    return crf, logits, mask


@pytest.mark.parametrize("constrained", [True, False])
@pytest.mark.parametrize("start_end", [True, False])
@pytest.mark.parametrize("seed", range(5))
def test_decoding_equals_allennlps(seed, constrained, start_end):
    crf, logits, mask = random_case(seed, constrained=constrained, start_end=start_end)
    ours = crf.viterbi_tags(logits, mask)
    theirs = ConditionalRandomField.viterbi_tags(crf, logits, mask)
    assert [path for path, _ in ours] == [path for path, _ in theirs]
    for (_, a), (_, b) in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-5, abs=1e-3)


@pytest.mark.parametrize("seed", range(3))
def test_top_k_equals_allennlps(seed):
    crf, logits, mask = random_case(seed, batch=6, length=6)
    mask[:, :2] = True  # two tokens at least, so that 4 distinct paths exist
    ours = crf.viterbi_tags(logits, mask, top_k=4)
    theirs = ConditionalRandomField.viterbi_tags(crf, logits, mask, top_k=4)
    for our_best, their_best in zip(ours, theirs):
        assert [path for path, _ in our_best] == [path for path, _ in their_best]
        assert [s for _, s in our_best] == pytest.approx([s for _, s in their_best], rel=1e-5, abs=1e-3)


def test_constrained_decoding_never_breaks_bioul():
    crf, logits, mask = random_case(7, batch=32)
    for path, _ in crf.viterbi_tags(logits, mask):
        labels = [LABELS[tag] for tag in path]
        assert labels[0][0] in "OBU" and labels[-1][0] in "OLU"
        for a, b in zip(labels, labels[1:]):
            assert (b[0] in "IL") == (a[0] in "BI")


def test_negative_cost_is_rejected():
    with pytest.raises(ValueError):
        CostAugmentedCrf(3, cost_weight=-1.0)


def test_score_of_a_decoded_path_is_its_path_score():
    crf, logits, mask = random_case(3, batch=1, length=5, constrained=False)
    (path, score), = crf.viterbi_tags(logits, mask)
    assert score == pytest.approx(path_score(crf, logits[0], path).item(), abs=1e-4)
    assert not math.isinf(score)


@pytest.mark.parametrize("start_end", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_likelihood_terms_and_gradients_equal_allennlps(seed, start_end):
    """The rewritten forward algorithm and gold-path score give upstream's values and gradients."""
    crf, logits, mask = random_case(seed, start_end=start_end)
    mask[1, 1:] = False  # a one-token sentence
    tags = torch.randint(0, len(LABELS), mask.shape) * mask
    results = []
    for implementation in (CostAugmentedCrf, ConditionalRandomField):
        crf.zero_grad()
        emissions = logits.clone().requires_grad_()
        partition = implementation._input_likelihood(crf, emissions, crf.transitions, mask)
        gold = implementation._joint_likelihood(crf, emissions, crf.transitions, tags, mask)
        (partition.sum() - 2 * gold.sum()).backward()
        gradients = [p.grad.clone() for p in crf.parameters() if p.requires_grad]
        results.append([partition, gold, emissions.grad] + gradients)
    ours, theirs = results
    assert torch.equal(ours[0], theirs[0])  # the same sums in the same order
    for mine, upstream in zip(ours[1:], theirs[1:]):
        torch.testing.assert_close(mine, upstream)
