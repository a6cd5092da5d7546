"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.recurrent import (
    chung_gru_cell,
    deep_transition_cell,
    graves_lstm_cell,
    gru_cell,
    lstm_cell,
    rnn_cell,
)
from refimpl.functional.sgd import sgd_step, sgd_update

__all__ = [
    "chung_gru_cell",
    "deep_transition_cell",
    "graves_lstm_cell",
    "gru_cell",
    "lstm_cell",
    "rnn_cell",
    "sgd_step",
    "sgd_update",
]
