"""Tagging raw or pre-tokenized sentences with a trained tagger, offline."""
from typing import List, Optional

from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.data.dataset_readers.tag_schemes import canonical_conll_scheme, to_conll_scheme
from allennlp_jmt.predictors.sentence_input import sentence_words
from allennlp_jmt.predictors.sentence_predictor import SentencePredictor

OUTPUT_KEYS = ("words", "tags", "spans", "gold_tags")
EMPTY_SENTENCE_OUTPUT = {"words": [], "tags": [], "spans": []}  # with "spans" whatever the tagger


@Predictor.register("jmt_tagger")
class TaggerPredictor(SentencePredictor):
    """
    Tags sentences given as JSON lines, either ``{"tokens": ["The", "dog", ...]}`` or
    ``{"sentence": "raw text"}`` (split by spaCy's blank tokenizer for `language`: no model,
    no network). Output per sentence: ``words``, ``tags`` and, for span taggers, ``spans``
    (``[label, start, end]``, end inclusive); with ``--use-dataset-reader``, also the file's
    ``gold_tags``. An empty sentence gives empty lists.

    With ``conll_output``, each sentence is written as conlleval's input instead of JSON: one
    ``word gold predicted`` line per word, a blank line after each sentence. Span tags are
    written in the scheme of the corpus, `conll_scheme`, which the official ``conlleval.pl``
    reads (it does not read BIOES: it knows no S- and does not end a chunk at E- followed by
    B-). The default IOB2 suits CoNLL-2000 and CoNLL-2002; for the original CoNLL-2003 files
    (IOB1) add ``"conll_scheme": "IOB1"``. The tags go through spans (the model's decoder for
    its `label_encoding`), so conlleval's chunks are the ones the model's span metrics count;
    tags that are not spans (POS) are written as they are. Use it with
    ``--use-dataset-reader`` so that gold tags are known: ``allennlp predict model.tar.gz
    test.txt --use-dataset-reader --predictor-args '{"conll_output": true}' --output-file
    predictions.txt``, then ``conlleval.pl < predictions.txt``.

    Registered as a `Predictor` with name "jmt_tagger".

    # Parameters

    model : `Model`
    dataset_reader : `DatasetReader`
        A reader with ``text_to_instance(words)`` (every tagging reader of this project).
    language : `str`, optional (default=`"en"`)
        The spaCy language whose blank tokenizer splits raw ``sentence`` inputs.
    conll_output : `bool`, optional (default=`False`)
        Write conlleval lines instead of JSON.
    conll_scheme : `str`, optional (default=`"IOB2"`)
        The span scheme of the conlleval lines: ``"IOB2"`` (alias ``"BIO"``; CoNLL-2000,
        CoNLL-2002) or ``"IOB1"`` (the original CoNLL-2003 files). Any other is a `ValueError`.
    """

    def __init__(
        self,
        model: Model,
        dataset_reader: DatasetReader,
        language: str = "en",
        conll_output: bool = False,
        conll_scheme: str = "IOB2",
    ) -> None:
        super().__init__(model, dataset_reader, language)
        self.conll_output = conll_output
        self.conll_scheme = canonical_conll_scheme(conll_scheme)
        self.label_encoding = _label_encoding(model, dataset_reader)

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        return self._dataset_reader.text_to_instance(sentence_words(json_dict, self.tokenizer))

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        """Runs the model on the non-empty sentences; an empty one gets empty outputs without it."""
        results = []
        for instance, result in zip(instances, self.predict_non_empty(instances, EMPTY_SENTENCE_OUTPUT)):
            result["words"] = instance["metadata"]["words"]
            if "tags" in instance.fields:
                result["gold_tags"] = list(instance["tags"].labels)
            results.append({key: result[key] for key in OUTPUT_KEYS if key in result})
        return results

    def dump_line(self, outputs: JsonDict) -> str:
        if not self.conll_output:
            return super().dump_line(outputs)
        if "gold_tags" not in outputs:
            raise ValueError("conll_output needs gold tags: run allennlp predict with --use-dataset-reader")
        gold, predicted = (
            to_conll_scheme(outputs[key], self.label_encoding, self.conll_scheme) for key in ("gold_tags", "tags")
        )
        lines = [" ".join(line) for line in zip(outputs["words"], gold, predicted)]
        return "\n".join(lines) + "\n\n"


def _label_encoding(model: Model, reader: DatasetReader) -> Optional[str]:
    """
    The span scheme of the tags: the model's `label_encoding` (by which it decodes and scores
    its spans), else the scheme the reader gives its tags in; ``None`` for tags that are not spans.
    """
    if hasattr(model, "label_encoding"):
        return model.label_encoding
    tag_scheme = getattr(reader, "tag_scheme", None)
    return tag_scheme and (getattr(reader, "coding_scheme", None) or tag_scheme)
