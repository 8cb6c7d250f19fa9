import copy
import random

import pytest
import torch
from allennlp.common import Params
from allennlp.common.testing import ModelTestCase
from allennlp.data import Vocabulary
from allennlp.data.dataset_readers.dataset_utils import to_bioul
from allennlp.models import Model
from allennlp.training.metrics import SpanBasedF1Measure
from conlleval import evaluate

from allennlp_jmt.data.dataset_readers.tag_schemes import open_spans_with_b
from allennlp_jmt.upstream import inner_module
from tests.conftest import FIXTURES, ROOT

CONFIG = ROOT / "fixtures/configs/hier_gru_crf_tiny.jsonnet"


class TestHierGruCrf(ModelTestCase):
    def setup_method(self):
        super().setup_method()
        self.set_up_model(CONFIG, FIXTURES / "conll2000/train.txt")

    def test_trains_saves_and_loads(self):
        self.ensure_model_can_train_save_and_load(CONFIG)

    def test_batch_predictions_equal_single_predictions(self):
        self.ensure_batch_predictions_are_consistent()

    def test_decodes_valid_bioul_with_spans(self):
        self.model.eval()
        output = self.model.make_output_human_readable(self.model(**self.dataset.as_tensor_dict()))
        for tags, spans, words in zip(output["tags"], output["spans"], output["words"]):
            assert len(tags) == len(words)
            for a, b in zip(["O"] + tags, tags + ["O"]):
                assert (b[0] in "IL") == (a[0] in "BI")  # the constrained CRF never breaks BIOUL
            assert all(0 <= start <= end < len(tags) for _, start, end in spans)

    def test_training_batches_are_not_decoded_unless_asked(self):
        self.model.train()
        output = self.model(**self.dataset.as_tensor_dict())
        assert "predicted_tags" not in output and output["loss"].item() > 0
        assert self.model.get_metrics() == {}

    def test_ablations_are_config_switches(self):
        params = Params.from_file(CONFIG)
        model_params = params["model"].as_dict()
        model_params["cost_weight"] = 0.0
        del model_params["text_field_embedder"]["token_embedders"]["token_characters"]
        model_params["encoder"]["input_size"] = 6
        model = Model.from_params(vocab=self.vocab, params=Params(model_params))
        assert model.tagging.crf.cost_weight == 0.0
        assert model.text_field_embedder.get_output_dim() == 6

    def test_word_dropout_replaces_training_words_by_the_unknown_word_only(self):
        params = Params.from_file(CONFIG)["model"].as_dict()
        model = Model.from_params(vocab=self.vocab, params=Params({**params, "word_dropout": 0.5}))
        seen = []
        model.text_field_embedder.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0]["tokens"]["tokens"]))
        tensors = self.dataset.as_tensor_dict()
        model.train()
        model(**tensors)
        model.eval()
        model(**tensors)
        original = tensors["tokens"]["tokens"]["tokens"]
        oov = self.vocab.get_token_index(self.vocab._oov_token, "tokens")
        dropped = seen[0] != original
        assert dropped.any() and (seen[0][dropped] == oov).all()
        assert (seen[0][original == 0] == 0).all()  # padding is never replaced
        assert torch.equal(seen[1], original)  # evaluation sees every word


def test_span_f1_agrees_with_conlleval():
    """The model's span F1 (AllenNLP's SpanBasedF1Measure on BIOUL) equals conlleval's on the same tags."""
    random.seed(0)
    tags = ["O", "B-X", "I-X", "B-Y", "I-Y"]
    bioul = sorted({prefix + t for t in ("X", "Y") for prefix in ("B-", "I-", "L-", "U-")} | {"O"})
    vocab = Vocabulary()
    for tag in bioul:
        vocab.add_token_to_namespace(tag, "labels")
    for _ in range(50):
        metric = SpanBasedF1Measure(vocab, "labels", label_encoding="BIOUL")
        lines = []
        for _ in range(6):
            gold = [random.choice(tags) for _ in range(random.randint(1, 9))]
            predicted = [random.choice(tags) for _ in gold]
            gold_bioul, predicted_bioul = to_bioul(open_spans_with_b(gold)), to_bioul(open_spans_with_b(predicted))
            lines += [f"w {g} {p}" for g, p in zip(gold, predicted)] + [""]
            scores = torch.zeros(1, len(gold), len(bioul))
            for i, tag in enumerate(predicted_bioul):
                scores[0, i, vocab.get_token_index(tag, "labels")] = 1
            gold_ids = torch.tensor([[vocab.get_token_index(tag, "labels") for tag in gold_bioul]])
            metric(scores, gold_ids, torch.ones(1, len(gold), dtype=torch.bool))
        expected = evaluate(lines)["overall"]["chunks"]["evals"]["f1"]
        assert metric.get_metric()["f1-measure-overall"] == pytest.approx(expected, abs=1e-9)



def test_gazetteer_features_feed_the_crf_and_a_mismatch_is_a_clear_error():
    from allennlp.data import Batch, DatasetReader

    params = Params.from_file(str(CONFIG))
    reader = DatasetReader.from_params(Params({
        "type": "jmt_conll2003", "coding_scheme": "BIOUL", "gazetteer": str(FIXTURES / "gazetteer.txt"),
        "token_indexers": {"tokens": {"type": "single_id", "lowercase_tokens": True},
                           "token_characters": {"type": "jmt_truncated_characters", "max_characters": 6}}}))
    instances = list(reader.read(str(FIXTURES / "conll2003/eng.sample")))
    vocab = Vocabulary.from_instances(instances)
    model_params = params["model"].as_dict()
    model_params.update(label_namespace="ner_labels", gazetteer_dim=4)
    model = Model.from_params(vocab=vocab, params=Params(copy.deepcopy(model_params)))
    batch = Batch(instances)
    batch.index_instances(vocab)
    tensors = batch.as_tensor_dict()
    assert tensors["gazetteer"].shape[-1] == 4 and tensors["gazetteer"].any()  # the fixture's words match

    # The tag scores read [encoding; gazetteer features], and learn from the gazetteer columns.
    projection = inner_module(model.tagging.tag_projection)
    encoder_dim = model.encoder.get_output_dim()
    assert projection.in_features == encoder_dim + 4
    model(**tensors)["loss"].backward()
    assert projection.weight.grad[:, encoder_dim:].abs().sum() > 0

    # Other gazetteer features give every word other tag scores, and the CRF another loss.
    model.eval()
    flipped_gazetteer = {**tensors, "gazetteer": 1 - tensors["gazetteer"]}
    original, flipped = model(**tensors), model(**flipped_gazetteer)
    mask = original["mask"]
    assert (original["logits"] != flipped["logits"]).any(dim=-1)[mask].all()
    assert original["loss"].item() != pytest.approx(flipped["loss"].item())

    model_params.update(gazetteer_dim=3)
    wrong = Model.from_params(vocab=vocab, params=Params(copy.deepcopy(model_params)))
    with pytest.raises(ValueError, match="expects 3 gazetteer types, the batch has 4"):
        wrong(**tensors)
