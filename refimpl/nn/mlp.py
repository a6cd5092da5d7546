r"""The multilayer perceptron: affine layers alternating with a non-linearity, of any depth.

$$
h(x, \theta) = W_k\,f\big(W_{k-1}\, f(\cdots f(W_1 x + b_1) \cdots) + b_{k-1}\big) + b_k ,
$$

with sizes $n_0 \to n_1 \to \dots \to n_k$ and one activation $f$ after every layer but the
last. With one hidden layer it is a universal approximator (``cybenko1989``, ``hornik1989``,
``pinkus1999``); depth multiplies the number of linear pieces it can carve
(``montufar2014``). Children are numbered like a ``torch.nn.Sequential`` of ``Linear`` and
activation modules, so its ``state_dict`` keys are the same (``0.weight``, ``2.weight``, …)
and `MLP.from_torch` accepts such a ``Sequential``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from refimpl.nn.activations import GELU, ReLU, Sigmoid, Tanh
from refimpl.nn.linear import Linear

__all__ = ["MLP"]

_ACTIVATIONS: dict[str, type[torch.nn.Module]] = {
    "gelu": GELU,
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
}
_TORCH_NAMES = {"GELU": "gelu", "ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}


class MLP(torch.nn.Module):
    r"""A multilayer perceptron $n_0 \to n_1 \to \dots \to n_k$ with activation $f$ between layers.

    Args:
        sizes: the layer widths $(n_0, n_1, \dots, n_k)$: input, hidden layers, output
            (at least two entries; two give a linear model).
        activation: the non-linearity $f$: ``"relu"``, ``"tanh"``, ``"sigmoid"`` or ``"gelu"``.
        bias: give every layer a bias.
        device: where to create the parameters.
        dtype: their dtype.

    Raises:
        ValueError: for fewer than two sizes or an unknown activation.

    Example:
        >>> import torch
        >>> from refimpl.nn import MLP
        >>> net = MLP([2, 16, 16, 1], activation="tanh")
        >>> net(torch.zeros(8, 2)).shape
        torch.Size([8, 1])
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"an MLP needs at least an input and an output size, got {sizes}")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; use one of {list(_ACTIVATIONS)}")
        self.sizes = tuple(int(n) for n in sizes)
        self.activation = activation
        index = 0
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            self.add_module(str(index), Linear(n_in, n_out, bias=bias, device=device, dtype=dtype))
            index += 1
            if i < len(self.sizes) - 2:  # no activation after the output layer
                self.add_module(str(index), _ACTIVATIONS[activation]())
                index += 1

    # --8<-- [start:forward]
    def forward(self, input: Tensor) -> Tensor:
        r"""$h(x) = W_k f(\cdots f(W_1 x + b_1)\cdots) + b_k$ for ``input`` of shape ``(..., n_0)``.

        Returns:
            The output, shape ``(..., n_k)``.
        """
        a = input
        for layer in self.children():
            # alternately z = a Wᵀ + b (Linear) and a = f(z) (activation)
            a = layer(a)
        return a  # (..., n_k)

    # --8<-- [end:forward]

    def linear_layers(self) -> list[Linear]:
        """The affine layers, input first."""
        return [m for m in self.children() if isinstance(m, Linear)]

    @classmethod
    def from_torch(cls, module: torch.nn.Sequential) -> MLP:
        """An `MLP` with the weights of a ``Sequential(Linear, act, Linear, …, Linear)``.

        Args:
            module: a ``torch.nn.Sequential`` alternating ``torch.nn.Linear`` layers with one
                kind of activation (``ReLU``, ``Tanh``, ``Sigmoid`` or ``GELU``), ending with a
                ``Linear``.

        Returns:
            The equivalent `MLP` (same ``state_dict`` keys and values).

        Raises:
            ValueError: if ``module`` does not have that structure.
        """
        layers = list(module)
        linears = layers[0::2]
        acts = {type(m).__name__ for m in layers[1::2]}
        if not all(isinstance(m, torch.nn.Linear) for m in linears) or len(layers) % 2 == 0:
            raise ValueError("expected Sequential(Linear, activation, ..., Linear)")
        if len(acts) > 1 or not acts <= set(_TORCH_NAMES):
            raise ValueError(f"expected one activation among {list(_TORCH_NAMES)}, got {acts}")
        ref = linears[0].weight
        ours = cls(
            [linears[0].in_features] + [m.out_features for m in linears],
            activation=_TORCH_NAMES[acts.pop()] if acts else "relu",
            bias=linears[0].bias is not None,
            device=ref.device,
            dtype=ref.dtype,
        )
        ours.load_state_dict(module.state_dict())
        return ours
