"""``allennlp jmt-data-summary SPEC``: what the plugin's readers load from a set of corpora."""
import argparse
import logging

from allennlp.commands.subcommand import Subcommand
from allennlp.common import Params
from allennlp.data import DatasetReader

from allennlp_jmt.data.corpus_summary import summarize

logger = logging.getLogger(__name__)


@Subcommand.register("jmt-data-summary")
class DataSummary(Subcommand):
    """
    Reads every data set that a spec file names and prints its counts. The spec is Jsonnet:
    ``{"datasets": {NAME: {"dataset_reader": {...}, "data_path": PATH}, ...}}``. AllenNLP finds
    this subcommand through the ``.allennlp_plugins`` file in the working directory.

    Registered as a `Subcommand` with name "jmt-data-summary".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = "Print what the plugin's dataset readers load from the data sets of a spec file."
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("spec", type=str, help="Jsonnet file: {datasets: {name: {dataset_reader, data_path}}}")
        subparser.add_argument("-o", "--overrides", type=str, default="",
                               help="a JSON(NET) structure overriding fields of the spec")
        subparser.set_defaults(func=run)
        return subparser


def run(args: argparse.Namespace) -> None:
    logging.getLogger().setLevel(logging.WARNING)  # the counts, not every parameter read
    datasets = Params.from_file(args.spec, args.overrides).pop("datasets")
    for name in list(datasets.keys()):
        spec = datasets.pop(name)
        data_path = spec.pop("data_path")
        reader = DatasetReader.from_params(spec.pop("dataset_reader"))
        spec.assert_empty(name)
        summary = summarize(reader, data_path, progress=True)
        print(f"\n== {name}: {data_path}")
        print("   " + summary.describe().replace("\n", "\n   "))
