"""BPTT, truncated BPTT, RTRL, the Pascanu regulariser and recurrent inits, against autograd.

- hand-written BPTT equals autograd through `torch.nn.RNN` (float64, ≤1e-10);
- truncated BPTT with window k equals autograd through chunks whose carried state is detached;
- RTRL (forward mode) equals the BPTT gradient;
- Ω equals its definition computed with `torch.autograd.functional.jacobian` of one step;
- orthogonal and unitary matrices are, and preserve norms; spectral-radius scaling is exact.
"""

from __future__ import annotations

import pytest
import torch

from refimpl.functional import (
    elman_bptt,
    elman_states,
    random_orthogonal,
    random_unitary,
    rtrl_gradients,
    spectral_radius,
    vanishing_gradient_regularizer,
    with_spectral_radius,
)

T, B, I, H = 9, 3, 2, 4
F64 = torch.float64
TOL = {"rtol": 1e-10, "atol": 1e-12}


def problem(seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    rnn = torch.nn.RNN(I, H, bias=True).double()
    with torch.no_grad():
        rnn.bias_hh_l0.zero_()  # one bias, b = b_ih
        rnn.weight_hh_l0.copy_(torch.randn(H, H, generator=gen, dtype=F64) / H**0.5)
    x = torch.randn(T, B, I, generator=gen, dtype=F64)
    h0 = torch.randn(B, H, generator=gen, dtype=F64)
    C = torch.randn(T, B, H, generator=gen, dtype=F64)  # L = Σ_t <C_t, h_t> + ½‖h_T‖²
    return rnn, x, h0, C


def loss_of(out: torch.Tensor, C: torch.Tensor) -> torch.Tensor:
    return (out * C).sum() + 0.5 * (out[-1] ** 2).sum()


def weights(rnn):
    return rnn.weight_ih_l0.detach(), rnn.weight_hh_l0.detach(), rnn.bias_ih_l0.detach()


def direct_grads(hs: torch.Tensor, C: torch.Tensor) -> torch.Tensor:
    g = C.clone()
    g[-1] += hs[-1]
    return g


def test_bptt_matches_autograd():
    rnn, x, h0, C = problem()
    h0 = h0.clone().requires_grad_()
    out, _ = rnn(x, h0[None])
    loss_of(out, C).backward()
    W_ih, W_hh, b = weights(rnn)
    hs = elman_states(x, h0.detach(), W_ih, W_hh, b)
    torch.testing.assert_close(hs[1:], out.detach(), **TOL)
    dW_ih, dW_hh, db, dh0 = elman_bptt(x, hs, W_hh, direct_grads(hs[1:], C))
    torch.testing.assert_close(dW_ih, rnn.weight_ih_l0.grad, **TOL)
    torch.testing.assert_close(dW_hh, rnn.weight_hh_l0.grad, **TOL)
    torch.testing.assert_close(db, rnn.bias_ih_l0.grad, **TOL)
    torch.testing.assert_close(dh0, h0.grad, **TOL)


@pytest.mark.parametrize("k", [1, 2, 4, 9])
def test_truncated_bptt_matches_autograd_on_detached_chunks(k):
    rnn, x, h0, C = problem(1)
    h = h0[None]
    outs = []
    for start in range(0, T, k):  # the usual training loop: detach the carried state
        out, h = rnn(x[start : start + k], h.detach())
        outs.append(out)
    loss_of(torch.cat(outs), C).backward()
    W_ih, W_hh, b = weights(rnn)
    hs = elman_states(x, h0, W_ih, W_hh, b)
    dW_ih, dW_hh, db, _ = elman_bptt(x, hs, W_hh, direct_grads(hs[1:], C), truncation=k)
    torch.testing.assert_close(dW_ih, rnn.weight_ih_l0.grad, **TOL)
    torch.testing.assert_close(dW_hh, rnn.weight_hh_l0.grad, **TOL)
    torch.testing.assert_close(db, rnn.bias_ih_l0.grad, **TOL)


def test_rtrl_equals_bptt():
    rnn, x, h0, C = problem(2)
    W_ih, W_hh, b = weights(rnn)

    def loss_grad(t: int, h_t: torch.Tensor) -> torch.Tensor:
        return C[t - 1] + (h_t if t == T else 0)

    forward = rtrl_gradients(x, h0, W_ih, W_hh, b, loss_grad)
    hs = elman_states(x, h0, W_ih, W_hh, b)
    reverse = elman_bptt(x, hs, W_hh, direct_grads(hs[1:], C))[:3]
    for f, r in zip(forward, reverse, strict=True):
        torch.testing.assert_close(f, r, **TOL)


def test_regularizer_matches_its_definition():
    _, x, h0, _ = problem(3)
    gen = torch.Generator().manual_seed(5)
    W_ih = torch.randn(H, I, generator=gen, dtype=F64)
    W_hh = torch.randn(H, H, generator=gen, dtype=F64).requires_grad_()
    b = torch.zeros(H, dtype=F64)
    hs = elman_states(x, h0, W_ih, W_hh, b)[1:]  # h_1..h_T
    errors = torch.randn(T - 1, B, H, generator=gen, dtype=F64)
    omega = vanishing_gradient_regularizer(hs, W_hh, errors)
    expected = 0.0
    for k in range(T - 1):
        for n in range(B):
            J = torch.autograd.functional.jacobian(
                lambda h, k=k, n=n: torch.tanh(x[k + 1, n] @ W_ih.T + h @ W_hh.T + b),
                hs[k, n],
                create_graph=True,
            )  # ∂h_{k+1}/∂h_k
            v = errors[k, n]
            expected = expected + ((v @ J).norm() / v.norm() - 1) ** 2
    expected = expected / B
    torch.testing.assert_close(omega, expected, **TOL)
    # the errors are constants: Ω's gradient w.r.t. W_hh matches the definition's
    (g,) = torch.autograd.grad(omega, W_hh, retain_graph=True)
    (g_ref,) = torch.autograd.grad(expected, W_hh)
    torch.testing.assert_close(g, g_ref, **TOL)


def test_orthogonal_and_unitary_preserve_norms():
    gen = torch.Generator().manual_seed(0)
    Q = random_orthogonal(16, generator=gen, dtype=F64)
    torch.testing.assert_close(Q.T @ Q, torch.eye(16, dtype=F64), **TOL)
    U = random_unitary(16, generator=gen, dtype=torch.complex128)
    torch.testing.assert_close(U.conj().T @ U, torch.eye(16, dtype=torch.complex128), **TOL)
    torch.testing.assert_close(torch.linalg.eigvals(U).abs(), torch.ones(16, dtype=F64), **TOL)
    h = torch.randn(16, generator=gen, dtype=F64)
    torch.testing.assert_close((torch.linalg.matrix_power(Q, 50) @ h).norm(), h.norm(), **TOL)
    s = torch.linalg.svdvals(random_orthogonal(8, gain=1.5, generator=gen, dtype=F64))
    torch.testing.assert_close(s, torch.full((8,), 1.5, dtype=F64), **TOL)


def test_spectral_radius_scaling():
    W = torch.randn(10, 10, generator=torch.Generator().manual_seed(1), dtype=F64)
    torch.testing.assert_close(
        spectral_radius(with_spectral_radius(W, 0.9)), torch.tensor(0.9, dtype=F64)
    )
