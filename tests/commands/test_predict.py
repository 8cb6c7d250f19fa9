"""`allennlp jmt-predict`: bad input lines named by file and line, earlier outputs kept, --skip-bad-lines."""
import argparse
import codecs
import io
import json
import re
import sys

import pytest
from allennlp.common.checks import ConfigurationError
from allennlp.models.archival import load_archive
from allennlp.predictors import Predictor

from allennlp_jmt import upstream
from allennlp_jmt.commands.predict import JsonLinesPredict, numbered_lines, predict_json_lines, run
from allennlp_jmt.data import DataFormatError
from tests.cli import allennlp
from tests.conftest import FIXTURES, ROOT

TAGGER = str(ROOT / "fixtures" / "archives" / "tagger.tar.gz")
JMT = str(ROOT / "fixtures" / "archives" / "jmt.tar.gz")
JOINT = str(ROOT / "fixtures" / "archives" / "joint.tar.gz")
GOOD = [
    {"tokens": ["Confidence", "in", "the", "pound", "is", "widely", "expected", "to", "take", "another", "dive"]},
    {"sentence": "He reckons the current account deficit will narrow to only 1.8 billion in September."},
    {"tokens": ["The", "dog", "barks", "."]},
    {"sentence": "Rockwell International Corp. signed a tentative agreement."},
]
BAD_JSON = '{"sentence": "a" "b"}'  # Expecting ',' delimiter
LIST = '["a", "b"]'
REFUSED = '{"text": "no tokens and no sentence"}'


@pytest.fixture(scope="module")
def tagger() -> Predictor:
    return Predictor.from_archive(load_archive(TAGGER), "jmt_tagger")


@pytest.fixture(scope="module")
def expected(tagger):
    """The outputs of the good lines, predicted one by one."""
    return [tagger.dump_line(tagger.predict_json(line)) for line in GOOD]


def jsonl(path, *lines: str, prefix: bytes = b"") -> str:
    path.write_bytes(prefix + "".join(line + "\n" for line in lines).encode("utf-8"))
    return str(path)


def good(index: int) -> str:
    return json.dumps(GOOD[index])


def test_a_bad_line_after_blank_lines_is_named_and_earlier_outputs_are_written(tmp_path, expected):
    # lines: 1 good, 2 blank, 3 good, 4-6 blank, 7 bad, 8 good
    path = jsonl(tmp_path / "input.jsonl", good(0), "", good(1), "", "  ", "", BAD_JSON, good(2))
    output = tmp_path / "output.jsonl"
    predicted = allennlp("jmt-predict", TAGGER, path, "--output-file", str(output), "--batch-size", "64",
                         "--silent")
    assert predicted.returncode != 0
    problem = "not valid JSON: Expecting ',' delimiter at column 18"
    assert f"input.jsonl:7: {problem} (expected one JSON object a line)" in predicted.stderr
    assert output.read_text() == expected[0] + expected[1]  # batched, yet written before the error


def test_skip_bad_lines_writes_every_good_output_in_order_and_names_the_skipped(tmp_path, expected):
    path = jsonl(tmp_path / "input.jsonl", good(0), "", BAD_JSON, good(1), LIST, good(2), REFUSED, "", good(3))
    output = tmp_path / "output.jsonl"
    predicted = allennlp("jmt-predict", TAGGER, path, "--output-file", str(output), "--batch-size", "2",
                         "--silent", "--skip-bad-lines")
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    assert output.read_text() == "".join(expected)
    assert "skipped 3 bad line(s) of " + path + ": line(s) 3, 5, 7" in predicted.stderr
    assert "input.jsonl:5: a JSON list" in predicted.stderr
    assert "input.jsonl:7: refused by the predictor: an input needs \"tokens\"" in predicted.stderr


def test_a_json_list_is_reported_as_such(tmp_path, tagger):
    path = jsonl(tmp_path / "input.jsonl", good(0), "", LIST)
    expected = 'a JSON object such as {"sentence": "..."} or {"tokens": [...]}'
    message = re.escape(f"input.jsonl:3: a JSON list (expected {expected})")
    with pytest.raises(DataFormatError, match=message) as error:
        predict_json_lines(tagger, path)
    assert error.value.line == 3


@pytest.mark.parametrize("line, problem", [
    ("3", "a JSON number"), ('"a sentence"', "a JSON string"), ("null", "JSON null"),
    ('{"tokens": "a b"}', 'refused by the predictor: "tokens" must be a list of strings'),
])
def test_other_bad_lines_say_what_they_are(tmp_path, tagger, line, problem):
    with pytest.raises(DataFormatError, match=f"input.jsonl:2: {problem}"):
        predict_json_lines(tagger, jsonl(tmp_path / "input.jsonl", good(0), line))


def test_a_line_that_is_not_utf8_is_a_bad_line(tmp_path, tagger, expected):
    path = tmp_path / "input.jsonl"
    path.write_bytes(b'{"sentence": "a\xf1o"}\n' + good(0).encode() + b"\n")
    output = tmp_path / "output.jsonl"
    skipped = predict_json_lines(tagger, str(path), str(output), skip_bad_lines=True)
    assert [str(bad_line) for bad_line in skipped] == [
        f"{path}:1: byte 0xf1 at byte 16 of the line is not valid UTF-8 (expected UTF-8 text)"]
    assert output.read_text() == expected[0]


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_any_batch_size_gives_the_outputs_of_one_by_one_prediction(tmp_path, tagger, expected, batch_size):
    path = jsonl(tmp_path / "input.jsonl", *(good(i) for i in range(4)), REFUSED, good(0))
    output = tmp_path / "output.jsonl"
    skipped = predict_json_lines(tagger, path, str(output), batch_size, skip_bad_lines=True)
    assert [bad_line.line for bad_line in skipped] == [5]
    assert output.read_text() == "".join(expected) + expected[0]


