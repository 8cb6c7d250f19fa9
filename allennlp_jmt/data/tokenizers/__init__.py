from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer  # noqa: F401
