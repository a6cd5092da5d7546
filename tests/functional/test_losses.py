"""The cost functions against torch.nn.functional, and % correct by hand."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from refimpl.experiments import losses as curves
from refimpl.functional import accuracy, cross_entropy, l1_loss, mse_loss


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses_match_torch(reduction: str) -> None:
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(6, 3, generator=gen, dtype=torch.float64, requires_grad=True)
    b = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    for ours, theirs in ((mse_loss, F.mse_loss), (l1_loss, F.l1_loss)):
        x, y = ours(a, b, reduction), theirs(a, b, reduction=reduction)
        torch.testing.assert_close(x, y)
        (gx,) = torch.autograd.grad(x.sum(), a)
        (gy,) = torch.autograd.grad(y.sum(), a)
        torch.testing.assert_close(gx, gy)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_torch_even_for_huge_logits(reduction: str) -> None:
    gen = torch.Generator().manual_seed(1)
    z = 50 * torch.randn(8, 5, generator=gen, dtype=torch.float64)
    z[0, 2] = 1e4  # would overflow exp without the shift
    z.requires_grad_(True)
    y = torch.randint(5, (8,), generator=gen)
    ours, theirs = cross_entropy(z, y, reduction), F.cross_entropy(z, y, reduction=reduction)
    torch.testing.assert_close(ours, theirs)
    (g1,) = torch.autograd.grad(ours.sum(), z)
    (g2,) = torch.autograd.grad(theirs.sum(), z)
    torch.testing.assert_close(g1, g2)


def test_accuracy_by_hand_and_bad_reduction() -> None:
    z = torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.5], [0.2, 0.1]])
    assert accuracy(z, torch.tensor([0, 1, 1, 1])).item() == pytest.approx(50.0)
    with pytest.raises(ValueError, match="reduction"):
        mse_loss(z, z, reduction="average")


def test_curves_are_the_closed_forms() -> None:
    reg = curves.regression_curves()
    r = reg["residual"]
    torch.testing.assert_close(torch.as_tensor(reg["mse"]), torch.as_tensor(r**2))
    torch.testing.assert_close(torch.as_tensor(reg["mse_grad"]), torch.as_tensor(2 * r))
    cls = curves.classification_curves()
    m = torch.as_tensor(cls["margin"])
    # cross-entropy of the correct class with logits (0, m): log(1 + e^{−m}), in bits
    torch.testing.assert_close(
        torch.as_tensor(cls["cross_entropy_bits"]),
        torch.log1p(torch.exp(-m)) / torch.log(torch.tensor(2.0, dtype=m.dtype)),
    )
    assert ((cls["error"] == 1) == (cls["margin"] <= 0)).all()
    assert (cls["cross_entropy_bits"] >= cls["error"]).all()  # an upper bound on the 0-1 error
