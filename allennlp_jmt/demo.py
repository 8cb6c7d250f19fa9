"""
The main job's readable output (scripts/main.sh):

- ``python -m allennlp_jmt.demo table DEMO.jsonl TAGGER_PREDICTIONS.jsonl JMT_PREDICTIONS.jsonl``
  prints, for each demo sentence, one line a word (gold and predicted POS, chunk, head, relation;
  a ``*`` marks a prediction that differs from gold) and how many predictions agree with gold;
- ``python -m allennlp_jmt.demo scores METRICS.json`` prints a run's test scores on one line;
- ``python -m allennlp_jmt.demo pair PREDICTIONS.jsonl`` prints the last line's pair prediction.
"""
import json
import sys
from typing import Dict, List, Sequence, Tuple

from allennlp_jmt.data.dataset_readers.tag_schemes import to_conll_scheme

# (heading, where gold is in a demo line, which predictions file, the key of the prediction)
COLUMNS = (
    ("POS", "pos", "jmt", "pos_tags"),
    ("chunk (tagger)", "chunk", "tagger", "tags"),
    ("chunk (JMT)", "chunk", "jmt", "chunk_tags"),
    ("head", "heads", "jmt", "heads"),
    ("relation", "relations", "jmt", "head_labels"),
)


def read_jsonl(path: str) -> List[Dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def predicted(column: Tuple[str, str, str, str], tagger: Dict, jmt: Dict) -> List[str]:
    """A column's predictions as strings; the tagger's BIOUL chunks written as the corpus's IOB2."""
    _, _, source, key = column
    values = (tagger if source == "tagger" else jmt)[key]
    if source == "tagger":
        values = to_conll_scheme(values, "BIOUL")
    return [str(value) for value in values]


def sentence_table(demo: Dict, tagger: Dict, jmt: Dict) -> Tuple[List[str], Dict[str, Tuple[int, int]]]:
    """The lines of one sentence's table, and per column (agreeing, compared) counts."""
    words = demo["tokens"]
    columns = [(column, [str(v) for v in demo["gold"][column[1]]] if column[1] in demo["gold"] else None,
                predicted(column, tagger, jmt)) for column in COLUMNS]
    header = ["word"] + [f"{column[0]} gold / predicted" for column, _, _ in columns]
    rows = []
    counts: Dict[str, Tuple[int, int]] = {}
    for column, gold, guesses in columns:
        if gold is not None:
            counts[column[0]] = (sum(g == p for g, p in zip(gold, guesses)), len(gold))
    for index, word in enumerate(words):
        cells = [word]
        for _, gold, guesses in columns:
            guess = guesses[index]
            if gold is None:
                cells.append(f"— / {guess}")
            else:
                cells.append(f"{gold[index]} / {guess}" + (" *" if gold[index] != guess else ""))
        rows.append(cells)
    return format_table([header] + rows), counts


def format_table(rows: Sequence[Sequence[str]]) -> List[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def main(demo_path: str, tagger_path: str, jmt_path: str, out=sys.stdout) -> Dict[str, Tuple[int, int]]:
    """Prints every sentence's table and the totals; returns the totals per column."""
    totals: Dict[str, Tuple[int, int]] = {}
    for demo, tagger, jmt in zip(read_jsonl(demo_path), read_jsonl(tagger_path), read_jsonl(jmt_path)):
        lines, counts = sentence_table(demo, tagger, jmt)
        print(f"\n{demo['gold'].get('source', '')}", file=out)
        print("\n".join(lines), file=out)
        for name, (agree, total) in counts.items():
            agreed_before, total_before = totals.get(name, (0, 0))
            totals[name] = (agreed_before + agree, total_before + total)
    print("\nAgreement with gold (* above marks the differences): " + "; ".join(
        f"{name} {agree}/{total}" for name, (agree, total) in totals.items()), file=out)
    return totals


def scores_line(metrics_path: str) -> str:
    """The test metrics of an `allennlp train` run's metrics.json: percentages, MSE raw."""
    with open(metrics_path) as handle:
        metrics = json.load(handle)
    return ", ".join(
        f"{key[5:]} {value:.3f}" if "mse" in key else f"{key[5:]} {value * 100:.1f}"
        for key, value in sorted(metrics.items())
        if key.startswith("test_") and "loss" not in key and "pearson" not in key
    )


def pair_line(predictions_path: str) -> str:
    """The relatedness and entailment of the last prediction (a sentence pair) of a JMT predictions file."""
    prediction = read_jsonl(predictions_path)[-1]
    return (f"{' '.join(prediction['premise_words'])} / {' '.join(prediction['hypothesis_words'])}: "
            f"relatedness {prediction['relatedness']:.2f} (1-5), {prediction['entailment']}")


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "table":
        main(*arguments[:3])
    elif command == "scores":
        print(scores_line(arguments[0]))
    elif command == "pair":
        print(pair_line(arguments[0]))
    else:
        raise SystemExit(f"unknown command {command!r}: use table, scores or pair")
