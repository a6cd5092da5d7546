"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

from refimpl.nn.autoencoder import Autoencoder
from refimpl.nn.conv import AvgPool2d, Conv2d, MaxPool2d
from refimpl.nn.ddpm import DDPM, NoisePredictor
from refimpl.nn.graph_network import GraphNetwork, segment_sum
from refimpl.nn.natural import WhitenedLinear, whitening
from refimpl.nn.realnvp import AffineCoupling, RealNVP
from refimpl.nn.resnet import ResidualBlock, ResNet, UNet
from refimpl.nn.squeeze_excitation import Bilinear, SqueezeExcitation

__all__: list[str] = [
    "DDPM",
    "AffineCoupling",
    "Autoencoder",
    "AvgPool2d",
    "Bilinear",
    "Conv2d",
    "GraphNetwork",
    "MaxPool2d",
    "NoisePredictor",
    "RealNVP",
    "ResNet",
    "ResidualBlock",
    "SqueezeExcitation",
    "UNet",
    "WhitenedLinear",
    "segment_sum",
    "whitening",
]
