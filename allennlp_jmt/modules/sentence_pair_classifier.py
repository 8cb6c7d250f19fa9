"""JMT's sentence-pair classifiers (relatedness, entailment) over max-pooled sentence states."""
from typing import Optional

import torch
from allennlp.modules import Maxout
from allennlp.nn import util


class SentencePairClassifier(torch.nn.Module):
    """
    Hashimoto et al. (2017)'s relatedness and entailment outputs: each sentence is the max over
    time of its layer's states (a, b); the pair feature is [|a − b|; a ⊙ b] (relatedness) or
    [a − b; a ⊙ b] (entailment), optionally followed by extra features (the relatedness label
    embedding, for entailment); maxout layers and a linear layer give the class scores.

    # Parameters

    input_dim : `int`
        The width of the sentence states.
    num_classes : `int`
    hidden_dim : `int`
        The output width of each maxout layer.
    maxout_layers : `int`
        1 for relatedness, 3 for entailment in the paper.
    pool_size : `int`, optional (default=`2`)
    absolute_difference : `bool`, optional (default=`False`)
        Use |a − b| rather than a − b.
    extra_dim : `int`, optional (default=`0`)
        The width of extra pair features appended to the pair feature.
    dropout : `float`, optional (default=`0.0`)
    """

    def __init__(
        self,
        input_dim: int,
        num_classes: int,
        hidden_dim: int,
        maxout_layers: int,
        pool_size: int = 2,
        absolute_difference: bool = False,
        extra_dim: int = 0,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.absolute_difference = absolute_difference
        self.maxout = Maxout(2 * input_dim + extra_dim, maxout_layers, hidden_dim, pool_size, dropout)
        self.output = torch.nn.Linear(hidden_dim, num_classes)

    def forward(
        self,
        first: torch.Tensor,
        first_mask: torch.BoolTensor,
        second: torch.Tensor,
        second_mask: torch.BoolTensor,
        extra: Optional[torch.Tensor] = None,
    ) -> torch.Tensor:
        """Sentence states (batch, length, dim) and masks -> class scores (batch, num_classes)."""
        a = util.masked_max(first, first_mask.unsqueeze(-1), dim=1)
        b = util.masked_max(second, second_mask.unsqueeze(-1), dim=1)
        difference = (a - b).abs() if self.absolute_difference else a - b
        features = [difference, a * b] + ([extra] if extra is not None else [])
        return self.output(self.maxout(torch.cat(features, dim=-1)))
