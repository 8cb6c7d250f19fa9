"""JMT's dependency scorer: the bilinear arc score with a learned root, its masks, the label classifier input."""
import torch

from allennlp_jmt.modules.dependency_head_scorer import DependencyHeadScorer

MIN = torch.finfo(torch.float32).min


def setup(batch=2, length=4, dim=3):
    torch.manual_seed(0)
    scorer = DependencyHeadScorer(dim, num_labels=7, hidden_dim=5).eval()
    states = torch.randn(batch, length, dim)
    mask = torch.tensor([[True] * length, [True] * (length - 2) + [False] * 2])
    return scorer, states, mask


def test_scores_are_the_bilinear_form_with_the_root_vector_as_word_zero():
    scorer, states, mask = setup()
    scores, full_mask = scorer.arc_scores(states, mask)
    assert scores.shape == (2, 5, 5) and full_mask.shape == (2, 5)
    assert torch.equal(full_mask, torch.cat([torch.ones(2, 1, dtype=torch.bool), mask], 1))
    h = torch.cat([scorer.root.detach().expand(2, 1, 3), states], dim=1)
    W = scorer.head_projection.weight.detach()
    # score of head j for dependent t: h_t · (W h_j), stored at scores[b, j, t]
    expected = torch.einsum("bte,ed,bjd->bjt", h, W, h)
    allowed = scores > MIN
    torch.testing.assert_close(scores[allowed], expected[allowed])
    # the root column: every word t against the learned root, h_t · (W root)
    torch.testing.assert_close(scores[:, 0, 1:], torch.einsum("bte,ed,d->bt", states, W, scorer.root.detach()))


def test_self_loops_and_padding_heads_are_impossible_and_all_else_allowed():
    scorer, states, mask = setup()
    scores, full_mask = scorer.arc_scores(states, mask)
    impossible = torch.eye(5, dtype=torch.bool) | ~full_mask.unsqueeze(2)
    assert (scores[impossible] == MIN).all()
    assert (scores[~impossible] > MIN).all()
    # the head distribution jmt.py trains on: padding heads and the word itself get no probability
    probabilities = torch.softmax(scores[:, :, 1:].transpose(1, 2), dim=-1)
    assert (probabilities[1, :, 3:] == 0).all()
    assert (probabilities.diagonal(offset=1, dim1=1, dim2=2) == 0).all()
    torch.testing.assert_close(probabilities.sum(-1), torch.ones(2, 4))


def test_the_root_vector_is_learned():
    scorer, states, mask = setup()
    scores, _ = scorer.arc_scores(states, mask)
    scores[:, 0, 1:].sum().backward()
    assert scorer.root.grad is not None and scorer.root.grad.abs().sum() > 0


def test_the_label_classifier_reads_each_word_beside_its_head_or_the_root():
    scorer, states, mask = setup()
    heads = torch.tensor([[0, 1, 1, 3], [2, 0, 0, 0]])
    seen = []
    scorer.label_classifier[0].register_forward_pre_hook(lambda layer, inputs: seen.append(inputs[0]))
    logits = scorer.label_logits(states, heads)
    assert logits.shape == (2, 4, 7)
    assert seen[0].shape == (2, 4, 6)
    for b in range(2):
        for t in range(4):
            head = scorer.root if heads[b, t] == 0 else states[b, heads[b, t] - 1]
            torch.testing.assert_close(seen[0][b, t], torch.cat([states[b, t], head.detach()]))
