"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.bptt import elman_bptt, elman_states
from refimpl.functional.esn import esn_states, ridge_readout
from refimpl.functional.lru import (
    associative_scan,
    chunked_scan,
    lru_gamma,
    lru_lambda,
    sequential_scan,
)
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
from refimpl.functional.ssm import (
    causal_convolution,
    discretize,
    discretize_diagonal,
    ssm_kernel,
    ssm_recurrence,
)
from refimpl.functional.vanishing import vanishing_gradient_regularizer

__all__ = [
    "associative_scan",
    "causal_convolution",
    "chung_gru_cell",
    "chunked_scan",
    "deep_transition_cell",
    "discretize",
    "discretize_diagonal",
    "elman_bptt",
    "elman_states",
    "esn_states",
    "graves_lstm_cell",
    "gru_cell",
    "lru_gamma",
    "lru_lambda",
    "lstm_cell",
    "random_orthogonal",
    "random_unitary",
    "ridge_readout",
    "rnn_cell",
    "rtrl_gradients",
    "sequential_scan",
    "sgd_step",
    "sgd_update",
    "spectral_radius",
    "ssm_kernel",
    "ssm_recurrence",
    "vanishing_gradient_regularizer",
    "with_spectral_radius",
]
