"""
Every private name of AllenNLP that the plugin uses, behind one small public interface.

Matches allennlp 2.10.1 (the last release; the project pins it in requirements/lock.txt). If an
upstream change renames or removes one of these, this module is the one place to mend: nothing
else in `allennlp_jmt` touches a private AllenNLP name (``tests/test_upstream.py`` checks that).
"""
import argparse
from typing import Dict, Iterable, Iterator, List, TypeVar

import torch
from allennlp.commands.predict import _get_predictor, _predict
from allennlp.common import Registrable
from allennlp.data import Vocabulary
from allennlp.data.data_loaders.multitask_scheduler import _chunked_iterator
from allennlp.models.heads import Head
from allennlp.models.multitask import MultiTaskModel
from allennlp.modules import ConditionalRandomField, TimeDistributed
from allennlp.predictors import Predictor
from allennlp.training.learning_rate_schedulers.learning_rate_scheduler import (
    _PyTorchLearningRateSchedulerWithMetricsWrapper,
    _PyTorchLearningRateSchedulerWrapper,
)

T = TypeVar("T")

# AllenNLP's wrappers that turn a torch learning-rate scheduler into an AllenNLP one (without
# and with a metric given to `step`); AllenNLP's own schedulers subclass them.
PyTorchSchedulerWrapper = _PyTorchLearningRateSchedulerWrapper
PyTorchSchedulerWithMetricsWrapper = _PyTorchLearningRateSchedulerWithMetricsWrapper


def chunked(items: Iterable[T], chunk_size: int, drop_last: bool) -> Iterator[List[T]]:
    """`items` in lists of `chunk_size` (the last one shorter unless `drop_last`), as AllenNLP's schedulers batch."""
    return _chunked_iterator(items, chunk_size, drop_last)


def constraint_mask(crf: ConditionalRandomField) -> torch.Tensor:
    """A CRF's (num_tags + 2, num_tags + 2) allowed-transition mask, start and end tags last (1 allowed, 0 not)."""
    return crf._constraint_mask


def multitask_heads(model: MultiTaskModel) -> Dict[str, Head]:
    """The heads of a `MultiTaskModel`, by task name (AllenNLP keeps them in ``_heads``)."""
    return model._heads


def inner_module(wrapper: TimeDistributed) -> torch.nn.Module:
    """The module a `TimeDistributed` wraps."""
    return wrapper._module


def oov_token(vocab: Vocabulary) -> str:
    return vocab._oov_token


def padding_token(vocab: Vocabulary) -> str:
    return vocab._padding_token


def registry() -> Dict[type, Dict[str, tuple]]:
    """``{base class: {name: (class, constructor name)}}`` of every registration."""
    return Registrable._registry


def predictor_from_arguments(args: argparse.Namespace) -> Predictor:
    """
    The predictor that ``allennlp predict`` builds from its parsed arguments: archive, weights,
    device, overrides, ``--predictor``, ``--predictor-args``.
    """
    return _get_predictor(args)


def allennlp_predict(args: argparse.Namespace) -> None:
    """Runs ``allennlp predict`` itself on its parsed arguments."""
    _predict(args)
