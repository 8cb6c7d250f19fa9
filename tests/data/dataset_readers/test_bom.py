"""A leading UTF-8 byte-order mark is dropped by every reader: a file with one reads as the file without."""
import codecs
import logging
import shutil

import pytest
from allennlp.data import DatasetReader, Instance
from allennlp.data.fields import MetadataField, TensorField

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers import Conll2000Reader, Conll2002Reader, DependenciesReader, SickReader
from allennlp_jmt.data.dataset_readers.column_file import read_text
from tests.data.dataset_readers.helpers import read, write


def described(instance: Instance, path: str) -> dict:
    """Every field of `instance` as plain values; a ``source`` gives its line number only (files differ)."""
    values = {}
    for name, field in instance.fields.items():
        if isinstance(field, TensorField):
            values[name] = field.tensor.tolist()
        elif isinstance(field, MetadataField):
            values[name] = {**field.metadata, "source": field.metadata.get("source", "").replace(path, "FILE")}
        else:
            values[name] = field.human_readable_repr()
    return values


def with_byte_order_mark(original, copy) -> str:
    with open(original, "rb") as source, open(copy, "wb") as target:
        target.write(codecs.BOM_UTF8)
        shutil.copyfileobj(source, target)
    return str(copy)


@pytest.mark.parametrize("reader, name", [
    (Conll2000Reader(), "conll2000/train.txt"),
    (Conll2002Reader(), "conll2002/esp.train"),  # encoding "auto": the mark means UTF-8
    (Conll2002Reader(), "conll2002/ned.train"),  # starts with -DOCSTART-, which must still be seen
    (Conll2002Reader(encoding="utf-8"), "conll2002/ned.train"),
    (DependenciesReader(), "ud/en_ewt-sample.conllu"),  # starts with a "#" comment line
    (DependenciesReader(), "ud/en_ewt-sample.conllx"),
    (SickReader(), "sick/SICK_train.txt"),  # starts with the header
    (SickReader(semeval_set="TRIAL"), "sick/SICK.txt"),
])
def test_a_file_with_a_byte_order_mark_reads_as_the_file_without(fixtures, tmp_path, reader: DatasetReader, name):
    original = str(fixtures / name)
    copy = with_byte_order_mark(original, tmp_path / name.replace("/", "_"))
    plain, marked = read(reader, original), read(reader, copy)
    assert len(plain) == len(marked) > 0
    assert [described(i, copy) for i in marked] == [described(i, original) for i in plain]
    assert not any("\ufeff" in repr(described(i, copy)) for i in marked)


def test_the_mark_is_dropped_from_the_text_and_not_counted_as_a_line(tmp_path):
    path = write(tmp_path / "marked.txt", "\ufeffConfidence NN B-NP\n")
    assert read_text(path) == read_text(path, "auto") == "Confidence NN B-NP\n"


def test_with_auto_a_marked_file_is_utf8_and_a_bad_byte_is_an_error(tmp_path):
    path = tmp_path / "marked_latin1.txt"
    path.write_bytes(codecs.BOM_UTF8 + "ok\naño\n".encode("latin-1"))
    with pytest.raises(DataFormatError, match=r"marked_latin1\.txt:2: byte 0xf1 at offset 7 is not valid UTF-8 "
                                              r"\(expected UTF-8 text, as the file's byte-order mark says\)"):
        read_text(str(path), "auto")


def test_with_latin1_declared_the_mark_is_dropped_with_a_warning(tmp_path, caplog):
    path = tmp_path / "marked.txt"
    path.write_bytes(codecs.BOM_UTF8 + "año\n".encode("latin-1"))
    with caplog.at_level(logging.WARNING):
        assert read_text(str(path), "latin-1") == "año\n"
    assert "byte-order mark" in caplog.text
