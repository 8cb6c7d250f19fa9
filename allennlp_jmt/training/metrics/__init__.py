"""Metrics AllenNLP lacks, and AllenNLP's metrics made right in distributed training."""
from allennlp_jmt.training.metrics.distributed_attachment_scores import DistributedAttachmentScores  # noqa: F401
from allennlp_jmt.training.metrics.distributed_pearson_correlation import (  # noqa: F401
    DistributedPearsonCorrelation,
)
from allennlp_jmt.training.metrics.distributed_span_f1 import DistributedSpanBasedF1Measure  # noqa: F401
from allennlp_jmt.training.metrics.mean_squared_error import MeanSquaredError  # noqa: F401
