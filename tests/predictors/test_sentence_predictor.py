"""
The predictors' base: the model runs on the non-empty sentences only, in one batch; the order is
kept; a bad JSON line is a clear error.
"""
import pytest
import torch
from allennlp.data import DatasetReader, Instance, Token, Vocabulary
from allennlp.data.fields import TextField
from allennlp.models import Model

from allennlp_jmt.predictors.sentence_predictor import InputLineError, SentencePredictor, has_words


class RecordingModel(Model):
    """Answers each sentence with its words, and records the batches it is given."""

    def __init__(self):
        super().__init__(Vocabulary())
        self.weight = torch.nn.Parameter(torch.zeros(1))  # a predictor reads its device from a parameter
        self.batches = []

    def forward_on_instances(self, instances):
        self.batches.append([[token.text for token in instance["tokens"]] for instance in instances])
        return [{"words": words} for words in self.batches[-1]]


def sentence(*words):
    return Instance({"tokens": TextField([Token(word) for word in words])})


def test_empty_sentences_skip_the_model_and_keep_their_place():
    model = RecordingModel()
    predictor = SentencePredictor(model, DatasetReader())
    empty_output = {"words": [], "tags": []}
    instances = [sentence(), sentence("a", "b"), sentence(), sentence("c")]
    outputs = predictor.predict_non_empty(instances, empty_output)
    assert model.batches == [[["a", "b"], ["c"]]]  # one batch, of the non-empty ones
    assert outputs == [empty_output, {"words": ["a", "b"]}, empty_output, {"words": ["c"]}]
    outputs[0]["tags"].append("changed")
    assert outputs[2] == empty_output == {"words": [], "tags": []}  # each empty output is its own copy


def test_only_empty_sentences_never_run_the_model():
    model = RecordingModel()
    outputs = SentencePredictor(model, DatasetReader()).predict_non_empty([sentence(), sentence()], {})
    assert outputs == [{}, {}] and model.batches == []


def test_words_are_looked_for_in_the_named_field():
    pair = Instance({"premise": TextField([Token("a")]), "hypothesis": TextField([])})
    assert has_words(pair, "premise") and not has_words(pair, "hypothesis") and not has_words(pair, "tokens")


@pytest.mark.parametrize("line, problem, expected", [
    ('["a", "b"]', "a JSON list", 'a JSON object such as {"sentence": "..."} or {"tokens": [...]}'),
    ("3.5", "a JSON number", "a JSON object"),
    ('"The dog barks."', "a JSON string", "a JSON object"),
    ("false", "JSON false", "a JSON object"),
    ('{"sentence": "a\tb"}', "not valid JSON: Invalid control character at column 16", "one JSON object a line"),
    ('{"tokens": ["a" "b"]}', "not valid JSON: Expecting ',' delimiter at column 17", "one JSON object a line"),
])
def test_load_line_says_what_a_bad_line_is_quotes_it_and_points_to_jmt_predict(line, problem, expected):
    with pytest.raises(InputLineError) as error:
        SentencePredictor(RecordingModel(), DatasetReader()).load_line(line + "\n")
    assert error.value.problem == problem and error.value.expected.startswith(expected)
    message = str(error.value)
    assert message.startswith(f"{problem} (expected {error.value.expected})")
    assert repr(line[:60]) in message and "allennlp jmt-predict" in message


def test_load_line_quotes_only_the_beginning_of_a_long_line():
    line = '{"tokens": [' + ", ".join(['"word"'] * 100) + "]"  # no closing brace
    with pytest.raises(InputLineError) as error:
        SentencePredictor(RecordingModel(), DatasetReader()).load_line(line)
    assert repr(line[:60]) in str(error.value) and line[:61] not in str(error.value)


def test_load_line_drops_a_byte_order_mark():
    predictor = SentencePredictor(RecordingModel(), DatasetReader())
    assert predictor.load_line('\ufeff{"tokens": ["Confidence"]}\n') == {"tokens": ["Confidence"]}
