"""
allennlp-jmt: an AllenNLP plugin for Yang et al. (2016)'s hierarchical GRU-CRF tagger and
Hashimoto et al. (2017)'s Joint Many-Task model. Importing the package (``--include-package
allennlp_jmt`` or the ``.allennlp_plugins`` file) registers every reader, model and command,
and applies the torch 2.x fixes of `allennlp_jmt.compat`.
"""
from allennlp_jmt import compat, config_environment

compat.apply()
config_environment.declare()

from allennlp_jmt import data  # noqa: E402,F401  (registers after the fixes)
from allennlp_jmt import commands, models, predictors, training  # noqa: E402,F401  (registrations)

__version__ = "0.1.0"
