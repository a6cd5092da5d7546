"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.deq import DEQ
from refimpl.nn.equilibrium_rnn import EquilibriumRNN
from refimpl.nn.gtrxl import GatedTransformerBlock, GRUGate
from refimpl.nn.hopfield import HopfieldNetwork
from refimpl.nn.layer_norm import LayerNorm
from refimpl.nn.linear_attention import LinearAttention
from refimpl.nn.multihead_attention import MultiheadAttention
from refimpl.nn.rims import RIMs
from refimpl.nn.rwkv import RWKVBlock, RWKVChannelMixing, RWKVTimeMixing
from refimpl.nn.transformer import CausalTransformer, TransformerEncoderLayer

__all__ = [
    "DEQ",
    "CausalTransformer",
    "EquilibriumRNN",
    "GRUGate",
    "GatedTransformerBlock",
    "HopfieldNetwork",
    "LayerNorm",
    "LinearAttention",
    "MultiheadAttention",
    "RIMs",
    "RWKVBlock",
    "RWKVChannelMixing",
    "RWKVTimeMixing",
    "TransformerEncoderLayer",
]
