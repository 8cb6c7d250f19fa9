from allennlp_jmt.predictors.tagger import TaggerPredictor  # noqa: F401
