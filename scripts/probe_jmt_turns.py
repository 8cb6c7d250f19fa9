"""
Where a JMT run's dev scores move within an epoch: one more training epoch from a run's checkpoint,
with every dev metric measured at each task-turn boundary.

Builds the run's trainer from its ``config.json`` and vocabulary, restores the model, optimizer,
metric tracker and callback states of ``model_state_eN_b0.th`` / ``training_state_eN_b0.th`` (as
AllenNLP's ``--recover`` does), and runs the trainer's own epoch loop with the run's callbacks
(successive regularization, per-task clipping). Before the first step of each task's turn and at
the end, a copy of the model with the current weights is evaluated on the run's validation data.
Nothing is written to the run's directory. Written by hand because AllenNLP validates only at the
end of an epoch; it uses the trainer's private state (AllenNLP 2.10.1).

    OMP_NUM_THREADS=1 python scripts/probe_jmt_turns.py RUN_DIR EPOCHS_COMPLETED OUT.json \
        [--delta TASK=δ ...] [--stop-at TASK]

``--delta`` changes the successive regularization of a task's turns; ``--stop-at`` ends the probe
when that task's turn begins.
"""
import argparse
import copy
import json
import tempfile
from pathlib import Path
from typing import Dict, List

import torch
from allennlp.commands.train import TrainModel
from allennlp.common import Params
from allennlp.common.util import import_module_and_submodules, prepare_environment
from allennlp.training.callbacks import TrainerCallback


class StopProbe(Exception):
    """Raised when the turn of ``--stop-at`` begins."""


class TurnEvaluator(TrainerCallback):
    """Evaluates a copy of the model on the validation data whenever the batches' task changes."""

    def __init__(self, serialization_dir: str, trainer, out: Path, stop_at: str = None) -> None:
        super().__init__(serialization_dir)
        self.trainer, self.out, self.stop_at = trainer, out, stop_at
        # A copy, so that evaluating neither resets the training model's epoch metrics nor runs
        # the callbacks' hooks on it.
        self.eval_model = copy.deepcopy(trainer.model).eval()
        self.task, self.batches, self.rows = None, 0, []

    def evaluate(self, point: str) -> None:
        self.eval_model.load_state_dict(self.trainer.model.state_dict())
        self.eval_model.get_metrics(reset=True)
        with torch.no_grad():
            for batch in self.trainer._validation_data_loader:
                self.eval_model(**batch)
        metrics = self.eval_model.get_metrics(reset=True)
        self.rows.append({"point": point, "batches_done": self.batches, "metrics": metrics})
        self.out.write_text(json.dumps(self.rows, indent=1))
        print(f"{point:>26} ({self.batches} batches): "
              + " ".join(f"{name}={value:.4f}" for name, value in metrics.items() if "loss" not in name), flush=True)

    def on_backward(self, trainer, batch_outputs, backward_called, **kwargs) -> bool:
        task = batch_outputs["task"]
        if task != self.task:
            self.evaluate("start" if self.task is None else f"after {self.task}")
            if task == self.stop_at:
                raise StopProbe()
            self.task = task
        self.batches += 1
        return False


def restored_trainer(run_dir: Path, epochs_completed: int, deltas: Dict[str, float], scratch: str):
    config = json.loads((run_dir / "config.json").read_text())
    config["vocabulary"] = {"type": "from_files", "directory": str(run_dir / "vocabulary")}
    config["model"]["text_field_embedder"]["token_embedders"]["tokens"].pop("pretrained_file", None)
    config["evaluate_on_test"] = False
    for callback in config["trainer"].get("callbacks", []):
        if callback["type"] == "jmt_successive_regularization":
            callback.setdefault("task_weights", {}).update(deltas)
    params = Params(config)
    prepare_environment(params)
    trainer = TrainModel.from_params(params=params, serialization_dir=scratch, local_rank=0).trainer
    training_state = torch.load(run_dir / f"training_state_e{epochs_completed}_b0.th", map_location="cpu")
    trainer._pytorch_model.load_state_dict(
        torch.load(run_dir / f"model_state_e{epochs_completed}_b0.th", map_location="cpu"))
    trainer._metric_tracker.load_state_dict(training_state["metric_tracker"])
    trainer.optimizer.load_state_dict(training_state["optimizer"])
    for callback, state in zip(trainer._callbacks, training_state["callbacks"]):
        callback.load_state_dict(state)
    trainer._epochs_completed = epochs_completed
    trainer._total_batches_completed = epochs_completed * len(trainer.data_loader)
    trainer._checkpointer = None
    return trainer


def main(argv: List[str] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("epochs_completed", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--delta", action="append", default=[], metavar="TASK=δ")
    parser.add_argument("--stop-at", default=None, metavar="TASK")
    args = parser.parse_args(argv)
    import_module_and_submodules("allennlp_jmt")
    deltas = {task: float(value) for task, value in (item.split("=") for item in args.delta)}
    with tempfile.TemporaryDirectory() as scratch:
        trainer = restored_trainer(args.run_dir, args.epochs_completed, deltas, scratch)
        evaluator = TurnEvaluator(scratch, trainer, args.out, args.stop_at)
        trainer._callbacks.append(evaluator)
        for callback in trainer._callbacks:
            callback.on_start(trainer, is_primary=True)
        try:
            trainer._train_epoch(args.epochs_completed)
            evaluator.evaluate(f"after {evaluator.task} (epoch end)")
        except StopProbe:
            pass


if __name__ == "__main__":
    main()
