import json

import pytest
import torch
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.data import DatasetReader, Vocabulary
from allennlp.models import Model
from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor
from conlleval import evaluate

from allennlp_jmt.predictors import TaggerPredictor
from tests.cli import allennlp
from tests.conftest import FIXTURES, ROOT
from tests.test_conlleval_chunks import conlleval as conlleval_pl

CONFIG = "fixtures/configs/hier_gru_crf_tiny.jsonnet"
ARCHIVES = ROOT / "fixtures" / "archives"
OPTIONS = {"top_k": 3, "confidence": True}


@pytest.fixture(scope="module")
def predictor() -> TaggerPredictor:
    params = Params.from_file(str(ROOT / CONFIG))
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    vocab = Vocabulary.from_instances(reader.read(str(FIXTURES / "conll2000/train.txt")))
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    return TaggerPredictor(model, reader, language="en")


def test_tokens_and_raw_sentences(predictor):
    by_tokens = predictor.predict_json({"tokens": ["The", "dog", "barks", "."]})
    by_text = predictor.predict_json({"sentence": "The dog barks."})
    assert by_tokens["words"] == by_text["words"] == ["The", "dog", "barks", "."]
    assert len(by_tokens["tags"]) == 4 and by_tokens["tags"] == by_text["tags"]
    assert all(0 <= start <= end < 4 for _, start, end in by_tokens["spans"])
    assert set(by_tokens) == {"words", "tags", "spans"}


def test_empty_long_and_unknown_inputs(predictor):
    outputs = predictor.predict_batch_json([
        {"tokens": []}, {"sentence": "   "}, {"tokens": ["w"] * 2000}, {"tokens": ["ø∂ƒ", "☃", "日本語"]},
    ])
    assert outputs[0] == outputs[1] == {"words": [], "tags": [], "spans": []}
    assert len(outputs[2]["tags"]) == 2000
    assert len(outputs[3]["tags"]) == 3


@pytest.mark.parametrize("bad, message", [
    ({"text": "x"}, 'needs "tokens"'), ({"tokens": "a b"}, "list of strings"), ({"sentence": 3}, "must be a string"),
])
def test_bad_inputs_are_clear_errors(predictor, bad, message):
    with pytest.raises(ValueError, match=message):
        predictor.predict_json(bad)


def test_conll_output_needs_gold_tags(predictor):
    predictor.conll_output = True
    try:
        with pytest.raises(ValueError, match="--use-dataset-reader"):
            predictor.dump_line(predictor.predict_json({"tokens": ["a"]}))
    finally:
        predictor.conll_output = False


@pytest.mark.parametrize("scheme, expected", [
    ("IOB2", "Corp. B-NP B-NP\n's B-NP I-NP\nunit I-NP B-NP\nsaid B-VP B-VP\n\n"),
    ("IOB1", "Corp. I-NP I-NP\n's B-NP I-NP\nunit I-NP B-NP\nsaid I-VP I-VP\n\n"),
], ids=["IOB2", "IOB1"])
def test_conll_output_writes_the_corpus_scheme(predictor, scheme, expected):
    """The model's BIOUL tags, gold and predicted, written as IOB2 (the default) or IOB1: never BIOES's E-/S-."""
    conll = TaggerPredictor(predictor._model, predictor._dataset_reader, conll_output=True, conll_scheme=scheme)
    outputs = {"words": ["Corp.", "'s", "unit", "said"], "gold_tags": ["U-NP", "B-NP", "L-NP", "U-VP"],
               "tags": ["B-NP", "L-NP", "U-NP", "U-VP"]}
    assert conll.dump_line(outputs) == expected


def test_unknown_conll_scheme_is_a_clear_error(predictor):
    with pytest.raises(ValueError, match=r"unknown conll_scheme 'BIOES'; use IOB2 .* or IOB1"):
        TaggerPredictor(predictor._model, predictor._dataset_reader, conll_output=True, conll_scheme="BIOES")


def test_predict_offline_and_conlleval_agrees_with_evaluate(tmp_path):
    out = tmp_path / "run"
    trained = allennlp("train", CONFIG, "-s", str(out), "--include-package", "allennlp_jmt")
    assert trained.returncode == 0, trained.stderr[-3000:]
    archive = str(out / "model.tar.gz")

    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"sentence": "He reckons the current account deficit will narrow."}\n{"tokens": []}\n')
    predicted = allennlp("predict", archive, str(inputs), "--silent", "--output-file", str(tmp_path / "out.jsonl"),
                         "--include-package", "allennlp_jmt", env={"HF_HUB_OFFLINE": "1"})
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    first, empty = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert first["words"][:2] == ["He", "reckons"] and len(first["tags"]) == len(first["words"])
    assert empty["tags"] == []

    test_file = "fixtures/data/conll2000/test.txt"
    conll = tmp_path / "predictions.txt"
    predicted = allennlp("predict", archive, test_file, "--use-dataset-reader", "--silent", "--output-file", str(conll),
                         "--predictor-args", '{"conll_output": true}', "--include-package", "allennlp_jmt")
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    metrics_file = tmp_path / "metrics.json"
    evaluated = allennlp("evaluate", archive, test_file, "--output-file", str(metrics_file), "--include-package", "allennlp_jmt")
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    lines = conll.read_text().splitlines()
    conlleval_f1 = evaluate(lines)["overall"]["chunks"]["evals"]["f1"]
    assert json.loads(metrics_file.read_text())["f1"] == pytest.approx(conlleval_f1, abs=1e-9)
    assert conlleval_pl(lines).fb1 / 100 == pytest.approx(conlleval_f1, abs=1e-9)  # and so does conlleval.pl


