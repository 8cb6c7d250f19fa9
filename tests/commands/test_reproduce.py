"""`allennlp jmt-reproduce`: the registry, a tiny row end to end, the generated report."""
import argparse
import json
import os

import pytest
from allennlp.common.checks import ConfigurationError

from allennlp_jmt.commands import reproduce as command
from allennlp_jmt.reproduction.report import README_END, README_START
from allennlp_jmt.reproduction.rows import ROWS, Row
from tests.cli import allennlp
from tests.conftest import ROOT

TINY = Row(
    "tiny", "fixtures/configs/hier_gru_crf_tiny.jsonnet", {"test_f1": 94.66, "test_accuracy": None}, (),
    "the CoNLL-2000 fixture",
    {"trainer.num_epochs": 1, "trainer.patience": 5, "test_data_path": "fixtures/data/conll2000/test.txt",
     "evaluate_on_test": True},
)


def arguments(tmp_path, **given) -> argparse.Namespace:
    defaults = dict(row=None, serialization_dir=None, seeds="13", list=False, report=False,
                    results_dir=str(tmp_path / "results"), docs_dir=str(tmp_path / "docs"),
                    readme=str(tmp_path / "README.md"))
    return argparse.Namespace(**{**defaults, **given})


def test_every_config_named_by_a_row_exists_and_every_paper_config_has_a_row():
    for row in ROWS.values():
        assert (ROOT / row.config).is_file(), row.name
        assert row.name.startswith(row.config.replace("training_configs/", "").replace(".jsonnet", "").replace("/", "."))
    named = {row.config for row in ROWS.values()}
    for config in (ROOT / "training_configs").glob("**/*.jsonnet"):
        relative = str(config.relative_to(ROOT))
        if "crosslingual_ner" in relative or "crosslingual_nl_with_es" in relative or "multitask_en" in relative:
            continue  # joint experiments without a single paper number of their own
        assert relative in named, relative


def test_targets_are_on_reported_metrics_and_baselines_are_rows_that_report_the_metric():
    for row in ROWS.values():
        assert set(row.target) <= set(row.paper), row.name
        for metric, baseline in row.baselines.items():
            assert metric in row.paper and metric in ROWS[baseline].paper, (row.name, metric, baseline)
    # Issue 12's targets and comparisons.
    assert ROWS["jmt_full"].target == {"test_pos_accuracy": 95.0, "test_chunk_f1": 93.5}
    assert ROWS["joint.crosslingual_nl_r0.1_with_es"].baselines == {"test_nl_ner_f1": "joint.nl_r0.1_alone"}


def test_the_list_names_every_row_and_the_missing_variables():
    listed = allennlp("jmt-reproduce", "--list", env={"JMT_CONLL2002_DIR": "/data/conll2002"})
    assert listed.returncode == 0, listed.stderr[-2000:]
    for row in ROWS.values():
        assert row.name in listed.stdout
    assert "hier_gru_crf.conll2002_nl  [available]" in listed.stdout
    assert "hier_gru_crf.conll2000  [unavailable: set JMT_CONLL2000_DIR, JMT_EMBEDDINGS, JMT_EMBEDDINGS_DIM]" in listed.stdout
    assert "dataset_reader.readers.nl_ner.labelling_seed" in listed.stdout


def test_a_row_without_its_data_refuses_to_run_naming_the_variables(tmp_path):
    refused = allennlp("jmt-reproduce", "hier_gru_crf.conll2002_nl", "-s", str(tmp_path / "run"))
    assert refused.returncode != 0
    assert "JMT_CONLL2002_DIR" in refused.stderr
    assert not (tmp_path / "run").exists()


def test_seeds_reach_allennlp_and_the_sampling_seeds():
    row = ROWS["joint.nl_r0.1_alone"]
    overrides = row.all_overrides(14, {})
    assert overrides["random_seed"] == overrides["numpy_seed"] == overrides["pytorch_seed"] == 14
    assert overrides["dataset_reader.readers.nl_ner.labelling_seed"] == 14
    assert ROWS["jmt_full"].all_overrides(13, {"JMT_PTB_DIR": "/ptb"})["train_data_path.pos"] == "/ptb/wsj_00*.mrg"


