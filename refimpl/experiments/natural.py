r"""Gradient descent on a least-squares problem with correlated inputs, plain and whitened.

The same linear model is trained by full-batch gradient descent in the plain parametrisation
$y = Wx + b$ and in the whitened one $y = VU(x - c) + d$ of Natural Neural Networks. The
whitened problem has an identity Hessian, so one step size fits every direction. Reading list:
``desjardins2015nnn``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.nn.natural import WhitenedLinear

__all__ = ["whitened_vs_plain"]


@functools.cache
def whitened_vs_plain(
    steps: int = 200, n: int = 500, dim: int = 10, seed: int = 0
) -> dict[str, np.ndarray]:
    """Training losses of plain and whitened linear regression, each at its largest stable step.

    The inputs have covariance eigenvalues spread over three orders of magnitude and a non-zero
    mean. Each run uses step size $1/\\lambda_{\\max}$ of its own Hessian.

    Returns:
        ``{"plain": (steps + 1,), "whitened": (steps + 1,), "condition": (2,)}``: the excess
        losses and the condition numbers of the two Hessians.
    """
    gen = torch.Generator().manual_seed(seed)
    Q, _ = torch.linalg.qr(torch.randn(dim, dim, generator=gen, dtype=torch.float64))
    scales = torch.logspace(0, -1.5, dim, dtype=torch.float64)
    x = (torch.randn(n, dim, generator=gen, dtype=torch.float64) * scales) @ Q.T + 2.0
    y = x @ torch.randn(dim, 1, generator=gen, dtype=torch.float64) + 0.1 * torch.randn(
        n, 1, generator=gen, dtype=torch.float64
    )
    ones = torch.ones(n, 1, dtype=torch.float64)
    best = torch.linalg.lstsq(torch.cat([x, ones], 1), y).solution
    floor = ((torch.cat([x, ones], 1) @ best - y) ** 2).mean().item()
    result, condition = {}, []
    for name in ("plain", "whitened"):
        torch.manual_seed(seed)
        layer = WhitenedLinear(dim, 1).double()
        if name == "whitened":
            layer.update_whitening(x, eps=0.0)
        features = torch.cat([(x - layer.c) @ layer.U.T, ones], 1)  # what V and d multiply
        hessian = 2 * features.T @ features / n
        eigenvalues = torch.linalg.eigvalsh(hessian)
        condition.append((eigenvalues[-1] / eigenvalues[0]).item())
        lr = 1.0 / eigenvalues[-1].item()
        opt = torch.optim.SGD(layer.parameters(), lr=lr)
        losses = []
        for _ in range(steps + 1):
            opt.zero_grad()
            loss = ((layer(x) - y) ** 2).mean()
            losses.append(loss.item() - floor)
            loss.backward()
            opt.step()
        result[name] = np.maximum(np.array(losses), 1e-16)
    result["condition"] = np.array(condition)
    return result
