"""``allennlp jmt-plot``: training curves of a run, and Yang et al.'s t-SNE of character-GRU word vectors."""
import argparse
import json
import os
from typing import Dict, List

import numpy
import torch
from allennlp.commands.subcommand import Subcommand
from allennlp.common.checks import ConfigurationError
from allennlp.data import Batch
from allennlp.models.archival import load_archive

from allennlp_jmt.plotting import plot_curves, plot_points
from allennlp_jmt.reproduction.runner import epoch_metrics_files


@Subcommand.register("jmt-plot")
class Plot(Subcommand):
    """
    ``allennlp jmt-plot RUN_DIR [-o curves.png]`` draws a training run's curves from its
    ``metrics_epoch_*.json``: the training and dev loss, and every dev metric, per epoch.
    ``allennlp jmt-plot --char-tsne ARCHIVE WORDS_FILE [-o tsne.png]`` draws the t-SNE of the
    character-level word representations of a HierGRU-CRF archive for the words of WORDS_FILE
    (one a line): Yang et al. (2016)'s Figure 3.

    Registered as a `Subcommand` with name "jmt-plot".
    """

    def add_subparser(self, parser: argparse._SubParsersAction) -> argparse.ArgumentParser:
        description = "Plot a run's training curves, or the t-SNE of an archive's character-GRU word vectors."
        subparser = parser.add_parser(self.name, description=description, help=description)
        subparser.add_argument("run_dir", nargs="?", help="a serialization directory (training curves)")
        subparser.add_argument("--char-tsne", nargs=2, metavar=("ARCHIVE", "WORDS_FILE"),
                               help="an archive with a character encoder, and a file of words, one a line")
        subparser.add_argument("-o", "--output", help="the PNG to write (default: RUN_DIR/curves.png or tsne.png)")
        subparser.add_argument("--seed", type=int, default=13, help="t-SNE's seed (default 13)")
        subparser.set_defaults(func=run)
        return subparser


def run(args: argparse.Namespace) -> None:
    if args.char_tsne:
        archive, words_file = args.char_tsne
        output = args.output or "tsne.png"
        with open(words_file, encoding="utf-8") as handle:
            words = [line.strip() for line in handle if line.strip()]
        plot_character_tsne(archive, words, output, seed=args.seed)
    elif args.run_dir:
        output = args.output or os.path.join(args.run_dir, "curves.png")
        plot_training_curves(args.run_dir, output)
    else:
        raise ConfigurationError("give a RUN_DIR, or --char-tsne ARCHIVE WORDS_FILE")
    print(f"wrote {output}")


def training_curves(run_dir: str) -> Dict[str, List[float]]:
    """Every numeric ``training_*`` loss and ``validation_*`` value per epoch, from ``metrics_epoch_N.json``."""
    paths = epoch_metrics_files(run_dir)
    if not paths:
        raise ConfigurationError(f"{run_dir} holds no metrics_epoch_*.json: is it an allennlp train serialization dir?")
    curves: Dict[str, List[float]] = {}
    for path in paths:
        with open(path) as handle:
            metrics = json.load(handle)
        for key, value in metrics.items():
            wanted = key.startswith("validation_") or key == "training_loss"
            if wanted and not key.startswith("validation_reg") and isinstance(value, (int, float)):
                curves.setdefault(key, []).append(value)
    return curves


def plot_training_curves(run_dir: str, output: str) -> None:
    curves = training_curves(run_dir)
    losses = {key: values for key, values in curves.items() if key.endswith("loss")}
    scores = {key.replace("validation_", "dev "): values for key, values in curves.items() if not key.endswith("loss")}
    plot_curves(scores, output, f"{os.path.basename(os.path.abspath(run_dir))}: dev metrics per epoch",
                second_axis=losses, second_label="loss")


def character_vectors(archive_file: str, words: List[str]) -> numpy.ndarray:
    """The archive's character-level encoding (the ``token_characters`` embedder) of each word, (words, dim)."""
    archive = load_archive(archive_file)
    model, reader = archive.model, archive.dataset_reader
    embedder = getattr(model.text_field_embedder, "token_embedder_token_characters", None)
    if embedder is None:
        raise ConfigurationError(f"{archive_file}: the model has no token_characters embedder to plot")
    instance = reader.text_to_instance(words)
    reader.apply_token_indexers(instance)
    batch = Batch([instance])
    batch.index_instances(model.vocab)
    characters = batch.as_tensor_dict()["tokens"]["token_characters"]["token_characters"]
    model.eval()
    with torch.inference_mode():
        return embedder(characters)[0].numpy()


def plot_character_tsne(archive_file: str, words: List[str], output: str, seed: int = 13) -> None:
    from sklearn.manifold import TSNE

    if len(words) < 3:
        raise ConfigurationError("t-SNE needs at least 3 words")
    vectors = character_vectors(archive_file, words)
    points = TSNE(n_components=2, perplexity=min(30.0, len(words) - 1.0), random_state=seed,
                  init="pca").fit_transform(vectors)
    plot_points(points, words, output, "character-GRU word representations (t-SNE)")
