"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.activations import GELU, ReLU, Sigmoid, Softmax, Tanh
from refimpl.nn.autoencoder import Autoencoder
from refimpl.nn.captioning import ConvEncoder, ShowAndTell, ShowAttendTell
from refimpl.nn.cdbn import ConvolutionalDBN
from refimpl.nn.conv import AvgPool2d, Conv2d, MaxPool2d
from refimpl.nn.crbm import ConvRBM
from refimpl.nn.ddpm import DDPM, NoisePredictor
from refimpl.nn.deep_linear import DeepLinearNetwork
from refimpl.nn.deep_rnn import DeepTransitionRNN
from refimpl.nn.deq import DEQ
from refimpl.nn.dropout import Dropout
from refimpl.nn.equilibrium_rnn import EquilibriumRNN
from refimpl.nn.esn import EchoStateNetwork
from refimpl.nn.graph_network import GraphNetwork, segment_sum
from refimpl.nn.gru import GRU, ChungGRU
from refimpl.nn.gtrxl import GatedTransformerBlock, GRUGate
from refimpl.nn.hopfield import HopfieldNetwork
from refimpl.nn.knn import KNeighborsClassifier
from refimpl.nn.linear import Linear
from refimpl.nn.linear_attention import LinearAttention
from refimpl.nn.lru import LRU
from refimpl.nn.lstm import LSTM, GravesLSTM
from refimpl.nn.mlp import MLP
from refimpl.nn.multihead_attention import MultiheadAttention
from refimpl.nn.multiplicative import MultiplicativeInteraction, SigmaPi
from refimpl.nn.natural import WhitenedLinear, whitening
from refimpl.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm, WSLinear
from refimpl.nn.polynomial_regression import PolynomialRegression
from refimpl.nn.realnvp import AffineCoupling, RealNVP
from refimpl.nn.relational_memory import RelationalMemory
from refimpl.nn.resnet import ResidualBlock, ResNet, UNet
from refimpl.nn.rims import RIMs
from refimpl.nn.rnn import RNN
from refimpl.nn.rwkv import RWKVBlock, RWKVChannelMixing, RWKVTimeMixing
from refimpl.nn.s4d import S4D
from refimpl.nn.seq2seq import Seq2Seq
from refimpl.nn.squeeze_excitation import Bilinear, SqueezeExcitation
from refimpl.nn.transformer import CausalTransformer, TransformerEncoderLayer
from refimpl.nn.ur_lstm import URLSTM

__all__ = [
    "DDPM",
    "DEQ",
    "GELU",
    "GRU",
    "LRU",
    "LSTM",
    "MLP",
    "RNN",
    "S4D",
    "URLSTM",
    "AffineCoupling",
    "Autoencoder",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Bilinear",
    "CausalTransformer",
    "ChungGRU",
    "Conv2d",
    "ConvEncoder",
    "ConvRBM",
    "ConvolutionalDBN",
    "DeepLinearNetwork",
    "DeepTransitionRNN",
    "Dropout",
    "EchoStateNetwork",
    "EquilibriumRNN",
    "GRUGate",
    "GatedTransformerBlock",
    "GraphNetwork",
    "GravesLSTM",
    "HopfieldNetwork",
    "KNeighborsClassifier",
    "LayerNorm",
    "Linear",
    "LinearAttention",
    "MaxPool2d",
    "MultiheadAttention",
    "MultiplicativeInteraction",
    "NoisePredictor",
    "PolynomialRegression",
    "RIMs",
    "RWKVBlock",
    "RWKVChannelMixing",
    "RWKVTimeMixing",
    "ReLU",
    "RealNVP",
    "RelationalMemory",
    "ResNet",
    "ResidualBlock",
    "Seq2Seq",
    "ShowAndTell",
    "ShowAttendTell",
    "SigmaPi",
    "Sigmoid",
    "Softmax",
    "SqueezeExcitation",
    "Tanh",
    "TransformerEncoderLayer",
    "UNet",
    "WSLinear",
    "WhitenedLinear",
    "segment_sum",
    "whitening",
]
