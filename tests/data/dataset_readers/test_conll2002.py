import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import Conll2002Reader
from tests.data.dataset_readers.helpers import read, words, write


def test_spanish_with_and_without_pos_read_alike(fixtures):
    with_pos = read(Conll2002Reader(), fixtures / "conll2002/esp.train")
    without_pos = read(Conll2002Reader(), fixtures / "conll2002/esp.nopos.train")
    assert len(with_pos) == len(without_pos) == 20
    assert words(with_pos[0])[:4] == ["Melbourne", "(", "Australia", ")"]
    assert with_pos[0]["tags"].labels[:4] == ["B-LOC", "O", "B-LOC", "O"]
    assert with_pos[0]["tags"]._label_namespace == "ner_labels"
    for a, b in zip(with_pos, without_pos):
        assert words(a) == words(b) and a["tags"].labels == b["tags"].labels


def test_latin1_original_and_utf8_copy_read_alike(fixtures):
    utf8 = read(Conll2002Reader(), fixtures / "conll2002/esp.train")
    latin1 = read(Conll2002Reader(), fixtures / "conll2002/esp.latin1.train")
    assert [words(i) for i in utf8] == [words(i) for i in latin1]
    assert any(not word.isascii() for instance in utf8 for word in words(instance))


def test_latin1_file_with_utf8_declared_is_an_error_with_its_line(fixtures):
    with pytest.raises(DataFormatError, match=r"esp\.latin1\.train:\d+: byte 0x.. at offset \d+ is not valid UTF-8"):
        read(Conll2002Reader(encoding="utf-8"), fixtures / "conll2002/esp.latin1.train")


def test_dutch_docstart_lines_are_dropped(fixtures):
    instances = read(Conll2002Reader(), fixtures / "conll2002/ned.train")
    assert words(instances[0])[:3] == ["De", "tekst", "van"]
    assert instances[0]["metadata"]["source"].endswith("ned.train:2")
    assert all("-DOCSTART-" not in words(instance) for instance in instances)


def test_bioul_conversion(tmp_path):
    path = write(tmp_path / "es.txt", "El O\nBanco B-ORG\nde I-ORG\nEspaña I-ORG\nen O\nMadrid B-LOC\n")
    assert read(Conll2002Reader(coding_scheme="BIOUL"), path)[0]["tags"].labels == [
        "O", "B-ORG", "I-ORG", "L-ORG", "O", "U-LOC"]


def test_four_columns_are_rejected(tmp_path):
    path = write(tmp_path / "four.txt", "El DA B-NP O\n")
    with pytest.raises(DataFormatError, match=r"four\.txt:1: line has 4 column\(s\) \(expected 2 or 3 columns\)"):
        read(Conll2002Reader(), path)
