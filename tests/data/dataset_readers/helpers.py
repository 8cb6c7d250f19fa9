"""Small helpers for reader tests: write a file, read it with a reader."""
from pathlib import Path
from typing import List

from allennlp.data import DatasetReader, Instance


def write(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return str(path)


def read(reader: DatasetReader, path) -> List[Instance]:
    return list(reader.read(str(path)))


def words(instance: Instance, field: str = "tokens") -> List[str]:
    return [token.text for token in instance[field].tokens]
