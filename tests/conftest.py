"""Shared test set-up: the plugin is imported (so its names are registered) and paths are absolute."""
import os
from pathlib import Path

import pytest

import allennlp_jmt  # noqa: F401  (registers the plugin's readers, tokenizers, commands)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "data"
# The real corpora: ../shared/data beside the checkout (as in CI), or wherever JMT_SHARED_DATA says.
SHARED_DATA = Path(os.environ.get("JMT_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
