r"""Loss of plasticity: one MLP memorises fresh random labels, round after round.

The inputs $x_1..x_N$ stay fixed; at each round every input gets a new label drawn uniformly
from $C$ classes, and the network trains on them for a fixed number of full-batch Adam steps,
warm-started from where the previous round ended. A network that keeps its plasticity reaches a
low loss in every round, as a freshly initialised one does; one that loses it ends each round
higher, eventually near chance, $\log C$. We record the loss at the end of each round, the
fraction of dead ReLU units and the effective rank of the last hidden layer's features, for
plain training and for each remedy of `refimpl.continual.plasticity`.

All variants train side by side as one batched network: every weight has a leading axis of
size $M$ (one slice per variant), so a step costs one batched matmul per layer; the slices share
nothing, and Adam acts elementwise, so each slice follows exactly the trajectory it would alone.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.continual.plasticity import (
    dead_unit_fraction,
    dead_units,
    effective_rank,
    reset_dead_units,
    shrink_and_perturb,
    srank,
    weight_norm,
)
from refimpl.experiments._threads import one_thread
from refimpl.functional.normalization import layer_norm

__all__ = ["METHODS", "PlasticityRun", "random_label_rounds"]

#: The variants, in the order of the batch axis.
METHODS: tuple[str, ...] = (
    "plain",
    "L2 to zero",
    "L2 to init",
    "shrink & perturb",
    "reset dead units",
    "layer norm",
    "fresh network",
)


@dataclass(frozen=True)
class PlasticityRun:
    r"""Per-round measurements, each an array of shape `(len(methods), rounds)`.

    Attributes:
        methods: the variant names (rows).
        loss: training cross-entropy at the end of each round.
        dead: fraction of dead ReLU units (both hidden layers) on the inputs, end of round.
        srank: $\operatorname{srank}_{0.01}$ of the last hidden layer's features, end of round.
        erank: entropy effective rank of the same features.
        norm: the weight norm $\lVert\theta\rVert$ at the end of each round.
        chance: $\log C$, the loss of a uniform prediction.
        hidden: the width $H$ (the largest possible rank).
    """

    methods: tuple[str, ...]
    loss: np.ndarray
    dead: np.ndarray
    srank: np.ndarray
    erank: np.ndarray
    norm: np.ndarray
    chance: float
    hidden: int


def _init(shapes: list[tuple[int, int]], m: int, gen: torch.Generator) -> Tensor:
    r"""All parameters of `m` MLPs as one `(M, P)` tensor, drawn as torch's `nn.Linear` does.

    Each layer `(out, in)` contributes a weight and a bias from $\mathcal U(-1/\sqrt{in},
    1/\sqrt{in})$; `_views` gives them back in their shapes.
    """
    params = []
    for fan_out, fan_in in shapes:
        bound = 1 / math.sqrt(fan_in)
        params.append((2 * torch.rand(m, fan_out * fan_in, generator=gen) - 1) * bound)
        params.append((2 * torch.rand(m, fan_out, generator=gen) - 1) * bound)
    return torch.cat(params, 1)  # (M, P)


def _views(flat: Tensor, shapes: list[tuple[int, int]]) -> list[Tensor]:
    """Views of `flat` `(M, P)`: weights `(M, out, in)` and biases `(M, 1, out)`, per layer."""
    out, offset, m = [], 0, flat.shape[0]
    for fan_out, fan_in in shapes:
        for shape in ((fan_out, fan_in), (1, fan_out)):
            size = shape[0] * shape[1]
            out.append(flat[:, offset : offset + size].view(m, *shape))
            offset += size
    return out


def _forward(params: list[Tensor], x: Tensor, norm: Tensor) -> tuple[Tensor, list[Tensor]]:
    """Logits `(M, N, C)` and the hidden activations of the batched MLP.

    `norm` is a `(M, 1, 1)` mask: slices where it is 1 apply layer normalisation (without a
    learned gain or bias) to each hidden pre-activation.
    """
    h, hidden = x, []
    for k in range(0, len(params) - 2, 2):
        z = h @ params[k].transpose(1, 2) + params[k + 1]  # (M, N, H)
        z = torch.where(norm > 0, layer_norm(z, 1, None, None, 1e-5), z)
        h = torch.relu(z)
        hidden.append(h)
    return h @ params[-2].transpose(1, 2) + params[-1], hidden  # (M, N, C)


class _BatchedAdam:
    r"""Adam on a tensor whose first axis indexes variants, with one step counter per variant.

    $m\leftarrow\beta_1m+(1-\beta_1)g$, $v\leftarrow\beta_2v+(1-\beta_2)g^2$,
    $\theta\leftarrow\theta-\gamma\,\hat m/(\sqrt{\hat v}+\epsilon)$ with
    $\hat m = m/(1-\beta_1^{t})$, $\hat v = v/(1-\beta_2^{t})$, as `torch.optim.Adam`;
    `restart(i)` gives variant `i` a fresh state, as a newly built optimiser would.
    """

    def __init__(self, param: Tensor, lr: float, betas=(0.9, 0.999), eps=1e-8) -> None:
        self.param, self.lr, self.betas, self.eps = param, lr, betas, eps
        self.m, self.v = torch.zeros_like(param), torch.zeros_like(param)
        self.t = torch.zeros(param.shape[0], *[1] * (param.dim() - 1), dtype=param.dtype)

    @torch.no_grad()
    def step(self) -> None:
        b1, b2 = self.betas
        g = self.param.grad
        self.t += 1  # (M, 1, ...)
        self.m.mul_(b1).add_(g, alpha=1 - b1)
        self.v.mul_(b2).addcmul_(g, g, value=1 - b2)
        m_hat, v_hat = self.m / (1 - b1**self.t), self.v / (1 - b2**self.t)
        self.param -= self.lr * m_hat / (v_hat.sqrt() + self.eps)

    def restart(self, i: int) -> None:
        """Zero variant `i`'s moments and step counter."""
        self.m[i], self.v[i], self.t[i] = 0.0, 0.0, 0.0


