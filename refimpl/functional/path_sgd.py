r"""Path-SGD (Neyshabur et al. 2015): steepest descent with respect to the path norm.

For a feed-forward ReLU network the squared $\ell_2$ path norm sums, over every path from an
input unit to an output unit, the product of the squared weights along it,
$\phi_2(w)^2 = \sum_{\text{paths}}\prod_{e\in\text{path}} w_e^2$. It is unchanged when a hidden
unit's incoming weights are multiplied by $c > 0$ and its outgoing weights divided by $c$, a
rescaling that leaves the network's function unchanged. Path-SGD's approximate steepest-descent
step with respect to this norm divides each weight's gradient by

$$
\kappa_e(w) = \sum_{\text{paths} \ni e}\ \prod_{e' \in \text{path},\, e' \ne e} w_{e'}^2
= \gamma_{\text{in}}(u)\,\gamma_{\text{out}}(v)\quad\text{for the edge } e = (u \to v),
$$

where $\gamma_{\text{in}}(u)$ sums the squared-weight products of all paths from the inputs to
$u$ and $\gamma_{\text{out}}(v)$ those from $v$ to the outputs: one forward and one backward pass
of the squared weights. Biases are edges from a constant unit with $\gamma_{\text{in}} = 1$.
Reading list: ``neyshabur2015pathsgd``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["path_norm", "path_sgd_scales"]


def _gamma_in(weights: list[Tensor], biases: list[Tensor | None]) -> list[Tensor]:
    """γ_in of the input units and of every layer's output units."""
    g = torch.ones(weights[0].shape[1], dtype=weights[0].dtype, device=weights[0].device)
    out = [g]
    for W, b in zip(weights, biases, strict=True):
        # γ_in(v) = Σ_u W_vu² γ_in(u) (+ b_v² · 1 for the bias unit)
        g = W.square() @ g + (b.square() if b is not None else 0.0)
        out.append(g)
    return out


# --8<-- [start:path_sgd]
def path_sgd_scales(
    weights: list[Tensor], biases: list[Tensor | None]
) -> tuple[list[Tensor], list[Tensor | None]]:
    r"""Path-SGD's scale $\kappa_e = \gamma_{\text{in}}(u)\,\gamma_{\text{out}}(v)$ per weight.

    Args:
        weights: $W_1, \dots, W_L$, each of shape ``(d_out, d_in)``, input layer first.
        biases: $b_1, \dots, b_L$ (shape ``(d_out,)``) or ``None`` for layers without one.

    Returns:
        ``(kappa_W, kappa_b)``, shaped like ``weights`` and ``biases``. The step is
        $w_e \leftarrow w_e - \eta\,\partial L/\partial w_e / \kappa_e$.
    """
    gamma_in = _gamma_in(weights, biases)  # input units, then each layer's outputs
    # γ_out of the output units is 1; going back: γ_out(u) = Σ_v W_vu² γ_out(v)
    gamma_out = [torch.ones_like(gamma_in[-1])]
    for W in reversed(weights[1:]):
        gamma_out.insert(0, W.square().mT @ gamma_out[0])
    kappa_W = [torch.outer(g_out, g_in) for g_out, g_in in zip(gamma_out, gamma_in, strict=False)]
    # a bias is an edge from a constant unit with γ_in = 1
    kappa_b = [g_out if b is not None else None for g_out, b in zip(gamma_out, biases, strict=True)]
    return kappa_W, kappa_b


# --8<-- [end:path_sgd]


def path_norm(weights: list[Tensor], biases: list[Tensor | None]) -> Tensor:
    r"""The $\ell_2$ path norm $\phi_2(w) = \big(\sum_{\text{paths}}\prod_e w_e^2\big)^{1/2}$.

    Args:
        weights: $W_1, \dots, W_L$, each of shape ``(d_out, d_in)``.
        biases: $b_1, \dots, b_L$ or ``None``.

    Returns:
        $\phi_2$, a scalar: the square root of $\sum_v \gamma_{\text{in}}(v)$ over the outputs.
    """
    return _gamma_in(weights, biases)[-1].sum().sqrt()
