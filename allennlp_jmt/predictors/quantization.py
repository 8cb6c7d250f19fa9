"""Dynamic int8 quantization of a loaded model: the predictors' ``quantize`` option, for faster CPU prediction."""
import warnings

import torch

# The layers whose weights become int8: torch's dynamic quantization supports these, and the
# taggers' time goes into them (the word and character BiGRUs, JMT's BiLSTMs, the tag scores).
QUANTIZED_LAYERS = {torch.nn.GRU, torch.nn.LSTM, torch.nn.Linear}


def quantize_dynamically(model: torch.nn.Module) -> torch.nn.Module:
    """
    `model` with its GRU, LSTM and linear layers replaced, in place, by torch's dynamically
    quantized ones (`torch.ao.quantization.quantize_dynamic`): int8 weights, activations
    quantized on the fly at each call, for the CPU only. The replacements accept what the
    originals accept, packed sequences included, so AllenNLP's ``gru``/``lstm`` wrappers and the
    taggers' encoders run unchanged. For prediction: the quantized layers have no gradients.
    """
    with warnings.catch_warnings():
        # Recent torch releases mark torch.ao.quantization (and the quantized tensors it makes)
        # as deprecated in favour of the separate torchao package; the eager API still works, and
        # these two warnings, raised here only (not while the model runs), would otherwise greet
        # every user who asks for quantization.
        warnings.filterwarnings("ignore", "torch.ao.quantization is deprecated", DeprecationWarning)
        warnings.filterwarnings("ignore", "torch.quantize_per_tensor", UserWarning)
        return torch.ao.quantization.quantize_dynamic(model, QUANTIZED_LAYERS, dtype=torch.qint8, inplace=True)
