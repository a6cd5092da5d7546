r"""The affine map of a fully connected layer, `linear`, in torch's weight layout.

$$
y = x W^\top + b,\qquad W \in \mathbb{R}^{\text{out}\times\text{in}},\
b \in \mathbb{R}^{\text{out}},
$$

applied to the last dimension of $x$, so any number of leading (batch) dimensions pass through.
The seeds write the same layer on column vectors as $z_m = W_m^\top a_{m-1} + b_m$ with
$W_m \in \mathbb{R}^{n_{m-1}\times n_m}$: their $W_m$ is the transpose of torch's ``weight``.
Reading list: ``goodfellow2016`` (chapter 6).
"""

from __future__ import annotations

from torch import Tensor

__all__ = ["linear"]


# --8<-- [start:linear]
def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    r"""$y = x W^\top + b$.

    Args:
        x: inputs, shape ``(..., in)``.
        weight: $W$, shape ``(out, in)``.
        bias: $b$, shape ``(out,)``, or ``None`` for a purely linear map.

    Returns:
        $y$, shape ``(..., out)``.
    """
    # y = x Wᵀ (+ b)
    y = x @ weight.mT  # (..., out)
    return y if bias is None else y + bias


# --8<-- [end:linear]
