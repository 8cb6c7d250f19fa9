import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import DependenciesReader
from tests.data.dataset_readers.helpers import read, words, write



def conllu_line(index, form, head, relation="dep", upos="X", xpos="XX"):
    return "\t".join([str(index), form, form.lower(), upos, xpos, "_", str(head), relation, "_", "_"])


def test_conllu_fields(fixtures):
    first = read(DependenciesReader(), fixtures / "ud/en_ewt-sample.conllu")[0]
    assert words(first)[:4] == ["Al", "-", "Zaman", ":"]
    assert first["pos_tags"].labels[:4] == ["NNP", "HYPH", "NNP", ":"]
    assert first["head_indices"].labels[:4] == [0, 3, 1, 7]
    assert first["head_tags"].labels[:4] == ["root", "punct", "flat", "punct"]
    assert first["head_tags"]._label_namespace == "dependency_labels"
    assert first["metadata"]["source"].endswith("en_ewt-sample.conllu:5")  # after four comment lines


def test_upos_instead_of_xpos(fixtures):
    first = read(DependenciesReader(pos="upos"), fixtures / "ud/en_ewt-sample.conllu")[0]
    assert first["pos_tags"].labels[:4] == ["PROPN", "PUNCT", "PROPN", "PUNCT"]


def test_multiword_tokens_and_empty_nodes_are_skipped(fixtures):
    instances = read(DependenciesReader(), fixtures / "ud/en_ewt-sample.conllu")
    with_mwt = next(i for i in instances if "don't" in i["metadata"]["words"] or "n't" in words(i))
    assert "don't" not in words(with_mwt)
    assert words(with_mwt)[18:20] == ["do", "n't"]
    with_empty = next(i for i in instances if words(i)[2:5] == ["Iraqis", "are", "reported"])
    assert words(with_empty).count("reported") == 1  # the empty node 8.1 "reported" is skipped
    n = len(with_empty["tokens"])
    assert all(0 <= head <= n for head in with_empty["head_indices"].labels)


def test_conllx_reads_as_conllu(fixtures):
    conllx = read(DependenciesReader(), fixtures / "ud/en_ewt-sample.conllx")
    conllu = read(DependenciesReader(), fixtures / "ud/en_ewt-sample.conllu")[: len(conllx)]
    assert len(conllx) == 8
    for x, u in zip(conllx, conllu):
        assert words(x) == words(u)
        assert x["head_indices"].labels == u["head_indices"].labels
        assert x["head_tags"].labels == u["head_tags"].labels


def test_malt_tab_without_labels(fixtures):
    instances = read(DependenciesReader(), fixtures / "ptb/dependency_treebank")
    assert len(instances) == 3
    assert words(instances[0])[:3] == ["Pierre", "Vinken", ","]
    assert instances[0]["head_indices"].labels[:3] == [2, 8, 2]
    assert "head_tags" not in instances[0].fields


def test_hash_is_a_word_in_malt_tab(tmp_path):
    path = write(tmp_path / "m.dp", "#\t#\t2\n5\tCD\t0\n")
    assert words(read(DependenciesReader(), path)[0]) == ["#", "5"]


def test_head_outside_the_sentence(tmp_path):
    path = write(tmp_path / "bad.conllu", "# text = a b\n" + conllu_line(1, "a", 2) + "\n" + conllu_line(2, "b", 3) + "\n")
    with pytest.raises(DataFormatError, match=r"bad\.conllu:3: head 3 \(expected a head index between 0 and 2"):
        read(DependenciesReader(), path)


def test_non_numeric_head(tmp_path):
    path = write(tmp_path / "bad.conllu", conllu_line(1, "a", 0) + "\n" + conllu_line(2, "b", "x") + "\n")
    with pytest.raises(DataFormatError, match=r"bad\.conllu:2: .*'x' is not a valid value"):
        read(DependenciesReader(), path)


def test_ids_out_of_order(tmp_path):
    path = write(tmp_path / "bad.conllu", conllu_line(1, "a", 0) + "\n" + conllu_line(3, "b", 1) + "\n")
    with pytest.raises(DataFormatError, match=r"bad\.conllu:2: token id 3 \(expected id 2"):
        read(DependenciesReader(), path)


def test_wrong_column_count(tmp_path):
    path = write(tmp_path / "bad.conllu", "1\ta\ta\tX\tXX\t_\t0\troot\n")
    with pytest.raises(DataFormatError, match=r"bad\.conllu:1: line has 8 tab-separated column\(s\)"):
        read(DependenciesReader(), path)
    ragged = write(tmp_path / "ragged.conllu", conllu_line(1, "a", 0) + "\n" + "2\tb\tb\tX\tXX\t_\t1\n")
    with pytest.raises(DataFormatError, match=r"ragged\.conllu:2: ragged line"):
        read(DependenciesReader(), ragged)


def test_declared_format_must_match(fixtures):
    with pytest.raises(DataFormatError, match="wsj_0001.dp:1: line has 3 tab-separated column.*expected 10 columns"):
        read(DependenciesReader(file_format="conll"), fixtures / "ptb/dependency_treebank/wsj_0001.dp")
