r"""The gradient noise scale: how large a batch is still worth it (McCandlish et al. 2018).

Let $g_i = \nabla_\theta \ell_i(\theta)$ be the per-example gradients, $G = \mathbb{E}_i[g_i]$ the
true gradient and $\Sigma = \mathrm{Cov}_i[g_i]$ their covariance. A minibatch of $B$ examples
drawn independently estimates $G$ with covariance $\Sigma/B$, so

$$
\mathbb{E}\,\lVert G_B\rVert^2 = \lVert G\rVert^2 + \frac{\operatorname{tr}\Sigma}{B},
\qquad
B_{\text{simple}} = \frac{\operatorname{tr}\Sigma}{\lVert G\rVert^2}.
$$

$B_{\text{simple}}$ is the batch size at which noise and signal in the minibatch gradient are of
equal size: much smaller batches are noise-dominated (a larger batch buys an almost
proportionally larger useful step), much larger ones waste examples. It can be computed from
per-example gradients, or, without them, from the squared norms of two minibatch gradients of
sizes $B_s < B_b$, by solving the two expectations above for the unknowns:

$$
\widehat{\lVert G\rVert^2}
= \frac{B_b\lVert G_{B_b}\rVert^2 - B_s\lVert G_{B_s}\rVert^2}{B_b - B_s},
\qquad
\widehat{\operatorname{tr}\Sigma}
= \frac{\lVert G_{B_s}\rVert^2 - \lVert G_{B_b}\rVert^2}{1/B_s - 1/B_b}.
$$

Both are unbiased; their ratio is not, so average each over several batches before dividing.
Reading list: ``mccandlish2018empirical``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

__all__ = ["noise_scale_from_batches", "per_example_gradients", "simple_noise_scale"]


def per_example_gradients(
    model: nn.Module,
    loss_fn: Callable[[Tensor, Tensor], Tensor],
    inputs: Tensor,
    targets: Tensor,
) -> Tensor:
    r"""The gradient of the loss of every example, $g_i = \nabla_\theta \ell(f(x_i), y_i)$.

    Uses `torch.func` (`vmap` over `grad` of a functional call), so the model must be free of
    batch-coupling layers such as batch normalisation in training mode.

    Args:
        model: the network.
        loss_fn: the loss of a batch, e.g. `torch.nn.functional.mse_loss`; it is called on
            batches of one example.
        inputs: shape `(n, ...)`.
        targets: shape `(n, ...)`.

    Returns:
        The gradients flattened and stacked, shape `(n, N)` for $N$ trainable parameters.
    """
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    params = {n: p.detach() for n, p in model.named_parameters() if p.requires_grad}

    def loss_one(p: dict[str, Tensor], x: Tensor, y: Tensor) -> Tensor:
        out = torch.func.functional_call(model, p, (x.unsqueeze(0),))
        return loss_fn(out, y.unsqueeze(0))

    grads = torch.func.vmap(torch.func.grad(loss_one), in_dims=(None, 0, 0))(
        params, inputs, targets
    )
    return torch.cat([grads[n].reshape(inputs.shape[0], -1) for n in names], dim=1)  # (n, N)


# --8<-- [start:simple]
def simple_noise_scale(per_example: Tensor) -> float:
    r"""$B_{\text{simple}} = \operatorname{tr}\Sigma / \lVert G\rVert^2$ from per-example gradients.

    Args:
        per_example: the gradients $g_i$, shape `(n, N)`, $n \ge 2$.

    Returns:
        The noise scale, with the unbiased covariance ($1/(n-1)$).
    """
    # G = (1/n) Σ_i g_i
    mean = per_example.mean(dim=0)
    # tr Σ = Σ_j Var_i[g_ij]
    trace = per_example.var(dim=0, unbiased=True).sum()
    return float(trace / (mean @ mean))


# --8<-- [end:simple]


def noise_scale_from_batches(
    small_sq_norm: float, big_sq_norm: float, small: int, big: int
) -> tuple[float, float]:
    r"""Unbiased estimates of $\lVert G\rVert^2$ and $\operatorname{tr}\Sigma$ from two batch sizes.

    Args:
        small_sq_norm: $\lVert G_{B_s}\rVert^2$, the squared norm of a gradient over `small`
            examples (or its average over several batches).
        big_sq_norm: $\lVert G_{B_b}\rVert^2$ over `big` examples.
        small: $B_s$.
        big: $B_b > B_s$.

    Returns:
        $(\widehat{\lVert G\rVert^2}, \widehat{\operatorname{tr}\Sigma})$; their ratio estimates
        $B_{\text{simple}}$.
    """
    if not big > small:
        raise ValueError("need big > small")
    g2 = (big * big_sq_norm - small * small_sq_norm) / (big - small)
    trace = (small_sq_norm - big_sq_norm) / (1.0 / small - 1.0 / big)
    return g2, trace
