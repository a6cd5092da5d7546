r"""Experiment for the biologically-plausible-learning page: backpropagation, feedback alignment
and difference target propagation on one regression task.

A random two-layer tanh teacher maps 10 inputs to 2 outputs (256 examples). Backpropagation and
feedback alignment train a 10-32-2 tanh network with a linear read-out; difference target
propagation trains a 10-32-32-2 network of tanh layers with learned feedback maps. All use full
batches and plain gradient steps on their (local) losses.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from refimpl.equilibrium.feedback_alignment import two_layer_updates
from refimpl.equilibrium.target_prop import dtp_targets
from refimpl.experiments._threads import one_thread

__all__ = ["credit_assignment_comparison", "teacher_task"]

F64 = torch.float64


def teacher_task(n: int = 256, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs `(n, 10)` and targets `(n, 2)` in (-0.8, 0.8) from a random tanh teacher."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 10, generator=gen, dtype=F64)
    W1 = torch.randn(16, 10, generator=gen, dtype=F64) / math.sqrt(10)
    W2 = torch.randn(2, 16, generator=gen, dtype=F64) / math.sqrt(16)
    return x, 0.8 * torch.tanh(torch.tanh(x @ W1.T) @ W2.T)


def _init(shapes: list[tuple[int, int]], gen: torch.Generator) -> list[list[torch.Tensor]]:
    return [
        [torch.randn(o, i, generator=gen, dtype=F64) / math.sqrt(i), torch.zeros(o, dtype=F64)]
        for o, i in shapes
    ]


@functools.cache
@one_thread
def credit_assignment_comparison(steps: int = 300, lr: float = 0.3, every: int = 5) -> dict:
    """Train with BP, FA and DTP; record losses and the FA-vs-BP update angle.

    Returns:
        `{"step", "bp", "fa", "dtp", "angle"}`: mean squared error of each learner and, for the
        FA learner, the angle in degrees between its hidden-layer update and the true gradient.
    """
    x, y = teacher_task()
    gen = torch.Generator().manual_seed(1)
    (W1, b1), (W2, b2) = _init([(32, 10), (2, 32)], gen)
    feedback = torch.randn(32, 2, generator=gen, dtype=F64) / math.sqrt(2)
    learners = {"bp": [W1, b1, W2, b2], "fa": [t.clone() for t in (W1, b1, W2, b2)]}
    out: dict[str, list] = {"bp": [], "fa": [], "dtp": [], "angle": []}
    for step in range(steps + 1):
        for name, params in learners.items():
            upd = two_layer_updates(tuple(params), x, y, None if name == "bp" else feedback)
            if step % every == 0:
                h = torch.tanh(x @ params[0].T + params[1])
                out[name].append(float(((h @ params[2].T + params[3] - y) ** 2).mean()))
                if name == "fa":
                    true = two_layer_updates(tuple(params), x, y, None)[0]
                    cos = float((upd[0] * true).sum() / (upd[0].norm() * true.norm()))
                    out["angle"].append(math.degrees(math.acos(max(-1.0, min(1.0, cos)))))
            for p, u in zip(params, upd, strict=True):
                p -= lr * u

    # difference target propagation on a 10-32-32-2 tanh network
    fwd = _init([(32, 10), (32, 32), (2, 32)], gen)
    fb = _init([(32, 32), (32, 2)], gen)  # g_2: layer 2 -> 1, g_3: layer 3 -> 2
    for p in [t for layer in fwd + fb for t in layer]:
        p.requires_grad_()
    top_lr, sigma = 0.5, 0.1
    for step in range(steps + 1):
        h, _ = dtp_targets(fwd, fb, x, x.new_zeros(len(x), 2))
        if step % every == 0:
            out["dtp"].append(float(((h[-1].detach() - y) ** 2).mean()))
        h = [v.detach() for v in h]
        # top target: a small step down the loss, h_L - eta dL/dh_L
        _, targets = dtp_targets(fwd, fb, x, h[-1] - top_lr * (h[-1] - y))
        inputs = [x, *h[:-1]]
        for (W, b), h_in, t in zip(fwd, inputs, targets, strict=True):
            local = 0.5 * ((torch.tanh(h_in @ W.T + b) - t.detach()) ** 2).sum(-1).mean()
            gW, gb = torch.autograd.grad(local, (W, b))
            with torch.no_grad():
                W -= lr * gW
                b -= lr * gb
        # train each g_l to invert f_l on noise-corrupted inputs
        for (V, c), (W, b), h_in in zip(fb, fwd[1:], h[:-1], strict=True):
            noisy = h_in + sigma * torch.randn(h_in.shape, generator=gen, dtype=F64)
            rec = torch.tanh(torch.tanh(noisy @ W.detach().T + b.detach()) @ V.T + c)
            gV, gc = torch.autograd.grad(0.5 * ((rec - noisy) ** 2).sum(-1).mean(), (V, c))
            with torch.no_grad():
                V -= lr * gV
                c -= lr * gc
    res = {k: np.array(v) for k, v in out.items()}
    res["step"] = np.arange(0, steps + 1, every)
    return res
