import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import Conll2003Reader
from allennlp_jmt.data.dataset_readers.gazetteer import Gazetteer
from tests.data.dataset_readers.helpers import read, write


def test_marks_every_word_of_a_matching_phrase(fixtures):
    gazetteer = Gazetteer(str(fixtures / "gazetteer.txt"))
    assert gazetteer.types == ["LOC", "MISC", "ORG", "PER"]
    rows = gazetteer.features(["The", "Nordic", "Council", "met", "in", "Bergen"])
    assert rows == [[0, 0, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]


def test_lowercase_matching(fixtures):
    assert Gazetteer(str(fixtures / "gazetteer.txt"), lowercase=True).features(["oslo"]) == [[1, 0, 0, 0]]
    assert Gazetteer(str(fixtures / "gazetteer.txt")).features(["oslo"]) == [[0, 0, 0, 0]]


def test_reader_adds_the_feature_field(fixtures):
    reader = Conll2003Reader(gazetteer=str(fixtures / "gazetteer.txt"))
    instance = read(reader, fixtures / "conll2003/eng.sample")[0]
    features = instance["gazetteer"].tensor
    assert features.shape == (7, 4)
    assert features[:2, 3].tolist() == [1.0, 1.0] and features[3, 0].item() == 1.0  # Anna Berg, Oslo
    assert reader.text_to_instance([])["gazetteer"].tensor.shape == (0, 4)  # what a predictor does for ""


def test_bad_lines_and_empty_lists(tmp_path):
    with pytest.raises(DataFormatError, match=r"g\.txt:2: 1 field\(s\) \(expected TYPE followed by a phrase\)"):
        Gazetteer(write(tmp_path / "g.txt", "LOC Oslo\nPER\n"))
    with pytest.raises(DataFormatError, match="no phrase"):
        Gazetteer(write(tmp_path / "empty.txt", "# nothing\n"))
