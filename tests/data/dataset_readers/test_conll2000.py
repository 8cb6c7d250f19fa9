import pytest
from allennlp.data import Vocabulary

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import Conll2000Reader
from tests.data.dataset_readers.helpers import read, words, write

FIRST = ["Confidence", "in", "the", "pound", "is", "widely", "expected", "to", "take", "another", "sharp", "dive"]


def test_reads_words_tags_and_metadata(fixtures):
    instances = read(Conll2000Reader(), fixtures / "conll2000/train.txt")
    assert len(instances) == 24
    first = instances[0]
    assert words(first)[:12] == FIRST
    assert first["tags"].labels[:6] == ["B-NP", "B-PP", "B-NP", "I-NP", "B-VP", "I-VP"]
    assert first["tags"]._label_namespace == "chunk_labels"
    assert first["metadata"]["words"][:12] == FIRST
    assert first["metadata"]["source"].endswith("conll2000/train.txt:1")
    assert instances[1]["metadata"]["source"].endswith(f":{len(first['tokens']) + 2}")


def test_converts_to_bioul(fixtures):
    first = read(Conll2000Reader(coding_scheme="BIOES"), fixtures / "conll2000/train.txt")[0]
    assert first["tags"].labels[:6] == ["U-NP", "U-PP", "B-NP", "L-NP", "B-VP", "I-VP"]


def test_replaces_digits_but_keeps_original_words(tmp_path):
    path = write(tmp_path / "c.txt", "Rates CD B-NP\nrose VBD B-VP\n7.5 CD B-NP\n% NN I-NP\n")
    instance = read(Conll2000Reader(replace_digits=True), path)[0]
    assert words(instance) == ["Rates", "rose", "0.0", "%"]
    assert instance["metadata"]["words"][2] == "7.5"


def test_own_label_namespace_in_the_vocabulary(fixtures):
    vocab = Vocabulary.from_instances(read(Conll2000Reader(label_namespace="chunks"), fixtures / "conll2000/test.txt"))
    assert "B-NP" in vocab.get_token_to_index_vocabulary("chunks")
    assert vocab.get_vocab_size("chunk_labels") == 0


def test_invalid_tag_names_file_and_line(tmp_path):
    path = write(tmp_path / "bad.txt", "He PRP B-NP\nruns VBZ X-VP\n")
    with pytest.raises(DataFormatError, match=r"bad\.txt:2: tag 'X-VP' in column 3 is not valid BIO \(expected O or B/I-TYPE\)"):
        read(Conll2000Reader(), path)


def test_bioul_tag_in_a_bio_file_is_invalid(tmp_path):
    path = write(tmp_path / "bad.txt", "He PRP U-NP\n")
    with pytest.raises(DataFormatError, match=r"bad\.txt:1: tag 'U-NP'"):
        read(Conll2000Reader(), path)


def test_wrong_column_count_and_ragged_line(tmp_path):
    with pytest.raises(DataFormatError, match=r"two\.txt:1: line has 2 column\(s\) \(expected 3 columns\)"):
        read(Conll2000Reader(), write(tmp_path / "two.txt", "He B-NP\n"))
    with pytest.raises(DataFormatError, match=r"ragged\.txt:5: ragged line"):
        read(Conll2000Reader(), write(tmp_path / "ragged.txt", "He PRP B-NP\nran VBD B-VP\n\nShe PRP B-NP\nsang B-VP\n"))


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        read(Conll2000Reader(), tmp_path / "missing.txt")
    with pytest.raises(DataFormatError, match="empty.txt: file holds no sentence"):
        read(Conll2000Reader(), write(tmp_path / "empty.txt", ""))


def test_an_i_tag_opening_a_chunk_is_read_as_conlleval_does(tmp_path):
    path = write(tmp_path / "c.txt", "the DT O\nbig JJ I-NP\ndog NN I-NP\n")
    instance = read(Conll2000Reader(coding_scheme="BIOUL"), path)[0]
    assert instance["tags"].labels == ["O", "B-NP", "L-NP"]
