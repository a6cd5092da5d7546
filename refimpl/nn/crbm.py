r"""A binary convolutional RBM with probabilistic max-pooling (Lee et al., 2009).

A binary image $v \in \{0,1\}^{H\times W}$ and $K$ binary hidden groups $h^k$ of size
$(H-k+1)\times(W-k+1)$ share one $k\times k$ filter $W^k$ and one bias $b_k$ per group, and a
visible bias $c$. With $\star$ the valid cross-correlation and $I^k = W^k \star v + b_k$,

$$
E(v, h) = -\sum_k \sum_{ij} h^k_{ij} (W^k \star v)_{ij} - \sum_k b_k \sum_{ij} h^k_{ij}
          - c \sum_{ij} v_{ij},
$$

$$
P(h^k_{ij} = 1 \mid v) = \sigma(I^k_{ij}), \qquad
P(v_{ij} = 1 \mid h) = \sigma\Big(\big(\textstyle\sum_k W^k * h^k\big)_{ij} + c\Big),
$$

the second a full convolution. Probabilistic max-pooling splits each group into $C\times C$
blocks $B_\alpha$, allows at most one unit on per block and sets the pooling unit $p^k_\alpha$ on
iff one is, so a block is a softmax over $C^2 + 1$ states:

$$
P(h^k_{ij} = 1 \mid v) = \frac{e^{I^k_{ij}}}{1 + \sum_{(i',j') \in B_\alpha} e^{I^k_{i'j'}}},
\qquad
P(p^k_\alpha = 0 \mid v) = \frac{1}{1 + \sum_{(i',j') \in B_\alpha} e^{I^k_{i'j'}}}.
$$

Contrastive divergence (CD-$n$) follows the free-energy gradient at the data minus the same at
a sample after $n$ Gibbs steps. Reading list: `lee2009cdbn`, `hinton2006`.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from refimpl.functional.conv import conv2d

__all__ = ["ConvRBM"]


def _full_conv(h: Tensor, weight: Tensor) -> Tensor:
    """Full convolution $\\sum_k W^k * h^k$ `(B, C_in, H, W)` of hidden maps `(B, K, h, w)`."""
    k = weight.shape[-1]
    # full convolution = valid cross-correlation of the zero-padded maps with flipped filters
    w = weight.flip(-1, -2).transpose(0, 1)  # (C_in, K, k, k)
    return conv2d(h, w, padding=(k - 1, k - 1, k - 1, k - 1))


class ConvRBM(nn.Module):
    r"""A binary convolutional RBM, optionally with probabilistic max-pooling.

    With several input channels (the second layer of a `ConvolutionalDBN`, whose visible units
    are the first layer's pooling units), each filter $W^k$ spans all channels, $W^k \star v$
    sums the per-channel cross-correlations, and each channel has its own visible bias.

    Args:
        n_filters: number of hidden groups $K$.
        kernel_size: filter size $k$.
        pool_size: block size $C$ of probabilistic max-pooling; `1` means no pooling
            (independent hidden units). The hidden maps' sides must be divisible by $C$.
        in_channels: number of visible channels; with the default `1` the visible bias $c$ is
            a scalar, otherwise a vector of one bias per channel.
    """

    def __init__(
        self, n_filters: int, kernel_size: int, pool_size: int = 1, in_channels: int = 1
    ) -> None:
        super().__init__()
        self.pool_size = pool_size
        self.weight = nn.Parameter(
            0.01 * torch.randn(n_filters, in_channels, kernel_size, kernel_size)
        )
        self.hidden_bias = nn.Parameter(torch.zeros(n_filters))
        self.visible_bias = nn.Parameter(torch.zeros(() if in_channels == 1 else in_channels))

    def _c(self) -> Tensor:
        """The visible bias shaped to broadcast over `(B, C_in, H, W)`: `(C_in or 1, 1, 1)`."""
        return self.visible_bias.reshape(-1, 1, 1)

    def hidden_input(self, v: Tensor) -> Tensor:
        """$I^k = W^k \\star v + b_k$ `(B, K, H-k+1, W-k+1)` for `v` of shape `(B, C_in, H, W)`."""
        return conv2d(v, self.weight, self.hidden_bias)

    def _blocks(self, x: Tensor) -> Tensor:
        """`(B, K, h, w)` -> `(B, K, h/C, w/C, C*C)`: the units of each pooling block, last."""
        B, K, h, w = x.shape
        C = self.pool_size
        x = x.reshape(B, K, h // C, C, w // C, C).permute(0, 1, 2, 4, 3, 5)
        return x.reshape(B, K, h // C, w // C, C * C)  # (B, K, h/C, w/C, C²)

    def _unblocks(self, x: Tensor, shape: torch.Size) -> Tensor:
        B, K, h, w = shape
        C = self.pool_size
        x = x.reshape(B, K, h // C, w // C, C, C).permute(0, 1, 2, 4, 3, 5)
        return x.reshape(shape)  # (B, K, h, w)

    # --8<-- [start:conditionals]
    def _block_logits(self, v: Tensor) -> tuple[Tensor, torch.Size]:
        drive = self.hidden_input(v)
        blocks = self._blocks(drive)  # (B, K, h/C, w/C, C²)
        # the extra "all units off" state has energy 0, so logit 0
        off = torch.zeros_like(blocks[..., :1])
        return torch.cat([blocks, off], dim=-1), drive.shape  # (B, K, h/C, w/C, C²+1)

    def hidden_probs(self, v: Tensor) -> tuple[Tensor, Tensor]:
        """$P(h=1 \\mid v)$ `(B, K, h, w)` and $P(p=1 \\mid v)$ `(B, K, h/C, w/C)`."""
        logits, shape = self._block_logits(v)
        # P(h_ij = 1 | v) = exp(I_ij) / (1 + sum_{block} exp(I)); the last state is "all off"
        probs = torch.softmax(logits, dim=-1)
        return self._unblocks(probs[..., :-1], shape), 1 - probs[..., -1]

    def visible_probs(self, h: Tensor) -> Tensor:
        """$P(v=1 \\mid h)$ `(B, C_in, H, W)`: $\\sigma(\\sum_k W^k * h^k + c)$."""
        return torch.sigmoid(_full_conv(h, self.weight) + self._c())

    # --8<-- [end:conditionals]

    def sample_hidden(self, v: Tensor, generator: torch.Generator | None = None) -> Tensor:
        """Draws $h \\sim P(h \\mid v)$: one categorical draw of $C^2+1$ states per block."""
        logits, shape = self._block_logits(v)
        probs = torch.softmax(logits, dim=-1).reshape(-1, logits.shape[-1])
        state = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
        onehot = torch.zeros_like(probs).scatter_(1, state[:, None], 1.0)
        return self._unblocks(onehot[:, :-1].reshape(logits[..., :-1].shape), shape)

    def sample_visible(self, h: Tensor, generator: torch.Generator | None = None) -> Tensor:
        """Draws $v \\sim P(v \\mid h)$."""
        p = self.visible_probs(h)
        return (torch.rand(p.shape, generator=generator, dtype=p.dtype, device=p.device) < p).to(
            p.dtype
        )

    def energy(self, v: Tensor, h: Tensor) -> Tensor:
        """$E(v, h)$ per example `(B,)`; `h` must respect the pooling constraint."""
        drive = self.hidden_input(v)
        # E = -sum_k sum_ij h^k_ij (W^k ⋆ v + b_k)_ij - c sum_ij v_ij
        return -(h * drive).sum((1, 2, 3)) - (self._c() * v).sum((1, 2, 3))

    # --8<-- [start:free_energy]
    def free_energy(self, v: Tensor) -> Tensor:
        """$F(v) = -\\log \\sum_h e^{-E(v,h)}$ per example `(B,)`."""
        logits, _ = self._block_logits(v)
        # F(v) = -c sum v - sum_{k, α} log(1 + sum_{(i,j) ∈ B_α} exp(I^k_ij))
        return -(self._c() * v).sum((1, 2, 3)) - torch.logsumexp(logits, -1).sum((1, 2, 3))

    # --8<-- [end:free_energy]

    def forward(self, v: Tensor) -> Tensor:
        """The pooling units' probabilities $P(p=1 \\mid v)$ `(B, K, h/C, w/C)`: the features."""
        return self.hidden_probs(v)[1]

    def gibbs(self, v: Tensor, steps: int = 1, generator: torch.Generator | None = None) -> Tensor:
        """Runs `steps` alternating Gibbs steps $v \\to h \\to v$ and returns the last $v$."""
        for _ in range(steps):
            v = self.sample_visible(self.sample_hidden(v, generator), generator)
        return v

    # --8<-- [start:cd]
    def free_energy_grad(self, v: Tensor) -> dict[str, Tensor]:
        """The batch-mean gradient of $F(v)$ with respect to each parameter, in closed form."""
        P = self.hidden_probs(v)[0]  # (B, K, h, w)
        B = v.shape[0]
        # dF/dW^k_ab = -sum_ij P(h^k_ij=1|v) v_{i+a, j+b}: a cross-correlation of v with P,
        # summed over the batch by treating the batch as channels
        dW = -conv2d(v.transpose(0, 1), P.transpose(0, 1)).transpose(0, 1) / B  # (K, 1, k, k)
        return {
            "weight": dW,
            "hidden_bias": -P.sum((0, 2, 3)) / B,  # dF/db_k = -sum_ij P(h^k_ij=1|v)
            # dF/dc = -sum_ij v_ij (per channel)
            "visible_bias": -v.sum((0, 2, 3)).reshape(self.visible_bias.shape) / B,
        }

    def cd_grad(
        self, v: Tensor, steps: int = 1, generator: torch.Generator | None = None
    ) -> dict[str, Tensor]:
        """CD-`steps` estimate of $-\\nabla \\log P(v)$: $\\nabla F(v) - \\nabla F(\\tilde v)$."""
        with torch.no_grad():
            v_model = self.gibbs(v, steps, generator)
            pos, neg = self.free_energy_grad(v), self.free_energy_grad(v_model)
        return {name: pos[name] - neg[name] for name in pos}

    # --8<-- [end:cd]
