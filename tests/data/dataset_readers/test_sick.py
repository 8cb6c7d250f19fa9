import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import SickReader
from tests.data.dataset_readers.helpers import read, words, write

HEADER = "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n"


def test_semeval_file_fields(fixtures):
    instances = read(SickReader(), fixtures / "sick/SICK_train.txt")
    assert len(instances) == 24
    first = instances[0]
    assert words(first, "premise")[:4] == ["A", "group", "of", "kids"]
    assert words(first, "hypothesis")[:4] == ["A", "group", "of", "boys"]
    assert first["relatedness"].tensor.item() == pytest.approx(4.5)
    assert first["entailment"].label == "NEUTRAL"
    assert first["entailment"]._label_namespace == "entailment_labels"
    assert first["metadata"]["pair_id"] == "1"
    assert first["metadata"]["source"].endswith("SICK_train.txt:2")


def test_crlf_test_file_has_no_carriage_returns(fixtures):
    instances = read(SickReader(), fixtures / "sick/SICK_test_annotated.txt")
    assert len(instances) == 8
    assert all("\r" not in label for label in (i["entailment"].label for i in instances))
    assert all(not word.endswith("\r") for i in instances for word in words(i, "hypothesis"))


def test_full_release_selects_semeval_sets(fixtures):
    path = fixtures / "sick/SICK.txt"
    assert len(read(SickReader(), path)) == 12
    trial = read(SickReader(), f"{path}#TRIAL")
    assert len(trial) == 4
    assert [i["metadata"]["pair_id"] for i in trial] == [i["metadata"]["pair_id"] for i in
                                                          read(SickReader(), fixtures / "sick/SICK_trial.txt")[:4]]
    assert len(read(SickReader(semeval_set="test"), path)) == 4


def test_semeval_set_on_a_split_file_is_an_error(fixtures):
    with pytest.raises(DataFormatError, match="no SemEval_set column"):
        read(SickReader(), f"{fixtures / 'sick/SICK_train.txt'}#TRAIN")


@pytest.mark.parametrize("score", ["high", "0.5", "5.5", "nan"])
def test_bad_scores(tmp_path, score):
    path = write(tmp_path / "s.txt", HEADER + f"1\tA dog runs\tA dog is running\t{score}\tENTAILMENT\n")
    with pytest.raises(DataFormatError, match=rf"s\.txt:2: relatedness score '{score}' \(expected a number between 1.0 and 5.0\)"):
        read(SickReader(), path)


def test_unknown_label(tmp_path):
    path = write(tmp_path / "s.txt", HEADER + "1\tA dog runs\tA dog is running\t4.0\tMAYBE\n")
    with pytest.raises(DataFormatError, match=r"s\.txt:2: entailment label 'MAYBE' \(expected ENTAILMENT / NEUTRAL / CONTRADICTION\)"):
        read(SickReader(), path)


def test_lowercase_label_is_accepted(tmp_path):
    path = write(tmp_path / "s.txt", HEADER + "1\tA dog runs\tA dog is running\t4.0\tentailment\n")
    assert read(SickReader(), path)[0]["entailment"].label == "ENTAILMENT"


def test_ragged_row_and_missing_header(tmp_path):
    ragged = write(tmp_path / "r.txt", HEADER + "1\tA dog runs\t4.0\tNEUTRAL\n")
    with pytest.raises(DataFormatError, match=r"r\.txt:2: 4 tab-separated columns \(expected 5, as in the header\)"):
        read(SickReader(), ragged)
    headless = write(tmp_path / "h.txt", "1\tA dog runs\tA dog is running\t4.0\tNEUTRAL\n")
    with pytest.raises(DataFormatError, match=r"h\.txt:1: header lacks"):
        read(SickReader(), headless)


def test_empty_file(tmp_path):
    with pytest.raises(DataFormatError, match="no header line"):
        read(SickReader(), write(tmp_path / "e.txt", ""))
    with pytest.raises(DataFormatError, match="file holds no sentence pair"):
        read(SickReader(), write(tmp_path / "only_header.txt", HEADER))
