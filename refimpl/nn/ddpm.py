r"""Denoising diffusion probabilistic models (Ho, Jain and Abbeel) for low-dimensional data.

The forward process adds Gaussian noise in $T$ small steps with variances $\beta_t$,

$$
q(x_t \mid x_{t-1}) = \mathcal N\big(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\big),
\qquad
q(x_t \mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big),
\quad \bar\alpha_t = \textstyle\prod_{s\le t}(1-\beta_s).
$$

A network $\epsilon_\theta(x_t, t)$ learns to predict the noise in
$x_t = \sqrt{\bar\alpha_t}x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon$ (the simplified loss
$\lVert\epsilon - \epsilon_\theta\rVert^2$), and sampling runs the learned reverse process

$$
x_{t-1} = \frac{1}{\sqrt{\alpha_t}}\Big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\,
\epsilon_\theta(x_t, t)\Big) + \sigma_t z, \qquad \sigma_t^2 = \beta_t,\ z\sim\mathcal N(0, I),
$$

with no noise added at the last step. Reading list: ``ho2020ddpm``, ``sohldickstein2015``,
``weng2021diffusion``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["DDPM", "NoisePredictor"]


class NoisePredictor(torch.nn.Module):
    """$\\epsilon_\\theta(x_t, t)$: an MLP on the data and a sinusoidal embedding of the step.

    Args:
        dim: data dimension.
        hidden: hidden width.
        embedding: size of the time embedding (even).
        steps: number of diffusion steps $T$ (sets the embedding's frequencies).
    """

    def __init__(
        self, dim: int = 2, hidden: int = 128, embedding: int = 16, steps: int = 100
    ) -> None:
        super().__init__()
        sizes = [(dim + embedding, hidden), (hidden, hidden), (hidden, dim)]
        self.weights = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.randn(a, b) / math.sqrt(a)) for a, b in sizes]
        )
        self.biases = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(b)) for _, b in sizes])
        freqs = torch.exp(-math.log(10.0 * steps) * torch.arange(embedding // 2) / (embedding // 2))
        self.register_buffer("freqs", freqs)

    def forward(self, x: Tensor, t: Tensor) -> Tensor:
        """Predicts the noise in `x` `(B, dim)` at integer steps `t` `(B,)` (1-based)."""
        angles = t.to(x.dtype)[:, None] * self.freqs.to(x.dtype)  # (B, embedding/2)
        h = torch.cat([x, torch.sin(angles), torch.cos(angles)], dim=-1)  # (B, dim + embedding)
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            a = h @ w + b
            h = a * torch.sigmoid(a)  # SiLU
        return h @ self.weights[-1] + self.biases[-1]


class DDPM(torch.nn.Module):
    """A diffusion model: a fixed linear noise schedule and a noise-prediction network.

    Args:
        dim: data dimension.
        steps: number of diffusion steps $T$.
        beta_start: $\\beta_1$.
        beta_end: $\\beta_T$ (the schedule is linear in between).
        eps_model: the network $\\epsilon_\\theta(x, t)$; a `NoisePredictor` by default.
    """

    def __init__(
        self,
        dim: int = 2,
        steps: int = 100,
        beta_start: float = 1e-4,
        beta_end: float = 0.1,
        eps_model: torch.nn.Module | None = None,
    ) -> None:
        super().__init__()
        betas = torch.linspace(beta_start, beta_end, steps, dtype=torch.float64)
        dtype = torch.get_default_dtype()  # computed in float64, stored like the parameters
        self.register_buffer("betas", betas.to(dtype))  # β_1 .. β_T at indices 0 .. T-1
        self.register_buffer("alpha_bars", torch.cumprod(1 - betas, dim=0).to(dtype))  # ᾱ_t
        self.eps_model = eps_model if eps_model is not None else NoisePredictor(dim, steps=steps)
        self.dim, self.steps = dim, steps

    def forward(self, x: Tensor, t: Tensor) -> Tensor:
        """The predicted noise $\\epsilon_\\theta(x_t, t)$ for `x` `(B, dim)` at steps `t` `(B,)`.

        Steps run from 1 to $T$.
        """
        return self.eps_model(x, t)

    # --8<-- [start:training]
    def q_sample(self, x0: Tensor, t: Tensor, noise: Tensor) -> Tensor:
        """Draws $x_t \\sim q(x_t \\mid x_0)$ in one step, given the noise $\\epsilon$."""
        alpha_bar = self.alpha_bars.to(x0.dtype)[t - 1][:, None]  # (B, 1)
        # x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
        return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise

    def loss(self, x0: Tensor, t: Tensor | None = None, noise: Tensor | None = None) -> Tensor:
        """The simplified loss, $\\mathbb E\\lVert \\epsilon - \\epsilon_\\theta(x_t, t)\\rVert^2$.

        Args:
            x0: a batch of data `(B, dim)`.
            t: steps in `1..T` `(B,)`; uniform at random if not given.
            noise: the noise $\\epsilon$ `(B, dim)`; standard Gaussian if not given.
        """
        if t is None:
            t = torch.randint(1, self.steps + 1, (x0.shape[0],), device=x0.device)
        if noise is None:
            noise = torch.randn_like(x0)
        x_t = self.q_sample(x0, t, noise)
        return ((noise - self(x_t, t)) ** 2).sum(dim=-1).mean()

    # --8<-- [end:training]

    # --8<-- [start:sampling]
    @torch.no_grad()
    def sample(
        self, n: int, generator: torch.Generator | None = None, return_path: bool = False
    ) -> Tensor:
        """Runs the reverse process from $x_T \\sim \\mathcal N(0, I)$ down to $x_0$.

        Returns:
            `(n, dim)` samples, or the whole path `(T + 1, n, dim)` from $x_T$ to $x_0$ if
            ``return_path``.
        """
        p = self.betas  # follows the module's dtype and device
        x = torch.randn(n, self.dim, generator=generator, dtype=p.dtype).to(p.device)
        path = [x]
        for t in range(self.steps, 0, -1):
            beta, alpha_bar = self.betas[t - 1].item(), self.alpha_bars[t - 1].item()
            eps = self(x, torch.full((n,), t, device=x.device))
            # x_{t-1} = (x_t − β_t/√(1 − ᾱ_t) ε_θ) / √α_t + σ_t z,  σ_t² = β_t, no noise at t = 1
            x = (x - beta / math.sqrt(1 - alpha_bar) * eps) / math.sqrt(1 - beta)
            if t > 1:
                z = torch.randn(n, self.dim, generator=generator, dtype=p.dtype).to(p.device)
                x = x + math.sqrt(beta) * z
            path.append(x)
        return torch.stack(path) if return_path else x

    # --8<-- [end:sampling]
