from collections import defaultdict
from typing import Dict, List

import pytest
from allennlp.common import Params
from allennlp.data import Instance, Token, TokenIndexer, Vocabulary
from allennlp.data.fields import TextField

from allennlp_jmt.data.token_indexers import CharacterNgramIndexer

AB_NGRAMS = ["#B#", "a", "b", "#E#", "#B#a", "ab", "b#E#", "#B#ab", "ab#E#", "#B#ab#E#"]


def counted(indexer: CharacterNgramIndexer, words: List[str]) -> Dict[str, int]:
    counter: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for word in words:
        indexer.count_vocab_items(Token(word), counter)
    return dict(counter["character_ngrams"])


def test_the_ngrams_of_a_short_word_in_order():
    assert CharacterNgramIndexer().ngrams("ab") == AB_NGRAMS


def test_a_repeated_ngram_is_kept_and_counted_once():
    indexer = CharacterNgramIndexer()
    assert indexer.ngrams("aaa") == ["#B#", "a", "#E#", "#B#a", "aa", "a#E#", "#B#aa", "aaa", "aa#E#",
                                     "#B#aaa", "aaa#E#"]
    counts = counted(indexer, ["aaa", "ab"])
    assert counts["a"] == 2 and counts["aa"] == 1  # once per word, not per occurrence
    assert len(counts) == 11 + 6  # ab adds b, ab, b#E#, #B#ab, ab#E#, #B#ab#E#


def test_sizes_lowercase_marks_and_the_pretrained_spelling():
    indexer = CharacterNgramIndexer(ngram_sizes=[2], lowercase=True, begin_mark="<", end_mark=">")
    assert indexer.ngrams("aB") == ["<a", "ab", "b>"]
    assert CharacterNgramIndexer().ngrams("aB") != CharacterNgramIndexer().ngrams("ab")
    pretrained = CharacterNgramIndexer(ngram_sizes=[2, 3], begin_mark="#BEGIN#", end_mark="#END#", size_prefix=True)
    assert pretrained.ngrams("a") == ["2gram-#BEGIN#a", "2gram-a#END#", "3gram-#BEGIN#a#END#"]
    with pytest.raises(ValueError):
        CharacterNgramIndexer(ngram_sizes=[0, 1])


def test_ids_come_from_a_vocabulary_counted_by_the_indexer():
    indexer = CharacterNgramIndexer(ngram_sizes=[1, 2])
    vocab = Vocabulary.from_instances([Instance({"words": TextField([Token("ab")], {"ngrams": indexer})})])
    assert vocab.get_vocab_size("character_ngrams") == 2 + 7  # padding, OOV and ab's 1- and 2-grams
    indexed = indexer.tokens_to_indices([Token("ab"), Token("ba")], vocab)["token_ngrams"]
    assert [vocab.get_token_from_index(i, "character_ngrams") for i in indexed[0]] == AB_NGRAMS[:7]
    oov = vocab.get_token_index("@@UNKNOWN@@", "character_ngrams")
    assert indexed[1] == [vocab.get_token_index(ngram, "character_ngrams") if ngram in AB_NGRAMS else oov
                          for ngram in ["#B#", "b", "a", "#E#", "#B#b", "ba", "a#E#"]]
    assert 0 not in indexed[0] + indexed[1]  # 0 is left for padding


def test_pads_ngrams_with_zeros_and_tokens_to_the_minimum():
    indexer = CharacterNgramIndexer(ngram_sizes=[1], token_min_padding_length=4)
    vocab = Vocabulary()
    indexed = indexer.tokens_to_indices([Token("abc"), Token("a")], vocab)
    lengths = indexer.get_padding_lengths(indexed)
    assert lengths == {"token_ngrams": 4, "num_token_ngrams": 5}
    padded = indexer.as_padded_tensor_dict(indexed, lengths)["token_ngrams"]
    assert padded.shape == (4, 5)
    assert padded[0].tolist() == indexed["token_ngrams"][0]
    assert padded[1, 3:].tolist() == [0, 0] and padded[2:].eq(0).all()
    longer = indexer.as_padded_tensor_dict(indexed, {"token_ngrams": 2, "num_token_ngrams": 7})["token_ngrams"]
    assert longer.shape == (2, 7) and longer[:, 5:].eq(0).all()


def test_an_empty_token_list_pads_to_zeros():
    indexer = CharacterNgramIndexer(token_min_padding_length=2)
    empty = indexer.get_empty_token_list()
    assert empty == {"token_ngrams": []}
    lengths = indexer.get_padding_lengths(empty)
    assert lengths == {"token_ngrams": 2, "num_token_ngrams": 0}
    assert indexer.as_padded_tensor_dict(empty, lengths)["token_ngrams"].shape == (2, 0)


def test_built_from_a_config_inside_a_text_field():
    indexer = TokenIndexer.from_params(Params({"type": "jmt_character_ngrams", "ngram_sizes": [1, 2],
                                               "lowercase": True, "namespace": "ngrams"}))
    assert isinstance(indexer, CharacterNgramIndexer)
    field = TextField([Token("Ab"), Token("abc")], {"token_ngrams": indexer})
    vocab = Vocabulary.from_instances([Instance({"words": field})])
    assert vocab.get_token_index("ab", "ngrams") > 1 and vocab.get_vocab_size("character_ngrams") == 2
    field.index(vocab)
    lengths = field.get_padding_lengths()
    assert lengths == {"token_ngrams___token_ngrams": 2, "token_ngrams___num_token_ngrams": 9}
    tensor = field.as_tensor(lengths)["token_ngrams"]["token_ngrams"]
    assert tensor.shape == (2, 9) and tensor[0, 7:].tolist() == [0, 0] and tensor[1].ne(0).all()
