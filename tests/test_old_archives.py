"""
Archives made by older code (fixtures/archives/, made with scripts/make_archive_fixtures.py before
the architecture refactor) still load from their own config.json and predict what they predicted.
"""
import json

import numpy
import pytest
from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor

from tests.conftest import ROOT

ARCHIVES = ROOT / "fixtures" / "archives"


def assert_close(actual, expected, where=""):
    """Equal structures, floats to 1e-5 (the stored scores are rounded to 6 digits)."""
    if isinstance(expected, float):
        assert actual == pytest.approx(expected, abs=1e-5), where
    elif isinstance(expected, dict):
        assert sorted(actual) == sorted(expected), where
        for key in expected:
            assert_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, f"{where}[{index}]")
    else:
        assert actual == expected, where


@pytest.mark.parametrize("name", ["tagger", "joint", "jmt"])
def test_an_old_archive_loads_and_predicts_identically(name):
    stored = json.loads((ARCHIVES / f"{name}.predictions.json").read_text())
    predictor = Predictor.from_archive(load_archive(str(ARCHIVES / f"{name}.tar.gz")), stored["predictor"])
    assert_close(predictor.predict_batch_json(stored["inputs"]), stored["outputs"], name)
    inputs = [line for line in stored["inputs"] if "task" in line or stored["predictor"] != "jmt_joint_tagger"]
    instances = predictor._batch_json_to_instances([dict(line) for line in inputs])
    for instance, expected in zip(instances, stored["scores"]):
        predictor._dataset_reader.apply_token_indexers(instance)
        output = predictor._model.forward_on_instance(instance)
        for key, value in expected.items():
            numpy.testing.assert_allclose(output[key], numpy.asarray(value), atol=1e-5, err_msg=f"{name}: {key}")
