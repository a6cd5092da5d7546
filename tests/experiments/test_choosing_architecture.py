"""The architecture comparison: tasks and models have the claimed shapes and symmetries, and the
model whose inductive bias matches the data wins at every training-set size."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.experiments import choosing_architecture as ca

pytestmark = pytest.mark.usefixtures("one_thread")


def test_the_data_are_seeded_and_shaped():
    x, y = ca.pattern_images(5, seed=3)
    assert x.shape == (5, 1, ca.SIDE, ca.SIDE) and y.shape == (5,)
    x2, y2 = ca.pattern_images(5, seed=3)
    assert torch.equal(x, x2) and torch.equal(y, y2)
    s, t = ca.set_task(7, seed=3)
    assert s.shape == (7, ca.SET_LEN) and t.shape == (7,)
    torch.testing.assert_close(t, torch.sin(2 * s).sum(-1) / ca.SET_LEN**0.5)


def test_the_set_target_and_the_sum_pooled_model_ignore_the_order():
    s, t = ca.set_task(4, seed=0)
    perm = torch.randperm(ca.SET_LEN, generator=torch.Generator().manual_seed(1))
    t_perm = torch.sin(2 * s[:, perm]).sum(-1) / ca.SET_LEN**0.5
    torch.testing.assert_close(t, t_perm)
    torch.manual_seed(0)
    model = ca.SumPool()
    torch.testing.assert_close(model(s), model(s[:, perm]), rtol=1e-5, atol=1e-6)


def test_the_cnn_is_invariant_to_shifts_that_keep_the_pattern_inside():
    image = torch.zeros(1, 1, ca.SIDE, ca.SIDE)
    image[0, 0, 2:5, 3:6] = ca._PLUS
    shifted = torch.roll(image, shifts=(4, 2), dims=(2, 3))
    torch.manual_seed(0)
    net = ca.ConvNet()
    assert net(image).shape == (1, 2)
    torch.testing.assert_close(net(image), net(shifted))


def test_the_ordering_the_guide_describes():
    images = ca.image_comparison()
    sets = ca.set_comparison()
    mlp, cnn = (images.scores[name] for name in images.scores)
    assert mlp.shape == cnn.shape == (len(ca.SEEDS), len(ca.IMAGE_SIZES))
    # the CNN beats the MLP at every size; the MLP stays near chance, the CNN ends above 95 %
    assert np.all(cnn.mean(0) > mlp.mean(0) + 0.2)
    assert np.all(np.abs(mlp.mean(0) - 0.5) < 0.06)
    assert cnn.mean(0)[-1] > 0.95
    flat, pooled = (sets.scores[name] for name in sets.scores)
    # sum pooling wins by an order of magnitude; the MLP does no better than predicting the mean
    assert np.all(pooled.mean(0) * 10 < flat.mean(0))
    assert pooled.mean(0)[-1] < 0.03 and np.all(flat.mean(0) > 0.9)
    # the matched models are also the smaller ones
    for curves in (images, sets):
        generic, matched = curves.parameters.values()
        assert matched < generic


def test_the_comparison_is_deterministic():
    first = ca.image_comparison.__wrapped__(steps=5)
    second = ca.image_comparison.__wrapped__(steps=5)
    for name in first.scores:
        np.testing.assert_array_equal(first.scores[name], second.scores[name])
