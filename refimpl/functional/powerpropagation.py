r"""Powerpropagation (Schwarz et al. 2021): train $\phi$ and use the weights $w = \Psi(\phi)$.

$$
\Psi(\phi) = \phi\,\lvert\phi\rvert^{\alpha-1},\qquad
\frac{\partial L}{\partial\phi} = \frac{\partial L}{\partial w}\;\alpha\lvert\phi\rvert^{\alpha-1}.
$$

For $\alpha > 1$ the gradient with respect to $\phi$ is scaled by
$\alpha\lvert\phi\rvert^{\alpha-1}$:
small weights barely move and large ones move more ("rich get richer"), so training ends with
many weights near zero, which can be pruned. The reparametrisation keeps the set of functions
(and the minima of the loss) and changes only the dynamics of gradient descent. Reading list:
``schwarz2021powerprop``.
"""

from __future__ import annotations

from torch import Tensor

__all__ = ["powerprop", "powerprop_inverse"]


# --8<-- [start:powerprop]
def powerprop(phi: Tensor, alpha: float) -> Tensor:
    """The weights w = Ψ(φ) = φ |φ|^(α−1) (differentiable; α = 1 is the identity)."""
    return phi * phi.abs().pow(alpha - 1)


def powerprop_inverse(w: Tensor, alpha: float) -> Tensor:
    """The parameters φ = Ψ⁻¹(w) = sign(w) |w|^(1/α), to start from given weights."""
    return w.sign() * w.abs().pow(1 / alpha)


# --8<-- [end:powerprop]
