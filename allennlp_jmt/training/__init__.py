"""Training pieces: JMT's callbacks and learning-rate schedule, metrics AllenNLP lacks, distributed training."""
from allennlp_jmt.training import distributed_test_evaluation  # noqa: F401  (a default trainer callback)
from allennlp_jmt.training import metrics  # noqa: F401  (registrations)
from allennlp_jmt.training.fused_adam import FusedAdamOptimizer  # noqa: F401
from allennlp_jmt.training.inverse_time_decay import InverseTimeDecay  # noqa: F401
from allennlp_jmt.training.penalty_aware_ddp import PenaltyAwareDdpAccelerator  # noqa: F401
from allennlp_jmt.training.successive_regularization import SuccessiveRegularization  # noqa: F401
from allennlp_jmt.training.task_gradient_clipping import TaskGradientClipping  # noqa: F401
from allennlp_jmt.training.task_layered_model import TaskLayeredModel  # noqa: F401
