r"""Weight initialisers: Glorot/Xavier, He (Kaiming) and orthogonal, compatible with torch.nn.init.

A layer $z = W a$ with $n_{\mathrm{in}}$ inputs of variance $v$ and i.i.d. zero-mean weights of
variance $s^2$ gives pre-activations of variance $n_{\mathrm{in}} s^2 v$. Keeping that equal to
$v$ layer after layer, forward ($n_{\mathrm{in}} s^2 = 1$) and backward
($n_{\mathrm{out}} s^2 = 1$), is the principle behind each scheme:

$$
\text{Glorot: } s^2 = \frac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}},\qquad
\text{He: } s^2 = \frac{2}{n_{\mathrm{in}}} \ \text{(ReLU halves the second moment)},\qquad
\text{orthogonal: } W^\top W = I .
$$

A uniform $U[-a, a]$ has variance $a^2/3$, so Glorot-uniform uses $a = \sqrt{6/(n_{\mathrm{in}} +
n_{\mathrm{out}})}$. Every function takes the same arguments as its ``torch.nn.init``
namesake, fills the tensor in place, and with the same generator draws the same numbers.
Reading list: ``glorot2010``, ``he2015delving``, ``saxe2014``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = [
    "calculate_gain",
    "fan_in_and_fan_out",
    "kaiming_normal_",
    "kaiming_uniform_",
    "orthogonal_",
    "xavier_normal_",
    "xavier_uniform_",
]


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    r"""The fans of a weight of shape ``(out, in, *kernel)``, as torch.nn.init computes them.

    Args:
        tensor: a weight with at least two dimensions; for a convolution the kernel size
            $k$ (the product of the trailing dimensions) multiplies both fans.

    Returns:
        $(n_{\mathrm{in}}, n_{\mathrm{out}}) = (\text{in}\cdot k, \text{out}\cdot k)$.

    Raises:
        ValueError: for a tensor with fewer than two dimensions.
    """
    if tensor.dim() < 2:
        raise ValueError("fan in and fan out need a tensor with at least 2 dimensions")
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The gain $g$ that keeps the second moment through a non-linearity, as in torch.nn.init.

    $g = 1$ for linear/sigmoid layers, $5/3$ for tanh, $\sqrt2$ for ReLU,
    $\sqrt{2/(1+a^2)}$ for leaky ReLU with slope $a$ (default $0.01$), $3/4$ for SELU.

    Args:
        nonlinearity: ``"linear"``, ``"conv1d"``… ``"sigmoid"``, ``"tanh"``, ``"relu"``,
            ``"leaky_relu"`` or ``"selu"``.
        param: the negative slope of leaky ReLU.

    Raises:
        ValueError: for an unknown non-linearity or a non-numeric slope.
    """
    linear = {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d"}
    linear |= {"conv_transpose3d", "sigmoid"}
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


# --8<-- [start:init]
@torch.no_grad()
def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> Tensor:
    r"""Glorot/Xavier uniform: $W_{ij} \sim U[-a, a]$, $a = g\sqrt{6/(n_\text{in}+n_\text{out})}$.

    Args:
        tensor: the weight, filled in place.
        gain: the scale $g$ (see `calculate_gain`).
        generator: the random generator to draw from.

    Returns:
        ``tensor``, whose entries now have variance $g^2 \cdot 2/(n_\text{in}+n_\text{out})$.
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    # Var U[−a, a] = a²/3, so a = √3 · std
    a = math.sqrt(3.0) * std
    return tensor.uniform_(-a, a, generator=generator)


@torch.no_grad()
def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> Tensor:
    r"""Glorot/Xavier normal: $W_{ij} \sim \mathcal N(0, 2g^2/(n_\text{in}+n_\text{out}))$.

    Args:
        tensor: the weight, filled in place.
        gain: the scale $g$.
        generator: the random generator to draw from.

    Returns:
        ``tensor``.
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return tensor.normal_(0.0, std, generator=generator)


def _fan(tensor: Tensor, mode: str) -> int:
    if mode.lower() not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode.lower() == "fan_in" else fan_out


@torch.no_grad()
def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""He/Kaiming normal: $W_{ij} \sim \mathcal N(0, g^2/n)$, $n$ the fan given by ``mode``.

    With ``nonlinearity="relu"``, $g^2 = 2$ and the variance is $2/n_{\mathrm{in}}$.

    Args:
        tensor: the weight, filled in place.
        a: the negative slope of a leaky ReLU (only for ``"leaky_relu"``).
        mode: ``"fan_in"`` keeps forward variances, ``"fan_out"`` backward ones.
        nonlinearity: the non-linearity after this layer (see `calculate_gain`).
        generator: the random generator to draw from.

    Returns:
        ``tensor``.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return tensor.normal_(0.0, std, generator=generator)


@torch.no_grad()
def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""He/Kaiming uniform: $W_{ij} \sim U[-b, b]$ with $b = g\sqrt{3/n}$ (variance $g^2/n$).

    Args:
        tensor: the weight, filled in place.
        a: the negative slope of a leaky ReLU (only for ``"leaky_relu"``).
        mode: ``"fan_in"`` or ``"fan_out"``.
        nonlinearity: the non-linearity after this layer.
        generator: the random generator to draw from.

    Returns:
        ``tensor``.
    """
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return tensor.uniform_(-bound, bound, generator=generator)


@torch.no_grad()
def orthogonal_(
    tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> Tensor:
    r"""A (semi-)orthogonal matrix times $g$: $W^\top W = g^2 I$ (or $W W^\top$ if wide).

    The QR decomposition $A = QR$ of a standard normal matrix, with the signs of $R$'s diagonal
    moved into $Q$, gives a $Q$ distributed uniformly (Haar) on the orthogonal matrices.
    Trailing dimensions are flattened, as in torch.

    Args:
        tensor: the weight (at least two dimensions), filled in place.
        gain: the scale $g$.
        generator: the random generator to draw from.

    Returns:
        ``tensor``.

    Raises:
        ValueError: for a tensor with fewer than two dimensions.
    """
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    A = tensor.new_empty((rows, cols)).normal_(0, 1, generator=generator)  # (rows, cols)
    if rows < cols:
        A = A.T  # QR of the tall matrix: (cols, rows)
    Q, R = torch.linalg.qr(A)
    # Q ← Q · diag(sign(R_ii)), which makes Q Haar-distributed
    Q = Q * torch.diagonal(R).sign()
    if rows < cols:
        Q = Q.T  # (rows, cols), orthonormal rows
    tensor.view_as(Q).copy_(Q).mul_(gain)
    return tensor


# --8<-- [end:init]
