from typing import Tuple

import torch
from allennlp.common import Params
from allennlp.training.optimizers import Optimizer


def model_after(optimizer_type: str, steps: int) -> torch.nn.Module:
    """A small model after `steps` updates of `optimizer_type` on fixed data (seeded)."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(50, 8), torch.nn.Linear(8, 3))
    optimizer = Optimizer.from_params(
        model_parameters=list(model.named_parameters()),
        params=Params({"type": optimizer_type, "lr": 0.01, "weight_decay": 0.001,
                       "parameter_groups": [[["^1\\.bias$"], {"lr": 0.1}]]}))
    words, labels = torch.randint(0, 20, (16, 5)), torch.randint(0, 3, (16,))
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(words).mean(1), labels).backward()
        optimizer.step()
    return model


def test_the_fused_adam_is_allennlps_adam_up_to_rounding():
    initial, ours, theirs = model_after("adam", 0), model_after("jmt_fused_adam", 5), model_after("adam", 5)
    for (name, start), mine, other in zip(initial.named_parameters(), ours.parameters(), theirs.parameters()):
        assert not torch.equal(start, mine), f"{name} did not move"
        assert torch.allclose(mine, other, atol=1e-6), name


class TwoTaskTagger(torch.nn.Module):
    """A shared embedding and LSTM under two task heads: JMT's shape, small."""

    def __init__(self) -> None:
        super().__init__()
        self.embedding = torch.nn.Embedding(30, 6)
        self.encoder = torch.nn.LSTM(6, 4, batch_first=True, bidirectional=True)
        self.heads = torch.nn.ModuleList([torch.nn.Linear(8, 3), torch.nn.Linear(8, 5)])

    def loss(self, task: int, words: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        states, _ = self.encoder(self.embedding(words))
        return torch.nn.functional.cross_entropy(self.heads[task](states).flatten(0, 1), labels.flatten())


def tagger_after_turns(optimizer_type: str, turns: int) -> Tuple[TwoTaskTagger, Optimizer]:
    """
    `TwoTaskTagger` after `turns` turns of three steps, the tasks alternating as JMT's do: the
    other task's head has no gradient (None) throughout a turn.
    """
    torch.manual_seed(0)
    model = TwoTaskTagger()
    optimizer = Optimizer.from_params(model_parameters=list(model.named_parameters()),
                                      params=Params({"type": optimizer_type, "lr": 0.01}))
    words = torch.randint(0, 30, (8, 7))
    labels = [torch.randint(0, 3, (8, 7)), torch.randint(0, 5, (8, 7))]
    for turn in range(turns):
        for _ in range(3):
            optimizer.zero_grad(set_to_none=True)
            model.loss(turn % 2, words, labels[turn % 2]).backward()
            optimizer.step()
    return model, optimizer


def test_the_fused_adam_follows_adam_through_task_turns():
    ours, our_optimizer = tagger_after_turns("jmt_fused_adam", 5)
    theirs, their_optimizer = tagger_after_turns("adam", 5)
    for (name, mine), other in zip(ours.named_parameters(), theirs.parameters()):
        assert torch.allclose(mine, other, atol=1e-5), name
        # A head skipped while the other task trains: 9 steps of the first head's, 6 of the second's.
        assert float(our_optimizer.state[mine]["step"]) == float(their_optimizer.state[other]["step"]), name
    assert float(our_optimizer.state[ours.heads[1].weight]["step"]) == 6
