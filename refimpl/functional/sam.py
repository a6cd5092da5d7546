r"""Sharpness-aware minimisation (SAM): the adversarial weight perturbation.

SAM (Foret et al. 2021) minimises the worst loss in a ball of radius $\rho$ around the weights,
$\min_w \max_{\lVert\epsilon\rVert_2\le\rho} L(w + \epsilon)$. A first-order Taylor expansion
solves the inner problem, $\hat\epsilon(w) = \rho\,\nabla L(w)/\lVert\nabla L(w)\rVert_2$, and
dropping the second-order term of its derivative leaves the gradient at the perturbed point:

$$
g_{\text{SAM}} = \nabla L(w)\big|_{w + \hat\epsilon(w)},\qquad
w \leftarrow \text{base-optimizer step with } g_{\text{SAM}} .
$$

The adaptive variant (ASAM, Kwon et al. 2021) scales the ball by $|w|$:
$\hat\epsilon = \rho\,w^2\odot g/\lVert |w|\odot g\rVert_2$. Reading list: ``foret2021sam``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["sam_perturbation"]


# --8<-- [start:sam]
def sam_perturbation(
    params: list[Tensor], grads: list[Tensor], rho: float, adaptive: bool = False
) -> list[Tensor]:
    r"""The ascent step $\hat\epsilon = \rho\, g/\lVert g\rVert_2$ over all tensors together.

    Args:
        params: the weights $w$ (read for the adaptive variant only).
        grads: their gradients $g = \nabla L(w)$, one per parameter.
        rho: the radius $\rho$ of the neighbourhood.
        adaptive: scale by $|w|$ (ASAM):
            $\hat\epsilon = \rho\, w^2 \odot g / \lVert |w| \odot g\rVert$.

    Returns:
        $\hat\epsilon$ for every parameter. A zero gradient gives a zero perturbation.
    """
    scaled = [(p.abs() * g if adaptive else g) for p, g in zip(params, grads, strict=True)]
    # ‖g‖₂ over all parameters (or ‖|w| ⊙ g‖₂)
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(s) for s in scaled]))
    # ε̂ = ρ g / ‖g‖  (ρ w² ⊙ g / ‖|w| ⊙ g‖ when adaptive); 1e-12 guards a zero gradient
    scale = rho / (norm + 1e-12)
    return [(p * p * g if adaptive else g) * scale for p, g in zip(params, grads, strict=True)]


# --8<-- [end:sam]
