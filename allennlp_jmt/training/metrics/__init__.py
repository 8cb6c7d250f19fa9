"""Metrics AllenNLP lacks."""
from allennlp_jmt.training.metrics.mean_squared_error import MeanSquaredError  # noqa: F401
