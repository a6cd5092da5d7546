r"""Plasticity: measurements of a network's ability to keep learning, and remedies for its loss.

A network trained on a long sequence of targets can lose the ability to fit new ones. Three
statistics of the network are often watched for it. The fraction of *dead* ReLU units, those
whose activation $h_{nj}$ is zero on every input $x_n$ of a batch (they pass no gradient):
$\frac1H\sum_j\prod_n\mathbf 1[h_{nj}\le 0]$. The *effective rank* of the feature matrix
$\Phi\in\mathbb R^{N\times H}$ with singular values $\sigma_1\ge\dots\ge\sigma_d$, either the
threshold rank of Kumar et al. (`kumar2021srank`), $\operatorname{srank}_\delta(\Phi) =
\min\{k : \sum_{i\le k}\sigma_i \ge (1-\delta)\sum_i\sigma_i\}$, or the entropy rank of
Roy and Vetterli (`roy2007erank`), $\exp(-\sum_i p_i\log p_i)$ with
$p_i = \sigma_i/\sum_j\sigma_j$. And the weight norm $\lVert\theta\rVert_2$. The remedies here
are pure functions: shrink-and-perturb, $\theta\leftarrow\lambda\theta + \sigma\varepsilon$ with
$\varepsilon\sim\mathcal N(0, I)$ (`ash2020warmstart`); resetting dead units, whose incoming
weights are redrawn from the initial distribution and whose outgoing weights are set to zero
(`dohare2021cbp`, `sokar2023dormant`); and an L2 penalty
$\frac\lambda2\lVert\theta-\theta_0\rVert^2$ towards the initialisation $\theta_0$
(`kumar2023l2init`) or towards zero. Layer normalisation, which Lyle et al. found to preserve
plasticity (`lyle2023plasticity`), is an architectural choice; the experiment uses
`refimpl.functional.layer_norm`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor

__all__ = [
    "dead_unit_fraction",
    "dead_units",
    "effective_rank",
    "l2_penalty",
    "reset_dead_units",
    "shrink_and_perturb",
    "srank",
    "weight_norm",
]


# --8<-- [start:measures]
def dead_units(activations: Tensor, threshold: float = 0.0) -> Tensor:
    r"""Which units are dead on a batch: $h_{nj}\le$ `threshold` for every example $n$.

    Args:
        activations: post-activation values $h$, shape `(N, H)` (examples, units).
        threshold: the level at or below which a unit counts as silent (0 for a ReLU).

    Returns:
        A boolean mask of shape `(H,)`.
    """
    # dead_j = prod_n 1[h_nj <= threshold]
    return (activations <= threshold).all(dim=0)


def dead_unit_fraction(activations: Tensor, threshold: float = 0.0) -> Tensor:
    r"""The fraction of units dead on the batch, $\frac1H\sum_j\prod_n\mathbf 1[h_{nj}\le\tau]$.

    Args:
        activations: post-activation values, shape `(N, H)`.
        threshold: the silence level $\tau$.

    Returns:
        A scalar tensor in $[0, 1]$, in the dtype of `activations`.
    """
    return dead_units(activations, threshold).to(activations.dtype).mean()


def srank(features: Tensor, delta: float = 0.01) -> int:
    r"""The threshold effective rank $\operatorname{srank}_\delta$ of a feature matrix.

    Args:
        features: $\Phi$, shape `(N, H)`.
        delta: the fraction $\delta$ of the nuclear norm that may be left out.

    Returns:
        The least $k$ with $\sum_{i\le k}\sigma_i\ge(1-\delta)\sum_i\sigma_i$ (0 for $\Phi=0$).
    """
    sigma = torch.linalg.svdvals(features)  # (min(N, H),), descending
    total = sigma.sum()
    if total == 0:
        return 0
    # srank = min{k : sum_{i<=k} sigma_i >= (1 - delta) sum_i sigma_i}
    reached = torch.cumsum(sigma, 0) >= (1 - delta) * total
    return int(reached.to(torch.int64).argmax()) + 1


def effective_rank(features: Tensor) -> Tensor:
    r"""The entropy effective rank $\exp(-\sum_i p_i\log p_i)$, $p_i = \sigma_i/\sum_j\sigma_j$.

    It equals $k$ when $\Phi$ has $k$ equal nonzero singular values, and lies between 1 and
    the rank otherwise.

    Args:
        features: $\Phi$, shape `(N, H)`.

    Returns:
        A scalar tensor in the dtype of `features` (0 for $\Phi = 0$).
    """
    sigma = torch.linalg.svdvals(features)
    if sigma.sum() == 0:
        return sigma.new_zeros(())
    p = sigma / sigma.sum()
    # H(p) = -sum_i p_i log p_i, with 0 log 0 = 0
    entropy = -torch.special.xlogy(p, p).sum()
    return entropy.exp()


def weight_norm(params: Sequence[Tensor]) -> Tensor:
    r"""The Euclidean norm of all parameters together, $\sqrt{\sum_k\lVert\theta_k\rVert^2}$."""
    return torch.sqrt(sum((p.detach() ** 2).sum() for p in params))
    # --8<-- [end:measures]


# --8<-- [start:remedies]
def l2_penalty(
    params: Sequence[Tensor], anchors: Sequence[Tensor] | None, strength: float
) -> Tensor:
    r"""$\frac\lambda2\sum_k\lVert\theta_k - \theta_{0,k}\rVert^2$, towards `anchors` or zero.

    Args:
        params: the parameters $\theta$ (differentiable).
        anchors: the anchor $\theta_0$ (the initial parameters for "L2 Init"), or `None` for
            zero, which is plain weight decay.
        strength: $\lambda$.

    Returns:
        A differentiable scalar; its gradient is $\lambda(\theta-\theta_0)$.
    """
    if anchors is None:
        anchors = [torch.zeros_like(p) for p in params]
    # (lambda / 2) ||theta - theta_0||^2
    return 0.5 * strength * sum(((p - a) ** 2).sum() for p, a in zip(params, anchors, strict=True))


def shrink_and_perturb(
    params: Sequence[Tensor],
    shrink: float,
    sigma: float,
    generator: torch.Generator | None = None,
) -> list[Tensor]:
    r"""Shrink-and-perturb: scale towards zero and add noise, $\lambda\theta+\sigma\varepsilon$.

    Args:
        params: the parameters $\theta$.
        shrink: $\lambda\in[0, 1]$.
        sigma: the noise scale $\sigma$.
        generator: draws $\varepsilon\sim\mathcal N(0, I)$; on the parameters' device.

    Returns:
        New tensors, one per parameter (the inputs are not modified).
    """
    out = []
    for p in params:
        eps = torch.randn(p.shape, generator=generator, device=p.device, dtype=p.dtype)
        # theta <- lambda theta + sigma eps
        out.append(shrink * p.detach() + sigma * eps)
    return out


def reset_dead_units(
    weight_in: Tensor,
    bias_in: Tensor,
    weight_out: Tensor,
    dead: Tensor,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor, Tensor]:
    r"""Reinitialise the units in `dead`: fresh incoming weights, zero bias and outgoing weights.

    A unit $j$ of a layer $h = \mathrm{ReLU}(W_{\text{in}}x + b_{\text{in}})$ followed by
    $W_{\text{out}}h$ gets $W_{\text{in}}[j,:]\sim\mathcal U(-1/\sqrt D, 1/\sqrt D)$ (torch's
    default for a linear layer with $D$ inputs), $b_{\text{in}}[j] = 0$ and
    $W_{\text{out}}[:,j] = 0$, so the network's output does not change at the reset; other
    units are left untouched.

    Args:
        weight_in: $W_{\text{in}}$, shape `(H, D)` (torch's `Linear.weight` layout).
        bias_in: $b_{\text{in}}$, shape `(H,)`.
        weight_out: $W_{\text{out}}$, shape `(O, H)`.
        dead: boolean mask `(H,)` of the units to reset, e.g. from `dead_units`.
        generator: for the new weights; on the parameters' device.

    Returns:
        New `(weight_in, bias_in, weight_out)`.
    """
    fan_in = weight_in.shape[1]
    bound = 1.0 / math.sqrt(fan_in)
    fresh = torch.rand(
        weight_in.shape, generator=generator, device=weight_in.device, dtype=weight_in.dtype
    )
    fresh = (2 * fresh - 1) * bound  # U(-1/sqrt(D), 1/sqrt(D))
    rows = dead[:, None]  # (H, 1)
    new_in = torch.where(rows, fresh, weight_in.detach())
    new_bias = torch.where(dead, torch.zeros_like(bias_in), bias_in.detach())
    # W_out[:, j] = 0: the reset unit starts with no say in the output
    new_out = torch.where(dead[None, :], torch.zeros_like(weight_out), weight_out.detach())
    return new_in, new_bias, new_out
    # --8<-- [end:remedies]
