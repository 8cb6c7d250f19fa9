"""
The CRF's confidence and k-best outputs against brute force: every tag sequence of a few words
enumerated, the allowed ones kept, their probabilities summed.
"""
import itertools
import math

import pytest
import torch
from allennlp.modules.conditional_random_field import allowed_transitions

from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf
from allennlp_jmt.modules.crf_marginals import span_probabilities
from allennlp_jmt.modules.tag_spans import sorted_spans

LABELS = {
    "BIOUL": ["O", "B-X", "I-X", "L-X", "U-X", "B-Y", "I-Y", "L-Y", "U-Y"],
    "BIO": ["O", "B-X", "I-X", "B-Y", "I-Y"],
    "IOB1": ["O", "B-X", "I-X", "B-Y", "I-Y"],
}
LENGTHS = [5, 3, 1, 4]  # a batch with padding, a one-word sentence among them


def random_case(encoding="BIOUL", constrained=True, start_end=True, seed=0):
    """A CRF with random transitions (and START/END scores), random logits, and the batch's mask."""
    torch.manual_seed(seed)
    tags = LABELS[encoding]
    constraints = allowed_transitions(encoding, dict(enumerate(tags))) if constrained else None
    crf = CostAugmentedCrf(len(tags), constraints, include_start_end_transitions=start_end, cost_weight=5.0)
    with torch.no_grad():
        for parameter in crf.parameters():
            if parameter.requires_grad:
                parameter.normal_(0, 1.5)
    logits = torch.randn(len(LENGTHS), max(LENGTHS), len(tags)) * 2
    mask = torch.arange(max(LENGTHS)).unsqueeze(0) < torch.tensor(LENGTHS).unsqueeze(1)
    return crf, logits, mask


def brute_force(crf, logits, length):
    """Every allowed tag sequence of one sentence's first `length` words, with its score and probability."""
    num_tags = crf.num_tags
    allowed = crf._constraint_mask > 0
    start_tag, end_tag = num_tags, num_tags + 1
    sequences = []
    for path in itertools.product(range(num_tags), repeat=length):
        moves = zip((start_tag,) + path, path + (end_tag,))
        if not all(allowed[a, b] for a, b in moves):
            continue
        score = sum(logits[t, tag].item() for t, tag in enumerate(path))
        score += sum(crf.transitions[a, b].item() for a, b in zip(path, path[1:]))
        if crf.include_start_end_transitions:
            score += crf.start_transitions[path[0]].item() + crf.end_transitions[path[-1]].item()
        sequences.append((list(path), score))
    log_partition = torch.logsumexp(torch.tensor([score for _, score in sequences], dtype=torch.float64), 0)
    return [(path, score, math.exp(score - log_partition.item())) for path, score in sequences]


@pytest.mark.parametrize("start_end", [True, False])
@pytest.mark.parametrize("encoding", ["BIOUL", "BIO", "IOB1"])
def test_tag_marginals_equal_brute_force(encoding, start_end):
    crf, logits, mask = random_case(encoding, start_end=start_end)
    marginals = crf.marginals(logits, mask)
    probabilities = marginals.tag_probabilities
    for sentence, length in enumerate(LENGTHS):
        expected = torch.zeros(length, crf.num_tags, dtype=torch.float64)
        for path, _, probability in brute_force(crf, logits[sentence], length):
            expected[range(length), path] += probability
        torch.testing.assert_close(probabilities[sentence, :length].double(), expected, atol=1e-5, rtol=1e-4)
        assert probabilities[sentence, length:].eq(0).all()  # padding
    sums = probabilities.sum(dim=2)
    torch.testing.assert_close(sums[mask], torch.ones(mask.sum().item()))


def test_forbidden_tags_get_probability_zero_even_with_huge_scores():
    """A forbidden tag is impossible, not penalised: however high its score, its probability is 0."""
    crf, logits, mask = random_case("BIOUL")
    i_x, l_y = LABELS["BIOUL"].index("I-X"), LABELS["BIOUL"].index("L-Y")
    logits[:, 0, i_x] = 1e5  # no sentence may start inside a span
    logits[2, 0, l_y] = 1e5  # nor a one-word sentence end one
    probabilities = crf.marginals(logits, mask).tag_probabilities
    assert probabilities[:, 0, i_x].eq(0).all() and probabilities[2, 0, l_y] == 0
    assert not probabilities.isnan().any()
    for sentence in crf.valid_top_k(logits, mask, top_k=3):
        assert all(path[0] != i_x for path, _, _ in sentence)


