r"""Two-dimensional convolution and pooling as im2col (``Tensor.unfold``) plus a matrix product.

A convolutional layer (strictly a cross-correlation, as in every deep-learning library) maps an
input $x \in \mathbb{R}^{C\times H\times W}$ to

$$
y_{o,i,j} = b_o + \sum_{c}\sum_{p,q} w_{o,c,p,q}\; x_{c,\; s_h i + d_h p,\; s_w j + d_w q},
$$

with stride $s$, dilation $d$ and the input padded first. Gathering every receptive field into
a column (``im2col``) turns the sum into one matrix product between the flattened kernel and
the columns; with groups, each of $G$ channel groups has its own product. Pooling takes the
maximum or the mean of the same columns instead. Reading list: ``goodfellow2016`` (chapter 9),
``zeiler2013``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["avg_pool2d", "conv2d", "im2col", "max_pool2d", "pad2d", "pair"]


def pair(value: int | tuple[int, int]) -> tuple[int, int]:
    """An int or a pair of ints as a pair, the way torch reads ``kernel_size`` and friends."""
    if isinstance(value, int):
        return (value, value)
    first, second = value
    return (int(first), int(second))


def pad2d(x: Tensor, padding: tuple[int, int, int, int], mode: str, value: float = 0.0) -> Tensor:
    """Pads the last two dimensions by ``(top, bottom, left, right)``.

    Args:
        x: input of shape `(..., H, W)`.
        padding: rows added above and below, columns added left and right.
        mode: ``"zeros"`` or ``"constant"`` (fill with ``value``), ``"circular"`` (wrap around),
            ``"reflect"`` (mirror without repeating the edge) or ``"replicate"`` (repeat the edge).
        value: the fill value of constant padding.
    """
    top, bottom, left, right = padding
    if mode in ("zeros", "constant"):
        shape = (*x.shape[:-2], x.shape[-2] + top + bottom, x.shape[-1] + left + right)
        out = x.new_full(shape, value)  # (..., H + top + bottom, W + left + right)
        out[..., top : top + x.shape[-2], left : left + x.shape[-1]] = x
        return out
    H, W = x.shape[-2:]
    if mode == "circular":
        rows = torch.arange(-top, H + bottom, device=x.device) % H
        cols = torch.arange(-left, W + right, device=x.device) % W
    elif mode == "reflect":
        rows = (H - 1) - (
            (torch.arange(-top, H + bottom, device=x.device) % (2 * H - 2)) - (H - 1)
        ).abs()
        cols = (W - 1) - (
            (torch.arange(-left, W + right, device=x.device) % (2 * W - 2)) - (W - 1)
        ).abs()
    elif mode == "replicate":
        rows = torch.arange(-top, H + bottom, device=x.device).clamp(0, H - 1)
        cols = torch.arange(-left, W + right, device=x.device).clamp(0, W - 1)
    else:
        raise ValueError(f"unknown padding mode {mode!r}")
    return x[..., rows, :][..., cols]


def im2col(
    x: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]
) -> Tensor:
    """Every receptive field of an (already padded) input, as an extra pair of dimensions.

    Args:
        x: input of shape `(B, C, H, W)`.
        kernel_size: `(kh, kw)`.
        stride: `(sh, sw)`.
        dilation: `(dh, dw)`.

    Returns:
        A view-like tensor of shape `(B, C, H_out, W_out, kh, kw)` whose entry
        `[b, c, i, j, p, q]` is `x[b, c, sh*i + dh*p, sw*j + dw*q]`.
    """
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, stride, dilation
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    windows = x.unfold(2, span_h, sh).unfold(3, span_w, sw)  # (B, C, H_out, W_out, span_h, span_w)
    return windows[..., ::dh, ::dw]  # (B, C, H_out, W_out, kh, kw)


# --8<-- [start:conv2d]
def conv2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: tuple[int, int] = (1, 1),
    padding: tuple[int, int, int, int] = (0, 0, 0, 0),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
    padding_mode: str = "zeros",
) -> Tensor:
    """A 2-D convolution (cross-correlation) as im2col and one batched matrix product.

    Args:
        x: input of shape `(B, C_in, H, W)`.
        weight: kernel of shape `(C_out, C_in / groups, kh, kw)`.
        bias: optional bias of shape `(C_out,)`.
        stride: `(sh, sw)`.
        padding: `(top, bottom, left, right)`.
        dilation: `(dh, dw)`.
        groups: number of channel groups, each convolved with its own kernels.
        padding_mode: see `pad2d`.

    Returns:
        The output of shape `(B, C_out, H_out, W_out)`.
    """
    C_out, C_in_g, kh, kw = weight.shape
    x = pad2d(x, padding, padding_mode)
    cols = im2col(x, (kh, kw), stride, dilation)  # (B, C_in, H_out, W_out, kh, kw)
    B, _, H_out, W_out = cols.shape[:4]
    cols = cols.reshape(B, groups, C_in_g, H_out, W_out, kh, kw)  # split the channels in groups
    w = weight.reshape(groups, C_out // groups, C_in_g, kh, kw)  # (G, C_out/G, C_in/G, kh, kw)
    # y[b, g, o, i, j] = Σ_{c,p,q} w[g, o, c, p, q] · x[b, g, c, s·i + d·p, s·j + d·q]
    y = torch.einsum("bgcijpq,gocpq->bgoij", cols, w)
    y = y.reshape(B, C_out, H_out, W_out)  # (B, C_out, H_out, W_out)
    if bias is not None:
        y = y + bias[:, None, None]
    return y


# --8<-- [end:conv2d]


def max_pool2d(
    x: Tensor,
    kernel_size: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int] = (0, 0),
    dilation: tuple[int, int] = (1, 1),
) -> Tensor:
    """The maximum over each window (padding counts as $-\\infty$), shape `(B, C, H_out, W_out)`."""
    ph, pw = padding
    x = pad2d(x, (ph, ph, pw, pw), "constant", float("-inf"))
    cols = im2col(x, kernel_size, stride, dilation)  # (B, C, H_out, W_out, kh, kw)
    # y[b, c, i, j] = max_{p,q} x[b, c, s·i + d·p, s·j + d·q]
    return cols.flatten(-2).amax(dim=-1)


def avg_pool2d(
    x: Tensor,
    kernel_size: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int] = (0, 0),
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean over each window, shape `(B, C, H_out, W_out)`.

    Args:
        x: input of shape `(B, C, H, W)`.
        kernel_size: `(kh, kw)`.
        stride: `(sh, sw)`.
        padding: zero rows and columns added on each side.
        count_include_pad: divide by the full window size, zeros of the padding included;
            otherwise by the number of real input entries in the window.
        divisor_override: divide every sum by this number instead.
    """
    ph, pw = padding
    ones = torch.ones_like(x[:1, :1])  # (1, 1, H, W): marks the real entries
    x = pad2d(x, (ph, ph, pw, pw), "zeros")
    sums = im2col(x, kernel_size, stride, (1, 1)).sum(dim=(-2, -1))  # (B, C, H_out, W_out)
    if divisor_override is not None:
        return sums / divisor_override
    if count_include_pad:
        return sums / (kernel_size[0] * kernel_size[1])
    counts = im2col(pad2d(ones, (ph, ph, pw, pw), "zeros"), kernel_size, stride, (1, 1))
    return sums / counts.sum(dim=(-2, -1))  # (1, 1, H_out, W_out) broadcast over B, C
