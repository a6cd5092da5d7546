"""ConvRBM against brute-force enumeration on a tiny model and torch's convolutions."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F

from refimpl.nn import ConvRBM
from refimpl.nn.crbm import _full_conv


def _model(K: int, C: int, seed: int = 0) -> ConvRBM:
    torch.manual_seed(seed)
    m = ConvRBM(K, 2, pool_size=C).double()
    with torch.no_grad():
        m.weight.normal_(0, 1.0)
        m.hidden_bias.normal_(0, 0.5)
        m.visible_bias.fill_(-0.3)
    return m


def _hidden_states(K: int, C: int) -> torch.Tensor:
    """Every allowed hidden configuration `(S, K, 2, 2)` of a 3x3 image and 2x2 filters."""
    states = []
    for bits in itertools.product([0.0, 1.0], repeat=4 * K):
        h = torch.tensor(bits, dtype=torch.float64).reshape(K, 2, 2)
        # with C = 2 each group is one block: at most one unit on
        if C == 1 or (h.sum((1, 2)) <= 1).all():
            states.append(h)
    return torch.stack(states)


def _brute_energy(m: ConvRBM, v: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """E(v, h) written out with explicit loops over positions."""
    K = h.shape[0]
    e = -m.visible_bias * v.sum()
    for k, i, j in itertools.product(range(K), range(2), range(2)):
        patch = v[0, i : i + 2, j : j + 2]
        e = e - h[k, i, j] * ((m.weight[k, 0] * patch).sum() + m.hidden_bias[k])
    return e


VISIBLE = torch.tensor(list(itertools.product([0.0, 1.0], repeat=9)), dtype=torch.float64).reshape(
    -1, 1, 3, 3
)


@pytest.mark.parametrize(("K", "C"), [(1, 1), (2, 1), (2, 2)])
def test_free_energy_and_conditionals_match_enumeration(K: int, C: int) -> None:
    m = _model(K, C)
    H = _hidden_states(K, C)
    with torch.no_grad():
        v = VISIBLE[torch.randperm(512)[:5]]
        F_model = m.free_energy(v)
        P_h, P_pool = m.hidden_probs(v)
        for b in range(v.shape[0]):
            energies = torch.stack([_brute_energy(m, v[b], h) for h in H])
            torch.testing.assert_close(m.energy(v[b : b + 1].expand(len(H), 1, 3, 3), H), energies)
            # F(v) = -log sum_h exp(-E(v, h))
            torch.testing.assert_close(F_model[b], -torch.logsumexp(-energies, 0))
            post = torch.softmax(-energies, 0)  # P(h | v) over the allowed states
            torch.testing.assert_close(P_h[b], (post[:, None, None, None] * H).sum(0))
            if C == 2:
                pooled = (post[:, None] * H.amax((2, 3))).sum(0)  # P(p^k = 1 | v)
                torch.testing.assert_close(P_pool[b, :, 0, 0], pooled)


def test_visible_conditional_matches_enumeration() -> None:
    m = _model(2, 2)
    h = _hidden_states(2, 2)[7:8]
    with torch.no_grad():
        p = m.visible_probs(h)[0, 0]
        for i, j in itertools.product(range(3), range(3)):
            v0 = torch.zeros(1, 3, 3, dtype=torch.float64)
            v1 = v0.clone()
            v1[0, i, j] = 1.0
            # P(v_ij = 1 | h) from the energies of the two states differing only in v_ij
            ratio = _brute_energy(m, v0, h[0]) - _brute_energy(m, v1, h[0])
            torch.testing.assert_close(p[i, j], torch.sigmoid(ratio))


def test_convolutions_match_torch() -> None:
    torch.manual_seed(1)
    w, v, h = torch.randn(3, 1, 4, 4), torch.randn(2, 1, 9, 9), torch.randn(2, 3, 6, 6)
    m = ConvRBM(3, 4)
    with torch.no_grad():
        m.weight.copy_(w)
        m.hidden_bias.copy_(torch.randn(3))
        torch.testing.assert_close(m.hidden_input(v), F.conv2d(v, w, m.hidden_bias))
    torch.testing.assert_close(_full_conv(h, w), F.conv_transpose2d(h, w))


def test_free_energy_grad_matches_autograd() -> None:
    m = _model(2, 2)
    v = VISIBLE[torch.randperm(512)[:6]]
    analytic = m.free_energy_grad(v)
    m.free_energy(v).mean().backward()
    for name, p in m.named_parameters():
        torch.testing.assert_close(analytic[name], p.grad)


def test_exact_likelihood_gradient_and_cd_limit() -> None:
    """grad F(data) - E_model[grad F] is the exact gradient of the negative log-likelihood."""
    m = _model(2, 2)
    v = VISIBLE[torch.randperm(512)[:4]]
    log_p = -m.free_energy(v) - torch.logsumexp(-m.free_energy(VISIBLE), 0)
    (-log_p.mean()).backward()
    with torch.no_grad():
        p_model = torch.softmax(-m.free_energy(VISIBLE), 0)
        pos = m.free_energy_grad(v)
        # E_model[grad F(v)], exact: weight each visible state's gradient by P(v)
        neg = {name: 0.0 for name in pos}
        for s in range(512):
            g = m.free_energy_grad(VISIBLE[s : s + 1])
            neg = {name: neg[name] + p_model[s] * g[name] for name in neg}
        # a long Gibbs chain's CD gradient approaches the exact one
        gen = torch.Generator().manual_seed(0)
        cd = m.cd_grad(v.repeat(2000, 1, 1, 1), steps=30, generator=gen)
    for name, p in m.named_parameters():
        torch.testing.assert_close(pos[name] - neg[name], p.grad)
        torch.testing.assert_close(cd[name], p.grad, atol=0.08, rtol=0.0)


def test_sampling_respects_pooling_and_frequencies() -> None:
    m = _model(2, 2)
    v = VISIBLE[100:101].repeat(20000, 1, 1, 1)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        h = m.sample_hidden(v, gen)
        assert h.sum((2, 3)).max() <= 1  # at most one unit on per block
        torch.testing.assert_close(h.mean(0), m.hidden_probs(v[:1])[0][0], atol=0.015, rtol=0)


def test_bar_images_are_binary_strokes() -> None:
    from refimpl.experiments.crbm import bar_images

    x = bar_images(50, seed=3)
    assert x.shape == (50, 1, 16, 16)
    assert set(x.unique().tolist()) <= {0.0, 1.0}
    # two strokes of 15 sample points each: at most 30 pixels on, and never an empty image
    on = x.sum((1, 2, 3))
    assert on.min() >= 3 and on.max() <= 30
    torch.testing.assert_close(x, bar_images(50, seed=3))