def span_probabilities_by_brute_force(sequences, encoding, length):
    """{every span of the sentence: the summed probability of the allowed sequences whose spans include it}."""
    probabilities = {(label, start, end): 0.0
                     for label in "XY" for start in range(length) for end in range(start, length)}
    for path, _, probability in sequences:
        for label, start, end in sorted_spans([LABELS[encoding][tag] for tag in path], encoding):
            probabilities[label, start, end] += probability
    return probabilities


@pytest.mark.parametrize("encoding, constrained", [
    ("BIOUL", True), ("BIO", True), ("IOB1", True), ("BIO", False), ("IOB1", False),
])
def test_span_probabilities_equal_brute_force(encoding, constrained):
    """
    Exactly that span, summed over the sequences whose decoded spans include it; unconstrained
    BIO and IOB1 too, whose lenient readings (an I- after O opens a span) the patterns follow.
    """
    crf, logits, mask = random_case(encoding, constrained=constrained, seed=1)
    expected = [span_probabilities_by_brute_force(brute_force(crf, logits[sentence], length), encoding, length)
                for sentence, length in enumerate(LENGTHS)]
    spans = [[list(span) for span in sentence] for sentence in expected]
    tag_index = {tag: index for index, tag in enumerate(LABELS[encoding])}
    computed = span_probabilities(crf.marginals(logits, mask), spans, encoding, tag_index)
    for sentence_expected, sentence_computed in zip(expected, computed):
        assert sentence_computed == pytest.approx(list(sentence_expected.values()), abs=1e-5)
    assert sum(len(sentence) for sentence in spans) > 20


def test_span_probabilities_of_a_batch_without_spans_are_empty():
    crf, logits, mask = random_case()
    assert span_probabilities(crf.marginals(logits, mask), [[] for _ in LENGTHS], "BIOUL", {}) == [[]] * 4


@pytest.mark.parametrize("start_end", [True, False])
@pytest.mark.parametrize("encoding", ["BIOUL", "BIO"])
def test_top_k_with_k_beyond_the_allowed_sequences_returns_them_all_best_first(encoding, start_end):
    crf, logits, mask = random_case(encoding, start_end=start_end, seed=2)
    mask[0, 4] = False  # four words at most: the allowed sequences stay few
    decoded = crf.valid_top_k(logits, mask, top_k=500)
    for sentence, length in enumerate(mask.sum(dim=1).tolist()):
        expected = sorted(brute_force(crf, logits[sentence], length), key=lambda sequence: -sequence[1])
        assert len(expected) < 500
        got = decoded[sentence]
        assert [path for path, _, _ in got] == [path for path, _, _ in expected]
        assert [score for _, score, _ in got] == pytest.approx([score for _, score, _ in expected], abs=1e-4)
        assert [p for _, _, p in got] == pytest.approx([p for _, _, p in expected], abs=1e-5)
        assert sum(p for _, _, p in got) == pytest.approx(1.0, abs=1e-4)


def test_top_k_best_is_the_decoded_path_and_k_best_are_the_best_allowed():
    crf, logits, mask = random_case("BIOUL", seed=3)
    decoded = crf.valid_top_k(logits, mask, top_k=4)
    viterbi = crf.viterbi_tags(logits, mask)
    for sentence, length in enumerate(LENGTHS):
        expected = sorted(brute_force(crf, logits[sentence], length), key=lambda sequence: -sequence[1])[:4]
        assert decoded[sentence][0][0] == viterbi[sentence][0]
        assert [path for path, _, _ in decoded[sentence]] == [path for path, _, _ in expected]
    assert len(decoded[2]) == 3  # one word: O, U-X or U-Y only


def test_top_k_never_returns_a_forbidden_path():
    """Upstream's -10000 lets a forbidden path win when scores are large; -inf never does."""
    crf, logits, mask = random_case("BIOUL")
    i_x = LABELS["BIOUL"].index("I-X")
    logits[2, 0, i_x] = 1e5  # a one-word sentence of I-X: forbidden at START and at END
    (penalised, _), = crf.viterbi_tags(logits[2:3, :1], mask[2:3, :1], top_k=1)[0]
    assert penalised == [i_x]  # upstream's penalty is outscored
    (best, score, probability), *_ = crf.valid_top_k(logits[2:3, :1], mask[2:3, :1], top_k=5)[0]
    assert best != [i_x] and math.isfinite(score) and 0 < probability <= 1
    assert len(crf.valid_top_k(logits[2:3, :1], mask[2:3, :1], top_k=5)[0]) == 3


def test_confidence_needs_no_gradient():
    """Prediction only (the brute force above also shows that the CRF's training cost is left out)."""
    crf, logits, mask = random_case(seed=4)
    marginals = crf.marginals(logits.requires_grad_(), mask)
    assert crf.cost_weight == 5.0 and not marginals.tag_probabilities.requires_grad