@pytest.fixture(scope="module")
def tiny_result(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("reproduce")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(command.ROWS, "tiny", TINY)
        command.run(arguments(tmp_path, row="tiny", serialization_dir=str(tmp_path / "run")))
    return tmp_path


def test_a_tiny_row_writes_its_results(tiny_result):
    result = json.loads((tiny_result / "results" / "tiny.json").read_text())
    assert result["row"] == "tiny" and result["config"] == TINY.config and result["metric"] == "test_f1"
    assert result["paper"] == {"test_f1": 94.66, "test_accuracy": None}
    assert set(result["metrics"]) >= {"test_f1", "test_precision", "test_recall", "test_accuracy"}
    seed = result["seeds"][0]
    assert seed["seed"] == 13 and seed["epochs_run"] == 1 and seed["best_epoch"] == 0
    assert seed["metrics"] == result["metrics"] and result["std"]["test_f1"] == 0.0
    assert len(seed["dev_curves"]["validation_f1"]) == 1
    assert result["command"] == "allennlp jmt-reproduce tiny -s RUN_DIR"
    assert len(result["config_sha256"]) == 64 and result["commit"]
    assert seed["trained_at"] == [result["commit"]]
    assert result["machine"]["cores"] >= 1 and "gpu" in result["machine"]
    config = json.loads((tiny_result / "run" / "config.json").read_text())
    assert config["random_seed"] == config["numpy_seed"] == config["pytorch_seed"] == 13


def test_the_results_equal_allennlp_evaluate_on_the_archive(tiny_result):
    scored = allennlp("evaluate", str(tiny_result / "run" / "model.tar.gz"), "fixtures/data/conll2000/test.txt",
                      "--output-file", str(tiny_result / "evaluated.json"))
    assert scored.returncode == 0, scored.stderr[-2000:]
    evaluated = json.loads((tiny_result / "evaluated.json").read_text())
    result = json.loads((tiny_result / "results" / "tiny.json").read_text())
    for key, value in result["metrics"].items():
        assert value == pytest.approx(evaluated[key.replace("test_", "")], abs=1e-9), key


def test_a_finished_row_is_not_trained_again(tiny_result, monkeypatch):
    model = tiny_result / "run" / "model.tar.gz"
    before = model.stat().st_mtime_ns
    monkeypatch.setitem(command.ROWS, "tiny", TINY)
    command.run(arguments(tiny_result, row="tiny", serialization_dir=str(tiny_result / "run"),
                          results_dir=str(tiny_result / "again")))
    assert model.stat().st_mtime_ns == before
    first = json.loads((tiny_result / "results" / "tiny.json").read_text())
    again = json.loads((tiny_result / "again" / "tiny.json").read_text())
    assert again["metrics"] == first["metrics"]


def test_rerunning_a_finished_row_keeps_the_commit_and_machine_it_was_recorded_with(tiny_result, monkeypatch):
    path = tiny_result / "results" / "tiny.json"
    recorded = json.loads(path.read_text())
    path.write_text(json.dumps({**recorded, "commit": "the-training-commit", "machine": {"threads": 7}}))
    monkeypatch.setitem(command.ROWS, "tiny", TINY)
    try:
        command.run(arguments(tiny_result, row="tiny", serialization_dir=str(tiny_result / "run")))
        rewritten = json.loads(path.read_text())
        assert (rewritten["commit"], rewritten["machine"]) == ("the-training-commit", {"threads": 7})
        assert rewritten["metrics"] == recorded["metrics"]
    finally:
        path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")


def test_the_report_is_generated_from_the_results_alone_and_byte_identical(tiny_result):
    (tiny_result / "README.md").write_text("# Title\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nMore.\n")
    command.run(arguments(tiny_result, report=True))
    markdown = (tiny_result / "docs" / "results.md").read_bytes()
    plot = (tiny_result / "docs" / "plots" / "tiny.png").read_bytes()
    assert plot[:8] == b"\x89PNG\r\n\x1a\n"
    text = markdown.decode()
    result = json.loads((tiny_result / "results" / "tiny.json").read_text())
    assert f"| `tiny` | f1 | 94.66 | {result['metrics']['test_f1'] * 100:.2f} |" in text
    assert "allennlp jmt-reproduce tiny -s RUN_DIR" in text and "plots/tiny.png" in text
    readme = (tiny_result / "README.md").read_text()
    assert readme.startswith("# Title\n\n<!-- results:start -->\n| row | metric | paper | ours | difference | target | epochs | what it is |")
    assert f"| `tiny` | f1 | 94.66 | {result['metrics']['test_f1'] * 100:.2f} |" in readme
    assert "| — | 0 / 1 | paper row |" in readme  # no target; a row without a note is a paper row
    assert "old" not in readme and readme.endswith("<!-- results:end -->\n\nMore.\n")
    command.run(arguments(tiny_result, report=True))
    assert (tiny_result / "README.md").read_text() == readme
    assert (tiny_result / "docs" / "results.md").read_bytes() == markdown
    assert (tiny_result / "docs" / "plots" / "tiny.png").read_bytes() == plot


def test_a_bad_call_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigurationError, match="no row named"):
        command.run(arguments(tmp_path, row="nonexistent", serialization_dir=str(tmp_path)))
    with pytest.raises(ConfigurationError, match="-s DIR"):
        command.run(arguments(tmp_path, row="jmt"))
    with pytest.raises(ConfigurationError, match="--list or --report"):
        command.run(arguments(tmp_path))


