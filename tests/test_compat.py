"""The torch 2.x fixes of `allennlp_jmt.compat`, exercised through the real `allennlp` command."""
import json
import pickle

import numpy
import pytest
import torch
from allennlp.training.checkpointer import Checkpointer
from allennlp.common import Params
from allennlp.training.learning_rate_schedulers import LearningRateScheduler

from tests.cli import allennlp
from tests.kill_on_second_epoch import ENV, START_FILE

CONFIG = "fixtures/configs/simple_tagger_conll2000.jsonnet"
PLUGINS = ["--include-package", "allennlp_jmt", "--include-package", "tests.kill_on_second_epoch"]


def test_training_killed_after_its_first_epoch_resumes_with_recover(tmp_path):
    out = tmp_path / "run"
    killed = allennlp("train", CONFIG, "-s", str(out), *PLUGINS, env={ENV: "1"})
    assert killed.returncode != 0, killed.stderr[-2000:]
    assert (out / "metrics_epoch_0.json").exists()
    assert not (out / "metrics_epoch_1.json").exists()
    assert not (out / "model.tar.gz").exists()
    first_epoch = (out / "metrics_epoch_0.json").read_text()

    resumed = allennlp("train", CONFIG, "-s", str(out), "--recover", *PLUGINS)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert (out / "metrics_epoch_0.json").read_text() == first_epoch  # epoch 0 was not trained again
    assert (out / "metrics_epoch_1.json").exists() and (out / "metrics_epoch_2.json").exists()
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epoch"] == 2
    assert "best_validation_accuracy" in metrics  # the metric tracker came back from the checkpoint
    assert (out / "model.tar.gz").exists()
    # The callback's numpy state came back: one epoch of 24 fixture sentences in batches of 8.
    assert json.loads((out / START_FILE).read_text()) == 3


def test_training_state_with_numpy_scalars_needs_the_fix(tmp_path):
    """Without the fix, torch's weights_only default refuses the trainer's own training state."""
    state = {"metric_tracker": {"best_so_far": numpy.float64(0.5)}, "epochs_completed": 1}
    torch.save({"w": torch.ones(1)}, tmp_path / "model_state_e1_b0.th")
    torch.save(state, tmp_path / "training_state_e1_b0.th")
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / "training_state_e1_b0.th")
    checkpoint = Checkpointer(str(tmp_path)).load_checkpoint()
    assert checkpoint.trainer_state["metric_tracker"]["best_so_far"] == 0.5
    assert torch.equal(checkpoint.model_state["w"], torch.ones(1))


def test_reduce_on_plateau_accepts_verbose_and_reduces():
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=1.0)
    scheduler = LearningRateScheduler.from_params(
        Params({"type": "reduce_on_plateau", "patience": 0, "factor": 0.5, "verbose": True}), optimizer=optimizer
    )
    scheduler.step(1.0)
    scheduler.step(1.0)  # no improvement: with patience 0, the rate halves
    assert optimizer.param_groups[0]["lr"] == 0.5
