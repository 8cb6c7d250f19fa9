"""Every config in training_configs/ loads and builds its readers and model on the bundled sample."""
from pathlib import Path

import pytest
from allennlp.common import Params
from allennlp.data import DatasetReader, Vocabulary
from allennlp.data.dataset_readers import MultiTaskDatasetReader
from allennlp.models import Model

from allennlp_jmt.config_environment import VARIABLES
from tests.conftest import ROOT

CONFIGS = sorted((ROOT / "training_configs").glob("**/*.jsonnet"))


def test_there_are_configs():
    assert len(CONFIGS) >= 5


@pytest.mark.parametrize("config", CONFIGS, ids=[str(c.relative_to(ROOT / "training_configs")) for c in CONFIGS])
def test_config_builds(config: Path, monkeypatch):
    monkeypatch.chdir(ROOT)
    params = Params.from_file(str(config))
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    validation_reader = (
        DatasetReader.from_params(params.pop("validation_dataset_reader"))
        if "validation_dataset_reader" in params else reader
    )
    instances = read(reader, params.pop("train_data_path")) + read(validation_reader, params.pop("validation_data_path"))
    assert instances
    vocab = Vocabulary.from_instances(instances)
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    assert sum(p.numel() for p in model.parameters()) > 0


def read(reader: DatasetReader, path) -> list:
    """A single-task reader reads its path; AllenNLP's multitask reader, each task's path (a dict)."""
    if isinstance(reader, MultiTaskDatasetReader):
        return [instance for task, task_path in path.as_dict().items() for instance in reader.readers[task].read(task_path)]
    return list(reader.read(path))


def resolved(config: str) -> dict:
    return Params.from_file(str(ROOT / "training_configs" / config)).as_flat_dict()


DATA_VARIABLES = [name for name in VARIABLES if name.endswith("_DIR") or name == "JMT_GAZETTEER"]


@pytest.mark.parametrize("config", ["jmt.jsonnet", "jmt_full.jsonnet", "hier_gru_crf/conll2000.jsonnet",
                                    "joint/crosslingual_nl_r0.1_with_es.jsonnet"])
@pytest.mark.parametrize("variable", DATA_VARIABLES)
def test_a_data_variable_changes_only_data_paths(config, variable, monkeypatch):
    before = resolved(config)
    monkeypatch.setenv(variable, "/data/somewhere")
    after = resolved(config)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert all(key.split(".")[0].endswith("_data_path") or key == "dataset_reader.gazetteer" for key in changed), changed
    assert all("/data/somewhere" in str(after[key]) for key in changed)


def test_the_data_variables_are_read_by_some_config(monkeypatch):
    """Guards the test above against a variable no config reads (it would pass vacuously)."""
    for variable in DATA_VARIABLES:
        configs = ["jmt.jsonnet", "hier_gru_crf/conll2002_nl.jsonnet", "hier_gru_crf/conll2003_gazetteer.jsonnet"]
        before = [resolved(config) for config in configs]
        monkeypatch.setenv(variable, "/data/somewhere")
        assert [resolved(config) for config in configs] != before, variable
        monkeypatch.setenv(variable, "")


def test_vectors_set_the_word_embedding_and_its_width_from_the_vector_file_only(monkeypatch):
    monkeypatch.setenv("JMT_EMBEDDINGS", "/vectors.txt")
    with pytest.raises(RuntimeError, match="JMT_EMBEDDINGS_DIM"):
        resolved("jmt.jsonnet")
    monkeypatch.setenv("JMT_EMBEDDINGS_DIM", "300")
    jmt = resolved("jmt.jsonnet")
    assert jmt["model.text_field_embedder.token_embedders.tokens.pretrained_file"] == "/vectors.txt"
    assert jmt["model.text_field_embedder.token_embedders.tokens.embedding_dim"] == 300
    tagger = resolved("hier_gru_crf/conll2000.jsonnet")
    assert tagger["model.text_field_embedder.token_embedders.tokens.embedding_dim"] == 300
    assert tagger["model.encoder.input_size"] == 300 + 2 * 80
    # Cross-lingual: the vectors are English; Dutch and Spanish keep their own width.
    joint = resolved("joint/crosslingual_ner.jsonnet")
    assert joint["model.backbone.word_embedders.en.embedding_dim"] == 300
    assert joint["model.backbone.encoders.en.input_size"] == 300 + 2 * 80
    assert joint["model.backbone.word_embedders.nl.embedding_dim"] == 64
    assert joint["model.backbone.word_embedders.nl.pretrained_file"] is None


