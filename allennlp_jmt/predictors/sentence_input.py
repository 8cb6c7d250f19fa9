"""The words of a predictor's JSON input: pre-tokenized lists as given, raw text split offline."""
from typing import Any, List

from allennlp.common.util import JsonDict

from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer


def sentence_words(json_dict: JsonDict, tokenizer: BlankSpacyTokenizer) -> List[str]:
    """The words of ``{"tokens": [...]}`` or ``{"sentence": "raw text"}``."""
    if "tokens" in json_dict:
        words = json_dict["tokens"]
        if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
            raise ValueError(f'"tokens" must be a list of strings, not {words!r:.100}')
        return words
    if "sentence" in json_dict:
        if not isinstance(json_dict["sentence"], str):
            raise ValueError(f'"sentence" must be a string, not {json_dict["sentence"]!r:.100}')
        return [token.text for token in tokenizer.tokenize(json_dict["sentence"])]
    raise ValueError(f'an input needs "tokens" (a list of words) or "sentence" (text); got keys {sorted(json_dict)}')


def text_or_tokens(value: Any, key: str, tokenizer: BlankSpacyTokenizer) -> List[str]:
    """The words of one input value that may be raw text or a list of words."""
    if isinstance(value, str):
        return [token.text for token in tokenizer.tokenize(value)]
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return value
    raise ValueError(f'"{key}" must be a string (text) or a list of strings (words), not {value!r:.100}')
