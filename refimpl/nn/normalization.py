r"""Normalisation layers: `BatchNorm1d`, `BatchNorm2d`, `LayerNorm`, and weight standardisation.

`BatchNorm1d`/`BatchNorm2d` and `LayerNorm` keep torch's constructor arguments, parameter and
buffer names (``weight``, ``bias``, ``running_mean``, ``running_var``,
``num_batches_tracked``) and running-statistics semantics; `WSLinear` is a `Linear` layer
whose weight is standardised per output unit before use (Qiao et al.), which torch does not
have. The math is in `refimpl.functional.normalization`:

$$
\mathrm{BN}(x) = \gamma\frac{x - \mu_B}{\sqrt{\sigma_B^2+\epsilon}} + \beta,\qquad
\mathrm{LN}(x) = \gamma\odot\frac{x - \mu}{\sqrt{\sigma^2+\epsilon}} + \beta,\qquad
y = x\hat W^\top + b .
$$

Reading list: ``ioffe2015bn``, ``ba2016ln``, ``qiao2019ws``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from refimpl.functional.affine import linear
from refimpl.functional.normalization import batch_norm, layer_norm, standardize_weight
from refimpl.nn.linear import Linear

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "WSLinear"]


class _BatchNorm(torch.nn.Module):
    _input_dims: tuple[int, ...] = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = torch.nn.Parameter(torch.ones(num_features, **factory))
            self.bias = torch.nn.Parameter(torch.zeros(num_features, **factory))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", torch.zeros(num_features, **factory))
            self.register_buffer("running_var", torch.ones(num_features, **factory))
            self.register_buffer(
                "num_batches_tracked", torch.tensor(0, dtype=torch.long, device=device)
            )
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def forward(self, input: Tensor) -> Tensor:
        """Normalise ``input`` (channels in dimension 1) with batch or running statistics."""
        if input.dim() not in self._input_dims:
            raise ValueError(f"expected {self._input_dims}-D input (got {input.dim()}D input)")
        momentum = 0.0 if self.momentum is None else self.momentum
        update = self.training and self.track_running_stats
        if update:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative average: m = 1/k at the k-th batch
                momentum = 1.0 / float(self.num_batches_tracked)
        use_running = not self.training and self.running_mean is not None
        tracked = update or use_running
        return batch_norm(
            input,
            self.running_mean if tracked else None,
            self.running_var if tracked else None,
            self.weight,
            self.bias,
            training=not use_running,
            momentum=momentum,
            eps=self.eps,
        )

    @classmethod
    def from_torch(cls, module: torch.nn.modules.batchnorm._BatchNorm) -> _BatchNorm:
        """A copy of a torch batch-norm layer: same settings, parameters and running statistics.

        Args:
            module: a ``torch.nn.BatchNorm1d`` (for `BatchNorm1d`) or ``BatchNorm2d``.

        Returns:
            The equivalent refimpl layer, in the same training mode.
        """
        ref = module.weight if module.weight is not None else module.running_mean
        ours = cls(
            module.num_features,
            eps=module.eps,
            momentum=module.momentum,
            affine=module.affine,
            track_running_stats=module.track_running_stats,
            device=ref.device if ref is not None else None,
            dtype=ref.dtype if ref is not None else None,
        )
        ours.load_state_dict(module.state_dict())
        return ours.train(module.training)


class BatchNorm1d(_BatchNorm):
    r"""Batch normalisation of ``(N, C)`` or ``(N, C, L)`` inputs, like ``torch.nn.BatchNorm1d``.

    In training mode it normalises with the batch's per-channel mean and biased variance and
    updates ``running_mean`` and ``running_var`` (with the unbiased variance); in evaluation
    mode it uses the running estimates.

    Args:
        num_features: $C$.
        eps: $\epsilon$ added to the variance.
        momentum: $m$ of the running averages; ``None`` for a cumulative average.
        affine: learn $\gamma$ (``weight``, ones) and $\beta$ (``bias``, zeros).
        track_running_stats: keep running estimates; without them, batch statistics are used
            in evaluation mode too.
        device: where to create the parameters and buffers.
        dtype: their dtype.
    """

    _input_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation of ``(N, C, H, W)`` inputs, like ``torch.nn.BatchNorm2d``.

    The statistics of channel $c$ are taken over the batch and all $H \times W$ positions.
    Arguments as for `BatchNorm1d`.
    """

    _input_dims = (4,)


class LayerNorm(torch.nn.Module):
    r"""Layer normalisation over the trailing ``normalized_shape``, like ``torch.nn.LayerNorm``.

    Args:
        normalized_shape: the shape of the features normalised together (an int for the last
            dimension).
        eps: $\epsilon$.
        elementwise_affine: learn $\gamma$ (``weight``) and, with ``bias``, $\beta$.
        bias: learn $\beta$ (only with ``elementwise_affine``).
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        factory = {"device": device, "dtype": dtype}
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if elementwise_affine:
            self.weight = torch.nn.Parameter(torch.ones(self.normalized_shape, **factory))
            if bias:
                self.bias = torch.nn.Parameter(torch.zeros(self.normalized_shape, **factory))

    def forward(self, input: Tensor) -> Tensor:
        """Normalise each example's trailing ``normalized_shape`` features."""
        return layer_norm(input, len(self.normalized_shape), self.weight, self.bias, self.eps)

    @classmethod
    def from_torch(cls, module: torch.nn.LayerNorm) -> LayerNorm:
        """A `LayerNorm` with ``module``'s settings and parameters."""
        ref = module.weight
        ours = cls(
            module.normalized_shape,
            eps=module.eps,
            elementwise_affine=module.elementwise_affine,
            bias=module.bias is not None,
            device=ref.device if ref is not None else None,
            dtype=ref.dtype if ref is not None else None,
        )
        ours.load_state_dict(module.state_dict())
        return ours


class WSLinear(Linear):
    r"""A linear layer with weight standardisation: $y = x\hat W^\top + b$.

    $\hat W_{i,\cdot} = (W_{i,\cdot} - \mu_{W_i})/\sqrt{\sigma^2_{W_i} + \epsilon}$: every output
    unit's incoming weights have zero mean and unit variance whatever $W$ is, so the scale of
    $W$ drops out of the function (Qiao et al. pair it with a normalisation of activations).

    Args:
        in_features: inputs.
        out_features: outputs.
        bias: learn $b$.
        eps: $\epsilon$ in the standardisation.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        eps: float = 1e-5,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        self.eps = eps
        super().__init__(in_features, out_features, bias=bias, device=device, dtype=dtype)

    def forward(self, input: Tensor) -> Tensor:
        r"""$y = x\hat W^\top + b$ with the standardised weight $\hat W$."""
        # Ŵ: per output unit, zero mean and unit variance over the fan-in
        w_hat = standardize_weight(self.weight, self.eps)
        return linear(input, w_hat, self.bias)
