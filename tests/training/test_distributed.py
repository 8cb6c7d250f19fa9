"""
Distributed training on two gloo workers (CPU): metrics summed over the workers equal the
one-process ones, DDP keeps the workers' parameters equal, and the tiny tagger, joint and JMT
configs train to the end (test evaluation included) with ``"distributed"``.

The workers come from a fork server rather than being spawned (AllenNLP's ``train`` spawns
them): the server imports allennlp, the plugin and this module once, and each worker is forked
from it, where a spawned one spends some ten seconds on two busy cores importing allennlp again.
Not forked from pytest itself: after a test has run torch's OpenMP thread pool in this process, a
forked child that runs a parallel region waits forever (GNU OpenMP is not fork-safe), which hung
CI whenever OMP_NUM_THREADS was unset. What runs in the workers is AllenNLP's own distributed code.
"""
import json
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Dict, List, Union

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from allennlp.commands.train import train_model_from_file
from allennlp.common import Params
from allennlp.common.util import find_open_port
from allennlp.data import Vocabulary
from allennlp.data.data_loaders import MultiProcessDataLoader, MultiTaskDataLoader
from allennlp.models import load_archive
from allennlp.training import util as training_util
from allennlp.training.callbacks import TrainerCallback
from allennlp.training.metrics import CategoricalAccuracy

from allennlp_jmt.data.schedulers import TaskOrderScheduler
from allennlp_jmt.modules.tag_spans import span_f1_measure
from allennlp_jmt.training.metrics import (
    DistributedAttachmentScores,
    DistributedPearsonCorrelation,
    MeanSquaredError,
)
from tests.conftest import ROOT

WORKERS = 2
ARCHIVES = ROOT / "fixtures" / "archives"
DATA = "fixtures/data/"
DISTRIBUTED = {"distributed": {"cuda_devices": [-1] * WORKERS, "ddp_accelerator": {"type": "jmt_ddp"}}}
# Metrics of float predictions: a sentence batched with others than in one process gets predictions
# that differ in the last bits of float32, and the tiny archive's relatedness predictions are so
# close together (3.29 to 3.30) that its Pearson moves in the fifth digit. The others count: equal.
FLOAT_METRICS = ("mse", "pearson")


def expected(key: str, value: float) -> Any:
    """What a metric named `key` of the one-process value `value` must be."""
    return pytest.approx(value, rel=1e-4) if key.endswith(FLOAT_METRICS) else value


# What the fork server imports before it forks any worker (it never runs a torch operation).
mp.set_forkserver_preload(["allennlp.commands.train", "allennlp_jmt", __name__])


def fork_processes(function: Callable, args: tuple = (), nprocs: int = 1, **kwargs) -> Any:
    """`torch.multiprocessing.spawn`, with the processes forked from a fork server (see the module docstring)."""
    return mp.start_processes(function, args, nprocs, start_method="forkserver", **kwargs)


