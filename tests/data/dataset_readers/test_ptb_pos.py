import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import PtbPosReader
from allennlp_jmt.data.dataset_readers.ptb_pos import parse_sections
from tests.data.dataset_readers.helpers import read, words, write


def test_reads_gold_tags_from_the_flat_sample(fixtures):
    instances = read(PtbPosReader(), fixtures / "ptb/treebank")
    assert len(instances) == 3  # wsj_0001 has two trees, wsj_0002 one
    assert words(instances[0])[:4] == ["Pierre", "Vinken", ",", "61"]
    assert instances[0]["tags"].labels[:4] == ["NNP", "NNP", ",", "CD"]
    assert instances[0]["tags"]._label_namespace == "pos_labels"
    assert instances[1]["metadata"]["source"].endswith("wsj_0001.mrg:17")


def test_traces_are_removed(fixtures):
    third = read(PtbPosReader(), fixtures / "ptb/treebank/wsj_0002.mrg")[0]
    assert "-NONE-" not in third["tags"].labels
    assert "*-1" not in words(third)
    assert words(third)[-4:] == ["British", "industrial", "conglomerate", "."]


def test_ptb3_layout_by_sections(fixtures):
    root = fixtures / "ptb3/combined"
    train = read(PtbPosReader(sections="00-18"), root)
    dev = read(PtbPosReader(sections="19-21"), root)
    test = read(PtbPosReader(sections="22-24"), root)
    assert [words(i) for i in train] == [["The", "committee", "approved", "the", "plan", "."],
                                          ["Rates", "fell", "2", "percent", "."]]
    assert [words(i) for i in dev] == [["It", "rained", "."]]
    assert [i["tags"].labels for i in test] == [["NNS", "VBD", "RB", "."]]


def test_no_file_in_the_sections_is_an_error(fixtures):
    with pytest.raises(FileNotFoundError, match="no .mrg file of sections"):
        read(PtbPosReader(sections="05"), fixtures / "ptb3/combined")


@pytest.mark.parametrize("spec, sections", [("00-02", {0, 1, 2}), ("22", {22}), ("00-01, 24", {0, 1, 24})])
def test_parse_sections(spec, sections):
    assert parse_sections(spec) == sections


@pytest.mark.parametrize("spec", ["18-00", "a-b", "1-2-3"])
def test_bad_section_ranges(spec):
    with pytest.raises(ValueError):
        parse_sections(spec)


def test_malformed_tree_names_file_and_line(tmp_path):
    path = write(tmp_path / "wsj_0001.mrg", "( (S (NP (DT The) (NN cat) ) (VP (VBD sat) )) )\n\n( (S (NP (DT A) (NN dog) ) (VP (VBD ran) ) )))\n")
    with pytest.raises(DataFormatError, match=r"wsj_0001\.mrg:3: malformed tree"):
        read(PtbPosReader(), path)


def test_file_without_trees_is_an_error(tmp_path):
    with pytest.raises(DataFormatError, match="file holds no tree"):
        read(PtbPosReader(), write(tmp_path / "wsj_0001.mrg", "\n"))


def test_path_names_its_sections(fixtures):
    reader = PtbPosReader(sections="00-18")
    assert [words(i) for i in read(reader, f"{fixtures / 'ptb3/combined'}#19-21")] == [["It", "rained", "."]]
