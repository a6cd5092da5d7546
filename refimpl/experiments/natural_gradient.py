r"""Natural gradient against gradient descent: reparametrisation and a small classifier.

``reparametrisation_paths`` trains a two-parameter logistic-regression model, logits
$z = (0, w^\top x)$, twice: in the parameters $w$ and in badly scaled parameters $\varphi$ with
$w = B\varphi$. Gradient descent gives different paths in $w$ (the gradient transforms with
$B^\top$, the step should with $B$); the natural-gradient paths coincide, because
$F_\varphi = B^\top F_w B$ makes $B\,\Delta\varphi = \Delta w$.

``classifier_curves`` trains a small tanh MLP on a three-class spiral-free blob problem with
gradient descent, natural gradient (model and empirical Fisher), K-FAC and WoodFisher, and
records the loss. Reading list: ``amari1998``, ``martens2015kfac``, ``singh2020woodfisher``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from refimpl.optim import KFAC, SGD, NaturalGradient, WoodFisher

__all__ = [
    "REPARAM_B",
    "LossCurve",
    "ReparamPath",
    "classifier_curves",
    "logistic_data",
    "logistic_loss",
    "reparametrisation_paths",
]

#: The badly scaled reparametrisation $w = B\varphi$ of ``reparametrisation_paths``.
REPARAM_B: tuple[tuple[float, float], ...] = ((1.0, 0.0), (0.8, 0.15))


@dataclass(frozen=True)
class ReparamPath:
    """One run of ``reparametrisation_paths``, mapped to the $w$ coordinates.

    Attributes:
        name: method and parametrisation, as shown in the legend.
        iterates: $w_0, \\dots, w_T$, shape ``(T + 1, 2)``.
    """

    name: str
    iterates: np.ndarray


@dataclass(frozen=True)
class LossCurve:
    """The training loss of one optimizer in ``classifier_curves``.

    Attributes:
        name: the method.
        losses: mean cross-entropy before each step and after the last, shape ``(T + 1,)``.
    """

    name: str
    losses: np.ndarray


def logistic_data(n: int = 64, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Two overlapping Gaussian classes in 2-D with correlated, unequally scaled inputs."""
    gen = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    mix = torch.tensor([[1.0, 0.0], [0.6, 0.5]], dtype=torch.float64)
    centre = torch.tensor([1.0, 0.2], dtype=torch.float64)
    X = torch.randn(n, 2, generator=gen, dtype=torch.float64) @ mix.T
    X = X + torch.where(y[:, None] == 1, centre, -centre)
    return X, y


def logistic_loss(w: Tensor, X: Tensor, y: Tensor) -> Tensor:
    r"""Per-example cross-entropy of the logits $(0, w^\top x)$; ``w`` may be a grid (..., 2)."""
    s = X @ w.unsqueeze(-1) if w.dim() > 1 else X @ w  # (..., N) scores
    s = s.squeeze(-1) if w.dim() > 1 else s
    # −log p(y|x) = log(1 + e^s) − y s
    return torch.nn.functional.softplus(s) - y.to(s.dtype) * s


class _Logistic(torch.nn.Module):
    def __init__(self, w0: Tensor, B: Tensor) -> None:
        super().__init__()
        self.B = B
        self.phi = torch.nn.Parameter(torch.linalg.solve(B, w0))

    def w(self) -> Tensor:
        return self.B @ self.phi

    def forward(self, X: Tensor) -> Tensor:
        s = X @ self.w()  # (N,)
        return torch.stack([torch.zeros_like(s), s], dim=1)  # logits (N, 2)


