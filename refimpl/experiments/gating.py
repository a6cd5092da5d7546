r"""Saturated gates: the refine gate's effective gate and gradient, and a long-memory task.

Two experiments for the page on better gates (Gu et al. 2020). ``gate_curves`` evaluates a plain
sigmoid gate $\sigma(a)$ and the refined gate $g = r(1 - (1 - f)^2) + (1 - r)f^2$ with
$f = r = \sigma(a)$, with their derivatives by autograd. ``memory_learning_curves`` trains three
one-layer networks to recall the sign of the first input after a delay of $T$ steps of noise:
the torch-compatible ``refimpl.nn.LSTM`` with torch's initialisation, the same LSTM with its
forget-gate biases drawn by uniform gate initialisation, and the ``URLSTM``. Reading list:
``gu2020gating``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from refimpl.experiments._threads import single_thread
from refimpl.functional.gating import refine_gate, ugi_forget_bias
from refimpl.nn import LSTM, URLSTM

__all__ = [
    "MEMORY_DELAY",
    "MEMORY_MODELS",
    "MEMORY_SEEDS",
    "GateCurves",
    "gate_curves",
    "memory_batch",
    "memory_learning_curves",
    "train_memory",
]

#: The three models of the memory task, in plotting order.
MEMORY_MODELS: tuple[str, ...] = ("LSTM", "LSTM + UGI", "UR-LSTM")
#: The delay of the memory task: the sign is given at step 0 and asked for after this many steps.
MEMORY_DELAY: int = 30
#: The seeds of the memory task (model initialisation and data).
MEMORY_SEEDS: tuple[int, ...] = (0, 1, 2)


@dataclass(frozen=True)
class GateCurves:
    """A plain and a refined gate against the shared pre-activation $a$.

    Attributes:
        a: the pre-activations, shape `(N,)`.
        plain: $\\sigma(a)$.
        refined: $g$ with $f = r = \\sigma(a)$.
        plain_grad: $d\\sigma/da$.
        refined_grad: $dg/da$ (through both $f$ and $r$).
    """

    a: np.ndarray
    plain: np.ndarray
    refined: np.ndarray
    plain_grad: np.ndarray
    refined_grad: np.ndarray


def gate_curves(lo: float = -8.0, hi: float = 8.0, n: int = 801) -> GateCurves:
    """Both gates and their derivatives (by autograd, float64) on a grid of pre-activations."""
    a = torch.linspace(lo, hi, n, dtype=torch.float64, requires_grad=True)
    f = torch.sigmoid(a)
    g = refine_gate(f, f)
    (plain_grad,) = torch.autograd.grad(f.sum(), a, retain_graph=True)
    (refined_grad,) = torch.autograd.grad(g.sum(), a)
    return GateCurves(
        a=a.detach().numpy(),
        plain=f.detach().numpy(),
        refined=g.detach().numpy(),
        plain_grad=plain_grad.numpy(),
        refined_grad=refined_grad.numpy(),
    )


def memory_batch(
    delay: int, batch: int, generator: torch.Generator, noise: float = 0.1
) -> tuple[Tensor, Tensor]:
    """Recall the sign: inputs `(T + 1, B, 1)`, the first entry $\\pm 1$ then noise; targets."""
    sign = torch.randint(0, 2, (batch,), generator=generator).double() * 2.0 - 1.0  # (B,)
    x = noise * torch.randn(delay + 1, batch, 1, generator=generator, dtype=torch.float64)
    x[0, :, 0] = sign
    return x, (sign > 0).double()


class _Classifier(nn.Module):
    def __init__(self, model: str, hidden: int) -> None:
        super().__init__()
        if model == "UR-LSTM":
            self.rnn: nn.Module = URLSTM(1, hidden, dtype=torch.float64)
        else:
            self.rnn = LSTM(1, hidden, dtype=torch.float64)
            if model == "LSTM + UGI":
                with torch.no_grad():  # b_f = σ⁻¹(U[1/d, 1 − 1/d]) in the forget block
                    self.rnn.bias_ih_l0[hidden : 2 * hidden] = ugi_forget_bias(
                        hidden, dtype=torch.float64
                    )
                    self.rnn.bias_hh_l0[hidden : 2 * hidden] = 0.0
        self.readout = nn.Linear(hidden, 1, dtype=torch.float64)

    def forward(self, x: Tensor) -> Tensor:
        out, _ = self.rnn(x)  # (T, B, H)
        return self.readout(out[-1]).squeeze(-1)  # (B,)


@functools.cache
def train_memory(
    model: str,
    delay: int = MEMORY_DELAY,
    hidden: int = 32,
    steps: int = 100,
    batch: int = 16,
    lr: float = 2e-2,
    noise: float = 0.1,
    seed: int = 0,
) -> np.ndarray:
    """Train one model with Adam on fresh batches; returns the cross-entropy per step."""
    with single_thread():  # small matrices: one thread is faster and deterministic
        torch.manual_seed(seed)
        net = _Classifier(model, hidden)
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        gen = torch.Generator().manual_seed(seed + 1)
        losses = np.empty(steps)
        for step in range(steps):
            x, y = memory_batch(delay, batch, gen, noise)
            loss = nn.functional.binary_cross_entropy_with_logits(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses[step] = loss.item()
    losses.setflags(write=False)
    return losses


def memory_learning_curves(delay: int = MEMORY_DELAY) -> dict[str, np.ndarray]:
    """Training losses, shape `(seeds, steps)`, of each model of ``MEMORY_MODELS``."""
    return {
        m: np.stack([train_memory(m, delay, seed=seed) for seed in MEMORY_SEEDS])
        for m in MEMORY_MODELS
    }
