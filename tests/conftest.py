"""Shared test set-up: the plugin is imported (so its names are registered) and paths are absolute."""
from pathlib import Path

import pytest

import allennlp_jmt  # noqa: F401  (registers the plugin's readers, tokenizers, commands)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
