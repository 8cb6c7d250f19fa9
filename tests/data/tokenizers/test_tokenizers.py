from allennlp_jmt.data.tokenizers import BlankSpacyTokenizer


def test_blank_spacy_splits_punctuation_and_clitics_offline():
    tokens = BlankSpacyTokenizer("en").tokenize("The dog doesn't bark,  really.")
    assert [t.text for t in tokens] == ["The", "dog", "does", "n't", "bark", ",", "really", "."]
    assert tokens[1].idx == 4


def test_blank_spacy_other_languages_and_batches():
    tokenizer = BlankSpacyTokenizer("es")
    batch = tokenizer.batch_tokenize(["¿Dónde está?", "Hola."])
    assert [[t.text for t in sentence] for sentence in batch] == [["¿", "Dónde", "está", "?"], ["Hola", "."]]
