"""
The predictors' ``quantize`` option: int8 GRU, LSTM and linear layers, through packed sequences and
the distinct-word character encoder, with nearly the tags of the model as trained, and no warning.
"""
import json
import warnings

from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor

from tests.conftest import FIXTURES, ROOT

ARCHIVES = ROOT / "fixtures" / "archives"


def sentences(count):
    """The first `count` sentences of the bundled CoNLL-2000 sample's test part, as ``{"tokens": ...}``."""
    lines, words = [], []
    for line in (FIXTURES / "jmt" / "conll2000" / "test.txt").read_text().splitlines():
        if line.strip():
            words.append(line.split()[0])
        elif words:
            lines.append({"tokens": words})
            words = []
    return lines[:count]


def predictor(name, **options):
    stored = json.loads((ARCHIVES / f"{name}.predictions.json").read_text())
    return Predictor.from_archive(load_archive(str(ARCHIVES / f"{name}.tar.gz")), stored["predictor"],
                                  extra_args=options)


def test_quantized_tagger_tags_nearly_every_word_alike_without_warnings():
    inputs = sentences(60) + [{"tokens": []}, {"sentence": "The dog barks."}]
    plain = predictor("tagger").predict_batch_json(inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # quantizing must not warn (torch's deprecation notices are silenced)
        quantized_predictor = predictor("tagger", quantize=True)
    layers = {module._get_name() for module in quantized_predictor._model.modules()}
    assert {"DynamicQuantizedGRU", "DynamicQuantizedLinear"} <= layers and "GRU" not in layers
    quantized = quantized_predictor.predict_batch_json(inputs)
    assert [output["words"] for output in quantized] == [output["words"] for output in plain]
    pairs = [(a, b) for one, two in zip(plain, quantized) for a, b in zip(one["tags"], two["tags"])]
    assert sum(a == b for a, b in pairs) / len(pairs) >= 0.97
    assert quantized[-2] == {"words": [], "tags": [], "spans": []}


def test_quantized_tagger_keeps_the_optional_outputs():
    inputs = sentences(3)
    outputs = predictor("tagger", quantize=True, top_k=2, confidence=True).predict_batch_json(inputs)
    for output in outputs:
        assert output["top_k"][0]["tags"] == output["tags"]
        assert len(output["tag_probabilities"]) == len(output["words"])


def test_quantized_joint_tagger_predicts_every_head():
    inputs = [{"tokens": words["tokens"]} for words in sentences(5)]
    plain = predictor("joint").predict_batch_json(inputs)
    quantized = predictor("joint", quantize=True).predict_batch_json(inputs)
    assert [sorted(output) for output in quantized] == [sorted(output) for output in plain]
    tags = [(output[key], output["words"]) for output in quantized for key in output if key.endswith("_tags")]
    assert tags and all(len(labels) == len(words) for labels, words in tags)
