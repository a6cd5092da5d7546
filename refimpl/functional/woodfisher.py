r"""WoodFisher: the inverse empirical Fisher built one gradient at a time (Sherman–Morrison).

The damped empirical Fisher of $N$ per-example gradients $\nabla\ell_n$ is
$\hat F = \lambda I + \frac1N\sum_n \nabla\ell_n\nabla\ell_n^\top$. Adding one term is a rank-one
update, and the Sherman–Morrison formula $(B + uv^\top)^{-1} = B^{-1} -
B^{-1}uv^\top B^{-1}/(1 + v^\top B^{-1}u)$ updates the inverse directly. With
$u = v = \nabla\ell_{n+1}/\sqrt N$, Singh & Alistarh's recursion is

$$
\hat F_{n+1}^{-1} = \hat F_n^{-1} - \frac{\hat F_n^{-1}\nabla\ell_{n+1}\nabla\ell_{n+1}^\top
\hat F_n^{-1}}{N + \nabla\ell_{n+1}^\top \hat F_n^{-1}\nabla\ell_{n+1}},\qquad
\hat F_0^{-1} = \lambda^{-1} I,
$$

and after $N$ updates $\hat F_N^{-1} = \big(\lambda I + \frac1N\sum_n\nabla\ell_n\nabla\ell_n^\top
\big)^{-1}$: no matrix is ever inverted. Reading list: ``singh2020woodfisher``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["woodfisher_inverse"]


# --8<-- [start:woodfisher]
def woodfisher_inverse(per_example_grads: Tensor, damping: float) -> Tensor:
    r"""$\big(\lambda I + \frac1N\sum_n g_n g_n^\top\big)^{-1}$ by $N$ Sherman–Morrison updates.

    Args:
        per_example_grads: the gradients $g_n = \nabla\ell_n$, shape ``(N, d)``.
        damping: $\lambda > 0$, the dampening of the initial estimate $\hat F_0 = \lambda I$.

    Returns:
        $\hat F_N^{-1}$, shape ``(d, d)``.
    """
    N, d = per_example_grads.shape
    # F̂_0⁻¹ = λ⁻¹ I
    F_inv = torch.eye(d, dtype=per_example_grads.dtype, device=per_example_grads.device) / damping
    for g in per_example_grads:
        Fg = F_inv @ g  # F̂_n⁻¹ ∇ℓ_{n+1}, (d,)
        # F̂_{n+1}⁻¹ = F̂_n⁻¹ − (F̂_n⁻¹ ∇ℓ)(F̂_n⁻¹ ∇ℓ)ᵀ / (N + ∇ℓᵀ F̂_n⁻¹ ∇ℓ)
        F_inv = F_inv - torch.outer(Fg, Fg) / (N + g @ Fg)
    return F_inv


# --8<-- [end:woodfisher]
