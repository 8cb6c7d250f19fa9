"""
Benchmark: JMT training with `jmt_fused_adam` (PyTorch's fused Adam) against AllenNLP's `adam`,
the same config, data and seed, alternating in one run.

    .venv/bin/python scripts/benchmark_jmt_training.py [--config training_configs/jmt.jsonnet]
        [--overrides '{}'] [--max-instances 320] [--vocabulary DIR] [--repeats 3] [--threads 1]

Each repeat trains one epoch with each optimizer (validation and test off), each reader cut to
`--max-instances`; `--vocabulary` (a run's `vocabulary/` folder) gives the model the full-data
embedding tables without reading the full data. The data variables (JMT_*_DIR, JMT_EMBEDDINGS,
JMT_EMBEDDINGS_DIM) choose the corpora as for training. Prints the median training seconds of
each optimizer and their ratio.
"""
import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def training_seconds(config: str, overrides: dict, directory: str) -> float:
    from allennlp.commands.train import train_model_from_file

    from allennlp_jmt.reproduction.runner import seconds

    train_model_from_file(config, directory, overrides=json.dumps(overrides), force=True)
    return seconds(json.loads((Path(directory) / "metrics.json").read_text())["training_duration"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="training_configs/jmt.jsonnet")
    parser.add_argument("--overrides", default="{}", help="JSON of dotted config keys, e.g. a row's data split")
    parser.add_argument("--max-instances", type=int, default=320)
    parser.add_argument("--vocabulary", help="a vocabulary folder to use instead of building one")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    from allennlp.common import Params
    from allennlp.common.util import import_module_and_submodules

    import_module_and_submodules("allennlp_jmt")
    tasks = Params.from_file(str(ROOT / args.config)).as_dict()["dataset_reader"]["readers"]
    given = {key: value for key, value in json.loads(args.overrides).items()  # validation and test are off
             if not key.startswith(("validation_data_path.", "test_data_path."))}
    overrides = {**given, "trainer.num_epochs": 1, "validation_data_path": None,
                 "test_data_path": None, "evaluate_on_test": False, "trainer.patience": None,
                 **{f"dataset_reader.readers.{task}.max_instances": args.max_instances for task in tasks}}
    if args.vocabulary:
        overrides["vocabulary"] = {"type": "from_files", "directory": args.vocabulary}
    times = {"adam": [], "jmt_fused_adam": []}
    with tempfile.TemporaryDirectory() as scratch:
        for repeat in range(args.repeats):
            for optimizer in times:
                run = {**overrides, "trainer.optimizer.type": optimizer}
                times[optimizer].append(training_seconds(str(ROOT / args.config), run, f"{scratch}/{optimizer}{repeat}"))
    medians = {optimizer: statistics.median(seconds) for optimizer, seconds in times.items()}
    print(f"| optimizer | training seconds (median of {args.repeats}) | runs |\n|---|---|---|")
    for optimizer, seconds in times.items():
        print(f"| `{optimizer}` | {medians[optimizer]:.1f} | {', '.join(f'{s:.1f}' for s in seconds)} |")
    print(f"\nfused / AllenNLP's: {medians['jmt_fused_adam'] / medians['adam']:.2f} of the time "
          f"({args.threads} thread(s), {args.max_instances} instances a task, {args.config})")


if __name__ == "__main__":
    main()
