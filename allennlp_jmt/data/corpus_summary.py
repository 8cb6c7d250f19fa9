"""Counts of what a reader loads from a corpus: instances, words per text field, labels per label field."""
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict

from allennlp.common import Tqdm
from allennlp.data import DatasetReader
from allennlp.data.fields import LabelField, SequenceLabelField, TextField


@dataclass
class CorpusSummary:
    """What `summarize` counted."""

    instances: int = 0
    words: Dict[str, int] = field(default_factory=dict)  # text field name -> word count
    labels: Dict[str, Counter] = field(default_factory=dict)  # label field name -> label counts

    def describe(self) -> str:
        """One line per field, e.g. ``tokens: 593 words`` or ``tags: 16 labels (B-NP 120, ...)``."""
        lines = [f"{self.instances} instances"]
        lines += [f"{name}: {count} words" for name, count in self.words.items()]
        for name, counts in self.labels.items():
            common = ", ".join(f"{label} {count}" for label, count in counts.most_common(5))
            lines.append(f"{name}: {len(counts)} labels ({common}{', ...' if len(counts) > 5 else ''})")
        return "\n".join(lines)


def summarize(reader: DatasetReader, data_path: str, progress: bool = False) -> CorpusSummary:
    """Reads `data_path` with `reader` and counts instances, words and string labels."""
    summary = CorpusSummary()
    instances = reader.read(data_path)
    if progress:
        instances = Tqdm.tqdm(instances, desc=f"reading {data_path}")
    for instance in instances:
        summary.instances += 1
        for name, value in instance.fields.items():
            if isinstance(value, TextField):
                summary.words[name] = summary.words.get(name, 0) + len(value.tokens)
            elif isinstance(value, SequenceLabelField) and value.labels and isinstance(value.labels[0], str):
                summary.labels.setdefault(name, Counter()).update(value.labels)
            elif isinstance(value, LabelField) and isinstance(value.label, str):
                summary.labels.setdefault(name, Counter())[value.label] += 1
    return summary
