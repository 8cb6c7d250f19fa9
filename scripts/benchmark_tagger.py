"""
Benchmark: what users of the plugin's HierGRU-CRF tagger run, against AllenNLP's CRF tagger, in one run.

    .venv/bin/python scripts/benchmark_tagger.py [--threads 1,all] [--repeats 3] [--output run.json]
    .venv/bin/python scripts/benchmark_tagger.py --report run-1.json run-all.json  # one table of runs
    .venv/bin/python scripts/benchmark_tagger.py --sections score --score-archive A --score-data TEST

Ours: `jmt_hier_gru_crf` (CRF: `CostAugmentedCrf`) with the `jmt_tagger` predictor, plain and
with ``{"quantize": true}``. AllenNLP's: allennlp-models' `crf_tagger` (AllenNLP's
`ConditionalRandomField`, `character_encoding`, `characters` indexer, `conll2000` reader) with
its `sentence_tagger` predictor (given a blank spaCy English model: it cannot download one
offline). Both archives are built here from freshly initialised models of the same sizes (word
embedding 50, character embedding 25 -> BiGRU 2 x 80, word BiGRU 2 x 300; vocabularies from
CoNLL-2000 train): speed does not depend on the weights. At each thread count of --threads
(1, and "all": every core), in fresh processes:

- crf: decoding, and log-likelihood + backward, of the two CRFs with the same weights and BIOUL
  constraints, on the CoNLL-2000 test sentences' lengths sorted into batches of 32, sentences/s;
- predict: `predictor.predict_batch_json` (what ``allennlp predict --batch-size 64`` calls) on
  the first 2,000 CoNLL-2000 test sentences, ``{"sentence": "..."}`` each, sentences/s;
- cli: ``allennlp predict`` as whole processes on those 2,000 sentences and, for its start-up,
  on one sentence: wall seconds and peak memory (maximum resident set);
- train: tokens/s of training (AdaGrad, batches of 10) on the first 300 CoNLL-2000 train sentences;
- profile (when asked for): where one batch-path pass of each predictor spends its time;
- score (when asked for, with --score-archive): a trained archive's test scores, fp32 and quantized.

Every time is the median of --repeats runs after a warm-up, ours and AllenNLP's run in turn.
Ratios are ours / AllenNLP's for throughputs, AllenNLP's / ours for seconds and memory: above 1,
ours is better. Prints Markdown tables; --output also writes the numbers as JSON.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tagger_benchmark_workloads as workloads  # noqa: E402

IN_PROCESS = {"crf", "predict", "train", "profile"}  # the sections a child process measures
ROWS = [  # title, ours, AllenNLP's, whether higher is better
    ("CRF decoding, bucketed, BIOUL-constrained, sentences/s", "crf_decode_ours", "crf_decode_allennlp", True),
    ("CRF log-likelihood + backward, sentences/s", "crf_likelihood_backward_ours",
     "crf_likelihood_backward_allennlp", True),
    ("prediction, `predict_batch_json`, sentences/s", "predict_ours_sentences_per_s",
     "predict_allennlp_sentences_per_s", True),
    ("prediction, same, ours quantized, sentences/s", "predict_ours_quantized_sentences_per_s",
     "predict_allennlp_sentences_per_s", True),
    ("`allennlp predict` on the inputs, whole process, s", "cli_ours_seconds", "cli_allennlp_seconds", False),
    ("`allennlp predict`, same, ours quantized, s", "cli_ours_quantized_seconds", "cli_allennlp_seconds", False),
    ("`allennlp predict` start-up (one sentence), s", "cli_startup_ours_seconds", "cli_startup_allennlp_seconds",
     False),
    ("`allennlp predict` less start-up, sentences/s", "cli_net_ours", "cli_net_allennlp", True),
    ("`allennlp predict` less start-up, ours quantized, sentences/s", "cli_net_ours_quantized", "cli_net_allennlp",
     True),
    ("peak memory of `allennlp predict`, MB", "cli_ours_peak_mb", "cli_allennlp_peak_mb", False),
    ("peak memory, same, ours quantized, MB", "cli_ours_quantized_peak_mb", "cli_allennlp_peak_mb", False),
    ("training, tokens/s", "train_ours_tokens_per_s", "train_allennlp_tokens_per_s", True),
]
PROFILE_STAGES = [
    ("read", "JSON to instances (tokenizing)"),
    ("batching_and_outputs", "indexing, padding, readable and JSON outputs"),
    ("word_representation", "word representation (embedding, character BiGRU)"),
    ("word_encoder", "word BiGRU"), ("tagging", "tag scores, CRF decoding"), ("total", "total")]


def in_process_measurements(args: argparse.Namespace) -> Dict[str, float]:
    """The in-process sections, in this (fresh) process, at its thread count."""
    workloads.register_components()
    paths = workloads.files(args.workdir)
    predictors = {name: workloads.load_predictor(name, paths) for name in workloads.PREDICTORS}
    results: Dict[str, float] = {}
    if "crf" in args.sections:
        lengths = [len(words) for words in workloads.conll_sentences(f"{args.data}/test.txt")]
        crf = predictors["ours"]._model.tagging.crf
        results.update(workloads.crf_throughput(crf, lengths, max(args.repeats, 5)))
    if "predict" in args.sections:
        inputs = workloads.read_inputs(paths)
        results.update(workloads.prediction_throughput(predictors, inputs, args.batch_size, args.repeats))
        results["quantized_tag_agreement"] = workloads.tag_agreement(
            predictors["ours"], predictors["ours_quantized"], inputs, args.batch_size)
    if "profile" in args.sections:
        results.update(workloads.prediction_profile(predictors, workloads.read_inputs(paths), args.batch_size))
    if "train" in args.sections:
        results.update(workloads.training_throughput(paths, f"{args.data}/train.txt", args.train_sentences,
                                                     args.repeats))
    return results


def run(args: argparse.Namespace) -> Dict:
    """Every section asked for, at each thread count; the in-process ones in a fresh process each."""
    results: Dict = {"conditions": conditions(args), "runs": {}}
    timed = set(args.sections) & (IN_PROCESS | {"cli"})
    paths = workloads.prepare(args.workdir, args.data, args.predict_sentences) if timed else {}
    for threads in [os.cpu_count() if value == "all" else int(value) for value in args.threads.split(",")]:
        if not timed:
            break
        env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads),
               "PYTHONWARNINGS": "ignore"}
        measured: Dict[str, float] = {}
        if timed & IN_PROCESS:
            child = subprocess.run([sys.executable, __file__, "--child", str(threads), *sys.argv[1:]],
                                   capture_output=True, text=True, env=env)
            if child.returncode:
                raise RuntimeError(child.stderr[-3000:])
            measured.update(json.loads(child.stdout.splitlines()[-1]))
        if "cli" in timed:
            measured.update(workloads.cli_measurements(paths, env, args.batch_size, args.repeats))
        results["runs"][str(threads)] = measured
    if "score" in args.sections:
        workloads.register_components()
        results["quantization_scores"] = workloads.quantized_score_change(args.score_archive, args.score_data)
    return results


def conditions(args: argparse.Namespace) -> Dict[str, object]:
    import torch

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    return {"date": date.today().isoformat(), "torch": torch.__version__, "python": platform.python_version(),
            "cpu": cpu, "cores": os.cpu_count(), "load_average_at_start": os.getloadavg(),
            "repeats": args.repeats, "batch_size": args.batch_size, "predict_sentences": args.predict_sentences,
            "train_sentences": args.train_sentences}


def with_net_prediction(measured: Dict[str, float], sentences: int) -> Dict[str, float]:
    """Adds ``cli_net_*``: sentences/s of ``allennlp predict`` less its start-up (the one-sentence run)."""
    measured = dict(measured)
    for name in workloads.PREDICTORS:
        startup = measured.get(f"cli_startup_{'ours' if name.startswith('ours') else name}_seconds")
        if f"cli_{name}_seconds" in measured and startup is not None:
            measured[f"cli_net_{name}"] = sentences / (measured[f"cli_{name}_seconds"] - startup)
    return measured


def threads_label(threads: str) -> str:
    return f"{threads} thread{'' if threads == '1' else 's'}"


def comparison_table(runs: Dict[str, Dict[str, float]]) -> List[str]:
    """Markdown: each of `ROWS` (those measured), ours, AllenNLP's and the ratio, for each run."""
    columns = " | ".join(f"ours, {name} | AllenNLP, {name} | ratio, {name}" for name in runs)
    lines = [f"| measure | {columns} |", "|---" * (1 + 3 * len(runs)) + "|"]
    for title, ours, theirs, higher_is_better in ROWS:
        cells = []
        for measured in runs.values():
            if ours in measured and theirs in measured:
                ratio = measured[ours] / measured[theirs]
                ratio = ratio if higher_is_better else 1 / ratio
                cells += [f"{measured[ours]:,.1f}", f"{measured[theirs]:,.1f}", f"**{ratio:.2f}x**"]
            else:
                cells += ["", "", ""]
        if any(cells):
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return lines if len(lines) > 2 else []


