import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import Conll2003Reader
from tests.data.dataset_readers.helpers import read, words, write


def test_reads_entities_in_iob1(fixtures):
    instances = read(Conll2003Reader(), fixtures / "conll2003/eng.sample")
    assert [len(i["tokens"]) for i in instances] == [7, 10, 7]
    assert words(instances[1])[5:9] == ["Bergen", "Oslo", "and", "Tromso"]
    assert instances[1]["tags"].labels[5:9] == ["I-LOC", "B-LOC", "O", "I-LOC"]
    assert instances[1]["tags"]._label_namespace == "ner_labels"
    assert instances[2]["metadata"]["source"].endswith("eng.sample:24")


def test_iob1_to_bioul_splits_adjacent_entities(fixtures):
    instances = read(Conll2003Reader(coding_scheme="BIOUL"), fixtures / "conll2003/eng.sample")
    assert instances[0]["tags"].labels[:4] == ["B-PER", "L-PER", "O", "U-LOC"]
    assert instances[1]["tags"].labels[1:3] == ["B-ORG", "L-ORG"]
    assert instances[1]["tags"].labels[5:9] == ["U-LOC", "U-LOC", "O", "U-LOC"]


@pytest.mark.parametrize("tag_label, expected", [
    ("chunk", ["I-NP", "I-NP", "I-VP", "I-NP", "I-PP", "I-NP", "O"]),
    ("pos", ["NNP", "NNP", "VBD", "NNP", "IN", "NNP", "."]),
])
def test_chooses_the_target_column(fixtures, tag_label, expected):
    instance = read(Conll2003Reader(tag_label=tag_label), fixtures / "conll2003/eng.sample")[0]
    assert instance["tags"].labels == expected
    assert instance["tags"]._label_namespace == f"{tag_label}_labels"


def test_declared_iob2_rejects_nothing_valid_but_bioul_tags_fail(tmp_path):
    path = write(tmp_path / "eng.bad", "Anna NNP I-NP S-PER\n")
    with pytest.raises(DataFormatError, match=r"eng\.bad:1: tag 'S-PER' in column 4 is not valid IOB1"):
        read(Conll2003Reader(), path)


def test_three_columns_are_rejected(tmp_path):
    path = write(tmp_path / "eng.three", "Anna NNP I-PER\n")
    with pytest.raises(DataFormatError, match=r"eng\.three:1: line has 3 column\(s\) \(expected 4 columns\)"):
        read(Conll2003Reader(), path)


def test_unknown_tag_label_is_a_clear_error():
    with pytest.raises(ValueError, match="tag_label must be one of"):
        Conll2003Reader(tag_label="lemma")
