r"""Per-layer activation and gradient statistics, collected with forward hooks.

Most training failures leave a trace in a few numbers per layer. For the output $a$ of an
activation layer on a batch we record its mean and standard deviation, the fraction of entries
where the nonlinearity is *saturated* (its derivative is zero or nearly so, so no gradient flows
back through that entry), and the fraction of *dead* units, saturated on every example of the
batch:

$$
\text{saturated} = \frac{1}{BU}\sum_{b,u} \mathbf{1}\big[\sigma'(z_{bu}) \approx 0\big],\qquad
\text{dead} = \frac{1}{U}\sum_{u} \prod_{b} \mathbf{1}\big[\sigma'(z_{bu}) \approx 0\big],
$$

with $B$ examples and $U$ units (every position after the batch dimension). For a ReLU,
saturated means $a = 0$; for tanh $|a| > 1 - \epsilon$; for the logistic sigmoid
$a < \epsilon$ or $a > 1 - \epsilon$ (default $\epsilon = 0.01$, where $\tanh' < 0.02$).
For each parameter we record $\lVert\theta\rVert$, $\lVert\nabla_\theta L\rVert$ and their ratio,
the relative size of a gradient step. Vanishing gradients show as norms that shrink layer by
layer towards the input; exploding ones as norms that grow. Reading list: ``glorot2010``,
``goodfellow2016`` (section 8.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

__all__ = [
    "ActivationMonitor",
    "ActivationStats",
    "GradientStats",
    "activation_statistics",
    "gradient_statistics",
    "saturation_mask",
]

#: The activation modules `ActivationMonitor` watches by default.
ACTIVATIONS: tuple[type[nn.Module], ...] = (nn.ReLU, nn.Tanh, nn.Sigmoid)


@dataclass(frozen=True)
class ActivationStats:
    """Statistics of one activation layer's output on one batch.

    Attributes:
        mean: the mean of all entries.
        std: their standard deviation.
        saturated_fraction: the fraction of entries where the derivative is (nearly) zero.
        dead_fraction: the fraction of units saturated on every example of the batch.
        units: the number of units $U$ (entries per example).
    """

    mean: float
    std: float
    saturated_fraction: float
    dead_fraction: float
    units: int


@dataclass(frozen=True)
class GradientStats:
    r"""Norms of one parameter tensor and of its gradient.

    Attributes:
        weight_norm: $\lVert\theta\rVert$.
        grad_norm: $\lVert\nabla_\theta L\rVert$ (0 when the gradient is `None`).
        ratio: $\lVert\nabla_\theta L\rVert / \lVert\theta\rVert$ (`inf` for a zero tensor).
    """

    weight_norm: float
    grad_norm: float
    ratio: float


# --8<-- [start:saturation]
def saturation_mask(module: nn.Module, output: Tensor, eps: float = 0.01) -> Tensor:
    r"""Where the activation `module` is saturated (derivative $\approx 0$), given its output.

    Args:
        module: an `nn.ReLU`, `nn.Tanh` or `nn.Sigmoid`.
        output: the module's output $a$.
        eps: the saturation margin $\epsilon$ for the smooth nonlinearities.

    Returns:
        A boolean tensor shaped like `output`.
    """
    if isinstance(module, nn.ReLU):
        # ReLU'(z) = 0 exactly where a = max(z, 0) = 0
        return output <= 0
    if isinstance(module, nn.Tanh):
        # tanh'(z) = 1 − a² < 2ε when |a| > 1 − ε
        return output.abs() > 1 - eps
    if isinstance(module, nn.Sigmoid):
        # σ'(z) = a(1 − a) < ε when a < ε or a > 1 − ε
        return (output < eps) | (output > 1 - eps)
    raise TypeError(f"no saturation rule for {type(module).__name__}")


# --8<-- [end:saturation]


def _stats(module: nn.Module, output: Tensor, eps: float) -> ActivationStats:
    a = output.detach()
    sat = saturation_mask(module, a, eps).reshape(a.shape[0], -1)  # (B, U)
    return ActivationStats(
        mean=float(a.mean()),
        std=float(a.std()) if a.numel() > 1 else 0.0,
        saturated_fraction=float(sat.float().mean()),
        dead_fraction=float(sat.all(dim=0).float().mean()),
        units=sat.shape[1],
    )


class ActivationMonitor:
    """Records `ActivationStats` of every activation layer on each forward pass.

    Use it as a context manager; the hooks are removed on exit. After a forward pass,
    `stats` maps each watched module's name (as in `model.named_modules()`) to the statistics
    of its latest output.

    Args:
        model: the network.
        kinds: the activation module types to watch.
        eps: the saturation margin $\\epsilon$.

    Example:
        ```python
        with ActivationMonitor(model) as monitor:
            model(x)
        print(monitor.stats["1"].dead_fraction)
        ```
    """

    def __init__(
        self,
        model: nn.Module,
        kinds: tuple[type[nn.Module], ...] = ACTIVATIONS,
        eps: float = 0.01,
    ) -> None:
        self.stats: dict[str, ActivationStats] = {}
        self._handles = []
        for name, module in model.named_modules():
            if isinstance(module, kinds):
                self._handles.append(module.register_forward_hook(self._hook(name, eps)))

    def _hook(self, name: str, eps: float):
        def hook(module: nn.Module, inputs: tuple[Tensor, ...], output: Tensor) -> None:
            self.stats[name] = _stats(module, output, eps)

        return hook

    def close(self) -> None:
        """Remove the hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def __enter__(self) -> ActivationMonitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def activation_statistics(
    model: nn.Module, inputs: Tensor, eps: float = 0.01
) -> dict[str, ActivationStats]:
    """One forward pass (without gradients) and the statistics of every activation layer.

    Args:
        model: the network.
        inputs: a batch, shape `(B, ...)`.
        eps: the saturation margin $\\epsilon$.

    Returns:
        Module name → statistics, in the order the modules are registered.
    """
    with ActivationMonitor(model, eps=eps) as monitor, torch.no_grad():
        model(inputs)
    return monitor.stats


def gradient_statistics(model: nn.Module) -> dict[str, GradientStats]:
    """Norms of every parameter and of its current `.grad` (call after `backward()`).

    Args:
        model: the network.

    Returns:
        Parameter name → norms, in `model.named_parameters()` order.
    """
    out = {}
    for name, p in model.named_parameters():
        w = float(p.detach().norm())
        g = float(p.grad.detach().norm()) if p.grad is not None else 0.0
        out[name] = GradientStats(
            weight_norm=w, grad_norm=g, ratio=g / w if w > 0 else float("inf")
        )
    return out
