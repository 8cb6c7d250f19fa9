"""The CRF tagging module: loss, decoding, readable tags, metrics, and the keys of archives made before it."""
import pytest
import torch
from allennlp.data import Vocabulary

from allennlp_jmt.modules.crf_tagging import CrfTagging, accept_keys_of_old_archives

TAGS = ["O", "B-NP", "I-NP", "L-NP", "U-NP"]


@pytest.fixture
def vocab():
    vocab = Vocabulary()
    vocab.add_tokens_to_namespace(TAGS, "labels")
    return vocab


class Tagger(torch.nn.Module):
    """An owner as the plugin's tagger and head are: an encoder, then its `tagging`."""

    def __init__(self, vocab, **kwargs):
        super().__init__()
        self.encoder = torch.nn.Linear(3, 4)
        self.tagging = CrfTagging(vocab, 4, "labels", **kwargs)
        accept_keys_of_old_archives(self, "tagging")


def batch(vocab):
    torch.manual_seed(0)
    mask = torch.tensor([[True, True, True], [True, True, False]])
    tags = torch.tensor([[vocab.get_token_index(tag, "labels") for tag in row]
                         for row in (["B-NP", "L-NP", "O"], ["U-NP", "O", "O"])])
    return torch.randn(2, 3, 4), mask, tags


def test_evaluation_gives_loss_valid_tags_readable_output_and_metrics(vocab):
    tagging = CrfTagging(vocab, 4, "labels", label_encoding="BIOUL").eval()
    encoded, mask, tags = batch(vocab)
    output = tagging(encoded, mask, tags, metadata=[{"words": ["a", "b", "c"]}, {"words": ["d", "e"]}])
    assert output["logits"].shape == (2, 3, len(TAGS)) and output["loss"].item() > 0
    assert output["words"] == [["a", "b", "c"], ["d", "e"]]
    readable = tagging.make_output_human_readable(output)
    assert [len(row) for row in readable["tags"]] == [3, 2]
    for row, spans in zip(readable["tags"], readable["spans"]):
        for before, after in zip(["O"] + row, row + ["O"]):
            assert (after[0] in "IL") == (before[0] in "BI")  # constrained decoding: valid BIOUL only
        assert all(0 <= start <= end < len(row) for _, start, end in spans)
    assert set(tagging.get_metrics()) == {"accuracy", "precision", "recall", "f1"}


def test_tags_without_spans_have_accuracy_and_no_spans(vocab):
    tagging = CrfTagging(vocab, 4, "labels").eval()
    encoded, mask, tags = batch(vocab)
    readable = tagging.make_output_human_readable(tagging(encoded, mask, tags))
    assert "spans" not in readable and set(tagging.get_metrics()) == {"accuracy"}


def test_training_batches_are_decoded_only_if_asked(vocab):
    encoded, mask, tags = batch(vocab)
    quiet = CrfTagging(vocab, 4, "labels", label_encoding="BIOUL").train()
    output = quiet(encoded, mask, tags)
    assert "predicted_tags" not in output and quiet.get_metrics() == {}
    assert quiet.make_output_human_readable(output) == output
    decoding = CrfTagging(vocab, 4, "labels", label_encoding="BIOUL", decode_training_batches=True).train()
    assert "predicted_tags" in decoding(encoded, mask, tags) and "f1" in decoding.get_metrics()


def test_gazetteer_features_are_appended_and_checked(vocab):
    tagging = CrfTagging(vocab, 4, "labels", gazetteer_dim=2)
    encoded, mask, _ = batch(vocab)
    gazetteer = torch.zeros(2, 3, 2)
    gazetteer[0, 1, 0] = 1
    with_feature = tagging(encoded, mask, gazetteer=gazetteer)
    without = tagging(encoded, mask, gazetteer=torch.zeros_like(gazetteer))
    changed = (with_feature["logits"] != without["logits"]).any(dim=-1)
    assert changed.tolist() == [[False, True, False], [False, False, False]]  # the one word with a feature
    with pytest.raises(ValueError, match="expects 2 gazetteer types, the batch has no 'gazetteer' field"):
        tagging(encoded, mask)


