"""
Benchmark: JMT's prediction in the predictors' batch path, with the dependency decoder batched
(as the model runs it) against a loop over sentences.

    .venv/bin/python scripts/benchmark_jmt.py [--archive runs/main/jmt/model.tar.gz]
        [--data ../shared/data/conll2000/test.txt] [--sentences 2000] [--batch-size 64]
        [--repeats 3] [--threads 1]

The archive defaults to the main job's (`bash scripts/main.sh`). Sentences are the data file's
first `--sentences` (the words of a CoNLL column file), predicted with `predict_batch_json` in
batches of `--batch-size`, which is what `allennlp predict --batch-size N` runs. The two decoders
(`decode_heads` over the batch; the same function called on each sentence alone, cut to its
length) are timed alternately; medians over `--repeats` passes, in sentences per second, plus
the seconds each pass spends in the decoder. Prints a Markdown table; --output writes JSON.
"""
import argparse
import json
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def read_sentences(path: Path, limit: int) -> List[List[str]]:
    """The first `limit` sentences of a CoNLL column file (word in the first column)."""
    sentences: List[List[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            sentences[-1].append(line.split()[0])
        elif sentences[-1]:
            if len(sentences) == limit:
                break
            sentences.append([])
    return [sentence for sentence in sentences if sentence][:limit]


def per_sentence(decode: Callable[..., torch.LongTensor]) -> Callable[..., torch.LongTensor]:
    """`decode` called on each sentence of the batch alone, cut to its length: the unbatched baseline."""

    def decode_each(scores: torch.Tensor, mask: torch.BoolTensor, *args, **kwargs) -> torch.LongTensor:
        heads = torch.zeros(mask.shape, dtype=torch.long, device=mask.device)
        for index, length in enumerate(mask.sum(dim=1).tolist()):
            heads[index, :length] = decode(scores[index:index + 1, :length, :length], mask[index:index + 1, :length],
                                           *args, **kwargs)[0]
        return heads

    return decode_each


@contextmanager
def decoder(module, decode: Callable[..., torch.LongTensor], seconds: List[float]) -> Iterator[None]:
    """Within the context, the dependency task decodes with `decode`, adding its time to `seconds[0]`."""
    original = module.decode_heads

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return decode(*args, **kwargs)
        finally:
            seconds[0] += time.perf_counter() - start

    module.decode_heads = timed
    try:
        yield
    finally:
        module.decode_heads = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", default=str(ROOT / "runs/main/jmt/model.tar.gz"))
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data/conll2000/test.txt"))
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (0: torch's default)")
    parser.add_argument("--output", help="also write the results as JSON here")
    args = parser.parse_args()
    if not Path(args.archive).exists():
        parser.error(f"no archive at {args.archive}: run `bash scripts/main.sh` first, or give --archive")
    if args.threads:
        torch.set_num_threads(args.threads)

    from allennlp.models.archival import load_archive
    from allennlp.predictors import Predictor

    import allennlp_jmt  # noqa: F401  (registers the model, readers and predictor)
    from allennlp_jmt.models.jmt_tasks import dependencies
    from allennlp_jmt.modules.eisner import decode_heads

    predictor = Predictor.from_archive(load_archive(args.archive), "jmt")
    sentences = read_sentences(Path(args.data), args.sentences)
    inputs = [{"tokens": words} for words in sentences]
    batches = [inputs[start:start + args.batch_size] for start in range(0, len(inputs), args.batch_size)]
    decoders = {"batched": decode_heads, "per sentence": per_sentence(decode_heads)}
    passes: Dict[str, List[float]] = {name: [] for name in decoders}
    decoding: Dict[str, List[float]] = {name: [] for name in decoders}
    heads: Dict[str, list] = {}
    for repeat in range(args.repeats + 1):  # the first pass warms up
        for name, decode in decoders.items():
            seconds = [0.0]
            with decoder(dependencies, decode, seconds):
                start = time.perf_counter()
                outputs = [output for batch in batches for output in predictor.predict_batch_json(batch)]
                elapsed = time.perf_counter() - start
            heads[name] = [output["heads"] for output in outputs]
            if repeat:
                passes[name].append(elapsed)
                decoding[name].append(seconds[0])
    assert heads["batched"] == heads["per sentence"], "the two decoders disagree"
    words = sum(len(sentence) for sentence in sentences)
    results = {
        name: {"sentences_per_second": len(sentences) / statistics.median(passes[name]),
               "decoding_seconds": statistics.median(decoding[name]),
               "pass_seconds": statistics.median(passes[name])}
        for name in decoders
    }
    print(f"JMT prediction, {len(sentences)} sentences ({words} words) of {args.data}, batches of "
          f"{args.batch_size}, {torch.get_num_threads()} thread(s), medians of {args.repeats}:\n")
    print("| dependency decoder | sentences/s | seconds per pass | of which decoding |")
    print("|---|---|---|---|")
    for name, result in results.items():
        print(f"| {name} | {result['sentences_per_second']:.0f} | {result['pass_seconds']:.2f} | "
              f"{result['decoding_seconds']:.2f} |")
    speedup = results["per sentence"]["decoding_seconds"] / results["batched"]["decoding_seconds"]
    print(f"\nBatched decoding: {speedup:.1f}x the per-sentence loop; the same heads.")
    if args.output:
        Path(args.output).write_text(json.dumps({"arguments": vars(args), "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