@pytest.fixture(scope="module")
def archived_tagger():
    return load_archive(str(ARCHIVES / "tagger.tar.gz"))


def check_top_k_and_confidence(output, top_k, prefix=""):
    """The options' outputs of one sentence agree with its tags and spans, best first, probabilities in [0, 1]."""
    tags, spans, sequences = output[prefix + "tags"], output[prefix + "spans"], output[prefix + "top_k"]
    assert sequences[0]["tags"] == tags and sequences[0]["spans"] == spans
    assert len(sequences) == top_k and len({tuple(sequence["tags"]) for sequence in sequences}) == top_k
    scores = [sequence["score"] for sequence in sequences]
    probabilities = [sequence["probability"] for sequence in sequences]
    assert scores == sorted(scores, reverse=True) and probabilities == sorted(probabilities, reverse=True)
    assert all(0 < probability <= 1 for probability in probabilities) and sum(probabilities) <= 1 + 1e-6
    assert len(output[prefix + "tag_probabilities"]) == len(tags)
    assert len(output[prefix + "span_probabilities"]) == len(spans)
    assert all(0 <= p <= 1 for p in output[prefix + "tag_probabilities"] + output[prefix + "span_probabilities"])


def test_top_k_and_confidence_of_an_archived_tagger(archived_tagger):
    plain = Predictor.from_archive(archived_tagger, "jmt_tagger")
    confident = Predictor.from_archive(archived_tagger, "jmt_tagger", extra_args=OPTIONS)
    inputs = [{"sentence": "He reckons the current account deficit will narrow."}, {"tokens": []},
              {"tokens": ["Confidence", "in", "the", "pound"]}]
    outputs = confident.predict_batch_json(inputs)
    for output in outputs[0], outputs[2]:
        assert set(output) == {"words", "tags", "spans", "top_k", "tag_probabilities", "span_probabilities"}
        check_top_k_and_confidence(output, 3)
    assert outputs[1] == {"words": [], "tags": [], "spans": [], "top_k": [], "tag_probabilities": [],
                          "span_probabilities": []}
    # the options add keys and change nothing else
    assert [{key: output[key] for key in ("words", "tags", "spans")} for output in outputs] == \
        plain.predict_batch_json(inputs)


def test_top_k_beyond_the_allowed_sequences_gives_them_all(archived_tagger):
    """One word: O or a U- tag of a chunk type (BIOUL's constraints), every one, probabilities summing to 1."""
    predictor = Predictor.from_archive(archived_tagger, "jmt_tagger", extra_args={"top_k": 1000})
    output = predictor.predict_json({"tokens": ["pound"]})
    allowed = [tag for tag in archived_tagger.model.vocab.get_token_to_index_vocabulary("chunk_labels")
               if tag == "O" or tag.startswith("U-")]
    assert sorted(sequence["tags"][0] for sequence in output["top_k"]) == sorted(allowed)
    assert sum(sequence["probability"] for sequence in output["top_k"]) == pytest.approx(1.0, abs=1e-5)
    assert set(output) == {"words", "tags", "spans", "top_k"}


@pytest.mark.parametrize("top_k", [0, -1, "3", True, 2.5])
def test_bad_top_k_is_a_clear_error(predictor, top_k):
    with pytest.raises(ValueError, match="top_k must be a whole number, 1 at least"):
        TaggerPredictor(predictor._model, predictor._dataset_reader, top_k=top_k)


class TaggerWithoutCrf(Model):
    def __init__(self, vocab):
        super().__init__(vocab)
        self.projection = torch.nn.Linear(2, 2)


def test_options_need_a_crf_tagger(predictor):
    with pytest.raises(ConfigurationError, match="need a CRF tagger .* TaggerWithoutCrf has 0"):
        TaggerPredictor(TaggerWithoutCrf(predictor._model.vocab), predictor._dataset_reader, confidence=True)


def test_top_k_and_confidence_of_an_archived_joint_tagger():
    predictor = Predictor.from_archive(load_archive(str(ARCHIVES / "joint.tar.gz")), "jmt_joint_tagger",
                                       extra_args=OPTIONS)
    words = ["Peter", "Blackburn", "lives", "in", "Brussels", "."]
    one_task, empty, every_head = predictor.predict_batch_json(
        [{"tokens": words, "task": "en_ner"}, {"tokens": [], "task": "en_chunk"}, {"tokens": words}])
    assert one_task["task"] == "en_ner"
    check_top_k_and_confidence(one_task, 3)
    assert empty == {"task": "en_chunk", "words": [], "tags": [], "spans": [], "top_k": [],
                     "tag_probabilities": [], "span_probabilities": []}
    for task in ("en_ner", "en_chunk"):
        check_top_k_and_confidence(every_head, 3, prefix=f"{task}_")
    assert every_head["en_ner_top_k"] == one_task["top_k"]


def test_predict_command_takes_the_options(tmp_path):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"tokens": ["Confidence", "in", "the", "pound"]}\n')
    predicted = allennlp("predict", str(ARCHIVES / "tagger.tar.gz"), str(inputs), "--silent",
                         "--output-file", str(tmp_path / "out.jsonl"), "--predictor-args", json.dumps(OPTIONS),
                         "--include-package", "allennlp_jmt")
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    check_top_k_and_confidence(json.loads((tmp_path / "out.jsonl").read_text()), 3)
