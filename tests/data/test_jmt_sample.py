"""
The bundled JMT sample (fixtures/data/jmt/, made by scripts/make_fixtures.py) reads with the
project's readers, built from the parameters a config gives them, on the paths a config uses
when no data variable is set.
"""
from typing import Dict, List

import pytest
from allennlp.common import Params
from allennlp.data import DatasetReader, Instance

from tests.conftest import FIXTURES, SHARED_DATA

SAMPLE = FIXTURES / "jmt"

# The 45 tags of the Penn Treebank; EWT's XPOS adds a few of its own.
PTB_TAGS = set(
    "CC CD DT EX FW IN JJ JJR JJS LS MD NN NNS NNP NNPS PDT POS PRP PRP$ RB RBR RBS RP SYM TO UH "
    "VB VBD VBG VBN VBP VBZ WDT WP WP$ WRB # $ . , : `` '' -LRB- -RRB-".split()
)
EWT_EXTRA_TAGS = {"ADD", "AFX", "GW", "HYPH", "NFP", "XX", "_"}

# The paths a config reads when its data variable is unset, and the instances each holds.
PTB = str(SAMPLE / "ptb/combined")
PTB_SPLITS = {"00-18": 1000, "19-21": 150, "22-24": 150}
CONLL2000 = {"train.txt": 1000, "test.txt": 300}
EWT = {"en_ewt-ud-train.conllu": 400, "en_ewt-ud-dev.conllu": 100, "en_ewt-ud-test.conllu": 100}
SICK = {"SICK_train.txt": 500, "SICK_trial.txt": 100, "SICK_test_annotated.txt": 100}


def read(reader: Dict, path: str) -> List[Instance]:
    return list(DatasetReader.from_params(Params(dict(reader))).read(path))


@pytest.mark.parametrize("sections, count", PTB_SPLITS.items())
def test_ptb_sections(sections, count):
    instances = read({"type": "jmt_ptb_pos", "replace_digits": True}, f"{PTB}#{sections}")
    assert len(instances) == count
    tags = {tag for instance in instances for tag in instance["tags"].labels}
    assert tags <= PTB_TAGS
    assert {"NN", "NNP", "VBD", "DT", "IN", "."} <= tags
    assert all(len(i["tags"].labels) == len(i["tokens"]) for i in instances)


def test_ptb_sections_do_not_overlap():
    reader = {"type": "jmt_ptb_pos"}
    sentences = [{tuple(i["metadata"]["words"]) for i in read(reader, f"{PTB}#{s}")} for s in PTB_SPLITS]
    assert len(set.union(*sentences)) == sum(len(s) for s in sentences)
    # The reader's `sections` parameter selects the same trees as the path's "#" suffix.
    assert len(read({"type": "jmt_ptb_pos", "sections": "19-21"}, PTB)) == PTB_SPLITS["19-21"]


@pytest.mark.parametrize("name, count", CONLL2000.items())
def test_conll2000(name, count):
    instances = read({"type": "jmt_conll2000", "coding_scheme": "BIOUL"}, str(SAMPLE / "conll2000" / name))
    assert len(instances) == count
    tags = {tag for instance in instances for tag in instance["tags"].labels}
    assert {"B-NP", "L-NP", "U-NP", "U-VP", "O"} <= tags


def test_conll2000_holds_out_a_fifth_of_train():
    reader = {"type": "jmt_conll2000", "coding_scheme": "BIOUL", "hold_out_fraction": 0.2}
    train = str(SAMPLE / "conll2000/train.txt")
    rest, held_out = read(reader, train + "#rest"), read(reader, train + "#held_out")
    assert (len(rest), len(held_out)) == (800, 200)


@pytest.mark.parametrize("name, count", EWT.items())
def test_ud_english_ewt(name, count):
    instances = read({"type": "jmt_dependencies"}, str(SAMPLE / "ud_english_ewt" / name))
    assert len(instances) == count
    for instance in instances:
        n = len(instance["tokens"])
        heads = instance["head_indices"].labels
        assert len(heads) == n and all(0 <= head <= n for head in heads)
        assert heads.count(0) >= 1
        assert len(instance["head_tags"].labels) == n
    tags = {tag for instance in instances for tag in instance["pos_tags"].labels}
    assert tags <= PTB_TAGS | EWT_EXTRA_TAGS
    assert {"NN", "NNP", "VBD", "DT", "IN"} <= tags
    assert "root" in {label for instance in instances for label in instance["head_tags"].labels}


@pytest.mark.parametrize("name, count", SICK.items())
def test_sick(name, count):
    instances = read({"type": "jmt_sick"}, str(SAMPLE / "sick" / name))
    assert len(instances) == count
    for instance in instances:
        assert 1.0 <= instance["relatedness"].tensor.item() <= 5.0
        assert instance["entailment"].label in ("ENTAILMENT", "NEUTRAL", "CONTRADICTION")
        assert len(instance["premise"]) > 0 and len(instance["hypothesis"]) > 0


def test_sick_keeps_each_files_line_endings():
    assert b"\r\n" in (SAMPLE / "sick/SICK_test_annotated.txt").read_bytes()
    assert b"\r" not in (SAMPLE / "sick/SICK_train.txt").read_bytes()
    assert (SAMPLE / "sick/SICK_train.txt").read_text().startswith("pair_ID\tsentence_A\tsentence_B\t")


def test_ewt_keeps_comment_lines():
    text = (SAMPLE / "ud_english_ewt/en_ewt-ud-train.conllu").read_text()
    assert text.startswith("# newdoc id = ")
    assert text.count("# sent_id = ") == EWT["en_ewt-ud-train.conllu"]


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not present")
@pytest.mark.parametrize("folder, names", [("conll2000", CONLL2000), ("ud_english_ewt", EWT), ("sick", SICK)])
def test_file_names_mirror_the_real_corpora(folder, names):
    assert set(names) <= {path.name for path in (SHARED_DATA / folder).iterdir()}


def test_the_sample_is_small():
    assert sum(path.stat().st_size for path in SAMPLE.rglob("*") if path.is_file()) < 5_000_000  # "a few MB at most"


def test_the_bundled_vectors_cover_the_sample_with_glove_50d():
    import gzip

    with gzip.open(SAMPLE / "glove.6B.50d.sample.txt.gz", "rt", encoding="utf-8") as handle:
        vectors = {line.split(" ", 1)[0]: line.split()[1:] for line in handle}
    assert all(len(values) == 50 for values in vectors.values())
    words = {w.lower() for i in read({"type": "jmt_conll2000"}, str(SAMPLE / "conll2000" / "train.txt"))
             for w in i["metadata"]["words"]}
    assert len(words & vectors.keys()) / len(words) > 0.9
    assert {"the", "dog", "billion", "0.0"} <= vectors.keys()  # "0.0": digits as the taggers read them


def test_the_demo_sentences_come_with_gold_of_their_length():
    import json

    lines = [json.loads(line) for line in (SAMPLE / "demo.jsonl").read_text().splitlines()]
    assert len(lines) == 4
    for line in lines:
        assert line["gold"]["pos"] and all(len(v) == len(line["tokens"]) for k, v in line["gold"].items() if k != "source")
    assert {"chunk"} <= lines[0]["gold"].keys() and {"heads", "relations"} <= lines[2]["gold"].keys()
