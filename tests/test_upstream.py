"""Private AllenNLP names are used through `allennlp_jmt.upstream` only, and its adapters work."""
import re

import torch
from allennlp.data import Vocabulary
from allennlp.modules import TimeDistributed

from allennlp_jmt import upstream
from tests.conftest import ROOT

PRIVATE_UPSTREAM = re.compile(
    r"from allennlp[\w.]* import (\([^)]*|[^(\n]*)\b_[A-Za-z]"  # importing a private name
    r"|\._(heads|module|oov_token|padding_token|registry|chunked_iterator|constraint_mask)\b"  # private attributes we used to reach
    r"|_PyTorchLearningRateScheduler|_chunked_iterator"
)


def test_no_module_but_the_adapter_uses_a_private_upstream_name():
    offenders = []
    for path in (ROOT / "allennlp_jmt").rglob("*.py"):
        if path.name == "upstream.py":
            continue
        text = path.read_text()
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in PRIVATE_UPSTREAM.finditer(text)]
    assert offenders == []


def test_the_adapters_reach_what_they_name():
    assert list(upstream.chunked(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]
    assert list(upstream.chunked(range(5), 2, drop_last=True)) == [[0, 1], [2, 3]]
    linear = torch.nn.Linear(2, 2)
    assert upstream.inner_module(TimeDistributed(linear)) is linear
    vocab = Vocabulary()
    assert vocab.get_token_index(upstream.oov_token(vocab)) == 1
    assert vocab.get_token_index(upstream.padding_token(vocab)) == 0
    assert any(base.__name__ == "Model" for base in upstream.registry())
