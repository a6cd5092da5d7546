r"""Memory in recurrent networks: the adding problem for the RNN, LSTM and GRU.

The adding problem (Hochreiter & Schmidhuber 1997) feeds a sequence of pairs $(v_t, m_t)$: a
value $v_t \sim \mathcal{U}(0, 1)$ and a marker $m_t \in \{0, 1\}$ that is 1 at exactly two
steps, one in each half of the sequence. The target at the end is $\sum_t m_t v_t$. Predicting
the mean, 1, gives a mean squared error of $\mathrm{Var}(v_a + v_b) = 1/6$, so a loss that
stays at $1/6$ has learned nothing; solving it means storing a value for up to $T$ steps and
ignoring everything unmarked — what the gates are for. All three models are ``refimpl.nn``
layers with a linear readout of the last state, trained with Adam from the same seed. Reading
list: ``hochreiter1997lstm``, ``chung2014gru``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from refimpl.experiments._threads import single_thread
from refimpl.nn import GRU, LSTM, RNN

__all__ = [
    "ADDING_BASELINE",
    "GateTrace",
    "adding_batch",
    "adding_learning_curves",
    "lstm_gate_trace",
    "train_adding",
]

#: The loss of always predicting the mean: $\mathrm{Var}(v_a + v_b) = 2/12$.
ADDING_BASELINE: float = 1.0 / 6.0


def adding_batch(length: int, batch: int, generator: torch.Generator) -> tuple[Tensor, Tensor]:
    """A batch of the adding problem: inputs `(T, B, 2)` (value, marker) and targets `(B,)`."""
    values = torch.rand(length, batch, generator=generator)  # (T, B)
    markers = torch.zeros(length, batch)
    first = torch.randint(0, length // 2, (batch,), generator=generator)
    second = torch.randint(length // 2, length, (batch,), generator=generator)
    columns = torch.arange(batch)
    markers[first, columns] = 1.0
    markers[second, columns] = 1.0
    return torch.stack([values, markers], dim=-1), (values * markers).sum(0)


class _Regressor(nn.Module):
    def __init__(self, cell: str, hidden: int) -> None:
        super().__init__()
        self.rnn = {"RNN": RNN, "LSTM": LSTM, "GRU": GRU}[cell](2, hidden)
        self.readout = nn.Linear(hidden, 1)
        if cell == "LSTM":
            with torch.no_grad():  # a forget-gate bias of 1, the usual LSTM initialisation
                self.rnn.bias_ih_l0[hidden : 2 * hidden] += 1.0

    def forward(self, x: Tensor) -> Tensor:
        out, _ = self.rnn(x)  # (T, B, H)
        return self.readout(out[-1]).squeeze(-1)  # (B,)


@functools.cache
def train_adding(
    cell: str, length: int = 20, hidden: int = 16, steps: int = 450, lr: float = 1e-2, seed: int = 0
) -> tuple[np.ndarray, dict[str, Tensor]]:
    """Train one model on fresh adding-problem batches of 64; returns losses and weights."""
    with single_thread():  # small matrices: one thread is faster and deterministic
        torch.manual_seed(seed)
        model = _Regressor(cell, hidden)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        gen = torch.Generator().manual_seed(seed + 1)
        losses = np.empty(steps)
        for step in range(steps):
            x, y = adding_batch(length, 64, gen)
            loss = ((model(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses[step] = loss.item()
    losses.setflags(write=False)
    return losses, {k: v.detach().clone() for k, v in model.state_dict().items()}


def adding_learning_curves(length: int = 20) -> dict[str, np.ndarray]:
    """Training losses of the RNN, LSTM and GRU on the adding problem of length ``length``."""
    return {cell: train_adding(cell, length)[0] for cell in ("RNN", "LSTM", "GRU")}


@dataclass(frozen=True)
class GateTrace:
    """The trained LSTM's gates on one adding-problem sequence.

    Attributes:
        values: $v_t$, shape `(T,)`.
        markers: $m_t$, shape `(T,)`.
        input_gate: $i_t$ per cell, shape `(T, H)`.
        forget_gate: $f_t$ per cell, shape `(T, H)`.
        cell: $c_t$ per cell, shape `(T, H)`.
        target: the sum of the two marked values.
        prediction: the model's output.
    """

    values: np.ndarray
    markers: np.ndarray
    input_gate: np.ndarray
    forget_gate: np.ndarray
    cell: np.ndarray
    target: float
    prediction: float


@functools.cache
def lstm_gate_trace(length: int = 20, seed: int = 7) -> GateTrace:
    """Recompute the gates of the LSTM trained by ``train_adding`` along one fresh sequence."""
    _, weights = train_adding("LSTM", length)
    H = weights["rnn.weight_hh_l0"].shape[1]
    model = _Regressor("LSTM", H)
    model.load_state_dict(weights)
    x, y = adding_batch(length, 1, torch.Generator().manual_seed(seed))
    W_ih, W_hh = weights["rnn.weight_ih_l0"], weights["rnn.weight_hh_l0"]
    b = weights["rnn.bias_ih_l0"] + weights["rnn.bias_hh_l0"]
    h, c = torch.zeros(1, H), torch.zeros(1, H)
    gates_i, gates_f, cells = [], [], []
    with torch.no_grad():
        for x_t in x:
            a_i, a_f, a_g, a_o = (x_t @ W_ih.T + h @ W_hh.T + b).chunk(4, dim=-1)
            i, f = torch.sigmoid(a_i), torch.sigmoid(a_f)
            c = f * c + i * torch.tanh(a_g)
            h = torch.sigmoid(a_o) * torch.tanh(c)
            gates_i.append(i[0])
            gates_f.append(f[0])
            cells.append(c[0])
        prediction = float(model(x)[0])
    return GateTrace(
        values=x[:, 0, 0].numpy(),
        markers=x[:, 0, 1].numpy(),
        input_gate=torch.stack(gates_i).numpy(),
        forget_gate=torch.stack(gates_f).numpy(),
        cell=torch.stack(cells).numpy(),
        target=float(y[0]),
        prediction=prediction,
    )
