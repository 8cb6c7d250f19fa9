"""The one error every reader raises for bad input: it names the file, the line and what was expected."""
from typing import Optional


class DataFormatError(ValueError):
    """
    Bad input found while reading a corpus file.

    The message reads ``path:line: problem (expected ...)`` so that editors and terminals
    can jump to the offending line.

    # Parameters

    path : `str`
        The file being read.
    line : `int`, optional
        The 1-based line number of the problem, when it has one (an empty file has none).
    problem : `str`
        What was found.
    expected : `str`, optional
        What the reader expected instead.
    """

    def __init__(self, path: str, line: Optional[int], problem: str, expected: Optional[str] = None):
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.expected = expected
        location = self.path if line is None else f"{self.path}:{line}"
        message = f"{location}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)
