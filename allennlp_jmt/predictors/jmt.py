"""Every layer's output of a trained JMT model for sentences, texts and sentence pairs, offline."""
from typing import Any, Dict, List, Sequence

from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.data.dataset_readers import MultiTaskDatasetReader
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.models.jmt import PAIR_TASKS, SENTENCE_TASKS
from allennlp_jmt.predictors.sentence_input import sentence_words, text_or_tokens
from allennlp_jmt.predictors.sentence_predictor import SentencePredictor

SENTENCE_OUTPUTS = ("pos_tags", "chunk_tags", "chunks", "heads", "head_labels")
PROBABILITY_OUTPUTS = ("pos_probabilities", "chunk_probabilities", "head_probabilities",
                       "head_label_probabilities")
SENTENCES = "sentences"  # the output (and instance metadata) key of a text's sentence spans


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

    Raw text is split by spaCy's blank tokenizer for `language` (no model, no network). A raw
    ``sentence`` that spaCy's rule-based ``sentencizer`` splits into several sentences is
    parsed sentence by sentence (as one batch), and its output is still one line for the whole
    text: the words, tags and relations of its sentences one after the other, ``heads`` into
    the whole word list (each sentence's root word has head 0), ``chunks`` spans of the whole
    word list, and ``sentences``, each sentence's ``[start, end]`` (word indices, end
    inclusive). A text of one sentence gives the output of that sentence alone. A list of
    ``tokens`` is one sentence, however long: beyond the model's ``max_eisner_length`` its
    heads are decoded in O(n²), not by Eisner's O(n³) algorithm.

    Lines are batched; an empty sentence gives empty lists, an empty side of a pair is an error.

    Registered as a `Predictor` with name "jmt".

    # Parameters

    model : `Model`
    dataset_reader : `DatasetReader`
        The archive's ``multitask`` reader; its sentence and pair readers build the instances.
    language : `str`, optional (default=`"en"`)
    confidence : `bool`, optional (default=`False`)
        Also output the model's probability of each prediction, per word (prefixed as the
        other outputs in a pair): ``pos_probabilities``, ``chunk_probabilities`` (of the
        predicted tag), ``head_probabilities`` (of the predicted head, among the word's
        candidate heads) and ``head_label_probabilities`` (of the predicted relation).
    """

    def __init__(self, model: Model, dataset_reader: DatasetReader, language: str = "en",
                 confidence: bool = False) -> None:
        super().__init__(model, dataset_reader, language)
        self.confidence = confidence
        # The task readers themselves, not AllenNLP's wrappers (which would add a "task" field, and
        # with it a task for the model to stop at).
        readers = ({task: getattr(reader, "inner", reader) for task, reader in dataset_reader.readers.items()}
                   if isinstance(dataset_reader, MultiTaskDatasetReader) else {})
        self.sentence_reader = next((readers[task] for task in SENTENCE_TASKS if task in readers), None)
        self.pair_reader = next((readers[task] for task in PAIR_TASKS if task in readers), None)

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        """
        The instance of one input line; a raw text of several sentences is one instance of all
        its words, with the sentences' spans in its metadata (``sentences``), which
        `predict_batch_instance` parses sentence by sentence.
        """
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
        if "tokens" in json_dict or not isinstance(json_dict.get("sentence"), str):
            return self._indexed(self.sentence_reader, sentence_words(json_dict, self.tokenizer))
        sentences = [[token.text for token in sentence]
                     for sentence in self.tokenizer.split_sentences(json_dict["sentence"])]
        words = [word for sentence in sentences for word in sentence]
        if len(sentences) <= 1:
            return self._indexed(self.sentence_reader, words)
        return self._indexed(self.sentence_reader, words, **{SENTENCES: sentence_spans(sentences)})

    @staticmethod
    def _indexed(reader: DatasetReader, *inputs, **metadata) -> Instance:
        instance = reader.text_to_instance(*inputs, **metadata)
        reader.apply_token_indexers(instance)
        return instance

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        """
        Runs sentences and pairs as separate batches (their fields differ), a text of several
        sentences as those sentences, joined again in its output; empty sentences skip the model.
        """
        runs: List[Instance] = []  # the instances to run: the sentences of texts in place of the texts
        sentence_counts = []
        for instance in instances:
            spans = instance["metadata"].metadata.get(SENTENCES)
            if spans is None:
                runs.append(instance)
            else:
                words = instance["metadata"].metadata["words"]
                runs.extend(self._indexed(self.sentence_reader, words[start:end + 1]) for start, end in spans)
            sentence_counts.append(1 if spans is None else len(spans))
        with self._model.prediction_probabilities(self.confidence):
            outputs = iter(self._predict_runs(runs))
        return [next(outputs) if count == 1 else joined_sentences([next(outputs) for _ in range(count)])
                for count in sentence_counts]

    def _predict_runs(self, instances: List[Instance]) -> List[JsonDict]:
        """The outputs of sentence and pair `instances`, in their order."""
        results: Dict[int, JsonDict] = {}
        outputs = SENTENCE_OUTPUTS + (PROBABILITY_OUTPUTS if self.confidence else ())
        empty_sentence_output = {key: [] for key in outputs}
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


def sentence_spans(sentences: Sequence[Sequence[Any]]) -> List[List[int]]:
    """Each sentence's ``[start, end]`` (end inclusive) in the words of all `sentences`, one after the other."""
    spans, start = [], 0
    for sentence in sentences:
        spans.append([start, start + len(sentence) - 1])
        start += len(sentence)
    return spans


def joined_sentences(outputs: Sequence[JsonDict]) -> JsonDict:
    """
    One output for the sentence `outputs` of a text, in order: per-word lists one after the
    other, ``heads`` and ``chunks`` offset into the whole word list (a head 0, the root, stays
    0), and ``sentences``, each sentence's ``[start, end]`` (end inclusive).
    """
    joined: Dict[str, List[Any]] = {key: [] for key in outputs[0]}
    spans = sentence_spans([output["words"] for output in outputs])
    for output, (start, _) in zip(outputs, spans):
        for key, values in output.items():
            if key == "heads":
                values = [head + start if head else 0 for head in values]
            elif key == "chunks":
                values = [[label, first + start, last + start] for label, first, last in values]
            joined[key].extend(values)
    return {**joined, SENTENCES: spans}
