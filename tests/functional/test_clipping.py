"""Gradient-norm clipping against torch.nn.utils.clip_grad_norm_ and the rule done by hand."""

from __future__ import annotations

import math

import pytest
import torch

from refimpl.functional import clip_by_norm, clip_grad_norm_


def make_params(scale: float, seed: int = 0) -> list[torch.nn.Parameter]:
    gen = torch.Generator().manual_seed(seed)
    params = [
        torch.nn.Parameter(torch.randn(s, dtype=torch.float64, generator=gen))
        for s in [(3, 4), (5,), (2, 2, 2)]
    ]
    for p in params:
        p.grad = scale * torch.randn(p.shape, dtype=torch.float64, generator=gen)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize(("scale", "max_norm"), [(10.0, 1.0), (0.01, 1.0), (1.0, 0.5)])
def test_matches_torch(norm_type: float, scale: float, max_norm: float) -> None:
    ours, theirs = make_params(scale), make_params(scale)
    theirs[1].grad = None
    ours[1].grad = None
    n_ours = clip_grad_norm_(ours, max_norm, norm_type)
    n_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    torch.testing.assert_close(n_ours, n_theirs, rtol=1e-14, atol=0)
    for p, q in zip(ours, theirs, strict=True):
        if q.grad is None:
            assert p.grad is None
        else:
            torch.testing.assert_close(p.grad, q.grad, rtol=1e-14, atol=0)


def test_nonfinite_error_matches_torch() -> None:
    ours, theirs = make_params(1.0), make_params(1.0)
    ours[0].grad[0, 0] = theirs[0].grad[0, 0] = float("inf")
    with pytest.raises(RuntimeError) as err:
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    assert "non-finite" in str(err.value)


def test_pascanu_rule_by_hand() -> None:
    g = [torch.tensor([3.0, 0.0], dtype=torch.float64), torch.tensor([4.0], dtype=torch.float64)]
    clipped, norm = clip_by_norm(g, threshold=1.0)
    assert norm.item() == 5.0  # ‖(3, 0, 4)‖ = 5
    torch.testing.assert_close(clipped[0], torch.tensor([0.6, 0.0], dtype=torch.float64))
    torch.testing.assert_close(clipped[1], torch.tensor([0.8], dtype=torch.float64))
    assert g[0][0].item() == 3.0  # inputs untouched
    same, _ = clip_by_norm(g, threshold=5.0)  # ‖ĝ‖ ≥ c at equality: rescaled to norm 5 = itself
    torch.testing.assert_close(same[1], g[1])
    kept, _ = clip_by_norm(g, threshold=10.0)
    torch.testing.assert_close(kept[0], g[0], rtol=0, atol=0)
