from allennlp_jmt.models.hier_gru_crf import HierGruCrf  # noqa: F401
