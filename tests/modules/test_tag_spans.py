"""Tag ids to labels, tags to sorted spans, and the span metric's overall scores."""
import pytest
import torch
from allennlp.data import Vocabulary

from allennlp_jmt.modules.tag_spans import labels_of, overall_span_scores, sorted_spans, span_f1_measure

TAGS = ["O", "B-NP", "I-NP", "L-NP", "U-VP", "B-PP", "I-PP"]


@pytest.fixture
def vocab():
    vocab = Vocabulary()
    vocab.add_tokens_to_namespace(TAGS, "labels")  # a *labels namespace: no padding, no OOV
    return vocab


@pytest.mark.parametrize("encoding, tags, expected", [
    ("BIOUL", ["B-NP", "L-NP", "U-VP", "O", "U-NP"], [["NP", 0, 1], ["VP", 2, 2], ["NP", 4, 4]]),
    ("BIO", ["B-NP", "I-NP", "B-NP", "O", "B-VP"], [["NP", 0, 1], ["NP", 2, 2], ["VP", 4, 4]]),
    ("IOB1", ["I-NP", "I-NP", "B-NP", "O", "I-VP"], [["NP", 0, 1], ["NP", 2, 2], ["VP", 4, 4]]),
])
def test_sorted_spans_are_label_start_inclusive_end_by_start(encoding, tags, expected):
    assert sorted_spans(tags, encoding) == expected


def test_sorted_spans_of_no_span():
    assert sorted_spans([], "BIO") == [] and sorted_spans(["O", "O"], "BIOUL") == []


def test_an_unknown_encoding_is_a_clear_error(vocab):
    with pytest.raises(ValueError, match=r"unknown label_encoding 'BIOES': use one of \['BIO', 'BIOUL', 'IOB1'\]"):
        sorted_spans(["S-NP"], "BIOES")
    with pytest.raises(ValueError, match="unknown label_encoding"):
        span_f1_measure(vocab, "labels", "BMES")


def test_labels_of_cuts_each_row_to_its_length(vocab):
    index = {tag: vocab.get_token_index(tag, "labels") for tag in TAGS}
    ids = torch.tensor([[index["B-NP"], index["L-NP"], index["O"]], [index["U-VP"], index["O"], index["O"]]])
    assert labels_of(ids, [3, 1], vocab, "labels") == [["B-NP", "L-NP", "O"], ["U-VP"]]
    assert labels_of(ids, [0, 0], vocab, "labels") == [[], []]


def test_overall_span_scores_of_a_span_f1_measure(vocab):
    metric = span_f1_measure(vocab, "labels", "BIOUL")
    gold, predicted = ["B-NP", "L-NP", "U-VP"], ["B-NP", "L-NP", "O"]  # one of two gold spans found, no wrong one
    scores = torch.zeros(1, 3, len(TAGS))
    for position, tag in enumerate(predicted):
        scores[0, position, vocab.get_token_index(tag, "labels")] = 1
    gold_ids = torch.tensor([[vocab.get_token_index(tag, "labels") for tag in gold]])
    metric(scores, gold_ids, torch.ones(1, 3, dtype=torch.bool))
    assert overall_span_scores(metric) == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3})
    assert overall_span_scores(metric, reset=True)["f1"] == pytest.approx(2 / 3)
    assert overall_span_scores(metric) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}  # reset
