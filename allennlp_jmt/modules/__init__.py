from allennlp_jmt.modules.cost_augmented_crf import CostAugmentedCrf  # noqa: F401
