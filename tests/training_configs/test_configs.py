"""Every config in training_configs/ loads and builds its readers and model on the bundled sample."""
from pathlib import Path

import pytest
from allennlp.common import Params
from allennlp.data import DatasetReader, Vocabulary
from allennlp.data.dataset_readers import MultiTaskDatasetReader
from allennlp.models import Model

from tests.conftest import ROOT

CONFIGS = sorted((ROOT / "training_configs").glob("**/*.jsonnet"))


def test_there_are_configs():
    assert len(CONFIGS) >= 5


@pytest.mark.parametrize("config", CONFIGS, ids=[str(c.relative_to(ROOT / "training_configs")) for c in CONFIGS])
def test_config_builds(config: Path, monkeypatch):
    monkeypatch.chdir(ROOT)
    params = Params.from_file(str(config))
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    validation_reader = (
        DatasetReader.from_params(params.pop("validation_dataset_reader"))
        if "validation_dataset_reader" in params else reader
    )
    instances = read(reader, params.pop("train_data_path")) + read(validation_reader, params.pop("validation_data_path"))
    assert instances
    vocab = Vocabulary.from_instances(instances)
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    assert sum(p.numel() for p in model.parameters()) > 0


def read(reader: DatasetReader, path) -> list:
    """A single-task reader reads its path; AllenNLP's multitask reader, each task's path (a dict)."""
    if isinstance(reader, MultiTaskDatasetReader):
        return [instance for task, task_path in path.as_dict().items() for instance in reader.readers[task].read(task_path)]
    return list(reader.read(path))


@pytest.mark.parametrize("variable", ["", "JMT_SICK_DIR"])
def test_jmt_trains_the_sample_with_adam_and_full_corpora_with_the_papers_optimization(variable, monkeypatch):
    if variable:
        monkeypatch.setenv(variable, str(ROOT / "fixtures" / "data" / "jmt" / "sick"))
    params = Params.from_file(str(ROOT / "training_configs" / "jmt.jsonnet"))
    full = bool(variable)
    assert params["model"]["loss_reduction"] == ("sum" if full else "mean")
    assert params["trainer"]["optimizer"].as_dict() == ({"type": "sgd", "lr": 1.0} if full else {"type": "adam", "lr": 0.01})
    assert ("learning_rate_scheduler" in params["trainer"]) == full
    assert params["trainer"]["num_epochs"] == (30 if full else 6)
