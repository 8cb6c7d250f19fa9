"""JMT's sentence-pair classifier: masked max-pooling, the pair feature, maxout depth and output shape."""
import numpy as np
import pytest
import torch

from allennlp_jmt.modules.sentence_pair_classifier import SentencePairClassifier


def padded_pair(batch=3, dim=4):
    """Negative states (so that zero padding would win an unmasked max), huge values where padded."""
    torch.manual_seed(0)
    first, second = -1 - torch.rand(batch, 6, dim), -1 - torch.rand(batch, 5, dim)
    first_mask = torch.arange(6) < torch.tensor([6, 2, 4]).unsqueeze(1)
    second_mask = torch.arange(5) < torch.tensor([3, 5, 1]).unsqueeze(1)
    first[~first_mask], second[~second_mask] = 1e6, 1e6
    return first, first_mask, second, second_mask


def pooled(states, mask):
    return np.stack([s[m].max(0) for s, m in zip(states.numpy(), mask.numpy())])


@pytest.mark.parametrize("absolute, extra_dim", [(True, 0), (False, 3)])
def test_the_first_maxout_layer_sees_the_pair_feature_of_the_masked_max_pooled_states(absolute, extra_dim):
    first, first_mask, second, second_mask = padded_pair()
    module = SentencePairClassifier(4, 3, hidden_dim=6, maxout_layers=2, absolute_difference=absolute,
                                    extra_dim=extra_dim).eval()
    extra = torch.randn(3, extra_dim) if extra_dim else None
    seen = []
    module.maxout._linear_layers[0].register_forward_pre_hook(lambda layer, inputs: seen.append(inputs[0]))
    scores = module(first, first_mask, second, second_mask, extra)
    assert scores.shape == (3, 3)
    a, b = pooled(first, first_mask), pooled(second, second_mask)
    difference = np.abs(a - b) if absolute else a - b
    expected = np.concatenate([difference, a * b] + ([extra.numpy()] if extra_dim else []), axis=-1)
    np.testing.assert_allclose(seen[0].detach().numpy(), expected, rtol=1e-6)
    assert not absolute or (seen[0][:, :4] >= 0).all()


def test_padding_never_changes_the_scores():
    first, first_mask, second, second_mask = padded_pair()
    module = SentencePairClassifier(4, 5, hidden_dim=6, maxout_layers=1).eval()
    batched = module(first, first_mask, second, second_mask)
    for i in range(3):  # each pair alone, without padding
        n, m = int(first_mask[i].sum()), int(second_mask[i].sum())
        alone = module(first[i:i + 1, :n], first_mask[i:i + 1, :n], second[i:i + 1, :m], second_mask[i:i + 1, :m])
        torch.testing.assert_close(batched[i:i + 1], alone)
    assert batched.abs().max() < 1e3  # the 1e6 padding never won a max


@pytest.mark.parametrize("layers", [1, 3])
def test_maxout_depth_widths_and_pool_size(layers):
    module = SentencePairClassifier(4, 2, hidden_dim=6, maxout_layers=layers, pool_size=3, extra_dim=5)
    linear = module.maxout._linear_layers
    assert len(linear) == layers
    assert linear[0].in_features == 2 * 4 + 5
    assert all(layer.out_features == 6 * 3 for layer in linear)
    assert (module.output.in_features, module.output.out_features) == (6, 2)
