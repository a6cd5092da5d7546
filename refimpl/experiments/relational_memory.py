r"""A relational memory core against an LSTM on a small "nearest point" task.

Each sequence shows $K$ points $p_1, \dots, p_K$ on the unit circle, one per step, each with a
one-hot label, and then a query point $q$ (flagged by one more input unit). The target is the
label of the stored point nearest to the query, $\arg\max_k p_k^\top q$: the answer depends on
the relation between the query and every stored item, a scaled-down cousin of the "N-th
farthest" task of Santoro et al. (2018). Both models (`refimpl.nn.RelationalMemory` and
`refimpl.nn.LSTM`, of similar parameter counts) read the sequence and an MLP maps the last
output to the $K$ classes; both are trained with Adam on the same batches. Reading list:
`santoro2018rrnn`.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch
from torch import Tensor, nn

from refimpl.experiments._threads import single_thread
from refimpl.nn import LSTM, RelationalMemory

__all__ = ["NEAREST_ITEMS", "nearest_point_batch", "rmc_vs_lstm"]

NEAREST_ITEMS = 3  #: K, the number of stored points


def nearest_point_batch(
    generator: torch.Generator, size: int, items: int = NEAREST_ITEMS
) -> tuple[Tensor, Tensor]:
    """Sequences `(size, K + 1, K + 3)` and targets `(size,)` for the nearest-point task.

    A step's input is `[cos a, sin a, one-hot label (K), query flag]`; the last step is the
    query, with no label.
    """
    angle = torch.rand(size, items + 1, generator=generator) * 2 * math.pi
    points = torch.stack([angle.cos(), angle.sin()], dim=-1)  # (B, K + 1, 2)
    x = torch.zeros(size, items + 1, items + 3)
    x[..., :2] = points
    x[:, :items, 2 : 2 + items] = torch.eye(items)
    x[:, items, -1] = 1.0
    # target: argmax_k p_k · q
    target = (points[:, :items] * points[:, items:]).sum(-1).argmax(1)
    return x, target


class _Classifier(nn.Module):
    """A recurrent core, then an MLP on its last output."""

    def __init__(self, core: nn.Module, width: int, classes: int) -> None:
        super().__init__()
        self.core = core
        self.head = nn.Sequential(nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.core(x)[0][:, -1])


def _models(items: int) -> dict[str, _Classifier]:
    inputs = items + 3
    rmc = RelationalMemory(inputs, mem_slots=3, head_size=8, num_heads=2)  # d = 16
    lstm = LSTM(inputs, 32, batch_first=True)
    return {
        "RMC": _Classifier(rmc, 3 * 16, items),
        "LSTM": _Classifier(lstm, 32, items),
    }


@functools.cache
@single_thread()
def rmc_vs_lstm(
    steps: int = 300, batch: int = 64, lr: float = 1e-2, every: int = 25, seed: int = 0
) -> dict[str, np.ndarray | dict]:
    """Train both models; return learning curves and the trained RMC's attention on one example.

    Returns:
        `steps` (the evaluation steps), `accuracy` (name → held-out accuracy at those steps,
        on 512 sequences), `parameters` (name → count), and for one held-out sequence the RMC's
        attention weights `attention` `(K + 1, N, N + 1)` (step, slot, slot or input), its
        `points` `(K + 1, 2)`, `target` and `prediction`. The sequence shown is the first
        held-out one that the RMC answers correctly and whose query is at least 30° from the
        answer (so that the example is not trivial).
    """
    items = NEAREST_ITEMS
    torch.manual_seed(seed)
    models = _models(items)
    test_x, test_y = nearest_point_batch(torch.Generator().manual_seed(seed + 1), 512)
    curves: dict[str, list[float]] = {name: [] for name in models}
    evaluated = []
    for name, model in models.items():
        generator = torch.Generator().manual_seed(seed)  # the same batches for both
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        for step in range(steps + 1):
            if step % every == 0:
                with torch.no_grad():
                    accuracy = (model(test_x).argmax(-1) == test_y).double().mean()
                curves[name].append(float(accuracy))
                if name == "RMC":
                    evaluated.append(step)
            if step == steps:
                break
            x, y = nearest_point_batch(generator, batch)
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    rmc = models["RMC"]
    with torch.no_grad():
        predictions = rmc(test_x).argmax(-1)
        # the example: the first correctly answered one whose query is ≥ 30° from the answer
        points = test_x[:, :, :2]
        cosine = (points[:, :items] * points[:, items:]).sum(-1).max(1).values
        i = int(((predictions == test_y) & (cosine < math.cos(math.pi / 6))).nonzero()[0, 0])
        _, _, attention = rmc.core(test_x[i : i + 1])  # (1, K + 1, N, N + 1)
    return {
        "steps": np.array(evaluated),
        "accuracy": {name: np.array(c) for name, c in curves.items()},
        "parameters": {n: sum(p.numel() for p in m.parameters()) for n, m in models.items()},
        "attention": attention[0].numpy(),
        "points": test_x[i, :, :2].numpy(),
        "target": int(test_y[i]),
        "prediction": int(predictions[i]),
    }
