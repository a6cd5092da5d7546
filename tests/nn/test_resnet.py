"""Residual blocks, ResNet, U-Net, squeeze-excitation and Bilinear beyond the torch contract."""

from __future__ import annotations

import torch

from refimpl.experiments.residual import gradient_norms
from refimpl.nn import Bilinear, ResidualBlock, ResNet, SqueezeExcitation, UNet


def test_residual_block_with_a_zero_last_convolution_is_the_identity():
    torch.manual_seed(0)
    block = ResidualBlock(4, 4).double()
    with torch.no_grad():
        block.conv2.weight.zero_()
        block.conv2.bias.zero_()
    x = torch.randn(2, 4, 6, 6, dtype=torch.float64, requires_grad=True)
    torch.testing.assert_close(block(x), x)
    (jacobian_row,) = torch.autograd.grad(block(x)[0, 1, 2, 3], x)
    expected = torch.zeros_like(x)
    expected[0, 1, 2, 3] = 1.0
    torch.testing.assert_close(jacobian_row, expected)  # ∂y/∂x = I


def test_resnet_whose_branches_are_zero_is_stem_pool_and_classifier():
    torch.manual_seed(0)
    net = ResNet(3, 5, widths=(4,), blocks_per_stage=3).double()
    with torch.no_grad():
        for block in net.blocks:
            block.conv2.weight.zero_()
            block.conv2.bias.zero_()
    x = torch.randn(2, 3, 8, 8, dtype=torch.float64)
    expected = torch.relu(net.stem(x)).mean(dim=(2, 3)) @ net.fc_weight + net.fc_bias
    torch.testing.assert_close(net(x), expected)


def test_resnet_halves_the_resolution_per_stage():
    net = ResNet(1, 2, widths=(2, 3, 4), blocks_per_stage=1)
    h = net.stem(torch.randn(1, 1, 16, 16))
    shapes = []
    for block in net.blocks:
        h = block(h)
        shapes.append(tuple(h.shape[1:]))
    assert shapes == [(2, 16, 16), (3, 8, 8), (4, 4, 4)]


def test_skip_paths_keep_gradient_norms_flat_through_depth():
    norms = gradient_norms(depth=30)
    plain, residual = norms["plain"], norms["residual"]
    assert plain[0] / plain[-1] < 1e-3  # the plain stack's gradient vanishes towards the input
    assert 0.1 < residual[0] / residual[-1] < 10  # the residual stack's does not


def test_unet_keeps_the_resolution_and_its_skips_carry_fine_detail():
    torch.manual_seed(0)
    unet = UNet(1, 2, base_channels=4, depth=2).double()
    x = torch.randn(1, 1, 8, 12, dtype=torch.float64, requires_grad=True)
    assert unet(x).shape == (1, 2, 8, 12)
    with torch.no_grad():  # cut the path through the bottleneck: only the skips remain
        for param in unet.down[2].parameters():
            param.zero_()
    (grad,) = torch.autograd.grad(unet(x)[0, 0, 4, 6], x)
    assert grad[0, 0, 4, 6].abs() > 1e-3  # the pixel itself still reaches its output


def test_squeeze_excitation_scales_each_channel_by_one_gate_in_zero_one():
    torch.manual_seed(0)
    se = SqueezeExcitation(6, 3).double()
    x = torch.randn(2, 6, 5, 5, dtype=torch.float64)
    gates = se.gates(x)
    assert ((gates > 0) & (gates < 1)).all()
    torch.testing.assert_close(se(x), gates[:, :, None, None] * x)
    torch.testing.assert_close(
        gates[:, 0],
        torch.sigmoid(se.fc2(torch.relu(se.fc1(x.mean(dim=(2, 3), keepdim=True)))))[:, 0, 0, 0],
    )


def test_bilinear_represents_the_product_of_two_inputs_exactly():
    layer = Bilinear(1, 1, 1, bias=False).double()
    with torch.no_grad():
        layer.weight.fill_(1.0)
    a, b = torch.randn(10, 1, dtype=torch.float64), torch.randn(10, 1, dtype=torch.float64)
    torch.testing.assert_close(layer(a, b), a * b)
