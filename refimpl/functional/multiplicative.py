r"""The general multiplicative-interaction layer of Jayakumar et al., as a pure function.

For two inputs $x \in \mathbb{R}^{n}$ and $z \in \mathbb{R}^{m}$ and an output of size $k$,

$$
f(x, z) = z^\top \mathbb{W} x + z^\top U + V x + b,
\qquad \mathbb{W} \in \mathbb{R}^{k \times m \times n},\ U \in \mathbb{R}^{k \times m},\
V \in \mathbb{R}^{k \times n},\ b \in \mathbb{R}^{k},
$$

that is $f_c = \sum_{j,i} z_j \mathbb{W}_{c,j,i} x_i + \sum_j U_{c,j} z_j + \sum_i V_{c,i} x_i
+ b_c$. Read as a hypernetwork, $z$ writes the weights and bias of an affine map of $x$:
$f(x, z) = W'(z)\,x + b'(z)$ with $W'(z) = z^\top\mathbb{W} + V$ and $b'(z) = z^\top U + b$.
Reading list: ``jayakumar2020mi``.
"""

from __future__ import annotations

from torch import Tensor

__all__ = ["implicit_affine", "multiplicative_interaction"]


# --8<-- [start:mi]
def multiplicative_interaction(
    x: Tensor,
    z: Tensor,
    weight: Tensor,
    u: Tensor | None = None,
    v: Tensor | None = None,
    bias: Tensor | None = None,
) -> Tensor:
    r"""$f(x, z) = z^\top \mathbb{W} x + z^\top U + V x + b$ over the last dimension.

    Args:
        x: the input that is transformed, shape ``(..., n)``.
        z: the context that modulates the transformation, shape ``(..., m)``.
        weight: the three-way tensor $\mathbb{W}$, shape ``(k, m, n)``.
        u: $U$, shape ``(k, m)``: the additive effect of $z$, or ``None`` for $U = 0$.
        v: $V$, shape ``(k, n)``: the additive effect of $x$, or ``None`` for $V = 0$.
        bias: $b$, shape ``(k,)``, or ``None``.

    Returns:
        $f(x, z)$, shape ``(..., k)``.
    """
    # z^T 𝕎 x:  Σ_{j,i} z_j 𝕎_{c,j,i} x_i
    zw = z[..., None, None, :] @ weight  # (..., k, 1, n): row j of z times 𝕎_c
    y = (zw @ x[..., None, :, None])[..., 0, 0]  # (..., k)
    # + z^T U
    if u is not None:
        y = y + z @ u.mT  # (..., k)
    # + V x
    if v is not None:
        y = y + x @ v.mT  # (..., k)
    # + b
    return y if bias is None else y + bias


# --8<-- [end:mi]


def implicit_affine(
    z: Tensor,
    weight: Tensor,
    u: Tensor | None = None,
    v: Tensor | None = None,
    bias: Tensor | None = None,
) -> tuple[Tensor, Tensor]:
    r"""The affine map of $x$ that the context $z$ selects: $W'(z) = z^\top\mathbb{W} + V$ and
    $b'(z) = z^\top U + b$.

    Args:
        z: context, shape ``(..., m)``.
        weight: $\mathbb{W}$, shape ``(k, m, n)``.
        u: $U$, shape ``(k, m)``, or ``None`` for $U = 0$.
        v: $V$, shape ``(k, n)``, or ``None`` for $V = 0$.
        bias: $b$, shape ``(k,)``, or ``None``.

    Returns:
        $W'(z)$ of shape ``(..., k, n)`` and $b'(z)$ of shape ``(..., k)``, such that
        $f(x, z) = W'(z)\,x + b'(z)$.
    """
    # W'(z)_{c,i} = Σ_j z_j 𝕎_{c,j,i} + V_{c,i}
    w = (z[..., None, None, :] @ weight)[..., 0, :]  # (..., k, n)
    if v is not None:
        w = w + v
    # b'(z)_c = Σ_j U_{c,j} z_j + b_c
    b = z.new_zeros(*z.shape[:-1], weight.shape[0]) if u is None else z @ u.mT  # (..., k)
    return w, b if bias is None else b + bias