def test_a_run_without_its_archive_is_resumed_with_recover(tmp_path, monkeypatch):
    """The same command resumes a run that did not finish: AllenNLP's --recover accepts its config."""
    monkeypatch.setitem(command.ROWS, "tiny", TINY)
    run = tmp_path / "run"
    command.run(arguments(tmp_path, row="tiny", serialization_dir=str(run)))
    first = json.loads((tmp_path / "results" / "tiny.json").read_text())
    (run / "model.tar.gz").unlink()
    (run / "metrics.json").unlink()
    command.run(arguments(tmp_path, row="tiny", serialization_dir=str(run)))
    again = json.loads((tmp_path / "results" / "tiny.json").read_text())
    assert (run / "model.tar.gz").exists()
    assert again["metrics"] == pytest.approx(first["metrics"])
    assert len(again["seeds"][0]["trained_at"]) == 2  # the first start and the resume


def test_a_run_of_another_config_is_refused_not_reported(tmp_path, monkeypatch):
    monkeypatch.setitem(command.ROWS, "tiny", TINY)
    run = tmp_path / "run"
    command.run(arguments(tmp_path, row="tiny", serialization_dir=str(run)))
    changed = Row(TINY.name, TINY.config, TINY.paper, TINY.variables, TINY.data,
                  {**TINY.overrides, "model.cost_weight": 0.0})
    monkeypatch.setitem(command.ROWS, "tiny", changed)
    written = (tmp_path / "results" / "tiny.json").read_text()
    with pytest.raises(ConfigurationError, match=r"model.cost_weight: 5 there, 0 now"):
        command.run(arguments(tmp_path, row="tiny", serialization_dir=str(run)))
    assert (tmp_path / "results" / "tiny.json").read_text() == written


def fake_result(name, tests, metric="test_f1", note="", dev_curve=(0.5, 0.6), ablation_of=None, target=None,
                baselines=None):
    """The content of a results file whose seeds scored `tests` (seed -> test score) on `metric`."""
    seeds = [{"seed": seed, "metrics": {metric: test}, "best_epoch": 1, "epochs_run": len(dev_curve),
              "training_duration": "0:01:00", "dev_curves": {metric.replace("test_", "validation_"): list(dev_curve)},
              "trained_at": ["abc"]} for seed, test in tests.items()]
    mean = sum(tests.values()) / len(tests)
    return {"row": name, "config": "c.jsonnet", "overrides": {}, "data": "d", "note": note, "metric": metric,
            "paper": {metric: 85.0}, "stopping": {}, "command": "cmd", "metrics": {metric: mean},
            "std": {metric: 0.0}, "seeds": seeds, "config_sha256": "0" * 64, "commit": "abc",
            "machine": {"cores": 2, "threads": 1, "gpu": None}, "ablation_of": ablation_of,
            "target": target or {}, "baselines": baselines or {}}


