"""Every reader reproduces the published counts on the real corpora in ../shared/data (see its README)."""
import pytest
from allennlp.common import Params
from allennlp.data import DatasetReader

from allennlp_jmt.data.corpus_summary import summarize
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not present")

# (reader, path under ../shared/data, instances, words in the first text field)
CASES = [
    ({"type": "jmt_conll2000"}, "conll2000/train.txt", 8936, 211727),
    ({"type": "jmt_conll2000"}, "conll2000/test.txt", 2012, 47377),
    ({"type": "jmt_conll2002"}, "conll2002/esp.train", 8323, 264715),
    ({"type": "jmt_conll2002"}, "conll2002/esp.testa", 1915, 52923),
    ({"type": "jmt_conll2002"}, "conll2002/esp.testb", 1517, 51533),
    ({"type": "jmt_conll2002"}, "conll2002/ned.train", 15806, 202644),
    ({"type": "jmt_conll2002"}, "conll2002/ned.testa", 2895, 37687),
    ({"type": "jmt_conll2002"}, "conll2002/ned.testb", 5195, 68875),
    ({"type": "jmt_ptb_pos"}, "ptb_sample/treebank", 3914, 94084),
    ({"type": "jmt_dependencies"}, "ptb_sample/dependency_treebank", 3914, 94084),
    ({"type": "jmt_dependencies"}, "ud_english_ewt/en_ewt-ud-train.conllu", 12544, 204577),
    ({"type": "jmt_dependencies"}, "ud_english_ewt/en_ewt-ud-dev.conllu", 2001, 25147),
    ({"type": "jmt_dependencies"}, "ud_english_ewt/en_ewt-ud-test.conllu", 2077, 25094),
    ({"type": "jmt_sick"}, "sick/SICK_train.txt", 4500, None),
    ({"type": "jmt_sick"}, "sick/SICK_trial.txt", 500, None),
    ({"type": "jmt_sick"}, "sick/SICK_test_annotated.txt", 4927, None),
]


@pytest.mark.parametrize("reader, path, instances, words", CASES, ids=[case[1] for case in CASES])
def test_published_counts(reader, path, instances, words):
    summary = summarize(DatasetReader.from_params(Params(dict(reader))), str(SHARED_DATA / path))
    assert summary.instances == instances
    if words is not None:
        assert summary.words["tokens"] == words


def test_ptb_trees_and_dependencies_have_the_same_words():
    trees = DatasetReader.by_name("jmt_ptb_pos")().read(str(SHARED_DATA / "ptb_sample/treebank"))
    deps = DatasetReader.by_name("jmt_dependencies")().read(str(SHARED_DATA / "ptb_sample/dependency_treebank"))
    for tree, dep in zip(trees, deps):
        assert tree["metadata"]["words"] == dep["metadata"]["words"]
        assert tree["tags"].labels == dep["pos_tags"].labels


def test_sick_relatedness_covers_the_published_range():
    reader = DatasetReader.by_name("jmt_sick")()
    scores = [instance["relatedness"].tensor.item() for instance in reader.read(str(SHARED_DATA / "sick/SICK_train.txt"))]
    assert min(scores) == 1.0 and max(scores) == 5.0
