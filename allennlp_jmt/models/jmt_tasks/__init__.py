"""The JMT model's tasks: each task's output layer(s), loss, decoding, metrics and readable output."""
from allennlp_jmt.models.jmt_tasks.base import JmtTask, JmtTaskSettings, PairStates, SentenceStates  # noqa: F401
from allennlp_jmt.models.jmt_tasks.dependencies import CHEN_MANNING_PUNCTUATION, DependencyTask  # noqa: F401
from allennlp_jmt.models.jmt_tasks.entailment import EntailmentTask  # noqa: F401
from allennlp_jmt.models.jmt_tasks.relatedness import RELATEDNESS_CLASSES, RelatednessTask  # noqa: F401
from allennlp_jmt.models.jmt_tasks.sentence_pair import SentencePairTask  # noqa: F401
from allennlp_jmt.models.jmt_tasks.tagging import ChunkingTask, TaggingTask  # noqa: F401
