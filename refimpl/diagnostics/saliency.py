r"""Gradient saliency maps, two ways to compare them, and an attack that moves them.

The simplest saliency map of a classifier $f$ at input $x$ for class $y$ is the size of the
input gradient of that class's score (the logit),

$$
S(x)_i = \Big|\frac{\partial f_y(x)}{\partial x_i}\Big| .
$$

Two maps are compared by the *top-$k$ intersection* (the fraction of the $k$ most salient
inputs of one map that are also among the $k$ most salient of the other) and by *Spearman's
rank correlation* (the Pearson correlation of the ranks). Ghorbani, Abid & Zou (2019) showed
that a perturbation $\lVert\delta\rVert_\infty \le \epsilon$ that leaves the predicted label
unchanged can still move the map: their top-$k$ attack takes sign steps that decrease the
saliency mass on the originally most salient set $B$,

$$
D(x') = -\sum_{i \in B} S(x')_i,\qquad
x^{t+1} = \Pi_{\epsilon}\big(x^t + \alpha\,\operatorname{sign}\nabla_{x} D(x^t)\big),
$$

keeping the iterate that changes the map most among those with the original label. For a ReLU
network $S$ is piecewise constant in $x$ ($\nabla_x D = 0$ almost everywhere), so the direction
is computed on a smooth surrogate with the same weights and softplus units. Reading list:
``ghorbani2019``, ``szegedy2014intriguing``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

__all__ = ["gradient_saliency", "spearman_correlation", "topk_intersection", "topk_saliency_attack"]

Model = Callable[[Tensor], Tensor]


# --8<-- [start:saliency]
def gradient_saliency(
    model: Model, x: Tensor, target: Tensor | None = None, create_graph: bool = False
) -> Tensor:
    r"""The simple-gradient saliency map $S(x) = |\partial f_y(x)/\partial x|$.

    Args:
        model: maps a batch of inputs to logits $f(x)$ of shape `(B, C)`; examples must not
            interact.
        x: inputs of shape `(B, ...)`.
        target: class $y$ per example, shape `(B,)`; the predicted class by default.
        create_graph: keep the graph so that the map itself can be differentiated.

    Returns:
        A tensor shaped like `x`.
    """
    if not (create_graph and x.requires_grad):
        x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        logits = model(x)  # (B, C)
        y = logits.argmax(-1) if target is None else target
        # Σ_n f_{y_n}(x_n): each example's gradient is its own ∂f_y/∂x
        score = logits.gather(-1, y[:, None]).sum()
        (grad,) = torch.autograd.grad(score, x, create_graph=create_graph)
    # S(x)_i = |∂f_y(x)/∂x_i|
    return grad.abs()


# --8<-- [end:saliency]


def topk_intersection(a: Tensor, b: Tensor, k: int) -> Tensor:
    r"""Fraction of the $k$ largest entries of `a` that are also among the $k$ largest of `b`.

    Args:
        a: maps of shape `(B, ...)`, flattened per example.
        b: maps of the same shape.
        k: the number $k$ of top entries compared.

    Returns:
        Shape `(B,)`, values in $\{0, 1/k, \dots, 1\}$.
    """
    top_a = a.flatten(1).topk(k, dim=1).indices  # (B, k)
    top_b = b.flatten(1).topk(k, dim=1).indices  # (B, k)
    # |top_k(a) ∩ top_k(b)| / k
    shared = (top_a[:, :, None] == top_b[:, None, :]).any(-1).sum(-1)  # (B,)
    return shared.to(a.dtype) / k


def _average_ranks(v: Tensor) -> Tensor:
    """1-based ranks along the last axis, tied values sharing the mean of their ranks."""
    ordered = v.sort(dim=-1).values
    below = torch.searchsorted(ordered, v, right=False)  # entries strictly smaller
    not_above = torch.searchsorted(ordered, v, right=True)  # entries smaller or equal
    # a tie group occupying positions below+1 … not_above gets their mean
    return (below + not_above + 1).to(v.dtype) / 2


def spearman_correlation(a: Tensor, b: Tensor) -> Tensor:
    r"""Spearman's rank correlation between two maps per example (ties get average ranks).

    $\rho = \operatorname{corr}(\operatorname{rank}(a), \operatorname{rank}(b))$, the Pearson
    correlation of the ranks.

    Args:
        a: maps of shape `(B, ...)`, flattened per example.
        b: maps of the same shape.

    Returns:
        Shape `(B,)`, values in $[-1, 1]$.
    """
    ra = _average_ranks(a.flatten(1).contiguous())
    rb = _average_ranks(b.flatten(1).contiguous())
    ra = ra - ra.mean(-1, keepdim=True)
    rb = rb - rb.mean(-1, keepdim=True)
    # ρ = Σ (r_a − r̄_a)(r_b − r̄_b) / √(Σ (r_a − r̄_a)² Σ (r_b − r̄_b)²)
    return (ra * rb).sum(-1) / (ra.square().sum(-1) * rb.square().sum(-1)).sqrt()


# --8<-- [start:attack]
def topk_saliency_attack(
    model: Model,
    surrogate: Model,
    x: Tensor,
    epsilon: float,
    k: int,
    steps: int = 50,
    step_size: float | None = None,
    clip: tuple[float, float] | None = None,
) -> Tensor:
    r"""Ghorbani et al.'s top-$k$ attack: move the saliency map, keep the predicted label.

    Args:
        model: the classifier whose label must be kept and whose saliency is reported.
        surrogate: a smooth version of `model` (same weights, softplus for ReLU) whose
            saliency has a useful gradient; it may be `model` itself if that is smooth.
        x: inputs of shape `(B, ...)`.
        epsilon: the $L_\infty$ budget.
        k: size of the set $B$ of originally most salient inputs that the attack empties.
        steps: number of sign steps.
        step_size: $\alpha$; `epsilon / 10` by default.
        clip: optional `(low, high)` range of valid inputs.

    Returns:
        Per example the iterate with the smallest top-$k$ intersection (measured on `model`)
        among those whose predicted label is unchanged; $x$ itself if there is none.
    """
    alpha = epsilon / 10 if step_size is None else step_size
    x0 = x.detach()
    lower, upper = x0 - epsilon, x0 + epsilon
    if clip is not None:
        lower, upper = lower.clamp(*clip), upper.clamp(*clip)
    with torch.no_grad():
        label = model(x0).argmax(-1)  # (B,) the label to keep
    s0 = gradient_saliency(model, x0, label)
    # B: the k most salient inputs of the original map, as a 0/1 mask of x's shape
    mask = torch.zeros_like(s0.flatten(1)).scatter_(1, s0.flatten(1).topk(k, dim=1).indices, 1.0)
    mask = mask.view_as(x0)
    best, best_overlap = x0.clone(), torch.ones(len(x0), dtype=x0.dtype, device=x0.device)
    x_t = x0.clone()
    for _ in range(steps):
        x_var = x_t.clone().requires_grad_(True)
        # D(x) = −Σ_{i∈B} S(x)_i on the smooth surrogate, differentiated through the map
        dissimilarity = -(gradient_saliency(surrogate, x_var, label, create_graph=True) * mask)
        (grad,) = torch.autograd.grad(dissimilarity.sum(), x_var)
        # x^{t+1} = Π_ε(x^t + α sign ∇ₓD)
        x_t = torch.maximum(torch.minimum(x_t + alpha * grad.sign(), upper), lower)
        with torch.no_grad():
            same = model(x_t).argmax(-1) == label  # (B,)
        overlap = topk_intersection(gradient_saliency(model, x_t, label), s0, k)
        better = same & (overlap < best_overlap)
        best[better] = x_t[better]
        best_overlap = torch.where(better, overlap, best_overlap)
    return best


# --8<-- [end:attack]
