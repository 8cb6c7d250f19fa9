"""Yang et al.'s joint training: a `jmt_hier_gru` backbone, `jmt_crf_tagger` heads, AllenNLP's multitask model."""
import json
from collections import Counter

import pytest
import torch
from allennlp.commands.evaluate import evaluate_from_archive
from allennlp.commands.train import train_model
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.data import Batch, DataLoader, DatasetReader, Vocabulary
from allennlp.models import Model
from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor

from allennlp_jmt.predictors import JointTaggerPredictor
from tests.conftest import ROOT

CROSSLINGUAL = ROOT / "fixtures/configs/joint_tiny_crosslingual.jsonnet"
MULTITASK = ROOT / "fixtures/configs/joint_tiny_multitask.jsonnet"


def build(config):
    """The config's training and validation readers, a vocabulary of their data, and the model."""
    params = Params.from_file(str(config))
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    validation_reader = DatasetReader.from_params(params.pop("validation_dataset_reader"))
    train, validation = params.pop("train_data_path").as_dict(), params.pop("validation_data_path").as_dict()
    instances = {task: list(reader.readers[task].read(path)) for task, path in train.items()}
    vocab = Vocabulary.from_instances(
        [i for task in instances for i in instances[task]]
        + [i for task, path in validation.items() for i in validation_reader.readers[task].read(path)]
    )
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    return reader, validation_reader, vocab, model, instances


