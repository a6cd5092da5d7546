r"""The same line fitted under different costs, on data with outliers.

Twenty points on $y = 1.6x + 1.05$ with small noise, three of them replaced by gross outliers.
The squared error weighs a residual $r$ by $r^2$, so a few large residuals dominate its
gradient and drag the fit; the absolute error weighs by $|r|$ (its gradient has the same size
for every residual), and Huber's cost is quadratic near zero and absolute beyond $\kappa$.
Each fit runs gradient descent (`refimpl.optim.SGD`) on the mean cost of
`refimpl.functional.losses` from $(a, b) = (0, 0)$. Reading list: ``goodfellow2016``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.functional.losses import huber_loss, l1_loss, mse_loss
from refimpl.optim import SGD

__all__ = ["COSTS", "outlier_data", "robust_fits"]

#: The costs compared, by name.
COSTS = {"squared (MSE)": mse_loss, "absolute (MAE)": l1_loss, "Huber, κ = 0.5": None}


def outlier_data(seed: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """Twenty points of $y = 1.6x + 1.05 + \\varepsilon$ with three outliers (float64)."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.linspace(0, 2, 20, dtype=torch.float64)
    y = 1.6 * x + 1.05 + 0.1 * torch.randn(20, generator=gen, dtype=torch.float64)
    y[[15, 17, 19]] -= torch.tensor([3.0, 3.5, 4.0], dtype=torch.float64)
    return x, y


@functools.cache
def robust_fits(steps: int = 3000, lr: float = 0.05) -> dict[str, np.ndarray]:
    """Gradient-descent fits of $h(x) = ax + b$ under each cost.

    Args:
        steps: gradient-descent steps.
        lr: the step size (momentum 0.9).

    Returns:
        ``{cost name: (a, b)}`` (read-only arrays). Cached.
    """
    x, y = outlier_data()
    out = {}
    for name in COSTS:
        theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        opt = SGD([theta], lr=lr, momentum=0.9)
        with single_thread():
            for _ in range(steps):
                opt.zero_grad()
                pred = theta[0] * x + theta[1]
                if name.startswith("Huber"):
                    loss = huber_loss(pred, y, delta=0.5)
                else:
                    loss = COSTS[name](pred, y)
                loss.backward()
                opt.step()
        a = theta.detach().numpy().copy()
        a.flags.writeable = False
        out[name] = a
    return out
