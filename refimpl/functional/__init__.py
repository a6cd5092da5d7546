"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.attention import (
    as_additive_mask,
    causal_mask,
    edge_softmax_attention,
    scaled_dot_product_attention,
    sinusoidal_positional_encoding,
    softmax,
)
from refimpl.functional.linear_attention import (
    elu_feature_map,
    linear_attention_chunked,
    linear_attention_parallel,
    linear_attention_recurrent,
)
from refimpl.functional.rwkv import wkv_parallel, wkv_recurrent
from refimpl.functional.sgd import sgd_step, sgd_update

__all__ = [
    "as_additive_mask",
    "causal_mask",
    "edge_softmax_attention",
    "elu_feature_map",
    "linear_attention_chunked",
    "linear_attention_parallel",
    "linear_attention_recurrent",
    "scaled_dot_product_attention",
    "sgd_step",
    "sgd_update",
    "sinusoidal_positional_encoding",
    "softmax",
    "wkv_parallel",
    "wkv_recurrent",
]
