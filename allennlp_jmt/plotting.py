"""Line plots written as PNG files that are byte-identical from run to run (the report's dev curves)."""
from typing import Dict, List, Optional

import matplotlib

matplotlib.use("Agg")  # no display; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402


def plot_curves(curves: Dict[str, List[float]], path: str, title: str, xlabel: str = "epoch",
                ylabel: Optional[str] = None) -> None:
    """
    One line per curve (x = 0, 1, ...), legend by name, saved to `path`. The PNG carries no
    date or software version, so the same curves always give the same bytes.
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
        axes.legend(fontsize=7)
        figure.tight_layout()
        figure.savefig(path, format="png", metadata={"Software": None})
    finally:
        plt.close(figure)
