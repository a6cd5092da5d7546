r"""Experiments for the continual-learning pages: forgetting with and without EWC, tug-of-war
between two tasks, and ray interference in a contextual bandit.

`forgetting_curves`: a 2-layer MLP learns two binary classification tasks in sequence; each
task's 20-dimensional inputs lie around its own centre and are labelled by its own random
linear teacher, so one network can solve both. `ray_interference`: exact expected policy
gradients for a two-context bandit whose contexts share weights (Schaul et al. 2019).
`tug_of_war`: the cosine between the two tasks' gradients on one network, trained jointly or
one task after the other.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
from torch import Tensor, nn

from refimpl.continual import EWCPenalty, fisher_diagonal
from refimpl.experiments._threads import one_thread

__all__ = [
    "forgetting_curves",
    "make_task",
    "ray_interference",
    "tug_of_war",
]

F64 = torch.float64


def make_task(seed: int, n: int = 512, d: int = 20, split: int = 0) -> tuple[Tensor, Tensor]:
    """Inputs `(n, d)` and labels `(n,)` of task `seed`: a random linear rule around a centre.

    Inputs are $c_k + z$ with $z \\sim N(0, I)$ and a task centre $c_k$ of norm 6 in a random
    direction; the label is $[w_k^\top z > 0]$. Different tasks occupy different regions, so
    one network can solve all of them. `split` selects an independent draw of inputs (0: train,
    1: test).
    """
    gen = torch.Generator().manual_seed(seed)
    teacher, centre = torch.randn(2, d, generator=gen, dtype=F64)
    gen_x = torch.Generator().manual_seed(seed + 10_000 * (split + 1))
    z = torch.randn(n, d, generator=gen_x, dtype=F64)
    return z + 6.0 * centre / centre.norm(), (z @ teacher > 0).long()


def _mlp(seed: int, d: int = 20, hidden: int = 64) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, hidden), nn.Tanh(), nn.Linear(hidden, 2)).double()


def _accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    with torch.no_grad():
        return float((model(x).argmax(-1) == y).double().mean())


@functools.cache
@one_thread
def forgetting_curves(
    lams: tuple[float, ...] = (0.0, 30.0), steps: int = 150, lr: float = 0.1, every: int = 5
) -> dict:
    """Train on task A, then on task B, plain and with EWC of each strength in `lams`.

    Returns:
        `{"step": array, lam: {"A": acc_A, "B": acc_B}}`; test accuracies on held-out points of
        each task, measured every `every` steps over both phases.
    """
    (xa, ya), (xb, yb) = make_task(1), make_task(2)
    (xa_t, ya_t), (xb_t, yb_t) = make_task(1, n=2048, split=1), make_task(2, n=2048, split=1)
    out: dict = {"step": np.arange(0, 2 * steps + 1, every)}
    for lam in lams:
        model = _mlp(0)
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        acc = {"A": [], "B": []}
        penalty = None
        for step in range(2 * steps + 1):
            if step % every == 0:
                acc["A"].append(_accuracy(model, xa_t, ya_t))
                acc["B"].append(_accuracy(model, xb_t, yb_t))
            if step == 2 * steps:
                break
            if step == steps and lam > 0:
                penalty = EWCPenalty(model, fisher_diagonal(model, xa[:128]), lam)
            x, y = (xa, ya) if step < steps else (xb, yb)
            loss = nn.functional.cross_entropy(model(x), y)
            if penalty is not None:
                loss = loss + penalty()
            opt.zero_grad()
            loss.backward()
            opt.step()
        out[lam] = {k: np.array(v) for k, v in acc.items()}
    return out


@functools.cache
@one_thread
def ray_interference(
    steps: int = 3000, lr: float = 0.5, overlap: float = -0.3
) -> dict[str, np.ndarray]:
    r"""Exact expected policy-gradient ascent in a two-context, two-arm bandit.

    Context $k$ chooses the good arm with probability $p_k = \sigma(a_k^\top w)$ from shared
    weights $w \in \mathbb R^2$, with unit feature vectors $a_1, a_2$ of cosine `overlap` (< 0:
    improving one context hurts the other). The expected reward is $J = \frac12(p_1 + p_2)$.

    - *on-policy* (coupled): the REINFORCE gradient in expectation,
      $\nabla J = \frac12\sum_k p_k(1 - p_k)\,a_k$; a context's learning signal vanishes when
      it performs badly.
    - *decoupled*: data from a uniform behaviour policy, maximising
      $\frac12\sum_k\log p_k$, whose gradient $\frac12\sum_k(1 - p_k)\,a_k$ does not shrink
      with poor performance.

    Returns:
        `{"on-policy": (steps + 1, 2), "decoupled": (steps + 1, 2)}` arrays of $(p_1, p_2)$.
    """
    a1 = torch.tensor([1.0, 0.0], dtype=F64)
    a2 = torch.tensor([overlap, (1 - overlap**2) ** 0.5], dtype=F64)
    A = torch.stack([a1, a2])  # (2 contexts, 2 weights)
    out = {}
    for name in ("on-policy", "decoupled"):
        # start where context 1 is slightly better than context 2, both poor
        w = torch.linalg.solve(A, torch.tensor([-2.0, -4.0], dtype=F64))
        ps = []
        # --8<-- [start:bandit]
        for _ in range(steps + 1):
            p = torch.sigmoid(A @ w)  # (2,): p_k = sigma(a_k^T w)
            ps.append(p)
            # on-policy: dJ/dw = 1/2 sum_k p_k (1 - p_k) a_k; decoupled: 1/2 sum_k (1 - p_k) a_k
            signal = p * (1 - p) if name == "on-policy" else (1 - p)
            # w <- w + lr * 1/2 sum_k signal_k a_k
            w = w + lr * 0.5 * (signal[:, None] * A).sum(0)
        # --8<-- [end:bandit]
        out[name] = torch.stack(ps).numpy()
    return out


@functools.cache
@one_thread
def tug_of_war(steps: int = 200, lr: float = 0.1, every: int = 2) -> dict[str, np.ndarray]:
    """Two tasks on one MLP: gradient cosine between the tasks, joint (IID) vs sequential.

    Returns:
        `{"step", "cos_joint", "cos_seq", "loss_joint_A", "loss_joint_B", "loss_seq_A",
        "loss_seq_B"}`; the cosine between the two task gradients and each task's loss, every
        `every` steps. Sequential training runs task A for `steps`, then task B for `steps`;
        joint training runs `2 * steps` on the mixture.
    """
    tasks = [make_task(1, n=256), make_task(2, n=256)]

    def losses_and_grads(model):
        out = []
        for x, y in tasks:
            loss = nn.functional.cross_entropy(model(x), y)
            g = torch.autograd.grad(loss, list(model.parameters()))
            out.append((float(loss.detach()), torch.cat([t.flatten() for t in g])))
        return out

    res: dict[str, list] = {k: [] for k in ("cos_joint", "cos_seq")}
    for k in ("joint_A", "joint_B", "seq_A", "seq_B"):
        res["loss_" + k] = []
    for mode in ("joint", "seq"):
        model = _mlp(0)
        for step in range(2 * steps + 1):
            (la, ga), (lb, gb) = losses_and_grads(model)
            if step % every == 0:
                res[f"cos_{mode}"].append(float(ga @ gb / (ga.norm() * gb.norm())))
                res[f"loss_{mode}_A"].append(la)
                res[f"loss_{mode}_B"].append(lb)
            if mode == "joint":
                g = 0.5 * (ga + gb)
            else:
                g = ga if step < steps else gb
            with torch.no_grad():
                offset = 0
                for p in model.parameters():
                    p -= lr * g[offset : offset + p.numel()].view_as(p)
                    offset += p.numel()
    out = {k: np.array(v) for k, v in res.items()}
    out["step"] = np.arange(0, 2 * steps + 1, every)
    return out
