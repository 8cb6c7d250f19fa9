"""A JMT single-task config trains on the bundled sample: its task's batches only, the layers below through it."""
import json
import math

import torch
from allennlp.commands.train import TrainModel
from allennlp.common import Params

from tests.conftest import ROOT


def test_a_single_task_model_trains_its_own_task_alone_and_the_layers_below_through_it(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    params = Params.from_file("training_configs/jmt_single_task/chunk.jsonnet",
                              params_overrides=json.dumps({"trainer.num_epochs": 1}))
    train = TrainModel.from_params(params=params, serialization_dir=str(tmp_path), local_rank=0)
    before = {name: parameter.detach().clone() for name, parameter in train.model.named_parameters()}
    # AllenNLP's multitask loader reads every reader's data (POS gives the POS layer its labels) ...
    assert train.model.vocab.get_vocab_size("pos_labels") > 2
    chunk_instances = sum(1 for instance in train.trainer.data_loader.iter_instances()
                          if instance["task"].metadata == "chunk")
    # ... but an epoch holds the chunking batches alone.
    assert len(train.trainer.data_loader) == math.ceil(chunk_instances / 32)
    metrics = train.run()
    train.finish(metrics)  # scores the test data into `metrics`
    assert "test_chunk_f1" in metrics and "validation_chunk_f1" in metrics
    assert not any("pos_" in key for key in metrics), "the untrained POS head was scored"
    after = dict(train.model.named_parameters())
    assert not torch.equal(before["task_layers.pos.encoder._module.weight_ih_l0"],
                           after["task_layers.pos.encoder._module.weight_ih_l0"]), "no gradient reached the POS layer"
