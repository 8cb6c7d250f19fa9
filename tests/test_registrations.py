"""The plugin's names are registered, prefixed, clash with nothing in allennlp-models, and work from the CLI."""
import json

from allennlp.common.util import import_module_and_submodules

from allennlp_jmt.registrations import plugin_registrations, unprefixed_registrations
from tests.cli import allennlp

READERS = {"jmt_conll2000", "jmt_conll2002", "jmt_conll2003", "jmt_dependencies", "jmt_ptb_pos", "jmt_sick"}


def test_every_name_is_prefixed_and_coexists_with_allennlp_models():
    import_module_and_submodules("allennlp_models")  # a clash would raise here or at our import
    registrations = plugin_registrations()
    assert READERS <= set(registrations["DatasetReader"])
    assert registrations["Tokenizer"] == ["jmt_blank_spacy"]
    assert registrations["TokenIndexer"] == ["jmt_character_ngrams", "jmt_truncated_characters"]
    assert "jmt_character_ngram_embedding" in registrations["TokenEmbedder"]
    assert registrations["Model"] == ["jmt", "jmt_hier_gru_crf"]
    assert registrations["Predictor"] == ["jmt", "jmt_joint_tagger", "jmt_tagger"]
    assert registrations["Backbone"] == ["jmt_hier_gru"] and registrations["Head"] == ["jmt_crf_tagger"]
    assert registrations["MultiTaskScheduler"] == ["jmt_alternating", "jmt_task_order"]
    assert registrations["TrainerCallback"] == ["jmt_successive_regularization", "jmt_task_gradient_clipping"]
    assert registrations["LearningRateScheduler"] == ["jmt_inverse_time_decay", "reduce_on_plateau"]
    assert registrations["Metric"] == ["jmt_mean_squared_error"]
    assert registrations["Optimizer"] == ["jmt_fused_adam"]
    assert unprefixed_registrations() == []


def test_train_evaluate_and_predict_see_the_plugin(tmp_path):
    out = tmp_path / "run"
    config = "fixtures/configs/simple_tagger_conll2000.jsonnet"
    trained = allennlp("train", config, "-s", str(out), "--include-package", "allennlp_jmt",
                       "--include-package", "tests.kill_on_second_epoch")
    assert trained.returncode == 0, trained.stderr[-3000:]

    metrics_file = tmp_path / "metrics.json"
    evaluated = allennlp("evaluate", str(out / "model.tar.gz"), "fixtures/data/conll2000/test.txt",
                         "--output-file", str(metrics_file), "--include-package", "allennlp_jmt")
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    assert 0.0 <= json.loads(metrics_file.read_text())["accuracy"] <= 1.0

    predictions = tmp_path / "predictions.jsonl"
    predicted = allennlp("predict", str(out / "model.tar.gz"), "fixtures/data/conll2000/test.txt",
                         "--use-dataset-reader", "--silent", "--output-file", str(predictions),
                         "--predictor-args", '{"language": "blank:en"}', "--include-package", "allennlp_jmt")
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert len(lines) == 8
    assert all(len(line["tags"]) == len(line["words"]) for line in lines)


def test_data_summary_subcommand_through_the_plugins_file():
    summary = allennlp("jmt-data-summary", "fixtures/data/summary.jsonnet")
    assert summary.returncode == 0, summary.stderr[-3000:]
    assert "== chunking: fixtures/data/conll2000/train.txt\n   24 instances\n   tokens: 678 words" in summary.stdout
    assert "== sick-full-trial: fixtures/data/sick/SICK.txt#TRIAL\n   4 instances" in summary.stdout
