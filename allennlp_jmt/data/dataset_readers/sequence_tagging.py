"""What the tagging readers (chunking, NER, POS) share: one tag per word, in one label namespace."""
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import torch
from allennlp.data import Instance
from allennlp.data.fields import MetadataField, SequenceLabelField, TensorField

from allennlp_jmt.data.dataset_readers.corpus_reader import CorpusReader
from allennlp_jmt.data.dataset_readers.gazetteer import Gazetteer
from allennlp_jmt.data.dataset_readers.tag_schemes import canonical_scheme, convert_tags


@dataclass
class TaggedSentence:
    """One sentence read from a file: its words, their tags, and where it came from (``path:line``)."""

    words: List[str]
    tags: List[str]
    source: str


class SequenceTaggingReader(CorpusReader):
    """
    A `CorpusReader` whose instances hold ``tokens`` (a `TextField`), ``tags`` (a
    `SequenceLabelField`, when the sentence is labelled) and ``metadata`` (``words``: the
    original words; ``source``: ``path:line`` of the sentence).

    # Parameters

    label_namespace : `str`
        The vocabulary namespace of the tags; give every task its own.
    coding_scheme : `str`, optional (default=`None`)
        ``None`` keeps the tags as the file has them; ``"BIOUL"`` (alias ``"BIOES"``)
        converts span tags to BIOUL with AllenNLP's `to_bioul`.
    gazetteer : `str`, optional (default=`None`)
        A ``TYPE phrase`` list file (see `Gazetteer`): instances then hold a ``gazetteer``
        field, a (words, types) 0/1 tensor in the order of `Gazetteer.types`.
    gazetteer_lowercase : `bool`, optional (default=`False`)
        Match gazetteer phrases case-insensitively.
    **kwargs
        The options of `CorpusReader`.
    """

    def __init__(
        self,
        label_namespace: str,
        coding_scheme: Optional[str] = None,
        gazetteer: Optional[str] = None,
        gazetteer_lowercase: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.label_namespace = label_namespace
        self.coding_scheme = canonical_scheme(coding_scheme) if coding_scheme else None
        self.gazetteer = Gazetteer(gazetteer, gazetteer_lowercase) if gazetteer else None

    @property
    def tag_scheme(self) -> Optional[str]:
        """The span scheme of the tags as read (``None`` for tags that are not spans, like POS)."""
        return None

    def example_to_instance(self, example: TaggedSentence) -> Instance:
        return self.text_to_instance(example.words, example.tags, source=example.source)

    def text_to_instance(  # type: ignore
        self, words: List[str], tags: Optional[List[str]] = None, **metadata: Any
    ) -> Instance:
        """An instance of `words` and, if given, their `tags` in the file's scheme."""
        tokens = self.text_field(words)
        fields: Dict[str, Any] = {"tokens": tokens}
        if self.gazetteer is not None:
            features = torch.tensor(self.gazetteer.features(words)).view(len(words), len(self.gazetteer.types))
            fields["gazetteer"] = TensorField(features)
        if tags is not None:
            if self.tag_scheme is not None:
                tags = convert_tags(tags, self.tag_scheme, self.coding_scheme)
            fields["tags"] = SequenceLabelField(tags, tokens, label_namespace=self.label_namespace)
        fields["metadata"] = MetadataField({"words": list(words), **metadata})
        return Instance(fields)
