"""Label embeddings: the expected embedding under softmax(logits), differentiable in the logits."""
import numpy as np
import torch

from allennlp_jmt.modules.label_embedding import LabelEmbedding


def test_the_output_is_the_probability_weighted_sum_of_the_label_embeddings():
    torch.manual_seed(0)
    module = LabelEmbedding(num_labels=7, embedding_dim=4)
    assert module.get_output_dim() == 4 and module.weight.shape == (7, 4)
    logits = torch.randn(2, 3, 7)
    output = module(logits)
    assert output.shape == (2, 3, 4)
    x = logits.numpy()
    probabilities = np.exp(x - x.max(-1, keepdims=True))
    probabilities /= probabilities.sum(-1, keepdims=True)
    expected = np.einsum("btl,ld->btd", probabilities, module.weight.detach().numpy())
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_a_confident_prediction_gives_that_labels_embedding():
    module = LabelEmbedding(num_labels=3, embedding_dim=5)
    logits = torch.tensor([[0.0, 100.0, 0.0]])
    assert torch.allclose(module(logits)[0], module.weight[1], atol=1e-6)


def test_gradient_reaches_the_logits_and_the_embeddings():
    torch.manual_seed(1)
    module = LabelEmbedding(num_labels=5, embedding_dim=3)
    logits = torch.randn(4, 5, requires_grad=True)
    module(logits).pow(2).sum().backward()
    assert logits.grad is not None and logits.grad.abs().sum() > 0
    assert torch.allclose(logits.grad.sum(-1), torch.zeros(4), atol=1e-6)  # softmax is shift-invariant
    assert module.weight.grad.abs().sum() > 0
