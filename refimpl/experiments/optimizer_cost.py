r"""What a step costs: one optimizer per family on a small ReLU classifier; Path-SGD's invariance.

``cost_runs`` trains a 2-12-3 ReLU network on three interleaved arcs, full batch, from one
initialisation, with gradient descent, heavy ball, Adam, SAM, Path-SGD, saddle-free Newton, the
natural gradient, K-FAC and WoodFisher; it records the loss per step and counts the
floating-point operations of a step (``refimpl.diagnostics.step_flops``), so that loss can be
read against cost. The count depends only on the shapes and the code, so it is the same on
every run and machine. ``path_sgd_rescaling_runs`` trains the same network and two
node-rescaled copies of it (the same function) with gradient descent and with Path-SGD.
Reading list:
``martens2015kfac``, ``singh2020woodfisher``, ``foret2021sam``, ``neyshabur2015pathsgd``.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor
from torch.utils.flop_counter import FlopCounterMode

from refimpl import optim
from refimpl.diagnostics.flops import FLOP_FORMULAS, step_flops
from refimpl.experiments._threads import one_thread

__all__ = [
    "COST_METHODS",
    "RESCALING",
    "CostRun",
    "cost_breakdown",
    "cost_data",
    "cost_runs",
    "path_sgd_rescaling_runs",
]


@dataclass(frozen=True)
class CostRun:
    r"""One method's run in ``cost_runs``.

    Attributes:
        name: the legend label.
        cls: the ``refimpl.optim`` class.
        losses: mean cross-entropy $L(\theta_t)$ for $t = 0, \dots, T$, shape ``(T + 1,)``.
        flops: floating-point operations of each step $t = 1, \dots, T$, the closure's
            forward and backward passes included (``refimpl.diagnostics.step_flops``).
    """

    name: str
    cls: type[torch.optim.Optimizer]
    losses: np.ndarray
    flops: tuple[int, ...]


def cost_data(n: int = 90, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Three interleaved arcs in 2-D: inputs ``(n, 2)`` and labels ``(n,)`` in ``{0, 1, 2}``."""
    gen = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 3
    t = torch.rand(n, generator=gen, dtype=torch.float64) * 2.5
    angle = t + 2 * math.pi * y.to(torch.float64) / 3
    radius = 0.3 + 0.5 * t
    X = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)
    X = X + 0.08 * torch.randn(n, 2, generator=gen, dtype=torch.float64)
    return X, y


#: The methods of ``cost_runs``: label, class, and a factory from the model.
COST_METHODS: dict[str, tuple[type[torch.optim.Optimizer], Callable[[torch.nn.Module], object]]] = {
    "SGD (γ = 0.3)": (optim.SGD, lambda m: optim.SGD(m.parameters(), lr=0.3)),
    "heavy ball (γ = 0.1, μ = 0.9)": (
        optim.SGD,
        lambda m: optim.SGD(m.parameters(), lr=0.1, momentum=0.9),
    ),
    "Adam (γ = 0.03)": (optim.Adam, lambda m: optim.Adam(m.parameters(), lr=0.03)),
    "SAM (heavy ball, ρ = 0.05)": (
        optim.SAM,
        lambda m: optim.SAM(m.parameters(), optim.SGD, rho=0.05, lr=0.1, momentum=0.9),
    ),
    "PathSGD (γ = 0.3)": (optim.PathSGD, lambda m: optim.PathSGD(m, lr=0.3)),
    "SaddleFreeNewton (η = 0.1)": (
        optim.SaddleFreeNewton,
        lambda m: optim.SaddleFreeNewton(m.parameters(), lr=0.5, damping=0.1),
    ),
    "NaturalGradient (λ = 1e-2)": (
        optim.NaturalGradient,
        lambda m: optim.NaturalGradient(m.parameters(), lr=0.5, damping=1e-2),
    ),
    "KFAC (λ = 1e-2)": (optim.KFAC, lambda m: optim.KFAC(m, lr=0.5, damping=1e-2)),
    "WoodFisher (λ = 1e-2)": (
        optim.WoodFisher,
        lambda m: optim.WoodFisher(m.parameters(), lr=0.5, damping=1e-2),
    ),
}


@functools.cache
@one_thread
def cost_runs(steps: int = 60, counted: int = 2) -> tuple[CostRun, ...]:
    """Train a 2-12-3 ReLU network with each of ``COST_METHODS`` from one start, counting flops.

    Args:
        steps: the number of full-batch steps $T$.
        counted: the number of first steps whose flops are counted (counting is slow); every
            later step is given the last counted step's count. Two suffice: a step's cost
            depends only on the shapes, except that heavy ball's first step (and so SAM's)
            initialises the momentum buffer and skips its update.

    Returns:
        One ``CostRun`` per method, in the order of ``COST_METHODS``. Cached.
    """
    X, y = cost_data()
    base = _cost_network()
    out = []
    for name, (cls, make) in COST_METHODS.items():
        model = _clone(base)
        opt = make(model)
        closure = _cost_closure(cls, model, opt, X, y)
        losses, flops = [], []
        for t in range(steps):
            if t < counted:
                loss, count = step_flops(opt, closure)  # type: ignore[arg-type]
            else:  # the same shapes and the same branches: the last counted step's cost
                loss = opt.step(closure)  # type: ignore[attr-defined]
            losses.append(_mean_loss(loss))
            flops.append(count)
        with torch.no_grad():
            losses.append(float(torch.nn.functional.cross_entropy(model(X), y)))
        arr = np.asarray(losses)
        arr.flags.writeable = False
        out.append(CostRun(name, cls, arr, tuple(flops)))
    return tuple(out)