def report_of(tmp_path, results):
    (tmp_path / "results").mkdir()
    for result in results:
        (tmp_path / "results" / f"{result['row']}.json").write_text(json.dumps(result))
    command.run(arguments(tmp_path, report=True))
    return (tmp_path / "docs" / "results.md").read_text()


def test_the_report_has_an_ablation_table_on_dev(tmp_path):
    """Rows named BASE.VARIANT, then rows declaring `ablation_of: BASE`, are set against BASE on their best dev score."""
    text = report_of(tmp_path, [
        fake_result("base", {13: 0.62}, dev_curve=[0.5, 0.6]),
        fake_result("base.no_case", {13: 0.66}, note="words keep case", dev_curve=[0.55, 0.65]),
        fake_result("base.dropout0.5", {13: 0.6}, note="dropout 0.5", dev_curve=[0.6, 0.61]),
        fake_result("default", {13: 0.72}, note="all together", dev_curve=[0.7, 0.71], ablation_of="base"),
    ])
    assert "### Ablation: `base`" in text
    assert "| `base.no_case` | words keep case | 65.00 | +5.00 | 66.00 | 1 / 2 |" in text
    assert "| `base.dropout0.5` | dropout 0.5 | 61.00 | +1.00 | 60.00 | 1 / 2 |" in text  # a dot in the variant
    assert text.index("| `base.no_case` |") < text.index("| `default` | all together | 71.00 | +11.00 | 72.00 | 1 / 2 |")
    assert "### Ablation: `default`" not in text


def test_the_report_says_whether_each_target_is_met(tmp_path):
    text = report_of(tmp_path, [
        fake_result("dutch", {13: 0.7971}, target={"test_f1": 77.05}),
        fake_result("spanish", {13: 0.7924}, target={"test_f1": 81.39}),
        fake_result("relatedness", {13: 0.30}, metric="test_relatedness_mse", target={"test_relatedness_mse": 0.25}),
        fake_result("untargeted", {13: 0.5}),
    ])
    assert "| `dutch` | f1 | 85.00 | 79.71 | -5.29 | ≥ 77.05: met |" in text
    assert "| `spanish` | f1 | 85.00 | 79.24 | -5.76 | ≥ 81.39: short by 2.15 |" in text
    assert "| ≤ 0.250: short by 0.050 |" in text  # an error must stay below its target
    assert "| `untargeted` | f1 | 85.00 | 50.00 | -35.00 | — |" in text
    readme = (tmp_path / "README.md")
    readme.write_text(f"{README_START}\n{README_END}\n")
    command.run(arguments(tmp_path, report=True))
    assert "| ≥ 81.39: short by 2.15 | 1 / 2 | paper row |" in readme.read_text()


def test_the_readme_table_shows_every_targeted_metric_and_the_comparisons(tmp_path):
    joint = fake_result("joint", {13: 0.80}, metric="test_dependencies_las", target={"test_pos_accuracy": 95.0},
                        baselines={"test_pos_accuracy": "pos_alone"})
    joint["paper"].update({"test_pos_accuracy": 97.55, "test_chunk_f1": 95.77})
    joint["metrics"].update({"test_pos_accuracy": 0.9514, "test_chunk_f1": 0.915})
    joint["seeds"][0]["metrics"].update({"test_pos_accuracy": 0.9514, "test_chunk_f1": 0.915})
    readme = tmp_path / "README.md"
    readme.write_text(f"{README_START}\n{README_END}\n")
    report_of(tmp_path, [joint, fake_result("pos_alone", {13: 0.95, 14: 0.96}, metric="test_pos_accuracy")])
    text = readme.read_text()
    assert "|  | pos_accuracy | 97.55 | 95.14 | -2.41 | ≥ 95.00: met |" in text  # targeted, not the headline
    assert "| chunk_f1 |" not in text  # neither headline nor targeted: in docs/results.md only
    assert "### Comparisons" in text and "| `joint` | pos_accuracy | `pos_alone` | 95.14 |" in text


