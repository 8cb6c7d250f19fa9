"""Raw text to words with spaCy's rule-based tokenizer and no model: nothing to download."""
from typing import List

import spacy
from allennlp.data import Token, Tokenizer


@Tokenizer.register("jmt_blank_spacy")
class BlankSpacyTokenizer(Tokenizer):
    """
    Splits text with the tokenizer of `spacy.blank(language)`: spaCy's rules and exceptions
    for the language, without a trained pipeline. AllenNLP's ``spacy`` tokenizer loads
    ``en_core_web_sm`` and downloads it when missing, which fails offline; this one never
    touches the network. Whitespace tokens are dropped.

    Registered as a `Tokenizer` with name "jmt_blank_spacy".

    # Parameters

    language : `str`, optional (default=`"en"`)
        A spaCy language code: ``"en"``, ``"es"``, ``"nl"``, ...
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._nlp = spacy.blank(language)

    def tokenize(self, text: str) -> List[Token]:
        return self._tokens(self._nlp(text))

    def batch_tokenize(self, texts: List[str]) -> List[List[Token]]:
        return [self._tokens(doc) for doc in self._nlp.pipe(texts)]

    @staticmethod
    def _tokens(doc) -> List[Token]:
        return [Token(token.text, idx=token.idx, idx_end=token.idx + len(token.text))
                for token in doc if not token.is_space]
