"""DDPM: the forward-process marginals against their closed form, the loss, and exact recovery
of a point mass by the reverse process with the optimal noise predictor."""

from __future__ import annotations

import math

import torch

from refimpl.nn import DDPM


def test_iterated_forward_kernel_matches_the_closed_form_marginal():
    model = DDPM(2, steps=20, beta_start=1e-3, beta_end=0.3).double()
    n = 50_000
    x0 = torch.tensor([1.5, -0.7], dtype=torch.float64)
    gen = torch.Generator().manual_seed(0)
    x = x0.expand(n, 2)
    for t in range(1, 21):  # x_t = √(1 − β_t) x_{t−1} + √β_t z, one step at a time
        beta = model.betas[t - 1]
        x = (1 - beta).sqrt() * x + beta.sqrt() * torch.randn(
            n, 2, generator=gen, dtype=torch.float64
        )
        if t in (1, 5, 12, 20):
            alpha_bar = torch.prod(1 - model.betas[:t])  # ᾱ_t from the β's directly
            mean, var = alpha_bar.sqrt() * x0, 1 - alpha_bar
            # Standard errors: σ/√n for the mean, σ²√(2/(n−1)) for the variance; allow 5 of them.
            assert ((x.mean(0) - mean).abs() < 5 * (var / n).sqrt()).all(), t
            assert ((x.var(0) - var).abs() < 5 * var * math.sqrt(2 / (n - 1))).all(), t
            torch.testing.assert_close(model.alpha_bars[t - 1], alpha_bar)


def test_q_sample_has_the_closed_form_moments():
    model = DDPM(2, steps=30).double()
    n = 100_000
    gen = torch.Generator().manual_seed(1)
    x0 = torch.tensor([[2.0, -1.0]], dtype=torch.float64).expand(n, 2)
    t = torch.full((n,), 17)
    x = model.q_sample(x0, t, torch.randn(n, 2, generator=gen, dtype=torch.float64))
    alpha_bar = torch.prod(1 - model.betas[:17])
    var = 1 - alpha_bar
    assert ((x.mean(0) - alpha_bar.sqrt() * x0[0]).abs() < 5 * (var / n).sqrt()).all()
    assert ((x.var(0) - var).abs() < 5 * var * math.sqrt(2 / (n - 1))).all()


def test_loss_is_the_mean_squared_noise_prediction_error():
    torch.manual_seed(0)
    model = DDPM(2, steps=20).double()
    x0 = torch.randn(6, 2, dtype=torch.float64)
    t = torch.randint(1, 21, (6,))
    noise = torch.randn(6, 2, dtype=torch.float64)
    a = torch.cumprod(1 - model.betas, 0)[t - 1][:, None]
    x_t = a.sqrt() * x0 + (1 - a).sqrt() * noise
    expected = (
        sum(
            ((noise[i] - model.eps_model(x_t[i : i + 1], t[i : i + 1])[0]) ** 2).sum()
            for i in range(6)
        )
        / 6
    )
    torch.testing.assert_close(model.loss(x0, t, noise), expected)


class PointMassOracle(torch.nn.Module):
    """The exact noise for data at one point: $(x_t - \\sqrt{\\bar a_t}x_0)/\\sqrt{1-\\bar a_t}$."""

    def __init__(self, point: torch.Tensor, alpha_bars: torch.Tensor) -> None:
        super().__init__()
        self.point, self.alpha_bars = point, alpha_bars

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        a = self.alpha_bars[t - 1][:, None]
        return (x - a.sqrt() * self.point) / (1 - a).sqrt()


def test_optimal_predictor_has_zero_loss_and_samples_the_point_exactly():
    point = torch.tensor([0.3, -1.2], dtype=torch.float64)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # the schedule in full precision, not float32 cast up
    try:
        schedule = DDPM(2, steps=40)
        model = DDPM(2, steps=40, eps_model=PointMassOracle(point, schedule.alpha_bars))
    finally:
        torch.set_default_dtype(previous)
    x0 = point.expand(8, 2)
    assert model.loss(x0).item() < 1e-20
    samples = model.sample(16, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(samples, point.expand(16, 2), rtol=0, atol=1e-10)
