"""Tagging sentences with a jointly trained tagger (one task's head, or every head), offline."""
from collections import defaultdict
from typing import Any, Dict, List, Optional

from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict
from allennlp.data import DatasetReader, Instance
from allennlp.data.dataset_readers import MultiTaskDatasetReader
from allennlp.models import Model
from allennlp.models.multitask import MultiTaskModel
from allennlp.predictors import Predictor

from allennlp_jmt.predictors.quantization import quantize_dynamically
from allennlp_jmt.predictors.sentence_input import sentence_words
from allennlp_jmt.predictors.sentence_predictor import SentencePredictor
from allennlp_jmt.predictors.tagger import CrfOutputs
from allennlp_jmt.upstream import multitask_heads

# What a line without a task gets from each head, as "{task}_{key}".
PER_TASK_KEYS = ("tags", "spans", "top_k", "tag_probabilities", "span_probabilities")


@Predictor.register("jmt_joint_tagger")
class JointTaggerPredictor(SentencePredictor):
    """
    Tags sentences with a ``multitask`` model of ``jmt_crf_tagger`` heads (Yang et al.'s joint
    training), given as JSON lines ``{"tokens": [...]}`` or ``{"sentence": "raw text"}`` (split
    by spaCy's blank tokenizer for `language`: no model, no network), with an optional
    ``"task"`` naming the head to run (in a cross-lingual model, the language's task):

    - with a task (on the line, or the predictor's `task`): ``task``, ``words``, ``tags`` and,
      for span tasks, ``spans`` (``[label, start, end]``, end inclusive), as ``jmt_tagger``
      outputs them for a single-task model (and, when asked, ``top_k``,
      ``tag_probabilities`` and ``span_probabilities``);
    - without: ``words``, and ``{task}_tags`` (and ``{task}_spans``, and the asked
      ``{task}_top_k``, ``{task}_tag_probabilities``, ``{task}_span_probabilities``) for every head.

    An unknown task is an error that lists the model's tasks; an empty sentence gives empty
    lists. The model's instances are batched per task (a ``multitask`` model's outputs are
    per head), and the outputs come back in the order of the inputs. Scores on a labelled
    file come from ``allennlp evaluate`` (the multi-task reader cannot read a single file,
    so ``--use-dataset-reader`` does not apply): ``allennlp evaluate model.tar.gz
    '{"nl_ner": "ned.testb"}'``.

    Registered as a `Predictor` with name "jmt_joint_tagger".

    # Parameters

    model : `Model`
        A ``multitask`` model.
    dataset_reader : `DatasetReader`
        Its ``multitask`` reader, whose task readers build each task's instances.
    language : `str`, optional (default=`"en"`)
        The spaCy language whose blank tokenizer splits raw ``sentence`` inputs.
    task : `str`, optional (default=`None`: every head, unless a line names its task)
        The task of the lines that name none.
    top_k : `int`, optional (default=`None`: off)
        Add ``top_k``, the head's `top_k` best tag sequences among those its constrained
        decoding allows, best first (the first is ``tags``), with their scores and
        probabilities, as ``jmt_tagger`` gives them.
    confidence : `bool`, optional (default=`False`)
        Add ``tag_probabilities`` (each word's predicted tag's marginal probability) and, for
        span tasks, ``span_probabilities`` (each span's, in the order of ``spans``), as
        ``jmt_tagger`` gives them. An empty sentence gives both options empty lists.
    quantize : `bool`, optional (default=`False`)
        Quantize the model's GRU, LSTM and linear layers to int8, as ``jmt_tagger`` does, for
        faster prediction on the CPU with nearly the same tags.
    """

    def __init__(
        self,
        model: Model,
        dataset_reader: DatasetReader,
        language: str = "en",
        task: Optional[str] = None,
        top_k: Optional[int] = None,
        confidence: bool = False,
        quantize: bool = False,
    ) -> None:
        if not isinstance(model, MultiTaskModel) or not isinstance(dataset_reader, MultiTaskDatasetReader):
            raise ConfigurationError("jmt_joint_tagger needs a 'multitask' model and reader (a jointly trained "
                                     "archive); for a single-task tagger use jmt_tagger")
        super().__init__(quantize_dynamically(model) if quantize else model, dataset_reader, language)
        self.tasks = list(multitask_heads(model))
        self.task = self._checked(task) if task is not None else None
        self.crf_outputs = CrfOutputs(top_k, confidence)
        self.taggings = {task: self.crf_outputs.tagging_of(head) for task, head in multitask_heads(model).items()}

    def _checked(self, task: Any) -> str:
        if task not in self.tasks:
            raise ValueError(f"unknown task {task!r}: this model's tasks are {self.tasks}")
        return task

    def _tasks_of(self, json_dict: JsonDict) -> List[str]:
        task = json_dict.get("task", self.task)
        return self.tasks if task is None else [self._checked(task)]

    def _instance(self, task: str, words: List[str]) -> Instance:
        reader = self._dataset_reader.readers[task]  # AllenNLP's shim: it adds the "task" field
        instance = reader.text_to_instance(words)
        reader.apply_token_indexers(instance)
        return instance

    def _json_to_instance(self, json_dict: JsonDict) -> Instance:
        tasks = self._tasks_of(json_dict)
        if len(tasks) != 1:
            raise ValueError(f'one instance is one task\'s: name it with "task" (one of {self.tasks})')
        return self._instance(tasks[0], sentence_words(json_dict, self.tokenizer))

    def predict_json(self, inputs: JsonDict) -> JsonDict:
        return self.predict_batch_json([inputs])[0]

    def predict_batch_json(self, inputs: List[JsonDict]) -> List[JsonDict]:
        lines = [(sentence_words(json_dict, self.tokenizer), self._tasks_of(json_dict)) for json_dict in inputs]
        outputs = iter(self.predict_batch_instance(
            [self._instance(task, words) for words, tasks in lines for task in tasks]
        ))
        results = []
        for json_dict, (words, tasks) in zip(inputs, lines):
            per_task = [next(outputs) for _ in tasks]
            if json_dict.get("task", self.task) is not None:
                results.append(per_task[0])
                continue
            result: Dict[str, Any] = {"words": words}
            for output in per_task:
                task = output["task"]
                result.update({f"{task}_{key}": output[key] for key in PER_TASK_KEYS if key in output})
            results.append(result)
        return results

    def predict_batch_instance(self, instances: List[Instance]) -> List[JsonDict]:
        """Each instance (with its ``task`` field) tagged by its task's head; empty sentences skip the model."""
        indices_by_task: Dict[str, List[int]] = defaultdict(list)
        for index, instance in enumerate(instances):
            indices_by_task[self._checked(instance["task"].metadata)].append(index)
        results: List[JsonDict] = [{} for _ in instances]
        for task, indices in indices_by_task.items():
            spans = getattr(multitask_heads(self._model)[task], "label_encoding", None) is not None
            outputs = self.predict_non_empty([instances[index] for index in indices], empty_output={},
                                             output_keys=self.crf_outputs.model_keys(prefix=f"{task}_"))
            extras = self.crf_outputs.of(self.taggings[task], outputs, prefix=f"{task}_")
            for index, output, extra in zip(indices, outputs, extras):
                result = {"task": task, "words": instances[index]["metadata"]["words"],
                          "tags": output.get(f"{task}_tags", [])}
                if spans:
                    result["spans"] = output.get(f"{task}_spans", [])
                results[index] = {**result, **extra}
        return results
