"""
Runs a registry row end to end: train (resuming a killed run), score the dev-selected weights on
test, and write ``results/ROW.json``.
"""
import contextlib
import datetime
import glob
import hashlib
import json
import logging
import os
import platform
import statistics
import subprocess
from unittest import mock
from typing import Any, Dict, Iterator, List, Optional, Sequence

import torch
from allennlp.commands.train import train_model_from_file
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError

from allennlp_jmt.config_environment import VARIABLES
from allennlp_jmt.reproduction.rows import Row

logger = logging.getLogger(__name__)

# Variables a row never pins: where to run is the user's choice, not the row's.
KEPT_VARIABLES = ("JMT_CUDA_DEVICE",)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def missing_variables(row: Row) -> List[str]:
    """The environment variables `row` needs that are unset or empty."""
    return [name for name in row.variables if not os.environ.get(name)]


def check_available(row: Row) -> None:
    missing = missing_variables(row)
    if missing:
        raise ConfigurationError(
            f"row {row.name} needs the environment variable(s) {', '.join(missing)} "
            f"({row.data}); see `allennlp jmt-reproduce --list`"
        )


def seed_directory(serialization_dir: str, seed: int, several: bool) -> str:
    """A one-seed run trains in DIR itself; several seeds train in DIR/seed_N each."""
    return os.path.join(serialization_dir, f"seed_{seed}") if several else serialization_dir


@contextlib.contextmanager
def pinned_environment(row: Row) -> Iterator[None]:
    """
    While training and resolving `row`'s config, every config variable the row does not declare
    is "" (the bundled sample, no vectors): an exported JMT_EMBEDDINGS must not give English
    GloVe to a Dutch row, and a resumed run must resolve to the config it started with.
    """
    undeclared = [name for name in VARIABLES if name not in row.variables and name not in KEPT_VARIABLES]
    with mock.patch.dict(os.environ, {name: "" for name in undeclared}):
        yield



def train_seed(row: Row, directory: str, seed: int) -> Dict[str, Any]:
    """
    Trains `row` with `seed` in `directory` unless a finished run is there (``model.tar.gz`` and
    ``metrics.json``), resuming with ``--recover`` a run that was killed, and returns that seed's record.
    """
    overrides = json.dumps(row.all_overrides(seed, dict(os.environ)))
    config = os.path.join(ROOT, row.config)
    check_same_config(directory, Params.from_file(config, overrides))
    finished = os.path.exists(os.path.join(directory, "model.tar.gz")) and os.path.exists(
        os.path.join(directory, "metrics.json"))
    if not finished:
        recover = os.path.exists(os.path.join(directory, "config.json"))
        logger.info("%s row %s, seed %d, in %s", "resuming" if recover else "training", row.name, seed, directory)
        started_at = commit()  # before training: the tree may change while it runs
        epochs_before = len(epoch_metrics_files(directory))
        try:
            train_model_from_file(config, directory, overrides=overrides, recover=recover)
        finally:  # also when training stops with an exception (not when the process is killed)
            if len(epoch_metrics_files(directory)) > epochs_before or os.path.exists(
                    os.path.join(directory, "model.tar.gz")):
                note_commit(directory, started_at)
    return seed_record(directory, seed)


def check_same_config(directory: str, params: Params) -> None:
    """
    Refuses a run folder trained with another config than `params` (the row's config changed since,
    or the folder is another row's): a finished run would otherwise be reported as this config's,
    and a killed one could not resume.
    """
    stored_path = os.path.join(directory, "config.json")
    if not os.path.exists(stored_path):
        return
    stored, current = Params.from_file(stored_path).as_flat_dict(), params.duplicate().as_flat_dict()
    differing = sorted(key for key in stored.keys() | current.keys() if stored.get(key) != current.get(key))
    if differing:
        shown = "; ".join(f"{key}: {stored.get(key)!r} there, {current.get(key)!r} now" for key in differing[:5])
        raise ConfigurationError(
            f"{directory} holds a run of another config ({len(differing)} key(s) differ: {shown}"
            f"{'; …' if len(differing) > 5 else ''}): move it away to train this one, or give another -s")


TRAINED_AT = "jmt_reproduce_commits.json"


def note_commit(directory: str, started_at: Optional[str]) -> None:
    """
    Appends `started_at` to the run's list of commits it trained at (one per start or resume),
    written after training because AllenNLP refuses to start a run in a folder that is not empty.
    """
    if not os.path.isdir(directory):
        return
    path = os.path.join(directory, TRAINED_AT)
    commits = json.load(open(path)) if os.path.exists(path) else []
    with open(path, "w") as handle:
        json.dump(commits + [started_at], handle)


def seed_record(directory: str, seed: int) -> Dict[str, Any]:
    """What one finished run says: test metrics, best epoch, epochs run, time, dev scores per epoch."""
    with open(os.path.join(directory, "metrics.json")) as handle:
        metrics = json.load(handle)
    epochs = epoch_metrics_files(directory)
    curves: Dict[str, List[float]] = {}
    durations: List[float] = []
    for path in epochs:
        with open(path) as handle:
            epoch_metrics = json.load(handle)
        durations.append(seconds(epoch_metrics.get("training_duration", "0:00:00")))
        for key, value in epoch_metrics.items():
            if key.startswith("validation_") and not key.endswith("loss") and isinstance(value, (int, float)):
                curves.setdefault(key, []).append(value)
    test_metrics = {key: value for key, value in sorted(metrics.items())
                    if key.startswith("test_") and not key.endswith("loss") and isinstance(value, (int, float))}
    if not test_metrics:
        raise ConfigurationError(f"{directory}/metrics.json has no test metrics: the row's config needs "
                                 "test_data_path and evaluate_on_test")
    return {
        "seed": seed,
        "metrics": test_metrics,
        "best_epoch": metrics.get("best_epoch"),
        "epochs_run": len(epochs),
        "training_duration": str(datetime.timedelta(seconds=round(total_training_seconds(durations)))),
        # The commits the run trained at (None: started before this was recorded).
        "trained_at": json.load(open(os.path.join(directory, TRAINED_AT)))
        if os.path.exists(os.path.join(directory, TRAINED_AT)) else None,
        "dev_curves": curves,
    }


