from allennlp_jmt.commands.data_summary import DataSummary  # noqa: F401
from allennlp_jmt.commands.glove import ExportGlove  # noqa: F401
from allennlp_jmt.commands.reproduce import Reproduce  # noqa: F401
from allennlp_jmt.commands.plot import Plot  # noqa: F401
from allennlp_jmt.commands.predict import JsonLinesPredict  # noqa: F401
