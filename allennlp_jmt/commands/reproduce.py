"""``allennlp jmt-reproduce``: run a paper row with one command, list the rows, regenerate the report."""
import argparse
import os

from allennlp.commands.subcommand import Subcommand
from allennlp.common.checks import ConfigurationError

from allennlp_jmt.reproduction.rows import ALLENNLP_SEEDS, ROWS
from allennlp_jmt.reproduction.runner import ROOT, missing_variables, reproduce


@Subcommand.register("jmt-reproduce")
class Reproduce(Subcommand):
    """
    ``allennlp jmt-reproduce ROW -s DIR [--seeds 13,14,15]`` trains a row of the registry
    (`allennlp_jmt.reproduction.rows`), resuming a killed run in DIR with ``--recover``, scores
    the dev-selected weights on test and writes ``results/ROW.json``. ``--list`` lists every row
    and whether its data variables are set; ``--report`` regenerates ``docs/results.md`` and its
    plots from ``results/*.json`` alone, and the summary table of ``README.md``.

    Registered as a `Subcommand` with name "jmt-reproduce".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = "Train a paper row, score it on test and record it in results/ROW.json; list rows; write the report."
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("row", nargs="?", help="a row's name (see --list)")
        subparser.add_argument("-s", "--serialization-dir", help="the run's directory (kept outside the repository; "
                               "running again resumes it)")
        subparser.add_argument("--seeds", default="13", help="comma-separated seeds (default 13); several seeds train "
                               "in DIR/seed_N each and results hold each seed, their mean and standard deviation")
        subparser.add_argument("--list", action="store_true", help="list every row, available or not")
        subparser.add_argument("--report", action="store_true", help="regenerate docs/results.md and plots from results/")
        subparser.add_argument("--results-dir", default=os.path.join(ROOT, "results"), help="default: results/")
        subparser.add_argument("--docs-dir", default=os.path.join(ROOT, "docs"), help="default: docs/")
        subparser.add_argument("--readme", default=os.path.join(ROOT, "README.md"),
                               help="the README whose results table --report rewrites (default: README.md)")
        subparser.set_defaults(func=run)
        return subparser


def run(args: argparse.Namespace) -> None:
    if args.list:
        print(list_rows())
    if args.row:
        if args.row not in ROWS:
            raise ConfigurationError(f"no row named {args.row!r}; `allennlp jmt-reproduce --list` lists them")
        if not args.serialization_dir:
            raise ConfigurationError("give the run's directory with -s DIR")
        seeds = [int(seed) for seed in args.seeds.split(",")]
        result = reproduce(ROWS[args.row], args.serialization_dir, seeds, args.results_dir)
        print(f"{args.row}: " + ", ".join(f"{key} {value:.4f}" for key, value in result["metrics"].items()))
    if args.report:
        from allennlp_jmt.reproduction.report import write_report
        print(f"wrote {write_report(args.results_dir, args.docs_dir, args.readme)}")
    if not (args.list or args.row or args.report):
        raise ConfigurationError("give a ROW to run, --list or --report")


def list_rows() -> str:
    lines = [f"Every row sets AllenNLP's {', '.join(ALLENNLP_SEEDS)} from --seeds; rows that sample data set "
             "their sampling seeds too (listed). Stopping: the row's epoch cap, or `patience` epochs without a "
             "better dev score.", ""]
    for row in ROWS.values():
        missing = missing_variables(row)
        status = "available" if not missing else "unavailable: set " + ", ".join(missing)
        paper = row.paper[row.metric]
        lines.append(f"{row.name}  [{status}]")
        lines.append(f"    config {row.config}; {row.metric} (paper {paper if paper is not None else '-'}); "
                     f"epochs <= {row.overrides.get('trainer.num_epochs')}, patience {row.overrides.get('trainer.patience')}")
        lines.append(f"    data: {row.data}" + (f"; {row.note}" if row.note else ""))
        if row.seed_keys:
            lines.append(f"    sampling seeds: {', '.join(row.seed_keys)}")
    return "\n".join(lines)
