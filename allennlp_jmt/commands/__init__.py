from allennlp_jmt.commands.data_summary import DataSummary  # noqa: F401
