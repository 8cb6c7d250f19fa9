"""Hashimoto et al. (2017)'s label embeddings: a lower task's prediction, fed to the layers above."""
import torch


class LabelEmbedding(torch.nn.Module):
    """
    The expected label embedding under a task's predicted distribution: softmax(logits) times a
    learned (num_labels, embedding_dim) matrix, so that upper layers see a soft, differentiable
    summary of what the lower task predicted (JMT's y^(pos), y^(chk) and the relatedness
    label embedding given to the entailment classifier).

    # Parameters

    num_labels : `int`
    embedding_dim : `int`
    """

    def __init__(self, num_labels: int, embedding_dim: int) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.empty(num_labels, embedding_dim))
        torch.nn.init.xavier_uniform_(self.weight)

    def forward(self, logits: torch.Tensor) -> torch.Tensor:
        """(..., num_labels) logits -> (..., embedding_dim)."""
        return torch.softmax(logits, dim=-1) @ self.weight

    def get_output_dim(self) -> int:
        return self.weight.size(1)
