r"""A convolutional deep belief network: convolutional RBMs stacked and trained greedily.

Lee et al. build a deep model of images one layer at a time. Layer 1 is a `ConvRBM` with
probabilistic max-pooling trained by contrastive divergence on the images. It is then frozen,
and layer 2, a `ConvRBM` whose visible units are layer 1's pooling units, is trained on layer
1's pooling probabilities $P(p^{(1)} = 1 \mid v)$; and so on. Inference for features is the
*up-pass*, each layer's pooling probabilities fed as the next layer's input:

$$
x^{(0)} = v, \qquad x^{(l)} = P\big(p^{(l)} = 1 \mid x^{(l-1)}\big),
$$

To see what a second-layer group detects, Lee et al. draw its filter in image space as a
combination of first-layer filters: each weight $W^{(2),k}_{c,a,b}$ on pooling map $c$ at
$(a, b)$ is spread over the $C \times C$ detection units of that pooling unit, and each detection
unit contributes its filter $W^{(1),c}$ at its own position,

$$
\Phi^k = \sum_c \big(\mathrm{up}_C(W^{(2),k}_c) / C^2\big) * W^{(1),c},
$$

a full convolution of the upsampled second-layer filter with the first-layer filters.
Reading list: `lee2009cdbn`, `hinton2006`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from refimpl.nn.crbm import ConvRBM, _full_conv

__all__ = ["ConvolutionalDBN"]


class ConvolutionalDBN(nn.Module):
    r"""A stack of `ConvRBM` layers, each trained by CD on the pooled features of the one below.

    Args:
        n_filters: groups $K_l$ per layer, e.g. `(8, 8)`.
        kernel_sizes: filter size $k_l$ per layer.
        pool_sizes: probabilistic max-pooling block $C_l$ per layer.
        in_channels: channels of the input images.
    """

    def __init__(
        self,
        n_filters: Sequence[int],
        kernel_sizes: Sequence[int],
        pool_sizes: Sequence[int],
        in_channels: int = 1,
    ) -> None:
        super().__init__()
        if not len(n_filters) == len(kernel_sizes) == len(pool_sizes):
            raise ValueError("n_filters, kernel_sizes and pool_sizes must have the same length")
        channels = [in_channels, *n_filters[:-1]]  # layer l sees layer l-1's pooling maps
        self.layers = nn.ModuleList(
            ConvRBM(K, k, C, in_channels=c)
            for K, k, C, c in zip(n_filters, kernel_sizes, pool_sizes, channels, strict=True)
        )

    # --8<-- [start:up]
    def up(self, v: Tensor) -> list[Tensor]:
        """The up-pass: every layer's pooling probabilities `[(B, K_1, ...), (B, K_2, ...)]`."""
        features, x = [], v
        for rbm in self.layers:
            # x^(l) = P(p^(l) = 1 | x^(l-1)): the pooled features are the next layer's data
            x = rbm.hidden_probs(x)[1]  # (B, K_l, h_l / C_l, w_l / C_l)
            features.append(x)
        return features

    # --8<-- [end:up]

    def forward(self, v: Tensor) -> Tensor:
        """The top layer's pooling probabilities for images `v` of shape `(B, C_in, H, W)`."""
        return self.up(v)[-1]

    def layer_input(self, v: Tensor, index: int) -> Tensor:
        """What layer `index` is trained on: `v` for layer 0, else the pooled features below it."""
        return v if index == 0 else self.up_to(v, index)

    def up_to(self, v: Tensor, index: int) -> Tensor:
        """Pooling probabilities of layer `index - 1`, computed through the layers below only."""
        x = v
        for rbm in self.layers[:index]:
            x = rbm.hidden_probs(x)[1]
        return x

    # --8<-- [start:greedy]
    def train_layer(
        self,
        index: int,
        data: Tensor,
        steps: int,
        batch: int = 32,
        lr: float = 0.1,
        momentum: float = 0.9,
        sparsity: float = 0.02,
        sparsity_rate: float = 0.5,
        generator: torch.Generator | None = None,
    ) -> list[float]:
        """Greedy step: train layer `index` by CD-1 on the (frozen) features of the layers below.

        The visible biases start at the log-odds of the mean input; then momentum SGD on the
        CD-1 gradient scaled by the number of hidden positions, and after
        each step a sparsity correction of the hidden biases towards mean activation
        `sparsity` (the regularisation Lee et al. use). Returns the reconstruction error
        $\\lVert P(x \\mid h) - x\\rVert^2$ (mean) of the layer's input after each step.
        """
        rbm = self.layers[index]
        with torch.no_grad():
            x_all = self.layer_input(data, index)  # layers below are fixed: compute once
            # start the visible biases at the log-odds of each channel's mean input, so that the
            # weights need not first learn that most inputs are off
            mean = x_all.mean((0, 2, 3)).clamp(1e-3, 1 - 1e-3)  # (C_in,)
            rbm.visible_bias.copy_(torch.log(mean / (1 - mean)).reshape(rbm.visible_bias.shape))
        velocity = {name: torch.zeros_like(p) for name, p in rbm.named_parameters()}
        error = []
        for _ in range(steps):
            rows = torch.randint(0, len(x_all), (batch,), generator=generator)
            x = x_all[rows.to(x_all.device)]
            grads = rbm.cd_grad(x, steps=1, generator=generator)  # ∇F(x) - ∇F(one Gibbs step)
            with torch.no_grad():
                P = rbm.hidden_probs(x)[0]  # (B, K, h, w)
                for name, p in rbm.named_parameters():
                    velocity[name] = momentum * velocity[name] - lr / P[0, 0].numel() * grads[name]
                    p += velocity[name]
                rbm.hidden_bias += sparsity_rate * (sparsity - P.mean((0, 2, 3)))
                error.append(((rbm.visible_probs(P) - x) ** 2).mean().item())
        return error

    # --8<-- [end:greedy]

    def image_space_filters(self, index: int = 1) -> Tensor:
        r"""Layer `index`'s filters drawn in the input of layer `index - 1`, `(K, C_in, S, S)`.

        The side is $S = k_l C_{l-1} + k_{l-1} - 1$.

        $\Phi^k = \sum_c (\mathrm{up}_C(W^{(l),k}_c)/C^2) * W^{(l-1),c}$ with $C$ the pooling
        size of layer `index - 1`; apply repeatedly for deeper layers.
        """
        lower, upper = self.layers[index - 1], self.layers[index]
        C = lower.pool_size
        w = upper.weight.detach()  # (K, K_below, k, k)
        # spread each weight over the C×C detection units that share one pooling unit
        up = w.repeat_interleave(C, dim=-2).repeat_interleave(C, dim=-1) / C**2  # (K, K_b, kC, kC)
        # each detection unit adds its own first-layer filter at its position: a full convolution
        return _full_conv(up, lower.weight.detach())  # (K, C_in, kC + k_below - 1, ...)
