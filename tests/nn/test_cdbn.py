"""ConvolutionalDBN and the multi-channel ConvRBM against inference written out with torch's
convolutions, an explicit loop for the image-space filters, and autograd."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from refimpl.experiments._threads import single_thread
from refimpl.experiments.crbm import bar_images
from refimpl.nn import ConvolutionalDBN, ConvRBM

F64 = torch.float64


def _dbn(seed: int = 0, **kw) -> ConvolutionalDBN:
    torch.manual_seed(seed)
    config = {"n_filters": (3, 4), "kernel_sizes": (3, 3), "pool_sizes": (2, 2)} | kw
    dbn = ConvolutionalDBN(**config).double()
    with torch.no_grad():
        for rbm in dbn.layers:
            rbm.weight.normal_(0, 0.7)
            rbm.hidden_bias.normal_(0, 0.3)
    return dbn


def _pool_by_hand(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, C: int):
    """P(p = 1 | x) = 1 - 1 / (1 + Σ_block exp(I)) with I from torch's conv2d, block by block."""
    drive = torch.exp(F.conv2d(x, weight, bias))  # (B, K, h, w)
    block_sums = F.avg_pool2d(drive, C) * C * C  # Σ over each C×C block
    return 1 - 1 / (1 + block_sums)


def test_layer_two_sees_layer_one_pooled_probabilities() -> None:
    dbn = _dbn()
    v = (torch.rand(2, 1, 10, 10, dtype=F64) < 0.3).to(F64)
    l1 = dbn.layers[0]
    expected = _pool_by_hand(v, l1.weight, l1.hidden_bias, 2)  # (2, 3, 4, 4)
    torch.testing.assert_close(dbn.layer_input(v, 1), expected)
    torch.testing.assert_close(dbn.layer_input(v, 0), v)


def test_up_pass_composes_the_two_layers_by_hand() -> None:
    dbn = _dbn()
    v = (torch.rand(3, 1, 10, 10, dtype=F64) < 0.3).to(F64)
    l1, l2 = dbn.layers
    p1 = _pool_by_hand(v, l1.weight, l1.hidden_bias, 2)  # (3, 3, 4, 4)
    p2 = _pool_by_hand(p1, l2.weight, l2.hidden_bias, 2)  # (3, 4, 1, 1)
    torch.testing.assert_close(dbn(v), p2)
    up = dbn.up(v)
    assert len(up) == 2
    torch.testing.assert_close(up[0], p1)


@pytest.mark.parametrize(
    ("size", "filters", "kernels", "pools", "shapes"),
    [
        (16, (8, 8), (5, 3), (2, 2), [(8, 6, 6), (8, 2, 2)]),
        (12, (2, 5), (3, 3), (1, 2), [(2, 10, 10), (5, 4, 4)]),
        (14, (4, 3), (3, 2), (3, 1), [(4, 4, 4), (3, 3, 3)]),
    ],
)
def test_shapes(size, filters, kernels, pools, shapes) -> None:
    dbn = ConvolutionalDBN(filters, kernels, pools)
    v = torch.rand(2, 1, size, size)
    assert [tuple(x.shape[1:]) for x in dbn.up(v)] == shapes
    assert dbn.layers[1].weight.shape == (filters[1], filters[0], kernels[1], kernels[1])
    assert dbn.layers[1].visible_probs(dbn.layers[1].hidden_probs(dbn.up(v)[0])[0]).shape == (
        2,
        *shapes[0],
    )


def test_mismatched_configuration_is_rejected() -> None:
    with pytest.raises(ValueError):
        ConvolutionalDBN((2, 3), (3,), (2, 2))


def test_multichannel_rbm_conditionals_and_gradients() -> None:
    torch.manual_seed(2)
    rbm = ConvRBM(3, 2, pool_size=2, in_channels=4).double()
    with torch.no_grad():
        rbm.weight.normal_(0, 0.5)
        rbm.visible_bias.normal_(0, 0.5)
    x = torch.rand(5, 4, 5, 5, dtype=F64)
    h = torch.rand(5, 3, 4, 4, dtype=F64)
    c = rbm.visible_bias.reshape(1, 4, 1, 1)
    expected = torch.sigmoid(F.conv_transpose2d(h, rbm.weight) + c)
    torch.testing.assert_close(rbm.visible_probs(h), expected)
    analytic = rbm.free_energy_grad(x)
    rbm.free_energy(x).mean().backward()
    for name, p in rbm.named_parameters():
        torch.testing.assert_close(analytic[name], p.grad)


def test_image_space_filters_place_first_layer_filters_by_hand() -> None:
    dbn = _dbn(n_filters=(2, 3), kernel_sizes=(3, 2), pool_sizes=(2, 1))
    w1, w2 = dbn.layers[0].weight.detach(), dbn.layers[1].weight.detach()
    C, k1, k2 = 2, 3, 2
    S = k2 * C + k1 - 1
    expected = torch.zeros(3, 1, S, S, dtype=F64)
    for k, c, a, b, u, t in itertools.product(
        range(3), range(2), range(k2), range(k2), range(C), range(C)
    ):
        # pooling unit (a, b) of map c covers detection units (aC+u, bC+t); each adds its
        # first-layer filter at its own position, with an equal share of the layer-2 weight
        i, j = a * C + u, b * C + t
        expected[k, :, i : i + k1, j : j + k1] += w2[k, c, a, b] / C**2 * w1[c]
    torch.testing.assert_close(dbn.image_space_filters(1), expected)


def test_greedy_training_of_layer_two_lowers_its_reconstruction_error() -> None:
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    data = bar_images(300, seed=0)
    dbn = ConvolutionalDBN((8, 6), (5, 3), (2, 2))
    with torch.no_grad():
        for rbm in dbn.layers:
            rbm.weight.normal_(0, 0.3)
    with single_thread():
        dbn.train_layer(0, data, 40, batch=16, generator=gen)
        layer1 = {k: p.clone() for k, p in dbn.layers[0].state_dict().items()}
        x = dbn.layer_input(data, 1).detach()  # layer 1's pooled probabilities

        def recon_error() -> float:
            with torch.no_grad():
                rbm = dbn.layers[1]
                return ((rbm.visible_probs(rbm.hidden_probs(x)[0]) - x) ** 2).mean().item()

        mean = x.mean((0, 2, 3))
        with torch.no_grad():  # the initial state train_layer starts from
            dbn.layers[1].visible_bias.copy_(torch.log(mean / (1 - mean)))
        before = recon_error()
        dbn.train_layer(1, data, 150, generator=gen)
        after = recon_error()
    assert after < 0.7 * before
    for k, p in dbn.layers[0].state_dict().items():  # greedy: layer 1 stays frozen
        torch.testing.assert_close(p, layer1[k], rtol=0, atol=0)