# --8<-- [start:experiment]
@functools.cache
@one_thread
def random_label_rounds(
    rounds: int = 30,
    steps: int = 100,
    n: int = 64,
    d: int = 16,
    hidden: int = 32,
    classes: int = 10,
    lr: float = 0.01,
    l2: float = 1e-3,
    shrink: float = 0.8,
    sigma: float = 0.01,
    seed: int = 0,
) -> PlasticityRun:
    r"""Train every variant of `METHODS` on `rounds` fresh random labellings of fixed inputs.

    Args:
        rounds: how many labellings, each trained for `steps` full-batch Adam steps at `lr`.
        n: number of inputs.
        d: their dimension (standard Gaussian entries).
        hidden: width of both ReLU hidden layers.
        classes: number of classes $C$.
        lr: Adam's learning rate.
        l2: $\lambda$ of the two L2 penalties.
        shrink: shrink-and-perturb's $\lambda$, applied between rounds.
        sigma: shrink-and-perturb's $\sigma$.
        seed: seeds inputs, labels and initialisation.

    Returns:
        A `PlasticityRun`.
    """
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=gen)
    m = len(METHODS)
    row = {name: i for i, name in enumerate(METHODS)}
    shapes = [(hidden, d), (hidden, hidden), (classes, hidden)]
    theta = _init(shapes, m, gen).requires_grad_()  # (M, P): one row of parameters per variant
    theta0 = theta.detach().clone()
    norm = torch.zeros(m, 1, 1)
    norm[row["layer norm"]] = 1.0
    to_zero, to_init = torch.zeros(m, 1), torch.zeros(m, 1)
    to_zero[row["L2 to zero"]], to_init[row["L2 to init"]] = l2, l2
    opt = _BatchedAdam(theta, lr)
    out = {k: np.zeros((m, rounds)) for k in ("loss", "dead", "srank", "erank", "norm")}
    for r in range(rounds):
        y = torch.randint(classes, (n,), generator=gen)  # a fresh labelling
        for _ in range(steps):
            logits, _ = _forward(_views(theta, shapes), x, norm)
            ce = torch.nn.functional.cross_entropy(
                logits.reshape(m * n, classes), y.repeat(m), reduction="none"
            )  # (M * N,)
            loss = ce.view(m, n).mean(1)  # (M,): one loss per variant
            theta.grad = None
            loss.sum().backward()  # the variants' gradients do not mix
            with torch.no_grad():
                # + gradient of l2_penalty: lambda theta (to zero), lambda (theta - theta_0)
                theta.grad += to_zero * theta + to_init * (theta - theta0)
            opt.step()
        with torch.no_grad():
            _, hs = _forward(_views(theta, shapes), x, norm)
            for i in range(m):
                out["loss"][i, r] = float(loss[i])
                out["dead"][i, r] = float(dead_unit_fraction(torch.cat([h[i] for h in hs], 1)))
                out["srank"][i, r] = srank(hs[-1][i])
                out["erank"][i, r] = float(effective_rank(hs[-1][i]))
                out["norm"][i, r] = float(weight_norm([theta[i]]))
            _between_rounds(theta, opt, x, norm, row, shrink, sigma, shapes, gen)
    return PlasticityRun(METHODS, chance=math.log(classes), hidden=hidden, **out)
    # --8<-- [end:experiment]


def _between_rounds(
    theta: Tensor,
    opt: _BatchedAdam,
    x: Tensor,
    norm: Tensor,
    row: dict[str, int],
    shrink: float,
    sigma: float,
    shapes: list[tuple[int, int]],
    gen: torch.Generator,
) -> None:
    """The interventions between two rounds, each on its own variant (under `no_grad`)."""
    # shrink and perturb: theta <- lambda theta + sigma eps
    i = row["shrink & perturb"]
    (theta[i],) = shrink_and_perturb([theta[i]], shrink, sigma, gen)
    # reset the units dead on the inputs, layer by layer, and their weights' Adam moments
    i = row["reset dead units"]
    params, m_views, v_views = (_views(t, shapes) for t in (theta, opt.m, opt.v))
    for layer in range(len(shapes) - 1):
        _, hs = _forward(params, x, norm)
        dead = dead_units(hs[layer][i])  # (H,)
        k = 2 * layer  # weight_in, bias_in, weight_out = params[k], params[k + 1], params[k + 2]
        w_in, b_in, w_out = reset_dead_units(
            params[k][i], params[k + 1][i, 0], params[k + 2][i], dead, gen
        )
        params[k][i], params[k + 1][i, 0], params[k + 2][i] = w_in, b_in, w_out
        for moments in (m_views, v_views):
            moments[k][i][dead] = 0.0
            moments[k + 1][i, 0][dead] = 0.0
            moments[k + 2][i][:, dead] = 0.0
    # the reference: a freshly initialised network and optimiser every round
    i = row["fresh network"]
    theta[i] = _init(shapes, 1, gen)[0]
    opt.restart(i)