@pytest.mark.parametrize("arguments, message", [
    ({"constrain_crf_decoding": True}, "constrain_crf_decoding needs a label_encoding"),
    ({"label_encoding": "BIOES"}, "unknown label_encoding 'BIOES'"),
])
def test_bad_settings_are_clear_errors(vocab, arguments, message):
    with pytest.raises(ValueError, match=message):
        CrfTagging(vocab, 4, "labels", **arguments)


def test_state_dicts_of_old_archives_load_into_the_owner(vocab):
    trained = Tagger(vocab, label_encoding="BIOUL")
    new_keys = trained.state_dict()
    assert {key.split(".")[0] for key in new_keys} == {"encoder", "tagging"}
    old_keys = {key.replace("tagging.", "", 1): value for key, value in new_keys.items()}
    assert {"tag_projection._module.weight", "crf.transitions"} <= set(old_keys)  # what old archives hold

    loaded = Tagger(vocab, label_encoding="BIOUL")
    loaded.load_state_dict(old_keys)  # strict: every key found, none left over
    for key, value in new_keys.items():
        assert torch.equal(loaded.state_dict()[key], value), key
    Tagger(vocab, label_encoding="BIOUL").load_state_dict(new_keys)  # and new archives load as they are


def test_old_keys_of_a_nested_owner_are_renamed_under_its_own_prefix(vocab):
    """A head sits in a ``multitask`` model: its old keys are ``_heads.<task>.crf.*``."""
    heads = torch.nn.ModuleDict({"chunk": Tagger(vocab), "ner": Tagger(vocab)})
    old_keys = {key.replace(".tagging.", ".", 1): value for key, value in heads.state_dict().items()}
    assert "ner.crf.transitions" in old_keys
    fresh = torch.nn.ModuleDict({"chunk": Tagger(vocab), "ner": Tagger(vocab)})
    fresh.load_state_dict(old_keys)
    assert torch.equal(fresh["ner"].tagging.crf.transitions, heads["ner"].tagging.crf.transitions)


def test_top_k_and_confidence_outputs_are_readable_and_agree_with_decoding(vocab):
    tagging = CrfTagging(vocab, 4, "labels", label_encoding="BIOUL").eval()
    encoded, mask, _ = batch(vocab)
    output = tagging.make_output_human_readable(tagging(encoded, mask))
    top_k = tagging.top_k_outputs(output["logits"], mask, 3)
    confidences = tagging.confidence_outputs(output["logits"], mask, output["predicted_tags"])
    for tags, spans, sequences, confidence in zip(output["tags"], output["spans"], top_k, confidences):
        assert len(sequences) == 3 and sequences[0]["tags"] == tags and sequences[0]["spans"] == spans
        scores = [sequence["score"] for sequence in sequences]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < sequence["probability"] <= 1 for sequence in sequences)
        tag_probabilities, span_probabilities = confidence["tag_probabilities"], confidence["span_probabilities"]
        assert len(tag_probabilities) == len(tags) and len(span_probabilities) == len(spans)
        assert all(0 <= p <= 1 for p in tag_probabilities + span_probabilities)
        # a sequence is no likelier than any of its tags, nor than any of its spans
        assert sequences[0]["probability"] <= min(tag_probabilities + span_probabilities) + 1e-6


def test_confidence_of_tags_without_spans_has_no_span_probabilities(vocab):
    tagging = CrfTagging(vocab, 4, "labels").eval()
    encoded, mask, _ = batch(vocab)
    output = tagging(encoded, mask)
    confidences = tagging.confidence_outputs(output["logits"], mask, output["predicted_tags"])
    assert [set(confidence) for confidence in confidences] == [{"tag_probabilities"}] * 2
    assert [len(confidence["tag_probabilities"]) for confidence in confidences] == [3, 2]
    assert all("spans" not in sequence for sentence in tagging.top_k_outputs(output["logits"], mask, 2)
               for sequence in sentence)
