"""
Makes fixtures/archives/: a tiny trained archive of each model (HierGRU-CRF tagger, Yang et al.'s
joint tagger, JMT) with its predictions on fixed inputs. Made once, with the code of the commit
that added them (before the architecture refactor), so that tests/test_old_archives.py can check
that archives made by older code still load and predict identically. Re-running it makes
archives with today's code, which defeats that purpose: only do it on purpose.

    .venv/bin/python scripts/make_archive_fixtures.py
"""
import json
import os
import shutil
import sys
import tempfile

import numpy

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import allennlp_jmt  # noqa: E402,F401
from allennlp.commands.train import train_model_from_file  # noqa: E402
from allennlp.models.archival import load_archive  # noqa: E402
from allennlp.predictors import Predictor  # noqa: E402

from allennlp_jmt.predictors import JointTaggerPredictor  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "archives")
SEEDS = '{"random_seed": 13, "numpy_seed": 13, "pytorch_seed": 13}'
MODELS = {
    "tagger": ("fixtures/configs/hier_gru_crf_tiny.jsonnet", "jmt_tagger", [
        {"tokens": ["Confidence", "in", "the", "pound", "is", "widely", "expected", "to", "take", "another", "dive"]},
        {"sentence": "He reckons the current account deficit will narrow to only 1.8 billion in September."},
    ]),
    "joint": ("fixtures/configs/joint_tiny_multitask.jsonnet", "jmt_joint_tagger", [
        {"tokens": ["Peter", "Blackburn", "lives", "in", "Brussels", "."], "task": "en_ner"},
        {"sentence": "He reckons the deficit will narrow.", "task": "en_chunk"},
        {"sentence": "EU rejects German call to boycott British lamb."},
    ]),
    "jmt": ("fixtures/configs/jmt_tiny.jsonnet", "jmt", [
        {"sentence": "The dog chased the cat into the garden."},
        {"premise": "A man is playing a guitar.", "hypothesis": "A person is playing an instrument."},
    ]),
}


def main() -> None:
    os.chdir(ROOT)
    os.makedirs(OUT, exist_ok=True)
    for name, (config, predictor_name, inputs) in MODELS.items():
        with tempfile.TemporaryDirectory() as run:
            train_model_from_file(config, os.path.join(run, "model"), overrides=SEEDS)
            shutil.copy(os.path.join(run, "model", "model.tar.gz"), os.path.join(OUT, f"{name}.tar.gz"))
        predictor = Predictor.from_archive(load_archive(os.path.join(OUT, f"{name}.tar.gz")), predictor_name)
        with open(os.path.join(OUT, f"{name}.predictions.json"), "w") as handle:
            json.dump({"predictor": predictor_name, "inputs": inputs,
                       "outputs": predictor.predict_batch_json(inputs),
                       "scores": model_scores(predictor, inputs)}, handle, indent=1)
            handle.write("\n")


def model_scores(predictor: Predictor, inputs: list) -> list:
    """
    Every floating-point output of the model's forward pass on each input (what predictions are
    made from); for the joint tagger, on the inputs that name a task (one instance each).
    """
    inputs = [line for line in inputs if "task" in line or not isinstance(predictor, JointTaggerPredictor)]
    instances = predictor._batch_json_to_instances([dict(line) for line in inputs])
    for instance in instances:
        predictor._dataset_reader.apply_token_indexers(instance)
    outputs = [predictor._model.forward_on_instance(instance) for instance in instances]
    return [{key: numpy.asarray(value).round(6).tolist() for key, value in output.items()
             if isinstance(value, numpy.ndarray) and value.dtype.kind == "f"} for output in outputs]


if __name__ == "__main__":
    main()
