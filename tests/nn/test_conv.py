"""Conv2d and pooling beyond the torch contract: translation equivariance and the circulant view.

The contract suite (``model_specs/convolutional.py``) already checks values and gradients
against torch.nn.Conv2d, MaxPool2d and AvgPool2d. Here: convolution commutes with shifts (exactly
with circular padding, in the interior with zero padding), its matrix is circulant, commutes
with the cyclic shift and is diagonalised by the DFT, and a dense random matrix is not.
"""

from __future__ import annotations

import pytest
import torch

from refimpl.experiments.convolution import conv_matrix, equivariance_demo, shift_matrix
from refimpl.functional import conv2d
from refimpl.nn import AvgPool2d, Conv2d, MaxPool2d


def shift(x: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    return torch.roll(x, (dy, dx), dims=(-2, -1))


@pytest.mark.parametrize("dy,dx", [(1, 0), (0, 3), (-2, 5), (7, -4)])
def test_circular_convolution_is_translation_equivariant(dy: int, dx: int):
    torch.manual_seed(0)
    conv = Conv2d(3, 4, 3, padding=1, padding_mode="circular").double()
    x = torch.randn(2, 3, 12, 15, dtype=torch.float64)
    torch.testing.assert_close(conv(shift(x, dy, dx)), shift(conv(x), dy, dx), rtol=0, atol=1e-12)


def test_zero_padding_is_equivariant_away_from_the_border():
    torch.manual_seed(0)
    conv = Conv2d(2, 3, 5, padding=2).double()  # receptive field radius 2
    x = torch.zeros(1, 2, 24, 24, dtype=torch.float64)
    x[..., 6:14, 6:14] = torch.randn(2, 8, 8, dtype=torch.float64)  # content away from the edges
    moved = conv(shift(x, 3, 4))
    torch.testing.assert_close(moved[..., 3:, 4:], conv(x)[..., :-3, :-4], rtol=0, atol=1e-12)
    # At the border zero padding breaks equivariance: wrapping content around changes the output.
    y = torch.randn(1, 2, 10, 10, dtype=torch.float64)
    assert (conv(shift(y, 0, 5)) - shift(conv(y), 0, 5)).abs().max() > 1e-3


def test_strided_convolution_is_equivariant_only_to_multiples_of_the_stride():
    torch.manual_seed(0)
    conv = Conv2d(1, 1, 3, stride=2, padding=1, padding_mode="circular").double()
    x = torch.randn(1, 1, 16, 16, dtype=torch.float64)
    torch.testing.assert_close(conv(shift(x, 2, 4)), shift(conv(x), 1, 2), rtol=0, atol=1e-12)
    odd = conv(shift(x, 1, 0))
    assert all((odd - shift(conv(x), k, 0)).abs().max() > 1e-3 for k in range(8))


def test_pooling_commutes_with_shifts_by_its_stride_and_global_pooling_is_invariant():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 8, 8, dtype=torch.float64)
    pool = MaxPool2d(2)
    torch.testing.assert_close(pool(shift(x, 2, 4)), shift(pool(x), 1, 2))
    global_avg = AvgPool2d(8)
    torch.testing.assert_close(global_avg(shift(x, 3, 5)), global_avg(x))


def test_conv_matrix_is_circulant_commutes_with_shift_and_is_diagonalised_by_the_dft():
    kernel = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    n = 10
    C = conv_matrix(kernel, n)
    x = torch.randn(n, dtype=torch.float64)
    # y_i = Σ_p k_p x_{i + p - 1}: the cross-correlation written out by hand.
    expected = torch.stack(
        [sum(kernel[p] * x[(i + p - 1) % n] for p in range(3)) for i in range(n)]
    )
    torch.testing.assert_close(C @ x, expected)
    for i in range(n):  # each row is the previous one moved one place to the right
        torch.testing.assert_close(C[i], torch.roll(C[0], i))
    S = shift_matrix(n)
    torch.testing.assert_close(C @ S, S @ C)
    F = torch.fft.fft(torch.eye(n, dtype=torch.complex128), dim=0)  # DFT matrix
    D = F @ C.to(torch.complex128) @ torch.linalg.inv(F)
    off_diagonal = D - torch.diag(torch.diagonal(D))
    assert off_diagonal.abs().max() < 1e-12
    dense = torch.randn(n, n, dtype=torch.float64)
    assert (dense @ S - S @ dense).abs().max() > 0.1


def test_zero_padded_conv_matrix_is_toeplitz_not_circulant():
    C = conv_matrix(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), 6, padding_mode="zeros")
    assert C[0, -1] == 0 and C[-1, 0] == 0  # the wrap-around corners are gone
    torch.testing.assert_close(torch.diagonal(C, 1), torch.full((5,), 3.0, dtype=torch.float64))


def test_functional_conv_matches_a_loop_over_positions():
    torch.manual_seed(0)
    x = torch.randn(1, 2, 6, 7, dtype=torch.float64)
    w = torch.randn(3, 2, 2, 3, dtype=torch.float64)
    y = conv2d(x, w, stride=(2, 1), dilation=(1, 2))
    for i in range(y.shape[2]):
        for j in range(y.shape[3]):
            patch = x[0, :, 2 * i : 2 * i + 2, j : j + 5 : 2]  # (C_in, kh, kw)
            torch.testing.assert_close(y[0, :, i, j], (w * patch).sum(dim=(1, 2, 3)))


def test_equivariance_demo_error_is_rounding():
    assert equivariance_demo().max_error < 1e-12


def test_unsupported_options_are_rejected():
    with pytest.raises(ValueError):
        MaxPool2d(2, ceil_mode=True)
    with pytest.raises(ValueError):
        Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError):
        Conv2d(2, 2, 3, stride=2, padding="same")
