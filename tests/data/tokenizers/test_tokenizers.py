from allennlp.data import Instance, Token, Vocabulary
from allennlp.data.fields import TextField
from allennlp.data.token_indexers import TokenCharactersIndexer

from allennlp_jmt.data.tokenizers import BlankSpacyTokenizer, TruncatedCharacterTokenizer


def test_blank_spacy_splits_punctuation_and_clitics_offline():
    tokens = BlankSpacyTokenizer("en").tokenize("The dog doesn't bark,  really.")
    assert [t.text for t in tokens] == ["The", "dog", "does", "n't", "bark", ",", "really", "."]
    assert tokens[1].idx == 4


def test_blank_spacy_other_languages_and_batches():
    tokenizer = BlankSpacyTokenizer("es")
    batch = tokenizer.batch_tokenize(["¿Dónde está?", "Hola."])
    assert [[t.text for t in sentence] for sentence in batch] == [["¿", "Dónde", "está", "?"], ["Hola", "."]]


def test_truncated_characters_in_the_characters_indexer():
    indexer = TokenCharactersIndexer(character_tokenizer=TruncatedCharacterTokenizer(max_length=4))
    field = TextField([Token("internationalization"), Token("ab")], {"chars": indexer})
    vocab = Vocabulary.from_instances([Instance({"tokens": field})])
    field.index(vocab)
    lengths = field.get_padding_lengths()
    assert lengths["chars___num_token_characters"] == 4
    assert vocab.get_token_index("z", "token_characters") == 1  # "z" never counted: only "inte" and "ab" were
