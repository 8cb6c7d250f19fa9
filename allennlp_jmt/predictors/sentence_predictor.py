"""
The base of the plugin's predictors: raw text split offline, empty sentences kept from the model,
and JSON-lines input that is checked with clear messages.
"""
import copy
import json
from typing import Any, Collection, List, Optional, Sequence

import torch
from allennlp.common.util import JsonDict, sanitize
from allennlp.data import DatasetReader, Instance
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer

BYTE_ORDER_MARK = "\ufeff"
ONE_OBJECT_A_LINE = "one JSON object a line"
A_SENTENCE_OBJECT = 'a JSON object such as {"sentence": "..."} or {"tokens": [...]}'
QUOTED_LENGTH = 60  # characters of a bad line that a message quotes


class InputLineError(ValueError):
    """
    A JSON-lines input line that is not one JSON object. The message says what the line is,
    what was expected, and quotes the line's beginning: `Predictor.load_line` (through which
    ``allennlp predict`` reads each line) is not told the line's number, so the message points
    to ``allennlp jmt-predict``, which names it. That command builds its own message, with the
    file and line number, from `problem` and `expected`.

    # Parameters

    line : `str`
        The line as read.
    problem : `str`
        What the line is, e.g. ``"a JSON list"``.
    expected : `str`
        What a line should be.
    """

    def __init__(self, line: str, problem: str, expected: str) -> None:
        self.problem = problem
        self.expected = expected
        beginning = line.strip()[:QUOTED_LENGTH]
        super().__init__(
            f"{problem} (expected {expected}) in the input line that begins {beginning!r}; allennlp predict "
            "does not tell its line number: `allennlp jmt-predict` names it, and skips such lines "
            "with --skip-bad-lines"
        )


def json_object_of_line(line: str) -> JsonDict:
    """
    The JSON object of one input line, a leading byte-order mark dropped. Raises an
    `InputLineError` for a line that is not valid JSON, or is JSON but not an object.
    """
    line = line.removeprefix(BYTE_ORDER_MARK)
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        message = error.msg.removesuffix(" at")  # "Invalid control character at"
        problem = f"not valid JSON: {message} at column {error.colno}"
        raise InputLineError(line, problem, ONE_OBJECT_A_LINE) from None
    check_json_object(value, line)
    return value


def check_json_object(value: Any, line: str) -> None:
    """Raises an `InputLineError` naming what `value`, read from `line`, is when it is not a JSON object."""
    if not isinstance(value, dict):
        raise InputLineError(line, json_kind(value), A_SENTENCE_OBJECT)


def json_kind(value: Any) -> str:
    """What a decoded JSON value is, in words: ``"a JSON list"``, ``"JSON null"``, ..."""
    if value is None:
        return "JSON null"
    if isinstance(value, bool):
        return f"JSON {json.dumps(value)}"
    kinds = {dict: "a JSON object", list: "a JSON list", str: "a JSON string", int: "a JSON number",
             float: "a JSON number"}
    return kinds[type(value)]


class SentencePredictor(Predictor):
    """
    A predictor of sentences for a model that cannot run an empty one (a recurrent encoder over
    no word, a CRF over no tag): `predict_non_empty` runs the model on a batch's non-empty
    sentences only, gives each empty one a given empty output, and returns the outputs in the
    order of the inputs. One instance is predicted as a batch of one, so that a subclass writes
    its output once, in `predict_batch_instance`. Raw text is split by spaCy's blank tokenizer
    for `language` (no model, no network), `tokenizer`.

    Each JSON line must be one JSON object (`load_line`): a line that is not valid JSON, or is
    a list, a string or a number, is an `InputLineError` that says so; a leading byte-order
    mark is dropped.

    Not registered: the base of ``jmt_tagger``, ``jmt_joint_tagger`` and ``jmt``.

    # Parameters

    model : `Model`
    dataset_reader : `DatasetReader`
    language : `str`, optional (default=`"en"`)
        The spaCy language whose blank tokenizer splits raw text.
    """

    def __init__(self, model: Model, dataset_reader: DatasetReader, language: str = "en") -> None:
        super().__init__(model, dataset_reader)
        self.tokenizer = BlankSpacyTokenizer(language)

    def load_line(self, line: str) -> JsonDict:
        return json_object_of_line(line)

    def predict_instance(self, instance: Instance) -> JsonDict:
        return self.predict_batch_instance([instance])[0]

    def predict_non_empty(
        self,
        instances: Sequence[Instance],
        empty_output: JsonDict,
        text_field: str = "tokens",
        output_keys: Optional[Collection[str]] = None,
    ) -> List[JsonDict]:
        """
        The outputs of `instances`, in their order: the model's (made readable and sanitized,
        as `Predictor.predict_batch_instance` makes them, and only their `output_keys` if given),
        run as one batch on the instances with words in their `text_field`; a copy of
        `empty_output` for the others (an empty `text_field`, or none).

        The model runs in `torch.inference_mode` (AllenNLP runs it in `torch.no_grad`), and
        outputs left out of `output_keys` are never sanitized: the ``logits`` of a tagger, for
        one, would become a list of lists of floats per sentence, which costs more than its CRF
        decoding.
        """
        non_empty = [instance for instance in instances if has_words(instance, text_field)]
        outputs = iter(self._predict_instances(non_empty, output_keys) if non_empty else [])
        return [next(outputs) if has_words(instance, text_field) else copy.deepcopy(empty_output)
                for instance in instances]

    def _predict_instances(
        self, instances: List[Instance], output_keys: Optional[Collection[str]]
    ) -> List[JsonDict]:
        """`Predictor.predict_batch_instance` in inference mode, keeping the `output_keys` only (all if `None`)."""
        for instance in instances:
            self._dataset_reader.apply_token_indexers(instance)
        with torch.inference_mode():
            outputs = self._model.forward_on_instances(instances)
        if output_keys is not None:
            outputs = [{key: value for key, value in output.items() if key in output_keys} for output in outputs]
        return sanitize(outputs)


def has_words(instance: Instance, text_field: str) -> bool:
    """Whether `instance` has a `text_field` with at least one word."""
    return text_field in instance.fields and len(instance[text_field]) > 0
