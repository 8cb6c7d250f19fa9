"""The base of the plugin's predictors: raw text split offline, and empty sentences kept from the model."""
import copy
from typing import List, Sequence

from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer


class SentencePredictor(Predictor):
    """
    A predictor of sentences for a model that cannot run an empty one (a recurrent encoder over
    no word, a CRF over no tag): `predict_non_empty` runs the model on a batch's non-empty
    sentences only, gives each empty one a given empty output, and returns the outputs in the
    order of the inputs. One instance is predicted as a batch of one, so that a subclass writes
    its output once, in `predict_batch_instance`. Raw text is split by spaCy's blank tokenizer
    for `language` (no model, no network), `tokenizer`.

    Not registered: the base of ``jmt_tagger``, ``jmt_joint_tagger`` and ``jmt``.

    # Parameters

    model : `Model`
    dataset_reader : `DatasetReader`
    language : `str`, optional (default=`"en"`)
        The spaCy language whose blank tokenizer splits raw text.
    """

    def __init__(self, model: Model, dataset_reader: DatasetReader, language: str = "en") -> None:
        super().__init__(model, dataset_reader)
        self.tokenizer = BlankSpacyTokenizer(language)

    def predict_instance(self, instance: Instance) -> JsonDict:
        return self.predict_batch_instance([instance])[0]

    def predict_non_empty(
        self, instances: Sequence[Instance], empty_output: JsonDict, text_field: str = "tokens"
    ) -> List[JsonDict]:
        """
        The outputs of `instances`, in their order: the model's (made readable and sanitized,
        as `Predictor.predict_batch_instance` makes them), run as one batch on the instances
        with words in their `text_field`; a copy of `empty_output` for the others (an empty
        `text_field`, or none).
        """
        non_empty = [instance for instance in instances if has_words(instance, text_field)]
        outputs = iter(super().predict_batch_instance(non_empty) if non_empty else [])
        return [next(outputs) if has_words(instance, text_field) else copy.deepcopy(empty_output)
                for instance in instances]


def has_words(instance: Instance, text_field: str) -> bool:
    """Whether `instance` has a `text_field` with at least one word."""
    return text_field in instance.fields and len(instance[text_field]) > 0
