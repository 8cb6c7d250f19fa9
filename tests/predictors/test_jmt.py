"""The JMT predictor: sentences, texts and pairs in, every layer's output out; and the CLI round trip."""
import json
import math

import pytest
import torch
from allennlp.common import Params
from allennlp.data import DatasetReader, Vocabulary
from allennlp.models import Model

from allennlp_jmt.predictors import JointManyTaskPredictor
from allennlp_jmt.training import SuccessiveRegularization
from tests.cli import allennlp
from tests.conftest import ROOT
from tests.kill_on_second_epoch import ENV, START_FILE

CONFIG = "fixtures/configs/jmt_tiny.jsonnet"
SENTENCE_KEYS = {"words", "pos_tags", "chunk_tags", "chunks", "heads", "head_labels"}
PROBABILITY_KEYS = {"pos_probabilities", "chunk_probabilities", "head_probabilities", "head_label_probabilities"}


@pytest.fixture(scope="module")
def predictor() -> JointManyTaskPredictor:
    params = Params.from_file(str(ROOT / CONFIG))
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    paths = params.pop("train_data_path").as_dict()
    vocab = Vocabulary.from_instances(
        instance for task, path in paths.items() for instance in reader.readers[task].read(str(ROOT / path))
    )
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    model.eval()
    return JointManyTaskPredictor(model, reader, language="en")


def test_a_sentence_gets_every_sentence_level_output(predictor):
    by_tokens = predictor.predict_json({"tokens": ["The", "dog", "barks", "."]})
    by_text = predictor.predict_json({"sentence": "The dog barks."})
    assert by_tokens == by_text
    assert set(by_tokens) == SENTENCE_KEYS
    assert all(len(by_tokens[key]) == 4 for key in ("pos_tags", "chunk_tags", "heads", "head_labels"))
    heads = by_tokens["heads"]
    assert heads.count(0) == 1 and all(0 <= head <= 4 for head in heads)
    assert all(0 <= start <= end < 4 for _, start, end in by_tokens["chunks"])


def test_a_pair_also_gets_relatedness_and_entailment(predictor):
    output = predictor.predict_json({"premise": "A man is playing a guitar.", "hypothesis": ["A", "man", "plays", "."]})
    assert output["premise_words"] == ["A", "man", "is", "playing", "a", "guitar", "."]
    assert output["hypothesis_words"] == ["A", "man", "plays", "."]
    assert 1.0 <= output["relatedness"] <= 5.0
    assert output["entailment"] in {"ENTAILMENT", "NEUTRAL", "CONTRADICTION"}
    assert sum(output["entailment_probs"]) == pytest.approx(1.0)
    assert len(output["premise_heads"]) == 7 and len(output["hypothesis_pos_tags"]) == 4


def test_a_text_of_several_sentences_is_parsed_sentence_by_sentence_into_one_output(predictor):
    first, second = ["The", "dog", "barks", "."], ["A", "cat", "sleeps", "on", "the", "mat", "!"]
    text = {"sentence": "The dog barks. A cat sleeps on the mat!"}
    output = predictor.predict_json(text)
    alone = [predictor.predict_json({"tokens": words}) for words in (first, second)]
    assert output["words"] == first + second
    assert output["sentences"] == [[0, 3], [4, 10]]
    assert output["heads"] == alone[0]["heads"] + [head + 4 if head else 0 for head in alone[1]["heads"]]
    assert output["heads"].count(0) == 2  # one root word per sentence
    for key in ("pos_tags", "chunk_tags", "head_labels"):
        assert output[key] == alone[0][key] + alone[1][key]
    second_chunks = [[label, start + 4, end + 4] for label, start, end in alone[1]["chunks"]]
    assert output["chunks"] == alone[0]["chunks"] + second_chunks
    # In a batch, beside other lines, the text's sentences are still joined into its own output.
    batch = predictor.predict_batch_json([{"tokens": ["Hello"]}, text, {"sentence": "One sentence only."}])
    assert batch[1] == output
    assert batch[0]["words"] == ["Hello"] and "sentences" not in batch[2]


def softmax_at(logits, index):
    largest = max(logits)
    return math.exp(logits[index] - largest) / sum(math.exp(logit - largest) for logit in logits)


