import json

import pytest
from allennlp.common import Params
from allennlp.data import DatasetReader, Vocabulary
from allennlp.models import Model
from conlleval import evaluate

from allennlp_jmt.predictors import TaggerPredictor
from tests.cli import allennlp
from tests.conftest import FIXTURES, ROOT
from tests.test_conlleval_chunks import conlleval as conlleval_pl

CONFIG = "fixtures/configs/hier_gru_crf_tiny.jsonnet"


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
