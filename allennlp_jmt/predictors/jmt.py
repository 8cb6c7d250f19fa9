"""Every layer's output of a trained JMT model for sentences and sentence pairs, offline."""
from typing import Dict, List

from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.data.dataset_readers import MultiTaskDatasetReader
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.models.jmt import PAIR_TASKS, SENTENCE_TASKS
from allennlp_jmt.predictors.sentence_input import sentence_words, text_or_tokens
from allennlp_jmt.predictors.sentence_predictor import SentencePredictor

SENTENCE_OUTPUTS = ("pos_tags", "chunk_tags", "chunks", "heads", "head_labels")


@Predictor.register("jmt")
class JointManyTaskPredictor(SentencePredictor):
    """
    Runs a trained ``jmt`` model on JSON lines of two kinds:

    - a sentence, ``{"tokens": [...]}`` or ``{"sentence": "raw text"}``: output ``words``,
      ``pos_tags``, ``chunk_tags``, ``chunks`` (``[label, start, end]``, end inclusive),
      ``heads`` (0 = root, words from 1) and ``head_labels``, for the model's tasks;
    - a pair, ``{"premise": ..., "hypothesis": ...}`` (each text or a list of words): the
      same per sentence, prefixed ``premise_`` and ``hypothesis_``, plus ``relatedness`` (a
      score in 1…5), ``entailment`` and ``entailment_probs``.

    Raw text is split by spaCy's blank tokenizer for `language` (no model, no network). Lines
    are batched; an empty sentence gives empty lists, an empty side of a pair is an error.

    Registered as a `Predictor` with name "jmt".

    # Parameters

    model : `Model`
    dataset_reader : `DatasetReader`
        The archive's ``multitask`` reader; its sentence and pair readers build the instances.
    language : `str`, optional (default=`"en"`)
    """

    def __init__(self, model: Model, dataset_reader: DatasetReader, language: str = "en") -> None:
        super().__init__(model, dataset_reader, language)
        # The task readers themselves, not AllenNLP's wrappers (which would add a "task" field, and
        # with it a task for the model to stop at).
        readers = ({task: getattr(reader, "inner", reader) for task, reader in dataset_reader.readers.items()}
                   if isinstance(dataset_reader, MultiTaskDatasetReader) else {})
        self.sentence_reader = next((readers[task] for task in SENTENCE_TASKS if task in readers), None)
        self.pair_reader = next((readers[task] for task in PAIR_TASKS if task in readers), None)

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        if "premise" in json_dict or "hypothesis" in json_dict:
            if self.pair_reader is None:
                raise ValueError("this model was not trained on sentence pairs (relatedness, entailment)")
            sides = {}
            for side in ("premise", "hypothesis"):
                if side not in json_dict:
                    raise ValueError(f'a sentence pair needs "premise" and "hypothesis"; got keys {sorted(json_dict)}')
                sides[side] = text_or_tokens(json_dict[side], side, self.tokenizer)
                if not sides[side]:
                    raise ValueError(f'the "{side}" of a sentence pair is empty')
            return self._indexed(self.pair_reader, " ".join(sides["premise"]), " ".join(sides["hypothesis"]))
        if self.sentence_reader is None:
            raise ValueError("this model was trained on sentence pairs only: give \"premise\" and \"hypothesis\"")
        return self._indexed(self.sentence_reader, sentence_words(json_dict, self.tokenizer))

    @staticmethod
    def _indexed(reader: DatasetReader, *inputs) -> Instance:
        instance = reader.text_to_instance(*inputs)
        reader.apply_token_indexers(instance)
        return instance

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        """Runs sentences and pairs as separate batches (their fields differ); empty sentences skip the model."""
        results: Dict[int, JsonDict] = {}
        empty_sentence_output = {key: [] for key in SENTENCE_OUTPUTS}
        for kind in ("tokens", "premise"):
            positions = [i for i, instance in enumerate(instances) if kind in instance.fields]
            outputs = self.predict_non_empty([instances[i] for i in positions], empty_sentence_output, kind)
            results.update(zip(positions, outputs))
        for i, instance in enumerate(instances):
            result = results.setdefault(i, dict(empty_sentence_output))  # neither a sentence nor a pair
            metadata = instance["metadata"].metadata
            result.update({key: metadata[key] for key in ("words", "premise_words", "hypothesis_words")
                           if key in metadata})
        return [results[i] for i in range(len(instances))]
