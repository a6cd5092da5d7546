r"""Path-SGD (Neyshabur et al. 2015) for a chain of ``torch.nn.Linear`` layers with ReLUs.

$$
w_e \leftarrow w_e - \frac{\eta}{\kappa_e(w)}\,\frac{\partial L}{\partial w_e},\qquad
\kappa_e(w) = \gamma_{\text{in}}(u)\,\gamma_{\text{out}}(v),
$$

the approximate steepest descent with respect to the $\ell_2$ path norm
(``refimpl.functional.path_sgd_scales``). Because the path norm does not change when a hidden
unit's incoming weights are scaled by $c$ and its outgoing weights by $1/c$, neither does the
step: two networks that compute the same function through differently scaled weights stay
rescalings of each other. Reading list: ``neyshabur2015pathsgd``, ``dinh2017``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from refimpl.functional.path_sgd import path_sgd_scales

__all__ = ["PathSGD"]


class PathSGD(torch.optim.Optimizer):
    r"""Path-normalised gradient descent for a feed-forward ReLU network.

    The constructor takes the model: its ``torch.nn.Linear`` submodules, in registration
    order, must form the chain input → output (as in ``torch.nn.Sequential``), separated by
    positively homogeneous activations such as ReLU, for the path norm and its invariance to
    apply. The model must have no other trainable parameters. ``step`` uses each parameter's
    ``.grad``, like ``torch.optim.SGD``; the optional closure recomputes the loss and gradients.

    Args:
        model: the network.
        lr: learning rate $\eta$ (default ``1e-2``).
    """

    def __init__(self, model: torch.nn.Module, lr: float = 1e-2) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        self.layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
        layer_params = {id(p) for m in self.layers for p in m.parameters()}
        others = [n for n, p in model.named_parameters() if id(p) not in layer_params]
        if not self.layers or others:
            raise ValueError(f"PathSGD needs a chain of Linear layers only; other params: {others}")
        super().__init__([p for m in self.layers for p in m.parameters()], {"lr": lr})

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Perform one step with the current gradients.

        Args:
            closure: optional; recomputes the loss (and calls ``backward``) before the step.

        Returns:
            The closure's loss, or ``None``.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        lr = self.param_groups[0]["lr"]
        weights = [m.weight.detach() for m in self.layers]
        biases = [m.bias.detach() if m.bias is not None else None for m in self.layers]
        kappa_W, kappa_b = path_sgd_scales(weights, biases)
        for layer, kW, kb in zip(self.layers, kappa_W, kappa_b, strict=True):
            if layer.weight.grad is not None:
                # w_e ← w_e − η ∂L/∂w_e / κ_e
                layer.weight.sub_(lr * layer.weight.grad / kW)
            if layer.bias is not None and layer.bias.grad is not None and kb is not None:
                layer.bias.sub_(lr * layer.bias.grad / kb)
        return loss