def test_jmt_trains_the_sample_and_the_full_corpora_with_adam_and_keeps_the_papers_optimization(tmp_path):
    sample, full = resolved("jmt.jsonnet"), resolved("jmt_full.jsonnet")
    assert (sample["model.loss_reduction"], full["model.loss_reduction"]) == ("mean", "mean")
    assert (sample["trainer.optimizer.type"], sample["trainer.optimizer.lr"]) == ("adam", 0.01)
    assert (full["trainer.optimizer.type"], full["trainer.optimizer.lr"]) == ("adam", 0.002)
    assert "trainer.learning_rate_scheduler.type" not in sample and "trainer.learning_rate_scheduler.type" not in full
    assert (sample["trainer.num_epochs"], full["trainer.num_epochs"]) == (6, 30)
    # Successive regularization for averaged losses: none on POS turns, a strong one above (see jmt.libsonnet).
    for config in (sample, full):
        assert config["trainer.callbacks"][0] == {"type": "jmt_successive_regularization", "weight": 1.0,
                                                  "task_weights": {"pos": 0.0, "relatedness": 0.1, "entailment": 0.1}}
        prefix = "data_loader.scheduler.batch_size."
        assert {key[len(prefix):]: value for key, value in config.items() if key.startswith(prefix)} == {
            "pos": 16, "chunk": 32, "dependencies": 32, "relatedness": 32, "entailment": 32}
    assert {k: v for k, v in sample.items() if k.endswith("_data_path") or "_data_path." in k} == {
        k: v for k, v in full.items() if k.endswith("_data_path") or "_data_path." in k}
    # The paper's optimization stays one argument away: summed losses, its code's SGD schedule, δ = 0.01.
    config = tmp_path / "paper.jsonnet"
    config.write_text(f"(import '{ROOT}/training_configs/lib/jmt.libsonnet').experiment(paper_optimization=true)")
    paper = Params.from_file(str(config)).as_flat_dict()
    assert (paper["model.loss_reduction"], paper["trainer.optimizer.type"], paper["trainer.optimizer.lr"]) == ("sum", "sgd", 1.0)
    assert paper["trainer.learning_rate_scheduler.type"] == "jmt_inverse_time_decay"
    assert paper["trainer.callbacks"][0] == {"type": "jmt_successive_regularization", "weight": 0.01}


@pytest.mark.parametrize("task, stack", [("pos", ["pos"]), ("chunk", ["pos", "chunk"]),
                                         ("dependencies", ["pos", "chunk", "dependencies"])])
def test_a_single_task_jmt_config_trains_the_stack_up_to_its_task_on_its_data_alone(task, stack):
    single = Params.from_file(str(ROOT / "training_configs" / "jmt_single_task" / f"{task}.jsonnet")).as_dict()
    full = Params.from_file(str(ROOT / "training_configs" / "jmt_full.jsonnet")).as_dict()
    assert single["model"]["tasks"] == stack
    # AllenNLP's multitask loader wants every reader's data; the tasks below are read, never batched.
    assert sorted(single["train_data_path"]) == sorted(single["validation_data_path"]) == sorted(stack)
    assert sorted(single["test_data_path"]) == sorted(stack)
    assert single["data_loader"]["scheduler"].get("unbatched_tasks", []) == sorted(set(stack) - {task})
    assert "unbatched_tasks" not in full["data_loader"]["scheduler"]
    assert single["trainer"]["optimizer"] == full["trainer"]["optimizer"]
    assert single["model"]["loss_reduction"] == full["model"]["loss_reduction"]
    assert [callback["type"] for callback in single["trainer"]["callbacks"]] == ["jmt_task_gradient_clipping"]


def test_the_dutch_ablation_base_keeps_yang_et_al_s_settings_and_the_defaults_the_chosen_recipe():
    paper, dutch, spanish = (resolved(f"hier_gru_crf/{name}.jsonnet")
                             for name in ("conll2002_nl_paper_settings", "conll2002_nl", "conll2002_es"))
    assert paper["dataset_reader.token_indexers.tokens.lowercase_tokens"] is True
    assert "datasets_for_vocab_creation" not in paper and "model.word_dropout" not in paper
    assert (paper["model.dropout"], paper["trainer.optimizer.type"], paper["trainer.optimizer.lr"]) == (0.0, "adagrad", 0.01)
    for default in (dutch, spanish):
        assert default["dataset_reader.token_indexers.tokens.lowercase_tokens"] is False
        assert default["datasets_for_vocab_creation"] == ["train"]
        assert (default["model.word_dropout"], default["model.dropout"]) == (0.25, 0.5)
        assert (default["trainer.optimizer.type"], default["trainer.optimizer.lr"]) == ("adam", 0.001)
    # The recipe changes nothing but how words are read and the model trained.
    recipe_keys = {"dataset_reader.token_indexers.tokens.lowercase_tokens", "datasets_for_vocab_creation",
                   "model.word_dropout", "model.dropout", "trainer.optimizer.type", "trainer.optimizer.lr"}
    assert {key for key in paper.keys() | dutch.keys() if paper.get(key) != dutch.get(key)} == recipe_keys


