"""Tagging raw or pre-tokenized sentences with a trained tagger, offline."""
from typing import List, Optional

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.models import Model
from allennlp.predictors import Predictor

from allennlp_jmt.data.dataset_readers.tag_schemes import canonical_conll_scheme, to_conll_scheme
from allennlp_jmt.modules.crf_tagging import CrfTagging
from allennlp_jmt.predictors.quantization import quantize_dynamically
from allennlp_jmt.predictors.sentence_input import sentence_words
from allennlp_jmt.predictors.sentence_predictor import SentencePredictor

OUTPUT_KEYS = ("words", "tags", "spans", "gold_tags", "top_k", "tag_probabilities", "span_probabilities")
# The model outputs that a prediction takes (its words come from the instance), and those that
# `CrfOutputs` reads: the others are not made into JSON, which would cost time.
MODEL_OUTPUT_KEYS = ("tags", "spans")
CRF_INPUT_KEYS = ("logits", "mask", "predicted_tags")
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
    top_k : `int`, optional (default=`None`: off)
        Add ``top_k``: the `top_k` best tag sequences that the model's decoding allows (its
        span-scheme constraints, START and END included), best first, each ``{"tags", "spans"
        (span taggers), "score", "probability"}``: the unnormalised path score and the
        sequence's probability among the allowed ones. Fewer where fewer sequences are allowed;
        the first is ``tags``.
    confidence : `bool`, optional (default=`False`)
        Add ``tag_probabilities`` (for each word, the marginal probability of its predicted
        tag) and, for span taggers, ``span_probabilities`` (for each of ``spans``, the
        probability that the tags contain exactly that span). Both come from an exact
        forward-backward over the sequences decoding allows, without the training cost.
    quantize : `bool`, optional (default=`False`)
        Quantize the model's GRU, LSTM and linear layers to int8 (`quantize_dynamically`), for
        faster prediction on the CPU, with nearly the same tags (``docs/benchmarks.md`` measures
        both); the model object is changed in place.

    `top_k` and `confidence` need a CRF tagger (``jmt_hier_gru_crf``); an empty sentence gives
    them empty lists.
    """

    def __init__(
        self,
        model: Model,
        dataset_reader: DatasetReader,
        language: str = "en",
        conll_output: bool = False,
        conll_scheme: str = "IOB2",
        top_k: Optional[int] = None,
        confidence: bool = False,
        quantize: bool = False,
    ) -> None:
        super().__init__(quantize_dynamically(model) if quantize else model, dataset_reader, language)
        self.conll_output = conll_output
        self.conll_scheme = canonical_conll_scheme(conll_scheme)
        self.label_encoding = _label_encoding(model, dataset_reader)
        self.crf_outputs = CrfOutputs(top_k, confidence)
        self.tagging = self.crf_outputs.tagging_of(model)

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        return self._dataset_reader.text_to_instance(sentence_words(json_dict, self.tokenizer))

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        """Runs the model on the non-empty sentences; an empty one gets empty outputs without it."""
        results = []
        keys = self.crf_outputs.model_keys()
        outputs = self.predict_non_empty(instances, EMPTY_SENTENCE_OUTPUT, output_keys=keys)
        for instance, result, extra in zip(instances, outputs, self.crf_outputs.of(self.tagging, outputs)):
            result.update(extra)
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


class CrfOutputs:
    """
    The optional outputs of the CRF taggers' predictors (``jmt_tagger``, ``jmt_joint_tagger``):
    `top_k` tag sequences (`CrfTagging.top_k_outputs`), and with `confidence`, tag and span
    probabilities (`CrfTagging.confidence_outputs`), computed for a batch from its model
    outputs.

    # Parameters

    top_k : `int`, optional (default=`None`: no ``top_k`` output)
        How many of the best allowed tag sequences; 1 at least.
    confidence : `bool`, optional (default=`False`)
        Add ``tag_probabilities`` and, for span tags, ``span_probabilities``.
    """

    def __init__(self, top_k: Optional[int] = None, confidence: bool = False) -> None:
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
            raise ValueError(f"top_k must be a whole number, 1 at least, not {top_k!r}")
        self.top_k = top_k
        self.confidence = confidence

    @property
    def wanted(self) -> bool:
        """Whether any optional output is asked for."""
        return self.top_k is not None or self.confidence

    def model_keys(self, prefix: str = "") -> List[str]:
        """The keys (after `prefix`) of the model outputs a prediction takes, these options' inputs included."""
        return [prefix + key for key in MODEL_OUTPUT_KEYS + (CRF_INPUT_KEYS if self.wanted else ())]

    def tagging_of(self, module: torch.nn.Module) -> Optional[CrfTagging]:
        """
        The one `CrfTagging` of `module` (a CRF tagger, or one head of a joint model) when an
        optional output is asked for, else `None`; a `ConfigurationError` if it has none.
        """
        if not self.wanted:
            return None
        taggings = [inner for inner in module.modules() if isinstance(inner, CrfTagging)]
        if len(taggings) != 1:
            raise ConfigurationError(f"top_k and confidence need a CRF tagger (one CrfTagging module), and "
                                     f"{type(module).__name__} has {len(taggings)}")
        return taggings[0]

    def of(self, tagging: Optional[CrfTagging], model_outputs: List[JsonDict], prefix: str = "") -> List[JsonDict]:
        """
        The optional outputs of each of a batch's model outputs (sanitized, one per sentence,
        their keys after `prefix`), computed as one batch: ``top_k``, ``tag_probabilities`` and
        ``span_probabilities`` as asked, empty lists for a sentence the model did not run on
        (without ``logits``: an empty one); nothing when none is asked (`tagging` is then `None`).
        """
        if tagging is None:
            return [{} for _ in model_outputs]
        keys = (["top_k"] if self.top_k is not None else []) + (["tag_probabilities"] if self.confidence else [])
        if self.confidence and tagging.label_encoding is not None:
            keys.append("span_probabilities")
        extras: List[JsonDict] = [{key: [] for key in keys} for _ in model_outputs]
        ran = [index for index, output in enumerate(model_outputs) if prefix + "logits" in output]
        if not ran:
            return extras
        device = tagging.crf.transitions.device

        def batched(key: str, dtype: torch.dtype) -> torch.Tensor:
            return torch.tensor([model_outputs[index][prefix + key] for index in ran], dtype=dtype, device=device)

        logits, mask = batched("logits", torch.float), batched("mask", torch.bool)
        if self.top_k is not None:
            for index, sequences in zip(ran, tagging.top_k_outputs(logits, mask, self.top_k)):
                extras[index]["top_k"] = sequences
        if self.confidence:
            confidences = tagging.confidence_outputs(logits, mask, batched("predicted_tags", torch.long))
            for index, confidence in zip(ran, confidences):
                extras[index].update(confidence)
        return extras


def _label_encoding(model: Model, reader: DatasetReader) -> Optional[str]:
    """
    The span scheme of the tags: the model's `label_encoding` (by which it decodes and scores
    its spans), else the scheme the reader gives its tags in; ``None`` for tags that are not spans.
    """
    if hasattr(model, "label_encoding"):
        return model.label_encoding
    tag_scheme = getattr(reader, "tag_scheme", None)
    return tag_scheme and (getattr(reader, "coding_scheme", None) or tag_scheme)
