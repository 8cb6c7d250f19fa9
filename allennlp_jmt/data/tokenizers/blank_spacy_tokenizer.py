"""Raw text to words with spaCy's rule-based tokenizer and no model: nothing to download."""
from typing import Iterable, List

import spacy
from allennlp.data import Token, Tokenizer
from spacy.tokens import Token as SpacyToken


@Tokenizer.register("jmt_blank_spacy")
class BlankSpacyTokenizer(Tokenizer):
    """
    Splits text with the tokenizer of `spacy.blank(language)`: spaCy's rules and exceptions
    for the language, without a trained pipeline. AllenNLP's ``spacy`` tokenizer loads
    ``en_core_web_sm`` and downloads it when missing, which fails offline; this one never
    touches the network. Whitespace tokens are dropped. `split_sentences` also splits the text
    into sentences with spaCy's rule-based ``sentencizer`` (sentence-final punctuation, no
    model either).

    Registered as a `Tokenizer` with name "jmt_blank_spacy".

    # Parameters

    language : `str`, optional (default=`"en"`)
        A spaCy language code: ``"en"``, ``"es"``, ``"nl"``, ...
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._nlp = spacy.blank(language)
        self._nlp.add_pipe("sentencizer")  # run by `split_sentences` only: tokenizing runs the tokenizer alone

    def tokenize(self, text: str) -> List[Token]:
        return self._tokens(self._nlp.make_doc(text))

    def batch_tokenize(self, texts: List[str]) -> List[List[Token]]:
        return [self._tokens(doc) for doc in self._nlp.tokenizer.pipe(texts)]

    def split_sentences(self, text: str) -> List[List[Token]]:
        """
        The tokens of `text` (those of `tokenize`, in order) per sentence, as spaCy's
        ``sentencizer`` splits them; sentences without a token (whitespace only) are dropped.
        """
        sentences = (self._tokens(sentence) for sentence in self._nlp(text).sents)
        return [sentence for sentence in sentences if sentence]

    @staticmethod
    def _tokens(tokens: Iterable[SpacyToken]) -> List[Token]:
        return [Token(token.text, idx=token.idx, idx_end=token.idx + len(token.text))
                for token in tokens if not token.is_space]
