"""
Plots written as PNG files that are byte-identical from run to run: the reproduction report's dev
curves, `allennlp jmt-plot`'s training curves and t-SNE maps.
"""
from typing import Dict, List, Optional, Sequence

import matplotlib

matplotlib.use("Agg")  # no display; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402


def _save(figure, path: str) -> None:
    """Saves without a date or software version in the PNG, so the same plot always gives the same bytes."""
    figure.tight_layout()
    figure.savefig(path, format="png", metadata={"Software": None})


def plot_curves(curves: Dict[str, List[float]], path: str, title: str, xlabel: str = "epoch",
                ylabel: Optional[str] = None, second_axis: Optional[Dict[str, List[float]]] = None,
                second_label: Optional[str] = None) -> None:
    """
    One line per curve (x = 0, 1, ...), legend by name, saved to `path`; `second_axis` curves
    (e.g. losses, on another scale) are dashed, against a right-hand axis.
    """
    figure, axes = plt.subplots(figsize=(6, 3.6), dpi=100)
    try:
        for name, values in sorted(curves.items()):
            axes.plot(range(len(values)), values, marker="o", markersize=3, label=name)
        axes.set_title(title, fontsize=10)
        axes.set_xlabel(xlabel)
        if ylabel:
            axes.set_ylabel(ylabel)
        axes.grid(alpha=0.3)
        handles, labels = axes.get_legend_handles_labels()
        if second_axis:
            right = axes.twinx()
            for name, values in sorted(second_axis.items()):
                right.plot(range(len(values)), values, linestyle="--", color="grey", label=name)
            if second_label:
                right.set_ylabel(second_label)
            more_handles, more_labels = right.get_legend_handles_labels()
            handles, labels = handles + more_handles, labels + more_labels
        axes.legend(handles, labels, fontsize=7)
        _save(figure, path)
    finally:
        plt.close(figure)


def plot_points(points: Sequence[Sequence[float]], labels: Sequence[str], path: str, title: str) -> None:
    """A labelled scatter plot (e.g. a t-SNE map of words), saved to `path`."""
    figure, axes = plt.subplots(figsize=(7, 7), dpi=100)
    try:
        xs, ys = [point[0] for point in points], [point[1] for point in points]
        axes.scatter(xs, ys, s=8)
        for x, y, label in zip(xs, ys, labels):
            axes.annotate(label, (x, y), fontsize=7)
        axes.set_title(title, fontsize=10)
        axes.set_xticks([])
        axes.set_yticks([])
        _save(figure, path)
    finally:
        plt.close(figure)
