"""The initialization page's claim: two hidden units that start with the same incoming and
outgoing weights get the same gradient and stay identical under gradient descent; a random
initialisation breaks the tie. Checked on `refimpl.nn.MLP` against the invariant itself."""

from __future__ import annotations

import torch

from refimpl.nn import MLP

F64 = torch.float64


def _train(mlp: MLP, steps: int = 200, lr: float = 0.1) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 3, generator=g, dtype=F64)
    y = torch.sin(x @ torch.tensor([1.0, -2.0, 0.5], dtype=F64))[:, None]
    history = []
    for _ in range(steps):
        mlp.zero_grad()
        ((mlp(x) - y) ** 2).mean().backward()
        with torch.no_grad():
            for p in mlp.parameters():
                p -= lr * p.grad
        history.append(getattr(mlp, "0").weight.detach().clone())  # (2, 3): the two units' weights
    return history


def test_identical_units_stay_identical_and_random_ones_separate() -> None:
    torch.manual_seed(0)
    tied = MLP([3, 2, 1], activation="tanh", dtype=F64)
    with torch.no_grad():
        getattr(tied, "0").weight[1] = getattr(tied, "0").weight[
            0
        ]  # same incoming weights and bias ...
        getattr(tied, "0").bias[1] = getattr(tied, "0").bias[0]
        getattr(tied, "2").weight[0, 1] = getattr(tied, "2").weight[
            0, 0
        ]  # ... and the same outgoing weight
    for w in _train(tied):
        torch.testing.assert_close(w[0], w[1], rtol=0, atol=1e-12)
    random = MLP([3, 2, 1], activation="tanh", dtype=F64)
    final = _train(random)[-1]
    assert (final[0] - final[1]).norm() > 0.1
