"""Makes AllenNLP's ``evaluate_on_test`` evaluate the whole test set after distributed training."""
import os
from typing import Any, Dict

import torch.distributed as dist
from allennlp.commands.train import TrainModel
from allennlp.common import Params
from allennlp.common.util import is_distributed
from allennlp.data import DataLoader, DatasetReader, Vocabulary
from allennlp.models.archival import CONFIG_NAME
from allennlp.training import gradient_descent_trainer
from allennlp.training.callbacks import TrainerCallback


class LeaveProcessGroupAtEnd(TrainerCallback):
    """
    When distributed training has ended well, every worker leaves the process group, so that the
    test evaluation that follows on the primary worker alone (``evaluate_on_test``) runs as in one
    process: the plugin's readers then read every instance and its schedulers and metrics no
    longer wait for the other workers (which have finished: AllenNLP's own metrics would wait for
    them forever).

    It does nothing in one process. The plugin adds it to AllenNLP's default trainer callbacks
    (`gradient_descent_trainer.DEFAULT_CALLBACKS`, which come after the configured ones) when
    imported, so that no config needs to name it.
    """

    def on_end(self, trainer: "gradient_descent_trainer.GradientDescentTrainer", metrics: Dict[str, Any] = None,
               epoch: int = None, is_primary: bool = True, **kwargs) -> None:
        if metrics is not None and is_distributed():
            dist.barrier()  # every worker is done with the group
            dist.destroy_process_group()


def whole_test_set_loader(config: Params, vocab: Vocabulary) -> DataLoader:
    """The data loader of the test set that AllenNLP's ``train`` builds from `config`, read in this process."""
    reader_params = config.get("validation_dataset_reader", None) or config.get("dataset_reader")
    reader = DatasetReader.from_params(reader_params)
    loader_params = config.get("validation_data_loader", None) or config.get("data_loader")
    test_data_path = config.get("test_data_path")
    data_path = test_data_path.as_dict(quiet=True) if isinstance(test_data_path, Params) else test_data_path
    loader = DataLoader.from_params(loader_params, reader=reader, data_path=data_path)
    loader.index_with(vocab)
    return loader


_train_model_finish = TrainModel.finish


def finish_on_the_whole_test_set(train_model: TrainModel, metrics: Dict[str, Any]) -> None:
    """
    AllenNLP's `TrainModel.finish` (the test evaluation, the metrics file), with the test set
    read again after distributed training. AllenNLP's data loaders read their instances when they
    are built, so each worker's test loader holds only that worker's shard of the test set, and
    the primary worker would report the test metrics of its shard alone.
    """
    config_file = os.path.join(train_model.serialization_dir, CONFIG_NAME)
    evaluates = train_model.evaluate_on_test and train_model.evaluation_data_loader is not None
    if evaluates and os.path.exists(config_file):
        config = Params.from_file(config_file)
        if "distributed" in config and not is_distributed():
            train_model.evaluation_data_loader = whole_test_set_loader(config, train_model.model.vocab)
    _train_model_finish(train_model, metrics)


if LeaveProcessGroupAtEnd not in gradient_descent_trainer.DEFAULT_CALLBACKS:
    gradient_descent_trainer.DEFAULT_CALLBACKS += (LeaveProcessGroupAtEnd,)
    TrainModel.finish = finish_on_the_whole_test_set
