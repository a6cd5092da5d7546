r"""Feedback alignment (Lillicrap et al. 2016): backpropagation without weight transport.

For a two-layer network $h = \tanh(W_1x + b_1)$, $\hat y = W_2h + b_2$ and the squared error
$\frac12\lVert\hat y - y\rVert^2$, backpropagation sends the output error back through the
transposed forward weights,

$$
\delta_2 = \hat y - y, \qquad \delta_1 = (W_2^\top\delta_2)\odot\tanh'(W_1x + b_1),
$$

which needs the feedback pathway to know $W_2$ exactly (the *weight-transport* problem).
Feedback alignment replaces $W_2^\top$ by a fixed random matrix $B$,
$\delta_1 = (B\delta_2)\odot\tanh'(\cdot)$. The forward weights then come to align with $B^\top$,
and the updates point within 90 degrees of the true gradient (`lillicrap2016fa`).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["two_layer_updates"]


# --8<-- [start:fa]
def two_layer_updates(
    params: tuple[Tensor, Tensor, Tensor, Tensor], x: Tensor, y: Tensor, feedback: Tensor | None
) -> tuple[Tensor, ...]:
    r"""Updates for $(W_1, b_1, W_2, b_2)$ of a tanh network under the mean squared error.

    Args:
        params: `(W1 (H, I), b1 (H,), W2 (O, H), b2 (O,))`.
        x: inputs `(B, I)`.
        y: targets `(B, O)`.
        feedback: $B$ `(H, O)` for feedback alignment, or `None` for backpropagation
            ($B = W_2^\top$).

    Returns:
        The four update directions (gradients when `feedback` is `None`), averaged over the batch.
    """
    W1, b1, W2, b2 = params
    a = x @ W1.T + b1  # (B, H)
    h = torch.tanh(a)
    # delta_2 = y_hat - y
    d2 = (h @ W2.T + b2 - y) / x.shape[0]  # (B, O), the 1/B of the mean folded in
    B = W2.T if feedback is None else feedback  # (H, O)
    # delta_1 = (B delta_2) * tanh'(a)
    d1 = (d2 @ B.T) * (1 - h**2)  # (B, H)
    return d1.T @ x, d1.sum(0), d2.T @ h, d2.sum(0)
    # --8<-- [end:fa]
