"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.deep_rnn import DeepTransitionRNN
from refimpl.nn.deq import DEQ
from refimpl.nn.equilibrium_rnn import EquilibriumRNN
from refimpl.nn.esn import EchoStateNetwork
from refimpl.nn.gru import GRU, ChungGRU
from refimpl.nn.gtrxl import GatedTransformerBlock, GRUGate
from refimpl.nn.hopfield import HopfieldNetwork
from refimpl.nn.layer_norm import LayerNorm
from refimpl.nn.linear_attention import LinearAttention
from refimpl.nn.lru import LRU
from refimpl.nn.lstm import LSTM, GravesLSTM
from refimpl.nn.multihead_attention import MultiheadAttention
from refimpl.nn.rims import RIMs
from refimpl.nn.rnn import RNN
from refimpl.nn.rwkv import RWKVBlock, RWKVChannelMixing, RWKVTimeMixing
from refimpl.nn.s4d import S4D
from refimpl.nn.transformer import CausalTransformer, TransformerEncoderLayer

__all__ = [
    "DEQ",
    "GRU",
    "LRU",
    "LSTM",
    "RNN",
    "S4D",
    "CausalTransformer",
    "ChungGRU",
    "DeepTransitionRNN",
    "EchoStateNetwork",
    "EquilibriumRNN",
    "GRUGate",
    "GatedTransformerBlock",
    "GravesLSTM",
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
