r"""Adversarial examples under an $L_\infty$ budget: FGSM, projected gradient ascent, random signs.

An adversarial example is an input $x' = x + \delta$ with a small perturbation, here
$\lVert\delta\rVert_\infty \le \epsilon$, that raises the loss $L(x', y)$ enough to change the
prediction. Linearising the loss, $L(x + \delta) \approx L(x) + \delta^\top \nabla_x L$, the best
perturbation inside the $L_\infty$ ball puts every coordinate at the edge of the box, on the side
of its gradient: the *fast gradient sign method* (Goodfellow, Shlens & Szegedy 2015)

$$
x_{\text{adv}} = x + \epsilon\,\operatorname{sign}\big(\nabla_x L(x, y)\big).
$$

Iterating smaller sign steps and projecting back onto the ball is projected gradient ascent
(PGD, Madry et al. 2018), which follows the loss where it is not linear:

$$
x^{t+1} = \Pi_{\lVert x' - x\rVert_\infty \le \epsilon}
\big(x^t + \alpha\,\operatorname{sign}(\nabla_x L(x^t, y))\big),
\qquad \Pi = \text{clamp to } [x - \epsilon, x + \epsilon].
$$

A random sign vector of the same size, $x + \epsilon\, s$ with $s_i = \pm 1$, is the control:
it has the same $L_\infty$ and $L_2$ norms but no preferred direction. Reading list:
``goodfellow2015fgsm``, ``madry2018pgd``, ``szegedy2014intriguing``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor
from torch.nn import functional as F

__all__ = ["fgsm", "input_gradient", "pgd_linf", "random_sign_perturbation"]

Model = Callable[[Tensor], Tensor]
Loss = Callable[[Tensor, Tensor], Tensor]


def _cross_entropy(logits: Tensor, y: Tensor) -> Tensor:
    # L(x_n, y_n) = −log softmax(f(x_n))_{y_n}, one value per example
    return F.cross_entropy(logits, y, reduction="none")


def input_gradient(model: Model, x: Tensor, y: Tensor, loss_fn: Loss | None = None) -> Tensor:
    r"""The gradient $\nabla_x L(f(x), y)$ of the loss with respect to the input.

    Args:
        model: maps a batch of inputs to logits; examples must not interact (no batch norm in
            training mode), so that the summed loss gives per-example gradients.
        x: inputs, any shape with the batch first.
        y: targets, as `loss_fn` expects them (class indices for the default).
        loss_fn: per-example loss `loss_fn(logits, y) -> (B,)`; cross-entropy by default.

    Returns:
        A tensor shaped like `x`. The model's parameter gradients are left untouched.
    """
    loss_fn = _cross_entropy if loss_fn is None else loss_fn
    x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        # Σ_n L(x_n, y_n): examples do not interact, so ∂/∂x_n of the sum is x_n's own gradient
        loss = loss_fn(model(x), y).sum()
        (grad,) = torch.autograd.grad(loss, x)
    return grad


# --8<-- [start:fgsm]
def fgsm(
    model: Model,
    x: Tensor,
    y: Tensor,
    epsilon: float,
    loss_fn: Loss | None = None,
    clip: tuple[float, float] | None = None,
) -> Tensor:
    r"""FGSM: one step of size $\epsilon$ along $\operatorname{sign}\nabla_x L$.

    Args:
        model: maps inputs to logits.
        x: clean inputs $x$.
        y: their labels.
        epsilon: the $L_\infty$ budget $\epsilon \ge 0$.
        loss_fn: per-example loss `loss_fn(logits, y) -> (B,)`; cross-entropy by default.
        clip: optional `(low, high)` range of valid inputs (e.g. `(0, 1)` for images).

    Returns:
        $x_{\text{adv}}$, detached. Where a gradient coordinate is exactly zero its sign is zero
        and that coordinate is not moved.
    """
    grad = input_gradient(model, x, y, loss_fn)
    # x_adv = x + ε · sign(∇ₓ L(x, y))  — the maximiser of the linearised loss in the ε-box
    x_adv = x.detach() + epsilon * grad.sign()
    return x_adv if clip is None else x_adv.clamp(*clip)


# --8<-- [end:fgsm]


# --8<-- [start:pgd]
def pgd_linf(
    model: Model,
    x: Tensor,
    y: Tensor,
    epsilon: float,
    steps: int = 20,
    step_size: float | None = None,
    loss_fn: Loss | None = None,
    clip: tuple[float, float] | None = None,
    random_start: bool = False,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Projected gradient ascent on the loss in the $L_\infty$ ball (Madry et al. 2018).

    Each step moves by $\alpha$ along the gradient's sign and clamps back to
    $[x - \epsilon, x + \epsilon]$; per example the iterate with the highest loss is returned,
    so with `random_start=False` the result is never worse than the first step (FGSM with
    step $\alpha$).

    Args:
        model: maps inputs to logits.
        x: clean inputs.
        y: their labels.
        epsilon: the radius $\epsilon$ of the ball.
        steps: number of sign steps.
        step_size: $\alpha$; `2.5 * epsilon / steps` by default, so that the steps together
            could cross the ball more than twice (a common rule of thumb; Madry et al. tuned
            $\alpha$ and the number of steps per data set).
        loss_fn: per-example loss `loss_fn(logits, y) -> (B,)`; cross-entropy by default.
        clip: optional `(low, high)` range of valid inputs.
        random_start: start at a uniform random point of the ball instead of at $x$.
        generator: random generator for the start (on `x`'s device).

    Returns:
        The adversarial inputs, detached, each within $\epsilon$ of $x$ in $L_\infty$.
    """
    loss_fn = _cross_entropy if loss_fn is None else loss_fn
    alpha = 2.5 * epsilon / steps if step_size is None else step_size
    x0 = x.detach()
    lower, upper = x0 - epsilon, x0 + epsilon
    if clip is not None:
        lower, upper = lower.clamp(*clip), upper.clamp(*clip)
    x_t = x0.clone()
    if random_start:
        u = torch.rand(x0.shape, generator=generator, device=x0.device, dtype=x0.dtype)
        x_t = torch.maximum(torch.minimum(x0 + epsilon * (2 * u - 1), upper), lower)
    best, best_loss = x_t.clone(), _losses(model, x_t, y, loss_fn)
    for _ in range(steps):
        grad = input_gradient(model, x_t, y, loss_fn)
        # x^{t+1} = Π_ball(x^t + α sign(∇ₓ L(x^t, y))), Π = clamp to [x − ε, x + ε] (∩ clip)
        x_t = torch.maximum(torch.minimum(x_t + alpha * grad.sign(), upper), lower)
        loss = _losses(model, x_t, y, loss_fn)
        better = loss > best_loss  # (B,) examples whose loss went up
        best[better] = x_t[better]
        best_loss = torch.where(better, loss, best_loss)
    return best


# --8<-- [end:pgd]


def _losses(model: Model, x: Tensor, y: Tensor, loss_fn: Loss) -> Tensor:
    """Each example's loss, without building a graph."""
    with torch.no_grad():
        return loss_fn(model(x), y)


def random_sign_perturbation(
    x: Tensor,
    epsilon: float,
    generator: torch.Generator | None = None,
    clip: tuple[float, float] | None = None,
) -> Tensor:
    r"""The control: $x + \epsilon\, s$ with independent random signs $s_i \in \{-1, +1\}$.

    Args:
        x: clean inputs.
        epsilon: the size $\epsilon$ of every coordinate's change.
        generator: random generator (on `x`'s device).
        clip: optional `(low, high)` range of valid inputs.

    Returns:
        The perturbed inputs, with $\lVert x' - x\rVert_\infty = \epsilon$ (before clipping).
    """
    bits = torch.randint(0, 2, x.shape, generator=generator, device=x.device)
    # s_i = ±1 with probability 1/2 each
    signs = (2 * bits - 1).to(x.dtype)
    x_noisy = x.detach() + epsilon * signs
    return x_noisy if clip is None else x_noisy.clamp(*clip)