@functools.cache
def reparametrisation_paths(
    steps: int = 15, gd_lr: float = 1.0, ng_lr: float = 0.25, w0: tuple[float, float] = (-2.0, 2.5)
) -> tuple[ReparamPath, ...]:
    r"""Gradient descent and natural gradient in $w$ and in $\varphi$ ($w = B\varphi$).

    Args:
        steps: the number of steps $T$.
        gd_lr: gradient descent's learning rate (the same in both parametrisations).
        ng_lr: the natural gradient's step size.
        w0: the common starting point in $w$.

    Returns:
        The four runs, mapped to $w$ (read-only arrays). Cached.
    """
    X, y = logistic_data()
    B = torch.tensor(REPARAM_B, dtype=torch.float64)
    eye = torch.eye(2, dtype=torch.float64)
    start = torch.tensor(w0, dtype=torch.float64)
    out = []
    for method in ("gradient descent", "natural gradient"):
        for label, M in (("in w", eye), ("in φ, w = Bφ", B)):
            model = _Logistic(start, M)
            if method == "gradient descent":
                opt = SGD(model.parameters(), lr=gd_lr)
            else:
                opt = NaturalGradient(model.parameters(), lr=ng_lr, damping=0.0)
            path = [model.w().detach().clone()]
            for _ in range(steps):
                z_and_loss = lambda m=model: (  # noqa: E731
                    torch.nn.functional.cross_entropy(m(X), y, reduction="none"),
                    m(X),
                )
                if method == "gradient descent":
                    opt.zero_grad()
                    z_and_loss()[0].mean().backward()
                    opt.step()
                else:
                    opt.step(z_and_loss)
                path.append(model.w().detach().clone())
            arr = torch.stack(path).numpy()
            arr.flags.writeable = False
            out.append(ReparamPath(name=f"{method} {label}", iterates=arr))
    return tuple(out)


def _blobs(n: int = 60, seed: int = 0) -> tuple[Tensor, Tensor]:
    gen = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 3
    angle = 2 * torch.pi * y.to(torch.float64) / 3
    centres = torch.stack([torch.cos(angle), torch.sin(angle)], dim=1) * 1.5
    X = centres + 0.8 * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    return X * torch.tensor([4.0, 0.25], dtype=torch.float64), y  # badly scaled inputs


@functools.cache
def classifier_curves(steps: int = 20) -> tuple[LossCurve, ...]:
    """Loss curves of a 2-8-3 tanh MLP trained full-batch by five optimizers from one start.

    Args:
        steps: the number of steps.

    Returns:
        One curve per optimizer (read-only arrays). Cached.
    """
    X, y = _blobs()
    torch.manual_seed(0)
    base = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    base = base.double()
    makers = {
        "gradient descent (γ = 0.3)": lambda m: SGD(m.parameters(), lr=0.3),
        "natural gradient (model Fisher)": lambda m: NaturalGradient(
            m.parameters(), lr=0.3, damping=1e-2
        ),
        "natural gradient (empirical Fisher)": lambda m: NaturalGradient(
            m.parameters(), lr=0.3, damping=1e-2, fisher="empirical"
        ),
        "K-FAC": lambda m: KFAC(m, lr=0.3, damping=1e-2),
        "WoodFisher": lambda m: WoodFisher(m.parameters(), lr=0.3, damping=1e-2),
    }
    curves = []
    for name, make in makers.items():
        model = _copy(base)
        opt = make(model)

        def closure(m: torch.nn.Module = model) -> tuple[Tensor, Tensor]:
            z = m(X)
            return torch.nn.functional.cross_entropy(z, y, reduction="none"), z

        losses = []
        for _ in range(steps):
            if isinstance(opt, SGD):
                opt.zero_grad()
                loss = closure()[0].mean()
                loss.backward()
                opt.step()
            else:
                loss = opt.step(closure)
            losses.append(float(loss.detach()))
        with torch.no_grad():
            losses.append(float(closure()[0].mean()))
        arr = np.asarray(losses)
        arr.flags.writeable = False
        curves.append(LossCurve(name=name, losses=arr))
    return tuple(curves)


def _copy(model: torch.nn.Module) -> torch.nn.Module:
    import copy

    return copy.deepcopy(model)
