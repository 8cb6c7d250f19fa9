"""
The predictors' base runs the model in inference mode and makes JSON of the outputs it is asked for
only (a tagger's logits, for one, cost more to convert than to decode).
"""
import numpy
import torch
from allennlp.data import DatasetReader, Instance, Token, Vocabulary
from allennlp.data.fields import TextField
from allennlp.models import Model

from allennlp_jmt.predictors.sentence_predictor import SentencePredictor


class TensorModel(Model):
    """Answers each sentence with its words and a numpy array, and records whether it ran in inference mode."""

    def __init__(self):
        super().__init__(Vocabulary())
        self.weight = torch.nn.Parameter(torch.zeros(1))
        self.inference_mode = []

    def forward_on_instances(self, instances):
        self.inference_mode.append(torch.is_inference_mode_enabled())
        return [{"words": [token.text for token in instance["tokens"]], "logits": numpy.zeros((2, 3))}
                for instance in instances]


def sentence(*words):
    return Instance({"tokens": TextField([Token(word) for word in words])})


def test_only_the_asked_outputs_are_kept_and_the_model_runs_in_inference_mode():
    model = TensorModel()
    predictor = SentencePredictor(model, DatasetReader())
    instances = [sentence("a", "b"), sentence(), sentence("c")]
    assert predictor.predict_non_empty(instances, {"words": []}, output_keys=("words",)) == [
        {"words": ["a", "b"]}, {"words": []}, {"words": ["c"]}]
    everything = predictor.predict_non_empty(instances, {})
    assert everything[0]["logits"] == [[0.0] * 3] * 2  # sanitized, as AllenNLP's predictors do
    assert model.inference_mode == [True, True] and not torch.is_inference_mode_enabled()
