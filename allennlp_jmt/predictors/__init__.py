from allennlp_jmt.predictors.tagger import TaggerPredictor  # noqa: F401
from allennlp_jmt.predictors.jmt import JointManyTaskPredictor  # noqa: F401
from allennlp_jmt.predictors.joint_tagger import JointTaggerPredictor  # noqa: F401
