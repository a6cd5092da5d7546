"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.deep_rnn import DeepTransitionRNN
from refimpl.nn.gru import GRU, ChungGRU
from refimpl.nn.lstm import LSTM, GravesLSTM
from refimpl.nn.rnn import RNN

__all__: list[str] = ["GRU", "LSTM", "RNN", "ChungGRU", "DeepTransitionRNN", "GravesLSTM"]