def test_confidence_adds_the_probability_of_each_prediction(predictor):
    model = predictor._model
    confident = JointManyTaskPredictor(model, predictor._dataset_reader, language="en", confidence=True)
    words = ["The", "dog", "barks", "."]
    assert set(predictor.predict_json({"tokens": words})) == SENTENCE_KEYS  # off by default

    captured = {}
    layers = {name: model.task_layers[name] for name in ("pos", "chunk", "dependencies")}
    layers["labels"] = model.task_layers["dependencies"].output.label_classifier
    hooks = [layer.register_forward_hook(lambda _, inputs, scores, name=name: captured.update({name: scores[0]}))
             for name, layer in layers.items()]
    try:
        output = confident.predict_json({"tokens": words})
    finally:
        for hook in hooks:
            hook.remove()
    assert set(output) == SENTENCE_KEYS | PROBABILITY_KEYS
    without = predictor.predict_json({"tokens": words})
    assert {key: output[key] for key in SENTENCE_KEYS} == without
    for task in ("pos", "chunk"):
        tag_ids = [model.vocab.get_token_index(tag, f"{task}_labels") for tag in output[f"{task}_tags"]]
        expected = [softmax_at(captured[task][word].tolist(), tag) for word, tag in enumerate(tag_ids)]
        assert output[f"{task}_probabilities"] == pytest.approx(expected, rel=1e-5)
    arc_scores = captured["dependencies"]  # [head, word], 0 the root
    expected_heads = []
    for word, head in enumerate(output["heads"], start=1):  # arc-score positions: words from 1
        candidates = [candidate for candidate in range(len(words) + 1) if candidate != word]
        expected_heads.append(softmax_at([arc_scores[candidate, word].item() for candidate in candidates],
                                         candidates.index(head)))
    assert output["head_probabilities"] == pytest.approx(expected_heads, rel=1e-5)
    label_ids = [model.vocab.get_token_index(label, "dependency_labels") for label in output["head_labels"]]
    expected_labels = [softmax_at(captured["labels"][word].tolist(), label)
                       for word, label in enumerate(label_ids)]
    assert output["head_label_probabilities"] == pytest.approx(expected_labels, rel=1e-5)

    pair = confident.predict_json({"premise": "A man is playing a guitar.", "hypothesis": "A man plays."})
    for side, length in (("premise", 7), ("hypothesis", 4)):
        for key in PROBABILITY_KEYS:
            assert len(pair[f"{side}_{key}"]) == length and all(0.0 <= p <= 1.0 for p in pair[f"{side}_{key}"])
    empty, text = confident.predict_batch_json([{"tokens": []}, {"sentence": "The dog barks. A cat sleeps."}])
    assert empty == {"words": [], **{key: [] for key in (SENTENCE_KEYS | PROBABILITY_KEYS) - {"words"}}}
    assert all(len(text[key]) == 8 for key in PROBABILITY_KEYS)


def test_a_batch_mixes_sentences_pairs_and_empty_sentences_in_order(predictor):
    outputs = predictor.predict_batch_json([
        {"tokens": ["Hello", "world"]}, {"premise": "A b", "hypothesis": "c d"}, {"tokens": []}, {"sentence": "x"},
    ])
    assert outputs[0]["words"] == ["Hello", "world"] and "relatedness" in outputs[1]
    assert outputs[2] == {"words": [], **{key: [] for key in SENTENCE_KEYS - {"words"}}}
    assert outputs[3]["words"] == ["x"]


@pytest.mark.parametrize("bad, message", [
    ({"premise": "A b"}, '"hypothesis"'),
    ({"premise": "", "hypothesis": "c"}, "empty"),
    ({"tokens": "not a list"}, "list of strings"),
    ({"text": "x"}, '"tokens"'),
])
def test_bad_inputs_are_refused_clearly(predictor, bad, message):
    with pytest.raises(ValueError, match=message):
        predictor.predict_json(bad)


def test_train_recover_evaluate_and_predict_from_the_command_line(tmp_path):
    out = tmp_path / "run"
    callbacks = json.dumps({"trainer.callbacks": [
        {"type": "jmt_successive_regularization", "weight": 0.01}, {"type": "jmt_task_gradient_clipping"},
        {"type": "jmt_test_kill_on_second_epoch"}]})
    plugins = ["--include-package", "allennlp_jmt", "--include-package", "tests.kill_on_second_epoch"]
    killed = allennlp("train", CONFIG, "-s", str(out), "-o", callbacks, *plugins, env={ENV: "1"})
    assert killed.returncode != 0 and (out / "metrics_epoch_0.json").exists(), killed.stderr[-2000:]
    state = torch.load(out / "training_state_e1_b0.th", weights_only=False)  # noqa: S614  (our own file)
    snapshot = SuccessiveRegularization(str(out))
    snapshot.load_state_dict(state["callbacks"][0])
    # The last turn's snapshot was checkpointed, and at the epoch's end its turn is over: the
    # next batch, whatever its task, takes a new one.
    assert snapshot.task is None and snapshot.snapshot

    resumed = allennlp("train", CONFIG, "-s", str(out), "-o", callbacks, "--recover", *plugins)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert json.loads((out / START_FILE).read_text()) > 0  # the callbacks' state came back
    assert json.loads((out / "metrics.json").read_text())["epoch"] == 1

    # AllenNLP's multitask data loader needs a path for every task of the archive's reader.
    data = json.dumps({"pos": "fixtures/data/ptb3/combined#22-24", "chunk": "fixtures/data/conll2000/test.txt",
                       "dependencies": "fixtures/data/ud/en_ewt-sample-dev.conllu",
                       "relatedness": "fixtures/data/sick/SICK_trial.txt", "entailment": "fixtures/data/sick/SICK_trial.txt"})
    metrics_file = tmp_path / "metrics.json"
    evaluated = allennlp("evaluate", str(out / "model.tar.gz"), data, "--output-file", str(metrics_file),
                         "--include-package", "allennlp_jmt")
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    metrics = json.loads(metrics_file.read_text())
    assert {"pos_accuracy", "chunk_f1", "dependencies_las", "relatedness_mse", "entailment_accuracy"} <= set(metrics)

    inputs = tmp_path / "inputs.jsonl"
    inputs.write_text('{"sentence": "The cat sat on the mat."}\n{"premise": "A dog runs.", "hypothesis": "An animal moves."}\n')
    predictions = tmp_path / "predictions.jsonl"
    predicted = allennlp("predict", str(out / "model.tar.gz"), str(inputs), "--silent", "--output-file",
                         str(predictions), "--include-package", "allennlp_jmt")
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    sentence, pair = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert set(sentence) == SENTENCE_KEYS and len(sentence["heads"]) == 7
    assert {"relatedness", "entailment", "premise_heads", "hypothesis_chunks"} <= set(pair)