def test_with_vectors_the_vocabulary_is_train_s_words_and_every_vector_word(monkeypatch):
    vectors = str(ROOT / "fixtures/data/jmt/glove.6B.50d.sample.txt.gz")
    assert "vocabulary" not in resolved("hier_gru_crf/conll2000.jsonnet")  # no vectors: nothing to add
    monkeypatch.setenv("JMT_EMBEDDINGS", vectors)
    monkeypatch.setenv("JMT_EMBEDDINGS_DIM", "50")
    monkeypatch.chdir(ROOT)
    params = Params.from_file(str(ROOT / "training_configs/hier_gru_crf/conll2000.jsonnet"))
    assert params["datasets_for_vocab_creation"] == ["train"]
    assert params["dataset_reader"]["token_indexers"]["tokens"]["lowercase_tokens"] is True
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    vocab = Vocabulary.from_params(params.pop("vocabulary"), instances=read(reader, "fixtures/data/conll2000/train.txt"))
    words = set(vocab.get_token_to_index_vocabulary("tokens"))
    train_words = {token.text.lower() for instance in reader.read("fixtures/data/conll2000/train.txt")
                   for token in instance["tokens"]}
    test_only = {token.text.lower() for instance in reader.read("fixtures/data/conll2000/test.txt")
                 for token in instance["tokens"]} - train_words
    with_vectors = {word for word in test_only if word in {"accepted", "additional", "agreement"}}
    assert with_vectors and with_vectors <= words  # test words outside train keep their vectors
    assert train_words <= words
    # Every chunk label, also those only dev or test have (the sample's test part has U-CONJP, its train part not).
    train_labels = {tag for instance in reader.read("fixtures/data/conll2000/train.txt") for tag in instance["tags"].labels}
    assert "U-CONJP" not in train_labels
    assert set(vocab.get_token_to_index_vocabulary("chunk_labels")) == {"O"} | {
        prefix + kind for kind in ("ADJP", "ADVP", "CONJP", "INTJ", "LST", "NP", "PP", "PRT", "SBAR", "UCP", "VP")
        for prefix in ("B-", "I-", "L-", "U-")}


def test_joint_experiments_train_each_language_as_its_single_task_config(monkeypatch):
    dutch_alone, dutch_with_spanish = (resolved(f"joint/{name}.jsonnet")
                                       for name in ("nl_r0.1_alone", "crosslingual_nl_r0.1_with_es"))
    single = resolved("hier_gru_crf/conll2002_nl.jsonnet")
    for joint in (dutch_alone, dutch_with_spanish):
        assert joint["dataset_reader.readers.nl_ner.token_indexers.tokens.lowercase_tokens"] is False
        assert joint["datasets_for_vocab_creation"] == ["train"]
        assert joint["model.backbone.word_dropout"] == single["model.word_dropout"]
        assert joint["model.backbone.dropout"] == single["model.dropout"]
        assert joint["trainer.optimizer.type"] == single["trainer.optimizer.type"]
        assert "vocabulary" not in joint
    assert dutch_with_spanish["dataset_reader.readers.es_ner.token_indexers.tokens.lowercase_tokens"] is False
    monkeypatch.setenv("JMT_EMBEDDINGS", "/vectors.txt")
    monkeypatch.setenv("JMT_EMBEDDINGS_DIM", "50")
    english = resolved("joint/multitask_en.jsonnet")
    assert english["dataset_reader.readers.en_chunk.token_indexers.tokens.lowercase_tokens"] is True
    assert english["vocabulary.pretrained_files.en_tokens"] == "/vectors.txt"
    assert english["vocabulary.min_pretrained_embeddings.en_tokens"] == -1
    # CoNLL-2000's test has chunk labels its train part lacks: the joint vocabulary adds them too.
    assert {"B-LST", "L-LST", "U-CONJP"} <= set(english["vocabulary.tokens_to_add.en_chunk_labels"])
