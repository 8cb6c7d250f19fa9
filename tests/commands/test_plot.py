"""`allennlp jmt-plot`: training curves of a run and the t-SNE of character-GRU word vectors."""
import pytest
from allennlp.common.checks import ConfigurationError

from allennlp_jmt.commands.plot import character_vectors, training_curves
from tests.cli import allennlp
from tests.conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n"


def test_training_curves_of_a_run(tmp_path):
    run = tmp_path / "run"
    trained = allennlp("train", "fixtures/configs/hier_gru_crf_tiny.jsonnet", "-s", str(run))
    assert trained.returncode == 0, trained.stderr[-2000:]
    curves = training_curves(str(run))
    assert len(curves["validation_f1"]) == len(curves["training_loss"]) == 2
    plotted = allennlp("jmt-plot", str(run), "-o", str(tmp_path / "curves.png"))
    assert plotted.returncode == 0, plotted.stderr[-2000:]
    assert (tmp_path / "curves.png").read_bytes()[:8] == PNG


def test_character_tsne_of_an_archive(tmp_path):
    words = ["London", "Paris", "Berlin", "running", "walking", "talking", "1999", "2004", "Mr.", "Inc."]
    archive = str(ROOT / "fixtures" / "archives" / "tagger.tar.gz")
    vectors = character_vectors(archive, words)
    assert vectors.shape[0] == len(words) and vectors.shape[1] > 0
    assert (vectors[0] != vectors[1]).any()  # different spellings, different vectors
    (tmp_path / "words.txt").write_text("\n".join(words) + "\n")
    plotted = allennlp("jmt-plot", "--char-tsne", archive, str(tmp_path / "words.txt"), "-o", str(tmp_path / "tsne.png"))
    assert plotted.returncode == 0, plotted.stderr[-2000:]
    assert (tmp_path / "tsne.png").read_bytes()[:8] == PNG


def test_a_folder_without_metrics_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigurationError, match="metrics_epoch"):
        training_curves(str(tmp_path))
