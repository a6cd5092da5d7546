"""Autoencoder: a trained linear autoencoder spans the principal subspace (Baldi and Hornik)."""

from __future__ import annotations

import torch

from refimpl.nn import Autoencoder


def test_linear_autoencoder_finds_the_principal_subspace():
    gen = torch.Generator().manual_seed(0)
    scales = torch.tensor([3.0, 2.0, 0.5, 0.2], dtype=torch.float64)
    Q, _ = torch.linalg.qr(torch.randn(4, 4, generator=gen, dtype=torch.float64))
    x = (torch.randn(400, 4, generator=gen, dtype=torch.float64) * scales) @ Q.T
    x = x - x.mean(0)
    torch.manual_seed(0)
    model = Autoencoder((4, 2), activation=None).double()
    opt = torch.optim.LBFGS(
        model.parameters(), max_iter=500, tolerance_grad=1e-12, line_search_fn="strong_wolfe"
    )

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = ((model(x)[0] - x) ** 2).sum(1).mean()
        loss.backward()
        return loss

    opt.step(closure)
    loss = closure()
    _, _, Vh = torch.linalg.svd(x, full_matrices=False)
    pca = Vh[:2].T  # (4, 2), the top two principal directions
    decoder_span, _ = torch.linalg.qr(model.decoder.weights[0].detach().T)  # (4, 2)
    # Same subspace: the projections onto the two spans agree.
    torch.testing.assert_close(decoder_span @ decoder_span.T, pca @ pca.T, rtol=0, atol=1e-4)
    pca_error = ((x - x @ pca @ pca.T) ** 2).sum(1).mean()
    torch.testing.assert_close(loss.detach(), pca_error, rtol=1e-6, atol=0)


def test_code_and_reconstruction_shapes():
    model = Autoencoder((5, 8, 3), "relu")
    reconstruction, code = model(torch.randn(7, 5))
    assert reconstruction.shape == (7, 5) and code.shape == (7, 3)
