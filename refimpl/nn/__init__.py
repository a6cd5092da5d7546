"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.layer_norm import LayerNorm
from refimpl.nn.multihead_attention import MultiheadAttention
from refimpl.nn.transformer import CausalTransformer, TransformerEncoderLayer

__all__: list[str] = [
    "CausalTransformer",
    "LayerNorm",
    "MultiheadAttention",
    "TransformerEncoderLayer",
]
