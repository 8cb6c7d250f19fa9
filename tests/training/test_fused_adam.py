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
