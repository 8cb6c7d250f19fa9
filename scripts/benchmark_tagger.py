"""
Benchmark: the plugin's HierGRU-CRF and cost-augmented CRF against AllenNLP's own, in one run.

    .venv/bin/python scripts/benchmark_tagger.py [--data ../shared/data/conll2000/train.txt] [--repeats 5]

1. The CRF alone (batch 32 x length 40 x 17 tags): log-likelihood + backward, and decoding
   (our batched Viterbi against AllenNLP's per-sentence `viterbi_tags`), in sentences/s.
2. End to end on CoNLL-2000, the same architecture and sizes (Yang et al.: word embedding 50,
   character BiGRU 2 x 80, word BiGRU 2 x 300) as `jmt_hier_gru_crf` and allennlp-models'
   `crf_tagger`: training tokens/s (AdaGrad, batches of 10), prediction sentences/s (batches
   of 32, tags decoded), and the peak resident memory each adds, measured in a fresh process.

Every number is the median over `--repeats` runs (the CRF's two sides timed alternately); ratios are ours / AllenNLP's (for memory,
theirs / ours). Prints a Markdown table, and writes JSON with --output.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict, List

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = dict(word_dim=50, char_dim=25, char_hidden=80, char_layers=2, hidden=300, layers=2)


def median_seconds(work: Callable[[], None], repeats: int) -> float:
    work()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_median_seconds(ours: Callable[[], None], theirs: Callable[[], None], repeats: int):
    """Median seconds of two workloads timed alternately, so that a change in machine load hits both alike."""
    ours(), theirs()  # warm up
    times: Dict[str, List[float]] = {"ours": [], "theirs": []}
    for _ in range(repeats):
        for name, work in (("ours", ours), ("theirs", theirs)):
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["ours"]), statistics.median(times["theirs"])


def crf_benchmark(repeats: int) -> Dict[str, float]:
    from allennlp.modules import ConditionalRandomField

    from allennlp_jmt.modules import CostAugmentedCrf

    torch.manual_seed(0)
    batch, length, tags = 32, 40, 17
    crf = CostAugmentedCrf(tags, cost_weight=5.0)
    upstream = ConditionalRandomField(tags)  # AllenNLP's own methods (ours override some of them)
    upstream.load_state_dict(crf.state_dict())
    logits = torch.randn(batch, length, tags, requires_grad=True)
    gold = torch.randint(0, tags, (batch, length))
    mask = torch.ones(batch, length, dtype=torch.bool)
    results = {}
    results["crf_likelihood_backward_ours"], results["crf_likelihood_backward_allennlp"] = paired_median_seconds(
        lambda: crf(logits, gold, mask).backward(),
        lambda: upstream(logits, gold, mask).backward(), repeats)
    results["crf_decode_ours"], results["crf_decode_allennlp"] = paired_median_seconds(
        lambda: crf.viterbi_tags(logits, mask), lambda: upstream.viterbi_tags(logits, mask), repeats)
    return {name: batch / seconds for name, seconds in results.items()}  # sentences/s


def model_params(kind: str) -> Dict:
    """The model config of `kind` ("ours" or "allennlp"), built from the project's own pieces."""
    from allennlp.common import Params

    jsonnet = f"""
        local yang = import '{ROOT}/training_configs/lib/hier_gru_crf.libsonnet';
        local model = yang.model('chunk_labels', 'BIOUL', {', '.join(f'{k}={v}' for k, v in SIZES.items())});
        {{ reader: {{ type: 'jmt_conll2000', coding_scheme: 'BIOUL', replace_digits: true,
                      token_indexers: yang.token_indexers(max_chars=17) }},
           model: if '{kind}' == 'ours' then model else {{
             type: 'crf_tagger', label_namespace: 'chunk_labels', label_encoding: 'BIOUL',
             constrain_crf_decoding: true, calculate_span_f1: true, include_start_end_transitions: true,
             // AllenNLP's own character encoder (ours encodes each distinct word once)
             text_field_embedder: model.text_field_embedder + {{ token_embedders+: {{
               token_characters+: {{ type: 'character_encoding' }} }} }},
             encoder: model.encoder }} }}"""
    path = f"/tmp/jmt_benchmark_{kind}.jsonnet"
    with open(path, "w") as handle:
        handle.write(jsonnet)
    return Params.from_file(path).as_dict()