def test_a_byte_order_mark_before_the_first_line_is_dropped(tmp_path, tagger, expected):
    without_mark, with_mark = tmp_path / "plain.jsonl", tmp_path / "bom.jsonl"
    predict_json_lines(tagger, jsonl(tmp_path / "a.jsonl", good(0), good(1)), str(without_mark))
    marked_input = jsonl(tmp_path / "b.jsonl", good(0), good(1), prefix=codecs.BOM_UTF8)
    predict_json_lines(tagger, marked_input, str(with_mark))
    assert with_mark.read_text() == without_mark.read_text() == expected[0] + expected[1]


def test_stdin_is_read_and_named(monkeypatch, tagger, expected, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"{good(0)}\n{LIST}\n".encode())))
    with pytest.raises(DataFormatError, match="<stdin>:2: a JSON list"):
        predict_json_lines(tagger, "-", print_to_console=True)
    assert capsys.readouterr().out.endswith("prediction:  " + expected[0] + "\n")


def test_every_physical_line_is_counted(tmp_path):
    path = tmp_path / "lines"
    path.write_bytes(b"\xef\xbb\xbfa\n\n \r\nb")
    with open(path, "rb") as stream:
        assert list(numbered_lines(stream)) == [(1, b"a\n"), (2, b"\n"), (3, b" \r\n"), (4, b"b")]


def test_jmt_sentences_and_pairs_with_a_bad_line(tmp_path):
    predictor = Predictor.from_archive(load_archive(JMT), "jmt")
    sentence, pair = GOOD[2], {"premise": "A man plays a guitar.", "hypothesis": "A man plays."}
    path = jsonl(tmp_path / "input.jsonl", json.dumps(sentence), '{"premise": "only one side"}', json.dumps(pair))
    output = tmp_path / "output.jsonl"
    skipped = predict_json_lines(predictor, path, str(output), batch_size=8, skip_bad_lines=True)
    assert [bad_line.line for bad_line in skipped] == [2]
    assert "a sentence pair needs" in skipped[0].problem
    expected = [predictor.dump_line(output) for output in predictor.predict_batch_json([sentence, pair])]
    assert output.read_text() == "".join(expected)


def test_a_predictor_with_its_own_json_batching_keeps_it(tmp_path):
    """The joint tagger tags a line without "task" with every task, in `predict_batch_json` (not one instance)."""
    predictor = Predictor.from_archive(load_archive(JOINT), "jmt_joint_tagger")
    lines = [{"sentence": "EU rejects German call to boycott British lamb."},
             {"tokens": ["Peter", "lives", "in", "Brussels", "."], "task": "en_ner"}]
    path = jsonl(tmp_path / "input.jsonl", json.dumps(lines[0]), '{"sentence": "x", "task": "nothing"}',
                 json.dumps(lines[1]))
    output = tmp_path / "output.jsonl"
    skipped = predict_json_lines(predictor, path, str(output), batch_size=3, skip_bad_lines=True)
    assert [(bad_line.line, bad_line.problem) for bad_line in skipped] == [
        (2, "refused by the predictor: unknown task 'nothing': this model's tasks are ['en_chunk', 'en_ner']")]
    outputs = predictor.predict_batch_json([dict(line) for line in lines])
    expected = [predictor.dump_line(output) for output in outputs]
    assert output.read_text() == "".join(expected)
    assert "en_chunk_tags" in json.loads(expected[0]) and "en_ner_tags" in json.loads(expected[0])


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    JsonLinesPredict().add_subparser(parser.add_subparsers())
    return parser.parse_args(["jmt-predict", *argv])


def test_it_takes_allennlp_predicts_arguments_and_its_own():
    args = parse(TAGGER, "input.jsonl", "--batch-size", "8", "--cuda-device", "-1", "--predictor", "jmt_tagger",
                 "--predictor-args", "{}", "--skip-bad-lines", "--silent", "--output-file", "out.jsonl")
    assert (args.batch_size, args.predictor, args.skip_bad_lines, args.func) == (8, "jmt_tagger", True, run)
    assert upstream.predictor_from_arguments(args).__class__.__name__ == "TaggerPredictor"
    assert parse(TAGGER, "input.jsonl").skip_bad_lines is False


@pytest.mark.parametrize("argv, message", [
    (("--use-dataset-reader", "--skip-bad-lines"), "--skip-bad-lines is for JSON-lines input"),
    (("--multitask-head", "chunk"), "--multitask-head .* needs --use-dataset-reader"),
    (("--batch-size", "0"), "--batch-size must be at least 1"),
])
def test_arguments_that_cannot_work_are_refused(argv, message):
    with pytest.raises(ConfigurationError, match=message):
        run(parse(TAGGER, "input.jsonl", *argv))


def test_the_dataset_reader_path_is_allennlps_predict(tmp_path):
    output = tmp_path / "output.jsonl"
    predicted = allennlp("jmt-predict", TAGGER, str(FIXTURES / "conll2000" / "test.txt"), "--use-dataset-reader",
                         "--output-file", str(output), "--silent")
    assert predicted.returncode == 0, predicted.stderr[-3000:]
    outputs = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(outputs) == 8 and outputs[0]["words"][:2] == ["Rockwell", "International"]
    assert all(len(each["gold_tags"]) == len(each["tags"]) for each in outputs)
