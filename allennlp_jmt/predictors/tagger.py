"""Tagging raw or pre-tokenized sentences with a trained tagger, offline."""
from typing import Any, Dict, List

from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.data.tokenizers.blank_spacy_tokenizer import BlankSpacyTokenizer
from allennlp_jmt.predictors.sentence_input import sentence_words

OUTPUT_KEYS = ("words", "tags", "spans", "gold_tags")
CONLLEVAL_PREFIXES = {"L-": "E-", "U-": "S-"}  # BIOUL spelled as conlleval's BIOES


@Predictor.register("jmt_tagger")
class TaggerPredictor(Predictor):
    """
    Tags sentences given as JSON lines, either ``{"tokens": ["The", "dog", ...]}`` or
    ``{"sentence": "raw text"}`` (split by spaCy's blank tokenizer for `language`: no model,
    no network). Output per sentence: ``words``, ``tags`` and, for span taggers, ``spans``
    (``[label, start, end]``, end inclusive); with ``--use-dataset-reader``, also the file's
    ``gold_tags``. An empty sentence gives empty lists.

    With ``conll_output``, each sentence is written as conlleval's input instead of JSON: one
    ``word gold predicted`` line per word (BIOUL written as conlleval's BIOES), a blank line
    after each sentence. Use it with ``--use-dataset-reader`` so that gold tags are known:
    ``allennlp predict model.tar.gz test.txt --use-dataset-reader --predictor-args
    '{"conll_output": true}' --output-file predictions.txt``, then ``conlleval < predictions.txt``.

    Registered as a `Predictor` with name "jmt_tagger".

    # Parameters

    model : `Model`
    dataset_reader : `DatasetReader`
        A reader with ``text_to_instance(words)`` (every tagging reader of this project).
    language : `str`, optional (default=`"en"`)
        The spaCy language whose blank tokenizer splits raw ``sentence`` inputs.
    conll_output : `bool`, optional (default=`False`)
        Write conlleval lines instead of JSON.
    """

    def __init__(
        self, model: Model, dataset_reader: DatasetReader, language: str = "en", conll_output: bool = False
    ) -> None:
        super().__init__(model, dataset_reader)
        self.tokenizer = BlankSpacyTokenizer(language)
        self.conll_output = conll_output

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        return self._dataset_reader.text_to_instance(sentence_words(json_dict, self.tokenizer))

    def predict_instance(self, instance: Instance) -> JsonDict:
        return self.predict_batch_instance([instance])[0]

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        """Runs the model on the non-empty sentences; an empty one gets empty outputs without it."""
        non_empty = [instance for instance in instances if len(instance["tokens"]) > 0]
        outputs = iter(super().predict_batch_instance(non_empty) if non_empty else [])
        results = []
        for instance in instances:
            result: Dict[str, Any] = (
                next(outputs) if len(instance["tokens"]) > 0 else {"words": [], "tags": [], "spans": []}
            )
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
        lines = [
            f"{word} {_conlleval_tag(gold)} {_conlleval_tag(predicted)}"
            for word, gold, predicted in zip(outputs["words"], outputs["gold_tags"], outputs["tags"])
        ]
        return "\n".join(lines) + "\n\n"


def _conlleval_tag(tag: str) -> str:
    prefix = CONLLEVAL_PREFIXES.get(tag[:2])
    return prefix + tag[2:] if prefix else tag
