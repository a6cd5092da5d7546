"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.deep_rnn import DeepTransitionRNN
from refimpl.nn.esn import EchoStateNetwork
from refimpl.nn.gru import GRU, ChungGRU
from refimpl.nn.lru import LRU
from refimpl.nn.lstm import LSTM, GravesLSTM
from refimpl.nn.rnn import RNN
from refimpl.nn.s4d import S4D

__all__: list[str] = [
    "GRU",
    "LRU",
    "LSTM",
    "RNN",
    "S4D",
    "ChungGRU",
    "DeepTransitionRNN",
    "EchoStateNetwork",
    "GravesLSTM",
]