def batch_of(instances, vocab):
    batch = Batch(instances)
    batch.index_instances(vocab)
    return batch.as_tensor_dict()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The tiny cross-lingual config trained (2 epochs, seconds), archived and loaded again."""
    out = tmp_path_factory.mktemp("joint") / "run"
    model = train_model(Params.from_file(str(CROSSLINGUAL)), serialization_dir=str(out))
    return out, model, load_archive(str(out / "model.tar.gz"))


def test_trains_evaluates_per_task_and_loads(trained):
    out, model, archive = trained
    metrics = json.loads((out / "metrics.json").read_text())
    for split in ("best_validation", "test"):
        for task in ("nl_ner", "es_ner"):
            assert {f"{split}_{task}_{name}" for name in ("accuracy", "precision", "recall", "f1")} <= set(metrics)
    assert json.loads((out / "config.json").read_text())["trainer"]["validation_metric"] == "+nl_ner_f1"
    loaded = archive.model
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, loaded.state_dict()[name]), name

    # AllenNLP's multitask data loader wants a path for every task; each head is scored apart.
    test = {"nl_ner": "fixtures/data/conll2002/ned.train", "es_ner": "fixtures/data/conll2002/esp.testa"}
    evaluated = evaluate_from_archive(str(out / "model.tar.gz"), json.dumps(test))
    for name in ("nl_ner_f1", "nl_ner_accuracy", "es_ner_f1", "es_ner_accuracy"):
        assert evaluated[name] == pytest.approx(metrics[f"test_{name}"])  # the config's test files


def test_predicts_one_task_or_every_head(trained):
    predictor = Predictor.from_archive(trained[2], "jmt_joint_tagger", extra_args={"language": "nl"})
    words = ["Jan", "woont", "in", "Amsterdam", "."]
    dutch = predictor.predict_json({"tokens": words, "task": "nl_ner"})
    assert set(dutch) == {"task", "words", "tags", "spans"} and dutch["task"] == "nl_ner"
    assert dutch["words"] == words and len(dutch["tags"]) == 5
    assert all(0 <= start <= end < 5 for _, start, end in dutch["spans"])

    every = predictor.predict_json({"sentence": "Jan woont in Amsterdam."})
    assert set(every) == {"words", "nl_ner_tags", "nl_ner_spans", "es_ner_tags", "es_ner_spans"}
    assert every["words"] == words and every["nl_ner_tags"] == dutch["tags"]

    lines = predictor.predict_batch_json([
        {"tokens": ["Madrid"], "task": "es_ner"}, {"tokens": [], "task": "nl_ner"},
        {"tokens": words, "task": "nl_ner"},
    ])
    assert [line["task"] for line in lines] == ["es_ner", "nl_ner", "nl_ner"]  # the inputs' order
    assert lines[1] == {"task": "nl_ner", "words": [], "tags": [], "spans": []} and lines[2] == dutch


def test_unknown_tasks_and_single_task_models_are_clear_errors(trained):
    predictor = Predictor.from_archive(trained[2], "jmt_joint_tagger")
    with pytest.raises(ValueError, match=r"unknown task 'de_ner': this model's tasks are \['es_ner', 'nl_ner'\]"):
        predictor.predict_json({"tokens": ["a"], "task": "de_ner"})
    with pytest.raises(ValueError, match="unknown task"):
        Predictor.from_archive(trained[2], "jmt_joint_tagger", extra_args={"task": "ner"})
    reader, _, _, model, _ = build(CROSSLINGUAL)
    with pytest.raises(ConfigurationError, match="multitask"):
        JointTaggerPredictor(model, reader.readers["nl_ner"].inner)


def test_cross_lingual_shares_the_characters_only():
    _, _, vocab, model, instances = build(CROSSLINGUAL)
    backbone, heads = model._backbone, model._heads
    characters = list(backbone.character_encoder.parameters())
    names = {id(p): name for name, p in model.named_parameters()}
    assert len(names) == len(list(model.parameters()))  # every parameter is one tensor, under one name
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    assert all(names[id(p)].startswith("_backbone.character_encoder.") for p in characters)
    assert backbone.word_embedders["nl"].weight is not backbone.word_embedders["es"].weight
    assert backbone.word_embedders["nl"].weight.size(0) == vocab.get_vocab_size("nl_tokens")
    assert backbone.word_embedders["es"].weight.size(0) == vocab.get_vocab_size("es_tokens")
    assert heads["nl_ner"].tagging.crf.transitions is not heads["es_ner"].tagging.crf.transitions

    def trained_by(task):
        model.zero_grad(set_to_none=True)
        model(**batch_of(instances[task][:4], vocab))["loss"].backward()
        return {name for name, p in model.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0}

    def language(group):  # the parameters of one language: its word embedding and GRU, its head
        return {name for name in trainable if f".{group}." in name or name.startswith(f"_heads.{group}_ner.")}

    dutch, spanish = trained_by("nl_ner"), trained_by("es_ner")
    shared = {names[id(p)] for p in characters}
    assert shared <= dutch and shared <= spanish  # the one character GRU learns from both languages
    assert dutch == shared | language("nl") and spanish == shared | language("es")


def test_multi_task_shares_everything_below_the_crf():
    _, _, vocab, model, instances = build(MULTITASK)
    trainable = {name for name, p in model.named_parameters() if p.requires_grad}
    below_crf = {name for name in trainable if name.startswith("_backbone.")}
    assert {name.split(".")[1] for name in below_crf} == {"character_encoder", "word_embedders", "encoders"}

    def trained_by(task):
        model.zero_grad(set_to_none=True)
        model(**batch_of(instances[task][:3], vocab))["loss"].backward()
        return {name for name, p in model.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0}

    chunking, ner = trained_by("en_chunk"), trained_by("en_ner")
    assert below_crf <= chunking & ner  # one word embedding, one character GRU, one word GRU
    assert chunking - below_crf == {name for name in trainable if name.startswith("_heads.en_chunk.")}
    assert ner - below_crf == {name for name in trainable if name.startswith("_heads.en_ner.")}


def test_a_batch_mixing_languages_encodes_each_row_as_its_own_batch_would():
    _, _, vocab, model, instances = build(CROSSLINGUAL)
    model.eval()
    dutch, spanish = instances["nl_ner"][:3], instances["es_ner"][:2]
    def encode(part):
        tensors = batch_of(part, vocab)
        return model._backbone(tokens=tensors["tokens"], task=tensors["task"])

    mixed = encode(dutch + spanish)
    for rows, part in ((slice(0, 3), dutch), (slice(3, 5), spanish)):
        alone = encode(part)
        length = alone["encoded_tokens"].size(1)
        assert torch.allclose(mixed["encoded_tokens"][rows, :length], alone["encoded_tokens"], atol=1e-6)


def test_only_the_target_keeps_a_fraction_and_only_in_training():
    reader, validation_reader, _, _, instances = build(CROSSLINGUAL)
    everything = list(validation_reader.readers["nl_ner"].read("fixtures/data/conll2002/ned.train"))
    kept = instances["nl_ner"]
    assert len(kept) == round(0.5 * len(everything))
    assert [i["metadata"]["source"] for i in kept] == [
        i["metadata"]["source"] for i in reader.readers["nl_ner"].read("fixtures/data/conll2002/ned.train")]
    spanish = validation_reader.readers["es_ner"].read("fixtures/data/conll2002/esp.train")
    assert len(instances["es_ner"]) == len(list(spanish))


def test_each_epoch_is_one_pass_over_the_target_with_as_many_batches_of_the_other():
    params = Params.from_file(str(CROSSLINGUAL))
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    loader = DataLoader.from_params(params.pop("data_loader"), reader=reader,
                                    data_path=params.pop("train_data_path"))
    loader.index_with(Vocabulary.from_instances(loader.iter_instances()))
    target = -(-len(list(reader.readers["nl_ner"].read("fixtures/data/conll2002/ned.train"))) // 10)
    for _ in range(2):
        batches = list(loader)
        assert len(batches) == len(loader) == 2 * target
        assert Counter(batch["task"][0] for batch in batches) == {"nl_ner": target, "es_ner": target}
        tasks = [batch["task"][0] for batch in batches]
        assert all(tasks[i] != tasks[i + 1] for i in range(len(tasks) - 1))  # one batch of each in turn


def test_word_dropout_replaces_training_words_by_their_own_language_s_unknown_word():
    _, _, vocab, model, instances = build(CROSSLINGUAL)
    backbone = model._backbone
    assert {group: dropout.rate for group, dropout in backbone.word_dropouts.items()} == {"nl": 0.25, "es": 0.25}
    embedded = []
    backbone.word_embedders["nl"].register_forward_hook(
        lambda module, args, kwargs, output: embedded.append(kwargs["tokens"]), with_kwargs=True)
    tensors = batch_of(instances["nl_ner"][:8], vocab)
    words = tensors["tokens"]["tokens"]["tokens"]
    unknown = vocab.get_token_index(vocab._oov_token, "nl_tokens")
    torch.manual_seed(0)
    model.train()
    model(**tensors)
    dropped = embedded[-1] != words
    assert dropped.any() and (embedded[-1][dropped] == unknown).all()
    assert not (dropped & (words == 0)).any()  # padding stays
    model.eval()
    model(**tensors)
    assert torch.equal(embedded[-1], words)
