"""
The batched Viterbi's speed-ups keep upstream's results: the sentences along the last dimension,
the constrained scores computed once per parameter value, the backtrack in NumPy, inference mode.
"""
import pytest
import torch
from allennlp.modules import ConditionalRandomField
from allennlp.modules.conditional_random_field import allowed_transitions

from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf

TYPES = ["NP", "VP", "PP", "ADVP", "SBAR", "ADJP", "PRT", "CONJP", "INTJ", "LST"]  # CoNLL-2000's chunks
LABELS = dict(enumerate(["O"] + [f"{prefix}-{kind}" for kind in TYPES for prefix in "BILU"]))  # 41 tags


def case(seed, batch=8, length=12):
    torch.manual_seed(seed)
    crf = CostAugmentedCrf(len(LABELS), allowed_transitions("BIOUL", LABELS))
    lengths = torch.randint(1, length + 1, (batch,))
    lengths[0] = length
    mask = torch.arange(length).unsqueeze(0) < lengths.unsqueeze(1)
    return crf, torch.randn(batch, length, len(LABELS)) * 3, mask


def assert_decodes_as_allennlp(crf, logits, mask, top_k=None):
    ours = crf.viterbi_tags(logits, mask, top_k=top_k)
    theirs = ConditionalRandomField.viterbi_tags(crf, logits, mask, top_k=top_k)
    if top_k is None:
        ours, theirs = [[best] for best in ours], [[best] for best in theirs]
    for our_best, their_best in zip(ours, theirs):
        assert [path for path, _ in our_best] == [path for path, _ in their_best]
        assert [score for _, score in our_best] == pytest.approx([score for _, score in their_best], abs=1e-3)


@pytest.mark.parametrize("top_k", [None, 3])
@pytest.mark.parametrize("batch", [1, 8])
@pytest.mark.parametrize("seed", range(3))
def test_conll2000s_tags_decode_as_allennlp(seed, batch, top_k):
    assert_decodes_as_allennlp(*case(seed, batch=batch), top_k=top_k)


def test_scores_are_computed_again_when_the_parameters_change():
    crf, logits, mask = case(0)
    assert_decodes_as_allennlp(crf, logits, mask)
    with torch.no_grad():
        crf.transitions.mul_(-1.0)  # in place, as an optimizer step
    assert_decodes_as_allennlp(crf, logits, mask)
    other, _, _ = case(1)
    crf.load_state_dict(other.state_dict())
    assert_decodes_as_allennlp(crf, logits, mask)


def test_decoding_in_inference_mode_then_in_training():
    """Scores cached in inference mode (as the predictors decode) serve decoding outside it, with gradients on."""
    crf, logits, mask = case(2)
    with torch.inference_mode():
        predicted = crf.viterbi_tags(logits, mask)
    crf.train()
    assert crf.viterbi_tags(logits.clone().requires_grad_(), mask) == predicted
    crf(logits.clone().requires_grad_(), torch.zeros_like(mask, dtype=torch.long), mask).backward()
    assert crf.transitions.grad is not None


def test_paths_repeat_the_last_tag_past_the_end():
    crf, logits, mask = case(3)
    paths, _ = crf.viterbi_decode(logits, mask)
    for path, length in zip(paths[:, 0].tolist(), mask.sum(1).tolist()):
        assert path[length:] == [path[length - 1]] * (len(path) - length)
