from allennlp_jmt.models.crf_tagging import CrfTaggerHead  # noqa: F401
from allennlp_jmt.models.hier_gru_crf import HierGruCrf  # noqa: F401
from allennlp_jmt.models.jmt import JointManyTaskModel  # noqa: F401
