from allennlp_jmt.modules import token_embedders  # noqa: F401  (registers the token embedders)
from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf  # noqa: F401
from allennlp_jmt.modules.hier_gru_backbone import HierGruBackbone  # noqa: F401
