"""
Shared test set-up: the plugin is imported (so its names are registered), paths are absolute, and
every variable the configs read is empty, so the suite is the same on every machine.
"""
import os
from pathlib import Path

import pytest

import allennlp_jmt  # noqa: F401  (registers the plugin's readers, tokenizers, commands)
from allennlp_jmt.config_environment import VARIABLES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "data"
# The real corpora: ../shared/data beside the checkout (as in CI), or wherever JMT_SHARED_DATA says.
SHARED_DATA = Path(os.environ.get("JMT_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True, scope="session")
def empty_config_environment():
    """
    Sets every variable of `config_environment.VARIABLES` to "" for the whole session (session
    fixtures that train models included): a developer's exported JMT_CONLL2000_DIR must not
    change what the tests train. Set to "", not deleted: `std.extVar` fails on an unset one.
    A test that needs one sets it with `monkeypatch.setenv`; the CLI tests' subprocesses inherit these.
    """
    with pytest.MonkeyPatch.context() as patch:
        for name in VARIABLES:
            patch.setenv(name, "")
        yield
