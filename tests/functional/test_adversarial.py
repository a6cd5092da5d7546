"""FGSM, PGD and random signs against closed forms, finite differences and the epsilon-ball."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from refimpl.functional import fgsm, input_gradient, pgd_linf, random_sign_perturbation


def smooth_net(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3)).double()


def test_fgsm_on_a_linear_two_class_model_matches_the_closed_form():
    # logits z = W x + b, cross-entropy: ∇ₓL = Wᵀ(p − e_y) = p_{1−y} (w_{1−y} − w_y),
    # so sign ∇ₓL = sign(w_{1−y} − w_y) whatever x is
    torch.manual_seed(1)
    model = nn.Linear(5, 2).double()
    x = torch.randn(8, 5, dtype=torch.float64)
    y = torch.randint(0, 2, (8,))
    w = model.weight.detach()
    expected = x + 0.3 * torch.sign(w[1 - y] - w[y])
    torch.testing.assert_close(fgsm(model, x, y, 0.3), expected, rtol=0, atol=1e-15)


def test_input_gradient_matches_the_softmax_formula():
    torch.manual_seed(2)
    model = nn.Linear(4, 3).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    y = torch.tensor([0, 2, 1, 1, 0])
    p = torch.softmax(model(x), -1).detach()
    # ∇ₓL = Wᵀ(p − e_y) per example
    expected = (p - F.one_hot(y, 3).double()) @ model.weight.detach()
    torch.testing.assert_close(input_gradient(model, x, y), expected)


@pytest.mark.parametrize("epsilon", [1e-3, 0.05, 0.5])
def test_fgsm_perturbation_has_linf_norm_exactly_epsilon(epsilon):
    model = smooth_net()
    x = torch.randn(10, 6, dtype=torch.float64)
    y = torch.randint(0, 3, (10,))
    delta = fgsm(model, x, y, epsilon) - x
    assert delta.dtype == torch.float64
    torch.testing.assert_close(delta.abs(), torch.full_like(delta, epsilon), rtol=1e-12, atol=0)


def test_fgsm_direction_is_the_steepest_ascent_in_the_box_to_first_order():
    # the directional derivative along sign(g) is ‖g‖₁ > 0, the largest over the unit L∞ box;
    # checked against central finite differences of the loss
    model = smooth_net(3)
    x = torch.randn(1, 6, dtype=torch.float64)
    y = torch.tensor([1])

    def loss(z):
        with torch.no_grad():
            return F.cross_entropy(model(z), y)

    g = input_gradient(model, x, y)
    d = fgsm(model, x, y, 1.0) - x  # sign(g)
    h = 1e-5
    fd = (loss(x + h * d) - loss(x - h * d)) / (2 * h)
    torch.testing.assert_close(fd, g.abs().sum(), rtol=1e-7, atol=0)
    for _ in range(20):  # random box directions do worse
        r = torch.randint(0, 2, x.shape).double() * 2 - 1
        assert (loss(x + h * r) - loss(x - h * r)) / (2 * h) <= fd + 1e-9
    assert loss(fgsm(model, x, y, 1e-3)) > loss(x)


def test_pgd_stays_in_the_ball_and_in_the_valid_range():
    model = smooth_net(4)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(20, 6, generator=g, dtype=torch.float64)
    y = torch.randint(0, 3, (20,), generator=g)
    for random_start in (False, True):
        x_adv = pgd_linf(
            model, x, y, 0.1, steps=15, clip=(0.0, 1.0), random_start=random_start, generator=g
        )
        assert (x_adv - x).abs().max() <= 0.1 + 1e-12
        assert x_adv.min() >= 0.0 and x_adv.max() <= 1.0


def test_pgd_loss_is_never_below_its_own_first_step():
    # the best iterate is kept, so PGD's loss ≥ FGSM's with step α (both projected)
    model = smooth_net(5)
    x = torch.randn(30, 6, dtype=torch.float64)
    y = torch.randint(0, 3, (30,))
    eps, steps = 0.2, 10
    alpha = 2.5 * eps / steps
    first = fgsm(model, x, y, alpha)
    x_adv = pgd_linf(model, x, y, eps, steps=steps)
    with torch.no_grad():
        l_pgd = F.cross_entropy(model(x_adv), y, reduction="none")
        l_first = F.cross_entropy(model(first), y, reduction="none")
    assert torch.all(l_pgd >= l_first - 1e-12)


def test_pgd_beats_or_matches_fgsm_on_the_trained_model():
    from refimpl.experiments.adversarial import _test_set, trained_mlp

    model, _ = trained_mlp()
    x, y = _test_set()
    for eps in (0.06, 0.1, 0.15):
        with torch.no_grad():
            acc_fgsm = (model(fgsm(model, x, y, eps)).argmax(-1) == y).double().mean()
            acc_pgd = (model(pgd_linf(model, x, y, eps)).argmax(-1) == y).double().mean()
        assert acc_pgd <= acc_fgsm


def test_random_signs_are_plus_or_minus_epsilon_and_seeded():
    x = torch.randn(4, 7, dtype=torch.float64)
    a = random_sign_perturbation(x, 0.25, torch.Generator().manual_seed(3))
    b = random_sign_perturbation(x, 0.25, torch.Generator().manual_seed(3))
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    torch.testing.assert_close((a - x).abs(), torch.full_like(x, 0.25))
    signs = torch.sign(a - x)
    assert (signs > 0).any() and (signs < 0).any()
