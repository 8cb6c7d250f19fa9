"""The jmt_mean_squared_error metric against numpy, with masks, resets and its registered name."""
import numpy as np
import torch
from allennlp.common import Params
from allennlp.training.metrics import Metric

from allennlp_jmt.training.metrics import MeanSquaredError


def test_accumulates_the_mean_of_squared_errors_over_calls_like_numpy():
    torch.manual_seed(0)
    metric = MeanSquaredError()
    errors = []
    for size in (3, 8, 5):
        predictions, gold = 1 + 4 * torch.rand(size), 1 + 4 * torch.rand(size)
        metric(predictions, gold)
        errors.append((predictions.numpy() - gold.numpy()) ** 2)
        result = metric.get_metric()
        assert set(result) == {"mse"}
        np.testing.assert_allclose(result["mse"], np.concatenate(errors).mean(), rtol=1e-6)


def test_masked_items_are_left_out_of_sum_and_count():
    metric = MeanSquaredError()
    predictions = torch.tensor([[1.0, 2.0, 100.0], [3.0, -50.0, 0.0]])
    gold = torch.tensor([[2.0, 2.0, 0.0], [1.0, 0.0, 0.0]])
    mask = torch.tensor([[True, True, False], [True, False, False]])
    metric(predictions, gold, mask)
    assert metric.get_metric()["mse"] == (1.0 + 0.0 + 4.0) / 3


def test_reset_and_empty_state_and_tensors_needing_grad():
    metric = MeanSquaredError()
    assert metric.get_metric() == {"mse": 0.0}
    metric(torch.tensor([3.0], requires_grad=True), torch.tensor([1.0]))
    assert metric.get_metric(reset=True) == {"mse": 4.0}
    assert metric.get_metric() == {"mse": 0.0}
    metric(torch.tensor([2.0]), torch.tensor([1.0]))
    assert metric.get_metric() == {"mse": 1.0}  # nothing from before the reset


def test_the_registered_name_builds_it_from_params():
    assert Metric.by_name("jmt_mean_squared_error") is MeanSquaredError
    assert isinstance(Metric.from_params(Params({"type": "jmt_mean_squared_error"})), MeanSquaredError)