def epoch_metrics_files(directory: str) -> List[str]:
    """The run's ``metrics_epoch_N.json`` files in epoch order."""
    return sorted(glob.glob(os.path.join(directory, "metrics_epoch_*.json")),
                  key=lambda path: int(path.rsplit("_", 1)[1].split(".")[0]))


def seconds(duration: str) -> float:
    """AllenNLP's ``H:MM:SS[.ffffff]`` duration in seconds."""
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def total_training_seconds(durations: List[float]) -> float:
    """
    The training time of a run from each epoch's ``training_duration``, which AllenNLP counts
    from the start of the current process: a resumed run starts counting again, so each
    process's last value is added.
    """
    total = 0.0
    for index, duration in enumerate(durations):
        if index + 1 == len(durations) or durations[index + 1] < duration:
            total += duration
    return total


def resolved_config(row: Row, seed: int) -> Dict[str, Any]:
    overrides = json.dumps(row.all_overrides(seed, dict(os.environ)))
    return Params.from_file(os.path.join(ROOT, row.config), overrides).as_dict(quiet=True)


def config_hash(config: Dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()


def commit() -> Optional[str]:
    """The checkout's commit, with ``-dirty`` when tracked files differ from it; None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("-dirty" if dirty else "")


def machine() -> Dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "threads": torch.get_num_threads(),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "python": platform.python_version(),
        "torch": torch.__version__,
    }


def summarise(seeds: List[Dict[str, Any]]) -> Dict[str, Dict[str, float]]:
    """Mean and standard deviation (sample; 0 for one seed) of each test metric over the seeds."""
    keys = sorted(set.intersection(*(set(seed["metrics"]) for seed in seeds)))
    values = {key: [seed["metrics"][key] for seed in seeds] for key in keys}
    return {
        "mean": {key: statistics.fmean(vals) for key, vals in values.items()},
        "std": {key: statistics.stdev(vals) if len(vals) > 1 else 0.0 for key, vals in values.items()},
    }


def earlier_provenance(path: str, records: List[Dict[str, Any]]) -> Dict[str, Any]:
    """
    The ``commit`` and ``machine`` of an earlier results file at `path` when every run in `records`
    had already finished when it was written (rerunning a finished row, as the campaign script
    does, then rewrites the file without claiming the current commit and thread count); else {}.
    """
    if not os.path.exists(path):
        return {}
    earlier = json.load(open(path))
    def runs(seeds: List[Dict[str, Any]]) -> set:
        return {(record.get("seed"), record.get("epochs_run"), record.get("training_duration")) for record in seeds}

    if runs(records) != runs(earlier.get("seeds", [])):
        return {}
    return {key: earlier[key] for key in ("commit", "machine") if key in earlier}


def command_line(row: Row, seeds: Sequence[int]) -> str:
    variables = " ".join(f"{name}=..." for name in row.variables)
    return (f"{variables + ' ' if variables else ''}allennlp jmt-reproduce {row.name} -s RUN_DIR"
            f"{' --seeds ' + ','.join(map(str, seeds)) if list(seeds) != [13] else ''}")


def reproduce(row: Row, serialization_dir: str, seeds: Sequence[int], results_dir: str) -> Dict[str, Any]:
    """
    Runs every seed of `row` (each resumable) and writes ``results_dir/ROW.json``; returns its
    content. Trains from the repository's root, where the configs' bundled-sample paths point.
    """
    check_available(row)
    several = len(seeds) > 1
    serialization_dir, results_dir = os.path.abspath(serialization_dir), os.path.abspath(results_dir)
    working_dir = os.getcwd()
    os.chdir(ROOT)
    try:
        with pinned_environment(row):
            records = [train_seed(row, seed_directory(serialization_dir, seed, several), seed) for seed in seeds]
            config_sha256 = config_hash(resolved_config(row, seeds[0]))
    finally:
        os.chdir(working_dir)
    summary = summarise(records)
    result = {
        "row": row.name,
        "config": row.config,
        "overrides": row.overrides,
        "data": row.data,
        "note": row.note,
        "ablation_of": row.ablation_of,
        "metric": row.metric,
        "paper": row.paper,
        "target": row.target,
        "baselines": row.baselines,
        "stopping": {"max_epochs": row.overrides.get("trainer.num_epochs"), "patience": row.overrides.get("trainer.patience")},
        "command": command_line(row, seeds),
        "metrics": summary["mean"],
        "std": summary["std"],
        "seeds": records,
        "config_sha256": config_sha256,
        "commit": commit(),
        "machine": machine(),
    }
    os.makedirs(results_dir, exist_ok=True)
    path = os.path.join(results_dir, row.name + ".json")
    result.update(earlier_provenance(path, records))
    with open(path, "w") as handle:
        json.dump(result, handle, indent=2, sort_keys=True)
        handle.write("\n")
    logger.info("wrote %s", path)
    return result
