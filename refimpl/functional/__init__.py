"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.bptt import elman_bptt, elman_states
from refimpl.functional.recurrent import (
    chung_gru_cell,
    deep_transition_cell,
    graves_lstm_cell,
    gru_cell,
    lstm_cell,
    rnn_cell,
)
from refimpl.functional.recurrent_init import (
    random_orthogonal,
    random_unitary,
    spectral_radius,
    with_spectral_radius,
)
from refimpl.functional.rtrl import rtrl_gradients
from refimpl.functional.sgd import sgd_step, sgd_update
from refimpl.functional.vanishing import vanishing_gradient_regularizer

__all__ = [
    "chung_gru_cell",
    "deep_transition_cell",
    "elman_bptt",
    "elman_states",
    "graves_lstm_cell",
    "gru_cell",
    "lstm_cell",
    "random_orthogonal",
    "random_unitary",
    "rnn_cell",
    "rtrl_gradients",
    "sgd_step",
    "sgd_update",
    "spectral_radius",
    "vanishing_gradient_regularizer",
    "with_spectral_radius",
]
