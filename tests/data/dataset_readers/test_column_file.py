import pytest

from allennlp_jmt.data import DataFormatError
from allennlp_jmt.data.dataset_readers.column_file import ColumnLayout, read_blocks, read_text, resolve_paths
from tests.data.dataset_readers.helpers import write


def test_resolve_paths_takes_a_file_a_folder_or_a_glob(tmp_path):
    a = write(tmp_path / "d" / "a.txt", "x\n")
    b = write(tmp_path / "d" / "sub" / "b.txt", "y\n")
    assert resolve_paths(a) == [a]
    assert resolve_paths(str(tmp_path / "d")) == [a, b]
    assert resolve_paths(str(tmp_path / "d" / "*.txt")) == [a]


def test_missing_path_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        resolve_paths(str(tmp_path / "nowhere.txt"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="holds no file"):
        resolve_paths(str(tmp_path / "empty"))


def test_utf8_latin1_and_auto(tmp_path):
    utf8 = write(tmp_path / "u.txt", "año\n")
    latin = write(tmp_path / "l.txt", "ok\naño\n", encoding="latin-1")
    assert read_text(utf8) == "año\n"
    assert read_text(latin, "latin-1") == "ok\naño\n"
    assert read_text(latin, "auto") == "ok\naño\n"
    assert read_text(utf8, "auto") == "año\n"
    with pytest.raises(DataFormatError, match=r"l\.txt:2: byte 0xf1 .* not valid UTF-8") as error:
        read_text(latin, "utf-8")
    assert error.value.line == 2


def test_blocks_remember_lines_and_drop_docstart(tmp_path):
    path = write(tmp_path / "f.txt", "-DOCSTART- O\nA x\nB y\n\n\nC z\r\n-DOCSTART- O\nD w\n")
    blocks = list(read_blocks(path))
    assert [block.lines for block in blocks] == [["A x", "B y"], ["C z"], ["D w"]]
    assert [block.line_numbers for block in blocks] == [[2, 3], [6], [8]]


def test_empty_file_is_an_error(tmp_path):
    path = write(tmp_path / "empty.txt", "\n\n  \n")
    with pytest.raises(DataFormatError, match="empty.txt: file holds no sentence"):
        list(read_blocks(path))


def test_layout_rejects_wrong_and_ragged_column_counts(tmp_path):
    path = write(tmp_path / "f.txt", "A x 1\nB y 2\n\nC z\n")
    blocks = list(read_blocks(path))
    layout = ColumnLayout((2, 3))
    assert layout.split(blocks[0]) == [["A", "x", "1"], ["B", "y", "2"]]
    with pytest.raises(DataFormatError, match=r"f\.txt:4: ragged line: 2 column\(s\) \(expected 3 columns, as on line 1\)"):
        layout.split(blocks[1])
    with pytest.raises(DataFormatError, match=r"f\.txt:1: line has 3 column\(s\) \(expected 4 columns\)"):
        ColumnLayout((4,)).split(blocks[0])
