r"""Gradient-norm clipping (Pascanu et al. 2013), the exact rule and ``torch.nn.utils``' variant.

When the norm of the gradient exceeds a threshold $c$, rescale it to norm $c$; keep its
direction:

$$
\hat g \leftarrow \nabla_\theta L,\qquad
\text{if } \lVert\hat g\rVert \ge c:\quad \hat g \leftarrow \frac{c}{\lVert\hat g\rVert}\,\hat g .
$$

The step $\gamma\hat g$ then has length at most $\gamma c$, however steep the loss is; near a
cliff of the loss surface this keeps one huge gradient from throwing the parameters far away.
``clip_by_norm`` is the rule exactly as written; ``clip_grad_norm_`` reproduces
``torch.nn.utils.clip_grad_norm_``, which multiplies by $\min(1, c/(\lVert\hat g\rVert +
10^{-6}))$ and so differs only by that $10^{-6}$. The norm is taken over all gradients together,
as if they were one vector. Reading list: ``pascanu2013difficulty``.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor

__all__ = ["clip_by_norm", "clip_grad_norm_", "total_norm"]


def total_norm(tensors: list[Tensor], norm_type: float = 2.0) -> Tensor:
    r"""The norm of all tensors together, as if concatenated into one vector.

    $\lVert(\mathrm{vec}\,g_1, \dots, \mathrm{vec}\,g_k)\rVert_p$.

    Args:
        tensors: the tensors $g_1, \dots, g_k$ (at least one).
        norm_type: $p$; ``float("inf")`` for the largest absolute entry.

    Returns:
        A scalar tensor on the first tensor's device.
    """
    # ‖(g_1, …, g_k)‖_p = ‖(‖g_1‖_p, …, ‖g_k‖_p)‖_p
    norms = [torch.linalg.vector_norm(g, norm_type) for g in tensors]
    return torch.linalg.vector_norm(
        torch.stack([n.to(tensors[0].device) for n in norms]), norm_type
    )


# --8<-- [start:clip]
def clip_by_norm(grads: list[Tensor], threshold: float) -> tuple[list[Tensor], Tensor]:
    """Pascanu et al.'s norm clipping, as a pure function (the inputs are not modified).

    Args:
        grads: the gradients ĝ, treated as one vector.
        threshold: c > 0.

    Returns:
        The clipped gradients and the norm ‖ĝ‖ before clipping.
    """
    norm = total_norm(grads)
    if norm >= threshold:
        # ĝ ← (c / ‖ĝ‖) ĝ: same direction, norm c
        return [g * (threshold / norm) for g in grads], norm
    return [g.clone() for g in grads], norm


# --8<-- [end:clip]


@torch.no_grad()
def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    r"""Clip the gradients of ``parameters`` in place, as ``torch.nn.utils.clip_grad_norm_`` does.

    Multiplies every ``p.grad`` by $\min\big(1,\ c/(\lVert\hat g\rVert_p + 10^{-6})\big)$ where
    $\hat g$ is all gradients together. Parameters without a gradient are ignored.

    Args:
        parameters: a tensor or an iterable of tensors whose ``.grad`` is clipped.
        max_norm: the threshold $c$.
        norm_type: $p$ of the norm (default $2$; ``float("inf")`` allowed).
        error_if_nonfinite: raise if the total norm is ``nan`` or ``inf``.
        foreach: accepted for compatibility; the result does not depend on it.

    Returns:
        The total norm of the gradients before clipping (a scalar tensor).

    Raises:
        RuntimeError: if ``error_if_nonfinite`` and the norm is not finite.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    norm = total_norm(grads, float(norm_type))
    if error_if_nonfinite and not torch.isfinite(norm):
        raise RuntimeError(
            f"The total norm of order {float(norm_type)} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    # min(1, c / (‖ĝ‖ + 1e-6))
    coef = torch.clamp(float(max_norm) / (norm + 1e-6), max=1.0)
    for g in grads:
        g.mul_(coef.to(g.device))
    return norm
