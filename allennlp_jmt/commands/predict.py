"""
``allennlp jmt-predict``: ``allennlp predict`` for JSON lines that names the file and line of a bad
input line, writes every earlier line's output first, and can skip bad lines instead.
"""
import argparse
import codecs
import logging
import sys
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from typing import BinaryIO, ContextManager, Iterator, List, Optional, TextIO, Tuple

from allennlp.commands.predict import Predict
from allennlp.commands.subcommand import Subcommand
from allennlp.common import logging as common_logging
from allennlp.common.checks import ConfigurationError
from allennlp.common.file_utils import open_compressed
from allennlp.common.util import JsonDict
from allennlp.predictors import Predictor

from allennlp_jmt import upstream
from allennlp_jmt.data.data_format_error import DataFormatError
from allennlp_jmt.predictors.sentence_predictor import InputLineError, check_json_object

logger = logging.getLogger(__name__)

STDIN = "-"
DESCRIPTION = (
    "Run the specified model against a JSON-lines input file, as `allennlp predict` does, but a bad "
    "line is an error that names its file and line number (blank lines counted), raised after the "
    "outputs of every earlier line are written; --skip-bad-lines skips such lines instead."
)
HELP = "Use a trained model to predict JSON lines, naming the line of bad input."


@Subcommand.register("jmt-predict")
class JsonLinesPredict(Predict):
    """
    ``allennlp jmt-predict ARCHIVE INPUT.jsonl [--output-file OUT] [--batch-size N] [--skip-bad-lines]``:
    ``allennlp predict`` with the same arguments (AllenNLP's own definitions), for JSON-lines
    input, but with line-accurate errors. The command reads the input itself and counts every
    physical line, blank ones included (they are skipped, as by ``allennlp predict``). A line
    is bad when it is not UTF-8, not valid JSON, valid JSON but not an object (a list, a
    string, a number), or an object that the predictor refuses (a `ValueError` of its
    `predict_json`, e.g. for a missing ``"tokens"``/``"sentence"`` key; a batch it refuses is
    predicted again line by line to find the line). A bad line raises a `DataFormatError` such as
    ``input.jsonl:3: a JSON list (expected a JSON object such as {"sentence": "..."} or
    {"tokens": [...]})``, once the outputs of every earlier line are written (the pending
    batch is predicted first). With ``--skip-bad-lines``, each bad line is logged and skipped,
    the other lines are predicted in their order, and the end of the run logs how many lines
    were skipped and which. A leading UTF-8 byte-order mark is dropped. Lines are batched by
    ``--batch-size``; outputs keep the order of the input.

    With ``--use-dataset-reader`` the dataset reader reads the input, not JSON lines: the
    command then runs ``allennlp predict`` itself (the project's readers report bad lines with
    their numbers already), and ``--skip-bad-lines`` is refused.

    Registered as a `Subcommand` with name "jmt-predict".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        subparser = super().add_subparser(_SubparsersWithOwnText(parser))
        subparser.add_argument(
            "--skip-bad-lines", action="store_true",
            help="skip bad input lines (each logged), predict the others, and log at the end which were skipped",
        )
        subparser.set_defaults(func=run)
        return subparser


class _SubparsersWithOwnText:
    """
    Stands for ``allennlp``'s subparsers while AllenNLP's `Predict` adds its arguments, so that
    the parser gets this command's description and help instead of ``allennlp predict``'s.
    """

    def __init__(self, subparsers: argparse._SubParsersAction) -> None:
        self.subparsers = subparsers

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self.subparsers.add_parser(name, **{**kwargs, "description": DESCRIPTION, "help": HELP})


def run(args: argparse.Namespace) -> None:
    if args.use_dataset_reader:
        if args.skip_bad_lines:
            raise ConfigurationError(
                "--skip-bad-lines is for JSON-lines input; with --use-dataset-reader the dataset reader "
                "reads the file and reports its bad lines itself"
            )
        upstream.allennlp_predict(args)
        return
    if args.multitask_head is not None:
        raise ConfigurationError(
            "--multitask-head chooses a task of a multitask dataset reader: it needs --use-dataset-reader"
        )
    if args.batch_size < 1:
        raise ConfigurationError(f"--batch-size must be at least 1, not {args.batch_size}")
    if args.silent and not args.output_file:
        print("--silent specified without --output-file.")
        print("Exiting early because no output will be created.")
        return
    common_logging.FILE_FRIENDLY_LOGGING = args.file_friendly_logging
    predictor = upstream.predictor_from_arguments(args)
    skipped = predict_json_lines(
        predictor, args.input_file, args.output_file, args.batch_size,
        print_to_console=not args.silent, skip_bad_lines=args.skip_bad_lines,
    )
    if skipped:
        numbers = ", ".join(str(bad_line.line) for bad_line in skipped)
        path = _shown_path(args.input_file)
        logger.warning("skipped %d bad line(s) of %s: line(s) %s", len(skipped), path, numbers)


def predict_json_lines(
    predictor: Predictor,
    input_file: str,
    output_file: Optional[str] = None,
    batch_size: int = 1,
    print_to_console: bool = False,
    skip_bad_lines: bool = False,
) -> List[DataFormatError]:
    """
    Predicts every JSON line of `input_file` (a path, a URL, a compressed file, or ``"-"``
    for stdin), `batch_size` lines at a time, writing each output by `predictor.dump_line` to
    `output_file` (if given) and to stdout (if `print_to_console`), in input order. Returns the
    bad lines skipped (with `skip_bad_lines`); without it, the first bad line raises its
    `DataFormatError` after the outputs of all earlier lines are written.
    """
    with ExitStack() as stack:
        output = None if output_file is None else stack.enter_context(open(output_file, "w", encoding="utf-8"))
        prediction = LinePrediction(predictor, _shown_path(input_file), output, print_to_console, skip_bad_lines)
        batch: List[InputLine] = []
        for number, raw_line in numbered_lines(stack.enter_context(_open_binary(input_file))):
            try:
                text = raw_line.decode("utf-8")
                if not text.strip():
                    continue
                batch.append(InputLine(number, text, _json_object(predictor, text)))
            except ValueError as error:
                prediction.predict(batch)  # the earlier lines first, whatever happens to this one
                batch = []
                prediction.bad_line(number, error)
                continue
            if len(batch) == batch_size:
                prediction.predict(batch)
                batch = []
        prediction.predict(batch)
    return prediction.skipped


def numbered_lines(stream: BinaryIO) -> Iterator[Tuple[int, bytes]]:
    """
    Every physical line of `stream` (split at ``\\n``, blank ones too) with its 1-based number;
    a leading UTF-8 byte-order mark dropped.
    """
    for number, line in enumerate(stream, start=1):
        yield number, line.removeprefix(codecs.BOM_UTF8) if number == 1 else line


@dataclass
class InputLine:
    """A non-blank input line: its number, its text, and the JSON object the predictor read from it."""

    number: int
    text: str
    json_dict: JsonDict


class LinePrediction:
    """
    Predicts batches of input lines through the predictor's own JSON methods (`predict_json`
    for one line, as ``allennlp predict`` does, else `predict_batch_json`), so that a predictor
    that builds several instances from a line keeps doing so, and writes the outputs in order.
    A batch that the predictor refuses (a `ValueError`) is predicted again line by line to find
    the refused line(s). A bad line raises its `DataFormatError`, or is logged and kept in
    `skipped` when `skip_bad_lines`.
    """

    def __init__(
        self,
        predictor: Predictor,
        path: str,
        output: Optional[TextIO],
        print_to_console: bool,
        skip_bad_lines: bool,
    ) -> None:
        self.predictor = predictor
        self.path = path
        self.output = output
        self.print_to_console = print_to_console
        self.skip_bad_lines = skip_bad_lines
        self.skipped: List[DataFormatError] = []

    def predict(self, batch: List[InputLine]) -> None:
        if not batch:
            return
        inputs = [line.json_dict for line in batch]
        try:
            results = [self.predictor.predict_json(inputs[0])] if len(batch) == 1 \
                else self.predictor.predict_batch_json(inputs)
        except ValueError as error:
            if len(batch) == 1:
                self.bad_line(batch[0].number, error)
            else:
                for line in batch:
                    self.predict([line])
            return
        self._write(batch, results)

    def bad_line(self, number: int, error: ValueError) -> None:
        bad_line = _bad_line(self.path, number, error)
        if not self.skip_bad_lines:
            raise bad_line from None
        logger.warning("skipping %s", bad_line)
        self.skipped.append(bad_line)

    def _write(self, batch: List[InputLine], results: List[JsonDict]) -> None:
        for line, result in zip(batch, results):
            prediction = self.predictor.dump_line(result)
            if self.print_to_console:
                print(f"input line {line.number}: ", line.text.strip())
                print("prediction: ", prediction)
            if self.output is not None:
                self.output.write(prediction)
        if self.output is not None:
            self.output.flush()


def _open_binary(input_file: str) -> ContextManager[BinaryIO]:
    """`input_file` opened for reading bytes; stdin for ``"-"`` (left open after)."""
    if input_file == STDIN:
        return nullcontext(sys.stdin.buffer)
    return open_compressed(input_file, "rb", encoding=None)


def _shown_path(input_file: str) -> str:
    return "<stdin>" if input_file == STDIN else input_file


def _json_object(predictor: Predictor, text: str) -> JsonDict:
    """The JSON object of one non-blank line, by the predictor's `load_line`; a `ValueError` if it is none."""
    json_dict = predictor.load_line(text)
    check_json_object(json_dict, text)
    return json_dict


def _bad_line(path: str, number: int, error: ValueError) -> DataFormatError:
    """The error that names the file and line of a bad input line, from what was wrong with it."""
    if isinstance(error, InputLineError):
        return DataFormatError(path, number, error.problem, error.expected)
    if isinstance(error, UnicodeDecodeError):
        return DataFormatError(path, number, f"byte {error.object[error.start]:#04x} at byte {error.start + 1} "
                                             "of the line is not valid UTF-8", "UTF-8 text")
    return DataFormatError(path, number, f"refused by the predictor: {error}")
