r"""K-FAC (Martens & Grosse 2015): natural gradient with a Kronecker-factored Fisher per layer.

Every ``torch.nn.Linear`` layer $\ell$ gets its own Fisher block, approximated as
$A_\ell \otimes G_\ell$ with $A_\ell = \mathbb E[\bar a\bar a^\top]$ (layer inputs, a one
appended for the bias) and $G_\ell = \mathbb E[gg^\top]$ (back-propagated output-distribution
gradients at the layer's pre-activations); blocks of different layers are treated as
independent (block-diagonal). The step per layer is

$$
\Delta W_\ell = -\gamma\,(A_\ell\otimes G_\ell + \lambda I)^{-1}\,\mathrm{vec}(\nabla_{W_\ell} L),
$$

applied through the eigendecompositions of the two small factors. This implementation
recomputes the factors on every step's batch (no running averages, no amortised inverses) and
takes the expectation over $y$ exactly instead of by sampling, so it is the K-FAC approximation
itself, without the paper's stochastic machinery. Reading list: ``martens2015kfac``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import torch
from torch import Tensor

from refimpl.functional.kfac import kfac_direction, kronecker_factors
from refimpl.optim.natural_gradient import ClosureResult, unpack_closure_result

__all__ = ["KFAC"]


class KFAC(torch.optim.Optimizer):
    r"""K-FAC natural gradient for a network of ``torch.nn.Linear`` layers.

    The constructor takes the model (it installs forward hooks on its linear layers to record
    their inputs and outputs); the optimised parameters are those layers' weights and biases,
    and the model must have no other trainable parameters. ``step(closure)``: the closure runs
    the model on a batch and returns ``(losses, outputs)``, per-example negative
    log-likelihoods (shape ``(N,)``) and network outputs (shape ``(N, K)``), as for
    ``NaturalGradient``. Each example's output must depend on that example's activations only
    (no batch normalisation).

    Args:
        model: the network; its ``torch.nn.Linear`` submodules are preconditioned.
        lr: step size $\gamma$ (default ``1.0``).
        damping: Tikhonov damping $\lambda$ added to every $A_\ell\otimes G_\ell$ (default
            ``1e-3``).
        fisher: ``"model"`` (expectation over the model's predictive distribution, computed
            exactly from the factorisation $\Lambda = \sum_k u_k u_k^\top$ of the output
            Fisher, one backward pass per output dimension) or ``"empirical"`` (the gradients at
            the observed labels, one backward pass).
        likelihood: ``"categorical"`` (logits) or ``"gaussian"`` (means with variance
            ``variance``).
        variance: $\sigma^2$ of the Gaussian likelihood.
    """

    def __init__(
        self,
        model: torch.nn.Module,
        lr: float = 1.0,
        damping: float = 1e-3,
        fisher: Literal["model", "empirical"] = "model",
        likelihood: Literal["categorical", "gaussian"] = "categorical",
        variance: float = 1.0,
    ) -> None:
        if lr < 0.0 or damping < 0.0:
            raise ValueError(f"Invalid lr or damping: {lr}, {damping}")
        if fisher not in ("model", "empirical") or likelihood not in ("categorical", "gaussian"):
            raise ValueError(f"unknown fisher {fisher!r} or likelihood {likelihood!r}")
        self.layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
        layer_params = {id(p) for m in self.layers for p in m.parameters()}
        others = [n for n, p in model.named_parameters() if id(p) not in layer_params]
        if not self.layers or others:
            raise ValueError(f"KFAC needs a model of Linear layers only; other params: {others}")
        self.fisher_type, self.likelihood, self.variance = fisher, likelihood, variance
        self._records: dict[torch.nn.Linear, tuple[Tensor, Tensor]] = {}
        self._hooks = [m.register_forward_hook(self._record) for m in self.layers]
        super().__init__(
            [{"params": list(m.parameters())} for m in self.layers], {"lr": lr, "damping": damping}
        )

    def _record(self, module: torch.nn.Module, inputs: tuple[Tensor, ...], output: Tensor) -> None:
        if torch.is_grad_enabled():
            self._records[module] = (inputs[0], output)  # type: ignore[index]

    def _output_vectors(self, losses: Tensor, outputs: Tensor) -> list[Tensor]:
        """The vectors $u_k$ with $\\Lambda = \\sum_k u_k u_k^\\top$, each of shape ``(N, K)``."""
        if self.fisher_type == "empirical":
            # u = ∂ℓ_n/∂z_n at the observed labels
            return [torch.autograd.grad(losses.sum(), outputs, retain_graph=True)[0]]
        z = outputs.detach()
        N, K = z.shape
        eye = torch.eye(K, dtype=z.dtype, device=z.device)
        if self.likelihood == "gaussian":
            # Λ = I/σ² = Σ_k (e_k/σ)(e_k/σ)ᵀ
            return [eye[k].expand(N, K) / self.variance**0.5 for k in range(K)]
        p = torch.softmax(z, dim=-1)  # (N, K)
        # Λ = diag(p) − ppᵀ = Σ_k p_k (e_k − p)(e_k − p)ᵀ
        return [p[:, k : k + 1].sqrt() * (eye[k] - p) for k in range(K)]

    @torch.no_grad()
    def step(self, closure: Callable[[], ClosureResult] | None = None) -> Tensor:  # type: ignore[override]
        """Perform one step.

        Args:
            closure: runs the model and returns ``(losses, outputs)`` (see the class).

        Returns:
            The mean loss before the step.
        """
        if closure is None:
            raise RuntimeError("KFAC needs a closure that returns (losses, outputs)")
        self._records.clear()
        with torch.enable_grad():
            losses, outputs = unpack_closure_result(closure())
            if outputs is None:
                raise ValueError("KFAC needs the closure to return (losses, outputs)")
            loss = losses.mean()
            params = [p for g in self.param_groups for p in g["params"]]
            grads = torch.autograd.grad(loss, params, retain_graph=True)
            pre_acts = [self._records[m][1] for m in self.layers]
            # g_nk = ∂(u_k·z_n)/∂s_n for every layer: a list over k of per-layer (N, d_out)
            back = [
                torch.autograd.grad(outputs, pre_acts, grad_outputs=u, retain_graph=True)
                for u in self._output_vectors(losses, outputs)
            ]
        grad_of = dict(zip(map(id, params), grads, strict=True))
        for i, (layer, group) in enumerate(zip(self.layers, self.param_groups, strict=True)):
            a = self._records[layer][0].detach()  # (N, d_in)
            gW = grad_of[id(layer.weight)]
            if layer.bias is not None:
                # ā = [a; 1] and ∇ = [∇W, ∇b]: the bias is a weight on a constant input
                a = torch.cat([a, torch.ones_like(a[:, :1])], dim=1)  # (N, d_in + 1)
                gW = torch.cat([gW, grad_of[id(layer.bias)][:, None]], dim=1)
            A, G = kronecker_factors(a, torch.stack([b[i].detach() for b in back]))
            delta = kfac_direction(gW, A, G, group["damping"])  # (d_out, d_in [+ 1])
            layer.weight.grad = grad_of[id(layer.weight)].clone()
            layer.weight.add_(delta[:, : layer.in_features], alpha=group["lr"])
            if layer.bias is not None:
                layer.bias.grad = grad_of[id(layer.bias)].clone()
                layer.bias.add_(delta[:, -1], alpha=group["lr"])
        self._records.clear()
        return loss.detach()
