"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

# equilibrium models
from refimpl.nn.deq import DEQ
from refimpl.nn.equilibrium_rnn import EquilibriumRNN
from refimpl.nn.hopfield import HopfieldNetwork

__all__: list[str] = [
    # equilibrium models
    "DEQ",
    "EquilibriumRNN",
    "HopfieldNetwork",
]
