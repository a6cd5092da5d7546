r"""Difference target propagation (Lee et al. 2015): local targets instead of gradients.

Layers $h_l = f_l(h_{l-1}) = \tanh(W_lh_{l-1} + b_l)$ get *targets* $\hat h_l$. The last layer's
target is a small step down the loss, $\hat h_L = h_L - \eta\,\partial L/\partial h_L$; learned
feedback maps $g_l \approx f_l^{-1}$ carry targets down with a difference correction,

$$
\hat h_{l-1} = h_{l-1} + g_l(\hat h_l) - g_l(h_l),
$$

which makes $\hat h_{l-1} = h_{l-1}$ whenever $\hat h_l = h_l$, even if $g_l$ is not an exact
inverse. Each layer then reduces its own local loss $\frac12\lVert f_l(h_{l-1}) - \hat h_l\rVert^2$
with $h_{l-1}$ held fixed, and each $g_l$ is trained to invert $f_l$ on noisy inputs,
$\frac12\lVert g_l(f_l(h_{l-1} + \epsilon)) - (h_{l-1} + \epsilon)\rVert^2$. No gradient
crosses a layer (`lee2015dtp`).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["dtp_targets"]

Layer = tuple[Tensor, Tensor]


# --8<-- [start:targets]
def dtp_targets(
    forward: list[Layer], feedback: list[Layer], x: Tensor, top_target: Tensor
) -> tuple[list[Tensor], list[Tensor]]:
    r"""Activations $h_l$ and difference-corrected targets $\hat h_l$ for every layer.

    Args:
        forward: `[(W_l, b_l)]`, $f_l(h) = \tanh(hW_l^\top + b_l)$.
        feedback: `[(V_l, c_l)]` for layers 2..L, $g_l(h) = \tanh(hV_l^\top + c_l)$ maps layer
            $l$ back to layer $l-1$ (`feedback[0]` belongs to layer 2).
        x: inputs `(B, I)`.
        top_target: $\hat h_L$ `(B, O)`.

    Returns:
        `(h, targets)`, lists over layers 1..L.
    """
    h = [x]
    for W, b in forward:
        h.append(torch.tanh(h[-1] @ W.T + b))
    targets = [top_target]
    for l in range(len(forward) - 1, 0, -1):
        V, c = feedback[l - 1]

        def g(v: Tensor, V: Tensor = V, c: Tensor = c) -> Tensor:
            return torch.tanh(v @ V.T + c)

        # h_hat_{l-1} = h_{l-1} + g_l(h_hat_l) - g_l(h_l)
        targets.insert(0, h[l] + g(targets[0]) - g(h[l + 1]))
    return h[1:], targets
    # --8<-- [end:targets]