def end_to_end(kind: str, data: str, train_sentences: int, predict_sentences: int, repeats: int) -> Dict[str, float]:
    """Runs in a fresh process: training and prediction throughput and peak memory of one model."""
    import allennlp_models.tagging  # noqa: F401  (registers crf_tagger)
    from allennlp.common import Params
    from allennlp.data import DatasetReader, Vocabulary
    from allennlp.data.data_loaders import SimpleDataLoader
    from allennlp.models import Model

    import allennlp_jmt  # noqa: F401

    torch.manual_seed(0)
    params = model_params(kind)
    reader = DatasetReader.from_params(Params(params["reader"]))
    instances = list(reader.read(data))[: max(train_sentences, predict_sentences)]
    vocab = Vocabulary.from_instances(instances)
    model = Model.from_params(vocab=vocab, params=Params(params["model"]))
    optimizer = torch.optim.Adagrad(model.parameters(), lr=0.01)
    train_loader = SimpleDataLoader(instances[:train_sentences], batch_size=10, vocab=vocab)
    predict_loader = SimpleDataLoader(instances[:predict_sentences], batch_size=32, vocab=vocab)
    tokens = sum(len(instance["tokens"]) for instance in instances[:train_sentences])
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def train_epoch():
        model.train()
        for batch in train_loader:
            optimizer.zero_grad()
            model(**batch)["loss"].backward()
            optimizer.step()

    def predict_all():
        model.eval()
        with torch.no_grad():
            for batch in predict_loader:
                model.make_output_human_readable(model(**batch))

    train_seconds = median_seconds(train_epoch, repeats)
    predict_seconds = median_seconds(predict_all, repeats)
    peak_added_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline) / 1024
    return {"train_tokens_per_s": tokens / train_seconds, "predict_sentences_per_s": predict_sentences / predict_seconds,
            "peak_memory_added_mb": peak_added_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/data/conll2000/train.txt")
    parser.add_argument("--train-sentences", type=int, default=300)
    parser.add_argument("--predict-sentences", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", default=None, help="also write the results as JSON here")
    parser.add_argument("--only", choices=["ours", "allennlp"], help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.only:
        print(json.dumps(end_to_end(args.only, args.data, args.train_sentences, args.predict_sentences, args.repeats)))
        return

    import allennlp_jmt  # noqa: F401

    results: Dict[str, float] = crf_benchmark(max(args.repeats, 20))
    for kind in ("ours", "allennlp"):
        child = subprocess.run(
            [sys.executable, __file__, "--only", kind, "--data", args.data, "--repeats", str(args.repeats),
             "--train-sentences", str(args.train_sentences), "--predict-sentences", str(args.predict_sentences)],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        results.update({f"{name}_{kind}": value for name, value in json.loads(child.stdout.splitlines()[-1]).items()})
    rows: List[str] = [
        "| measure | ours | AllenNLP | ratio |", "|---|---|---|---|",
        row("CRF log-likelihood + backward, sentences/s", results, "crf_likelihood_backward"),
        row("CRF decoding, sentences/s", results, "crf_decode"),
        row("training, tokens/s", results, "train_tokens_per_s", suffixes=("_ours", "_allennlp")),
        row("prediction, sentences/s", results, "predict_sentences_per_s", suffixes=("_ours", "_allennlp")),
        row("peak memory added, MB", results, "peak_memory_added_mb", suffixes=("_ours", "_allennlp"), inverse=True),
    ]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {args.repeats} repeats")
    print("\n".join(rows))
    if args.output:
        with open(args.output, "w") as handle:
            json.dump(results, handle, indent=2)


def row(title: str, results: Dict[str, float], key: str, suffixes=("_ours", "_allennlp"), inverse=False) -> str:
    ours, theirs = results[key + suffixes[0]], results[key + suffixes[1]]
    ratio = theirs / ours if inverse else ours / theirs
    return f"| {title} | {ours:,.1f} | {theirs:,.1f} | {ratio:.2f}x |"


if __name__ == "__main__":
    main()