def test_the_report_pairs_each_row_with_its_baseline_seed_by_seed(tmp_path):
    text = report_of(tmp_path, [
        fake_result("alone", {13: 0.40, 14: 0.50, 15: 0.45}, metric="test_nl_ner_f1"),
        fake_result("joint", {13: 0.42, 14: 0.49, 15: 0.48}, metric="test_nl_ner_f1",
                    baselines={"test_nl_ner_f1": "alone"}),
        fake_result("other", {13: 0.5}, baselines={"test_f1": "not_run"}),
        fake_result("single", {13: 0.90, 14: 0.91, 15: 0.94}),
        fake_result("joint_one_seed", {13: 0.95}, baselines={"test_f1": "single"}),
        fake_result("lone", {13: 0.80}),
        fake_result("lone_joint", {13: 0.81}, baselines={"test_f1": "lone"}),
    ])
    comparisons = text[text.index("## Comparisons"):]
    # several paired seeds: the mean difference against the paired differences' spread
    assert ("| `joint` | nl_ner_f1 | `alone` | 46.33 ± 3.79 | 45.00 ± 5.00 | 13: +2.00, 14: -1.00, 15: +3.00 | "
            "+1.33 | this row ahead (ahead on 2 of 3 seeds; within the seeds' spread, std 2.08) |") in comparisons
    assert "| `other` | f1 | `not_run` | 50.00 | not run yet | — | — | no paired seed yet |" in comparisons
    # one paired seed: against the spread of the row with several seeds
    assert ("| `joint_one_seed` | f1 | `single` | 95.00 | 91.67 ± 2.08 | 13: +5.00 | +5.00 | "
            "this row ahead (ahead on 1 of 1 seeds; outside the seeds' spread, std 2.08) |") in comparisons
    assert "| +1.00 | this row ahead (ahead on 1 of 1 seeds; one seed each: spread not measured) |" in comparisons


def test_a_row_resolves_without_the_variables_it_does_not_declare(monkeypatch):
    """An exported JMT_EMBEDDINGS must not give English GloVe to a Dutch row (nor change a resumed run's config)."""
    from allennlp_jmt.reproduction.runner import pinned_environment, resolved_config

    monkeypatch.setenv("JMT_EMBEDDINGS", "/vectors.txt")
    monkeypatch.setenv("JMT_EMBEDDINGS_DIM", "50")
    monkeypatch.setenv("JMT_CONLL2002_DIR", "/data/conll2002")
    dutch = ROWS["hier_gru_crf.conll2002_nl"]
    with pinned_environment(dutch):
        config = resolved_config(dutch, 13)
    assert config["model"]["text_field_embedder"]["token_embedders"]["tokens"]["pretrained_file"] is None
    assert config["model"]["text_field_embedder"]["token_embedders"]["tokens"]["embedding_dim"] == 64
    assert config["train_data_path"] == "/data/conll2002/ned.train"
    assert os.environ["JMT_EMBEDDINGS"] == "/vectors.txt"  # restored
    chunking = ROWS["hier_gru_crf.conll2000"]
    with pinned_environment(chunking):
        config = resolved_config(chunking, 13)
    assert config["model"]["text_field_embedder"]["token_embedders"]["tokens"]["pretrained_file"] == "/vectors.txt"


def test_the_training_time_of_a_resumed_run_adds_every_process():
    from allennlp_jmt.reproduction.runner import seconds, total_training_seconds

    assert seconds("1:02:03.5") == 3723.5
    # Epochs 0-2 in the first process, 3-4 after a resume (AllenNLP's clock restarts).
    assert total_training_seconds([60.0, 120.0, 180.0, 50.0, 100.0]) == 280.0
    assert total_training_seconds([60.0, 120.0]) == 120.0