def profile_table(name: str, measured: Dict[str, float]) -> List[str]:
    """Markdown: the seconds (and share) of each stage of one prediction pass, for each predictor profiled."""
    predictors = [predictor for predictor in workloads.PREDICTORS if f"profile_{predictor}_total" in measured]
    if not predictors:
        return []
    lines = [f"\nWhere one pass of `predict_batch_json` goes ({name}), seconds (share):\n",
             "| stage | " + " | ".join(predictors) + " |", "|---" * (1 + len(predictors)) + "|"]
    for stage, title in PROFILE_STAGES:
        cells = []
        for predictor in predictors:
            seconds, total = measured[f"profile_{predictor}_{stage}"], measured[f"profile_{predictor}_total"]
            cells.append(f"{seconds:.2f} ({seconds / total:.0%})")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return lines


def report(results: List[Dict]) -> str:
    """Markdown: one table of every run's thread counts, the profiles, the quantization scores, the conditions."""
    runs = {threads_label(threads): with_net_prediction(measured, result["conditions"]["predict_sentences"])
            for result in results for threads, measured in result["runs"].items()}
    lines = comparison_table(runs) if runs else []
    for name, measured in runs.items():
        lines += profile_table(name, measured)
        if "quantized_tag_agreement" in measured:
            lines.append(f"\nOurs quantized tags as ours does {100 * measured['quantized_tag_agreement']:.2f}% of "
                         f"the words ({name}, untrained weights).")
    for result in results:
        for score in result.get("quantization_scores", []):
            changes = [f"{key} {100 * score[f'fp32_{key}']:.2f} fp32, {100 * score[f'int8_{key}']:.2f} quantized "
                       f"({100 * (score[f'int8_{key}'] - score[f'fp32_{key}']):+.2f})"
                       for key in ("f1", "accuracy") if f"fp32_{key}" in score]
            lines.append(f"\n{score['archive']} on {score['data']} ({score['sentences']:,} sentences): "
                         + ", ".join(changes))
    lines += ["\n" + json.dumps(result["conditions"]) for result in results]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(workloads.ROOT.parent / "shared" / "data" / "conll2000"),
                        help="a folder with CoNLL-2000's train.txt and test.txt")
    parser.add_argument("--threads", default="1,all", help='thread counts, comma-separated ("all": every core)')
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sections", type=lambda value: value.split(","),
                        default=["crf", "predict", "cli", "train"],
                        help="comma-separated, of crf, predict, cli, train, profile, score")
    parser.add_argument("--batch-size", type=int, default=64, help="of prediction")
    parser.add_argument("--predict-sentences", type=int, default=2000)
    parser.add_argument("--train-sentences", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/jmt_tagger_benchmark"))
    parser.add_argument("--score-archive", help="a trained tagger archive, for the score section")
    parser.add_argument("--score-data", nargs="+", default=[], help="its test files, for the score section")
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    parser.add_argument("--report", type=Path, nargs="+", help="only print the tables of these JSON results")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # a fresh process at this thread count
    args = parser.parse_args()
    if args.child:
        import torch

        torch.set_num_threads(args.child)
        print(json.dumps(in_process_measurements(args)))
        return
    results = [json.loads(path.read_text()) for path in args.report] if args.report else [run(args)]
    if args.output and not args.report:
        args.output.write_text(json.dumps(results[0], indent=2))
    print(report(results))


if __name__ == "__main__":
    main()