def in_process_group(rank: int, port: int, out: Path, function: Callable, args: tuple) -> None:
    """A worker: joins a gloo group and saves what `function(*args)` returns to ``out/<rank>.pt``."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", world_size=WORKERS, rank=rank,
                            timeout=timedelta(minutes=2))  # a worker left waiting fails the test, not CI
    try:
        torch.save(function(*args), out / f"{rank}.pt")
    finally:
        dist.destroy_process_group()


def run_distributed(function: Callable, *args, out: Path) -> List[Any]:
    """What `function(*args)` returns on each of two workers of a gloo group, by rank."""
    fork_processes(in_process_group, (find_open_port(), out, function, args), nprocs=WORKERS)
    return [torch.load(out / f"{rank}.pt", weights_only=False) for rank in range(WORKERS)]


def archive_metrics(archive: str, data_path: Union[str, Dict[str, str]]) -> Dict[str, float]:
    """The metrics and loss of `archive` on `data_path` (a worker's shard of it in a process group)."""
    loaded = load_archive(archive)
    reader = loaded.validation_dataset_reader
    if isinstance(data_path, dict):
        loader = MultiTaskDataLoader(reader, data_path, TaskOrderScheduler(batch_size=2), shuffle=False)
    else:
        loader = MultiProcessDataLoader(reader, data_path, batch_size=2)
    loader.index_with(loaded.model.vocab)
    return training_util.evaluate(loaded.model, loader, cuda_device=-1)


# Each task's data splits into equal shards (even counts), so that no worker has an instance the other lacks.
EVALUATIONS = {
    "tagger": (str(ARCHIVES / "tagger.tar.gz"), DATA + "conll2000/test.txt"),
    "jmt": (str(ARCHIVES / "jmt.tar.gz"), {
        "pos": DATA + "ptb3/combined#00-18", "chunk": DATA + "conll2000/test.txt",
        "dependencies": DATA + "ud/en_ewt-sample-dev.conllu",
        "relatedness": DATA + "sick/SICK_trial.txt", "entailment": DATA + "sick/SICK_trial.txt",
    }),
}


TAGS = ["O", "B-NP", "I-NP", "B-VP", "I-VP", "B-PP"]


def metric_batches(rank: int) -> List[Dict[str, torch.Tensor]]:
    """Two seeded batches of rank `rank`'s predictions and labels, shaped unlike the other rank's."""
    generator = torch.Generator().manual_seed(rank)
    batches = []
    for size, length in ((3, 5), (2, 7)) if rank == 0 else ((4, 3), (1, 9)):
        mask = torch.arange(length) < torch.randint(1, length + 1, (size, 1), generator=generator)
        batches.append({"mask": mask, "tag_scores": torch.randn(size, length, len(TAGS), generator=generator),
                        "tags": torch.randint(len(TAGS), (size, length), generator=generator),
                        "heads": torch.randint(length, (2, size, length), generator=generator),
                        "head_labels": torch.randint(3, (2, size, length), generator=generator),
                        "scores": 1 + 4 * torch.rand(2, size, generator=generator)})
    return batches


def metric_values(ranks: List[int]) -> Dict[str, Any]:
    """The plugin's metrics (and AllenNLP's accuracy) over the batches of `ranks`."""
    vocab = Vocabulary()
    vocab.add_tokens_to_namespace(TAGS, "labels")
    metrics = {"span_f1": span_f1_measure(vocab, "labels", "BIO"), "accuracy": CategoricalAccuracy(),
               "attachment": DistributedAttachmentScores(), "mse": MeanSquaredError(),
               "pearson": DistributedPearsonCorrelation()}
    for batch in (batch for rank in ranks for batch in metric_batches(rank)):
        for name in ("span_f1", "accuracy"):
            metrics[name](batch["tag_scores"], batch["tags"], batch["mask"])
        (predicted_heads, gold_heads), (predicted_labels, gold_labels) = batch["heads"], batch["head_labels"]
        metrics["attachment"](predicted_heads, predicted_labels, gold_heads, gold_labels, batch["mask"])
        for name in ("mse", "pearson"):
            metrics[name](*batch["scores"])
    return {name: metric.get_metric() for name, metric in metrics.items()}


def this_workers_metric_values() -> Dict[str, Any]:
    """`metric_values` over this worker's own batches."""
    return metric_values([dist.get_rank()])


def test_each_metric_sums_over_workers_whose_batches_differ_in_shape(tmp_path):
    one_process = metric_values(list(range(WORKERS)))
    for worker in run_distributed(this_workers_metric_values, out=tmp_path):
        assert worker.pop("mse") == {"mse": pytest.approx(one_process["mse"]["mse"], rel=1e-12)}
        assert worker.pop("pearson") == pytest.approx(one_process["pearson"], rel=1e-12)
        assert worker == {name: value for name, value in one_process.items() if name not in ("mse", "pearson")}
    assert one_process != metric_values([0])


def evaluate_archives() -> Dict[str, Dict[str, float]]:
    return {name: archive_metrics(*evaluation) for name, evaluation in EVALUATIONS.items()}


def test_distributed_evaluation_of_an_archive_gives_the_one_process_metrics(tmp_path):
    """Span F1, accuracy, attachment scores, MSE, Pearson: summed over two workers, each reading half the data."""
    one_process = evaluate_archives()
    workers = run_distributed(evaluate_archives, out=tmp_path)
    assert set(one_process["jmt"]) >= {"pos_accuracy", "chunk_f1", "dependencies_las", "relatedness_mse",
                                       "relatedness_pearson", "entailment_accuracy"}
    assert set(one_process["tagger"]) == {"accuracy", "precision", "recall", "f1", "loss"}
    for name, metrics in one_process.items():
        losses = [worker[name].pop("loss") for worker in workers]
        assert losses[0] != losses[1], f"{name}: both workers read the same data"  # the loss is not summed
        del metrics["loss"]
        for worker in workers:
            assert set(worker[name]) == set(metrics)
            for key, value in metrics.items():
                assert worker[name][key] == expected(key, value), (name, key)


@TrainerCallback.register("jmt_test_record_workers")
class RecordWorkers(TrainerCallback):
    """
    Saves, for the test, each worker's parameters at the start, its training steps of the first
    epoch (task, loss, the parameters left without a gradient) and its parameters at the end of
    that epoch, to ``<serialization dir>/worker<rank>.pt``.
    """

    def on_start(self, trainer, is_primary: bool = True, **kwargs) -> None:
        self.initial = self.parameters(trainer)
        self.steps: List[Dict[str, Any]] = []

    @staticmethod
    def parameters(trainer) -> Dict[str, torch.Tensor]:
        return {name: parameter.detach().clone() for name, parameter in trainer.model.named_parameters()}

    def on_batch(self, trainer, batch_inputs, batch_outputs, batch_metrics, epoch, batch_number, is_training,
                 is_primary=True, **kwargs) -> None:
        if is_training and epoch == 0:
            no_gradient = {name for name, parameter in trainer.model.named_parameters() if parameter.grad is None}
            task = batch_inputs[0].get("task", [None])[0]
            self.steps.append({"task": task, "loss": batch_outputs[0]["loss"].item(), "no_gradient": no_gradient})

    def on_epoch(self, trainer, metrics, epoch, is_primary=True, **kwargs) -> None:
        if epoch == 0:
            path = Path(self.serialization_dir) / f"worker{dist.get_rank()}.pt"
            final = self.parameters(trainer)
            torch.save({"initial": self.initial, "steps": self.steps, "parameters": final}, path)


CONFIGS = ["hier_gru_crf_tiny", "joint_tiny_multitask", "joint_tiny_crosslingual", "jmt_tiny"]


@pytest.mark.parametrize("config", CONFIGS)
def test_a_tiny_config_trains_distributed_to_the_end_with_the_workers_in_step(config, tmp_path, monkeypatch):
    """
    AllenNLP's ``train`` on two workers: every step both run the same task, on different data;
    the parameters are the same on both after the first epoch's steps; the archive and the test
    metrics (evaluated after training on the whole test set) are written.
    """
    monkeypatch.setattr(mp, "spawn", fork_processes)
    path, out = str(ROOT / "fixtures" / "configs" / f"{config}.jsonnet"), tmp_path / "run"
    params = Params.from_file(path).as_dict()
    callbacks = params["trainer"].get("callbacks", []) + [{"type": "jmt_test_record_workers"}]
    overrides = {**DISTRIBUTED, "trainer.callbacks": callbacks}
    train_model_from_file(path, str(out), overrides=json.dumps(overrides), include_package=["allennlp_jmt"])
    first, second = (torch.load(out / f"worker{rank}.pt", weights_only=False) for rank in range(WORKERS))
    assert [step["task"] for step in first["steps"]] == [step["task"] for step in second["steps"]]
    assert [step["no_gradient"] for step in first["steps"]] == [step["no_gradient"] for step in second["steps"]]
    assert any(a["loss"] != b["loss"] for a, b in zip(first["steps"], second["steps"])), "both read the same data"
    for name, parameter in first["parameters"].items():
        assert torch.equal(parameter, second["parameters"][name]), name
    assert any(not torch.equal(first["initial"][name], value) for name, value in first["parameters"].items())
    assert (out / "model.tar.gz").exists()
    metrics = json.loads((out / "metrics.json").read_text())
    assert any(key.startswith("validation_") for key in metrics)
    if "test_data_path" in params:  # evaluated by the primary alone, after the workers left their group
        whole_test_set = archive_metrics(str(out / "model.tar.gz"), params["test_data_path"])
        reported = {key: value for key, value in metrics.items() if key.startswith("test_") and key != "test_loss"}
        assert reported == {f"test_{key}": expected(key, value)
                            for key, value in whole_test_set.items() if key != "loss"}
