"""
Cuts the small fixture files in fixtures/data/ from the real corpora in ../shared/data.

Run from the repository root: ``python scripts/make_fixtures.py [SHARED_DATA]``. The files it
writes are committed; the hand-written fixtures (CoNLL-2003, the PTB-3 layout, the full
SICK.txt) are not touched. Licences and sources: fixtures/data/README.md.
"""
import os
import sys
from typing import List

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
OUT = os.path.join("fixtures", "data")


def blocks(path: str, encoding: str = "utf-8") -> List[List[str]]:
    """The blank-line-separated blocks of a file, as lists of lines."""
    with open(path, encoding=encoding, newline="") as handle:
        text = handle.read().replace("\r\n", "\n")
    return [block.split("\n") for block in text.strip("\n").split("\n\n")]


def write(name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline=newline) as handle:
        handle.write(text)
    print("wrote", path)


def join(selected: List[List[str]]) -> str:
    return "\n\n".join("\n".join(block) for block in selected) + "\n"


def _conllx_line(line: str) -> str:
    """A CoNLL-U token line as CoNLL-X: the same first eight columns, PHEAD and PDEPREL empty."""
    return "\t".join(line.split("\t")[:8] + ["_", "_"])


def main() -> None:
    # CoNLL-2000 chunking: the first sentences of train and test.
    for split, count in (("train", 24), ("test", 8)):
        write(f"conll2000/{split}.txt", join(blocks(f"{SHARED}/conll2000/{split}.txt")[:count]))

    # CoNLL-2002: Spanish with POS, the same without POS, the same in Latin-1; Dutch with -DOCSTART-.
    spanish = blocks(f"{SHARED}/conll2002/esp.train")[:20]
    write("conll2002/esp.train", join(spanish))
    write("conll2002/esp.nopos.train", join([[f"{l.split()[0]} {l.split()[-1]}" for l in b] for b in spanish]))
    write("conll2002/esp.latin1.train", join(spanish), encoding="latin-1")
    write("conll2002/esp.testa", join(blocks(f"{SHARED}/conll2002/esp.testa")[:8]))
    with open(f"{SHARED}/conll2002/ned.train", encoding="utf-8") as handle:
        dutch = handle.read().split("\n")
    end = [i for i, line in enumerate(dutch) if line.startswith("-DOCSTART-")][2]  # two documents
    write("conll2002/ned.train", "\n".join(dutch[:end]).rstrip("\n") + "\n")

    # PTB: two files of NLTK's WSJ sample, trees and Malt-TAB dependencies.
    for name in ("wsj_0001", "wsj_0002"):
        with open(f"{SHARED}/ptb_sample/treebank/{name}.mrg") as handle:
            write(f"ptb/treebank/{name}.mrg", handle.read())
        with open(f"{SHARED}/ptb_sample/dependency_treebank/{name}.dp") as handle:
            write(f"ptb/dependency_treebank/{name}.dp", handle.read())

    # UD English EWT: the first sentences, plus ones with multi-word tokens and empty nodes.
    ewt = blocks(f"{SHARED}/ud_english_ewt/en_ewt-ud-train.conllu")
    special = [b for b in ewt[16:] if any(l.split("\t")[0].count("-") or "." in l.split("\t")[0] for l in b if not l.startswith("#"))]
    empty_nodes = [b for b in special if any("." in l.split("\t")[0] for l in b if not l.startswith("#"))]
    chosen = ewt[:16] + special[:1] + empty_nodes[:1]
    write("ud/en_ewt-sample.conllu", join(chosen))
    conllx = [[_conllx_line(l) for l in b if not l.startswith("#") and l.split("\t")[0].isdigit()] for b in ewt[:8]]
    write("ud/en_ewt-sample.conllx", join(conllx))
    write("ud/en_ewt-sample-dev.conllu", join(blocks(f"{SHARED}/ud_english_ewt/en_ewt-ud-dev.conllu")[:6]))

    # SICK: the first pairs of each SemEval file; the test file keeps its CRLF line endings.
    for name, count, newline in (("SICK_train.txt", 24, "\n"), ("SICK_trial.txt", 8, "\n"),
                                 ("SICK_test_annotated.txt", 8, "\r\n")):
        with open(f"{SHARED}/sick/{name}", encoding="utf-8", newline="") as handle:
            lines = handle.read().replace("\r\n", "\n").split("\n")[: count + 1]
        write(f"sick/{name}", "\n".join(lines) + "\n", newline=newline)


if __name__ == "__main__":
    main()