@one_thread
def cost_breakdown(name: str) -> dict[str, int]:
    """Where the flops of one step of method ``name`` (a key of ``COST_METHODS``) go.

    Returns:
        Mapping of ``aten`` operator name (``"mm"``, ``"_linalg_eigh"``, ...) to the flops of
        the method's second step from ``cost_runs``' initialisation (the first step of heavy
        ball, and so of SAM, skips the momentum update), largest first.
    """
    cls, make = COST_METHODS[name]
    X, y = cost_data()
    model = _cost_network()
    opt = make(model)
    closure = _cost_closure(cls, model, opt, X, y)
    opt.step(closure)  # type: ignore[attr-defined]
    counter = FlopCounterMode(display=False, custom_mapping=FLOP_FORMULAS)
    with counter:
        opt.step(closure)  # type: ignore[attr-defined]
    counts = {
        str(op).removeprefix("aten."): n for op, n in counter.get_flop_counts()["Global"].items()
    }
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _cost_network() -> torch.nn.Module:
    """The 2-12-3 ReLU network of ``cost_runs``, in float64, from seed 0."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 12), torch.nn.ReLU(), torch.nn.Linear(12, 3))
    return net.double()


def _cost_closure(
    cls: type[torch.optim.Optimizer], model: torch.nn.Module, opt: object, X: Tensor, y: Tensor
) -> Callable[[], object]:
    """The closure each method's ``step`` expects: per-example losses and outputs for the
    Fisher methods, the mean loss (no backward) for saddle-free Newton, else the mean loss
    after ``backward``."""
    per_example = cls in (optim.NaturalGradient, optim.KFAC, optim.WoodFisher)

    def closure() -> object:
        z = model(X)  # (N, 3) logits
        losses = torch.nn.functional.cross_entropy(z, y, reduction="none")  # (N,)
        if per_example:
            return losses, z
        if isinstance(opt, optim.SaddleFreeNewton):
            return losses.mean()
        opt.zero_grad()  # type: ignore[attr-defined]
        loss = losses.mean()
        loss.backward()
        return loss

    return closure


#: The node rescaling of ``path_sgd_rescaling_runs``: hidden unit $i$'s incoming weights and
#: bias are multiplied by $c_i$, its outgoing weights divided by $c_i$.
RESCALING: tuple[float, ...] = (5.0, 0.2) * 6


@functools.cache
@one_thread
def path_sgd_rescaling_runs(steps: int = 60) -> dict[str, np.ndarray]:
    r"""SGD and Path-SGD on a 2-12-3 ReLU network and on two node-rescaled copies of it.

    The three networks compute the same function (ReLU is positively homogeneous), so an
    optimizer that is invariant to node rescaling trains them identically.

    Args:
        steps: the number of full-batch steps $T$.

    Returns:
        Mapping ``"<optimizer>, <network>"`` (optimizer ``SGD`` or ``PathSGD``; network
        ``balanced``, ``rescaled by c`` with $c$ = ``RESCALING`` or ``rescaled by 1/c``) to the
        training losses, shape ``(T + 1,)``. Cached.
    """
    X, y = cost_data()
    torch.manual_seed(0)
    base = torch.nn.Sequential(torch.nn.Linear(2, 12), torch.nn.ReLU(), torch.nn.Linear(12, 3))
    base = base.double()
    nets = {"balanced": base}
    for name, power in (("rescaled by c", 1.0), ("rescaled by 1/c", -1.0)):
        net = _clone(base)
        c = torch.tensor(RESCALING, dtype=torch.float64) ** power
        with torch.no_grad():
            net[0].weight.mul_(c[:, None])  # (12, 2): row i is unit i's input weights
            net[0].bias.mul_(c)
            net[2].weight.div_(c[None, :])  # (3, 12): column i is unit i's output weights
        nets[name] = net
    out = {}
    for opt_name in ("SGD", "PathSGD"):
        for net_name, net in nets.items():
            model = _clone(net)
            opt = (
                optim.SGD(model.parameters(), lr=0.3)
                if opt_name == "SGD"
                else optim.PathSGD(model, lr=0.3)
            )
            losses = []
            for _ in range(steps):
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(X), y)
                loss.backward()
                opt.step()
                losses.append(float(loss.detach()))
            with torch.no_grad():
                losses.append(float(torch.nn.functional.cross_entropy(model(X), y)))
            arr = np.asarray(losses)
            arr.flags.writeable = False
            out[f"{opt_name}, {net_name}"] = arr
    return out


def _mean_loss(loss: object) -> float:
    if isinstance(loss, tuple):
        loss = loss[0]
    assert isinstance(loss, Tensor)
    return float(loss.detach().mean())


def _clone(model: torch.nn.Module) -> torch.nn.Module:
    return copy.deepcopy(model)
