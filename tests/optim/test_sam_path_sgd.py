"""SAM against its two-step formula; Path-SGD against brute-force path sums and rescalings."""

from __future__ import annotations

import copy
import itertools

import pytest
import torch

from refimpl.functional import path_norm, path_sgd_scales, sam_perturbation
from refimpl.optim import SAM, PathSGD

DT = torch.float64


def problem(seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(20, 3, generator=gen, dtype=DT)
    y = torch.randn(20, 2, generator=gen, dtype=DT)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 5),
        torch.nn.ReLU(),
        torch.nn.Linear(5, 4),
        torch.nn.ReLU(),
        torch.nn.Linear(4, 2),
    ).double()
    return model, X, y


def loss_at(model: torch.nn.Module, flat: torch.Tensor, X: torch.Tensor, y: torch.Tensor):
    params = dict(model.named_parameters())
    shapes, out, i = {k: v.shape for k, v in params.items()}, {}, 0
    for k, s in shapes.items():
        out[k] = flat[i : i + s.numel()].view(s)
        i += s.numel()
    return ((torch.func.functional_call(model, out, (X,)) - y) ** 2).mean()


# --- SAM ---------------------------------------------------------------------------------


@pytest.mark.parametrize("adaptive", [False, True])
def test_sam_with_sgd_equals_the_two_step_formula(adaptive: bool) -> None:
    model, X, y = problem()
    w = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    lr, rho = 0.1, 0.2
    f = lambda v: loss_at(model, v, X, y)  # noqa: E731
    g = torch.func.grad(f)(w)
    if adaptive:
        e = rho * w**2 * g / (w.abs() * g).norm()
    else:
        e = rho * g / g.norm()
    expected = w - lr * torch.func.grad(f)(w + e)

    opt = SAM(model.parameters(), torch.optim.SGD, rho=rho, adaptive=adaptive, lr=lr)

    def closure():
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        return loss

    loss = opt.step(closure)
    got = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-14)
    assert loss.item() == pytest.approx(f(w).item(), rel=1e-12)


def test_sam_with_adam_feeds_adam_the_perturbed_gradient() -> None:
    model, X, y = problem(1)
    ref = copy.deepcopy(model)
    opt = SAM(model.parameters(), torch.optim.Adam, rho=0.05, lr=0.01, betas=(0.8, 0.99))
    adam = torch.optim.Adam(ref.parameters(), lr=0.01, betas=(0.8, 0.99))
    for _ in range(5):
        w = torch.cat([p.detach().reshape(-1) for p in ref.parameters()])
        f = lambda v: loss_at(ref, v, X, y)  # noqa: E731
        g = torch.func.grad(f)(w)
        g_sam = torch.func.grad(f)(w + 0.05 * g / g.norm())
        i = 0
        for p in ref.parameters():
            p.grad = g_sam[i : i + p.numel()].view_as(p).clone()
            i += p.numel()
        adam.step()

        def closure():
            loss = ((model(X) - y) ** 2).mean()
            loss.backward()
            return loss

        opt.step(closure)
    for p, q in zip(model.parameters(), ref.parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=1e-10, atol=1e-12)
    assert set(opt.state_dict()["param_groups"][0]) >= {"rho", "adaptive", "lr", "betas"}


def test_sam_perturbation_has_length_rho_and_zero_for_zero_gradient() -> None:
    gs = [torch.randn(3, 2, dtype=DT), torch.randn(4, dtype=DT)]
    eps = sam_perturbation([torch.ones(3, 2, dtype=DT), torch.ones(4, dtype=DT)], gs, rho=0.3)
    assert torch.cat([e.reshape(-1) for e in eps]).norm().item() == pytest.approx(0.3)
    zero = sam_perturbation([torch.ones(2)], [torch.zeros(2)], rho=0.3)
    assert torch.equal(zero[0], torch.zeros(2))


def test_sam_with_rho_zero_is_the_base_optimizer() -> None:
    model, X, y = problem(2)
    ref = copy.deepcopy(model)
    opt = SAM(model.parameters(), torch.optim.SGD, rho=0.0, lr=0.05, momentum=0.9)
    sgd = torch.optim.SGD(ref.parameters(), lr=0.05, momentum=0.9)
    for _ in range(10):
        opt.step(lambda: ((model(X) - y) ** 2).mean().backward() or ((model(X) - y) ** 2).mean())
        sgd.zero_grad()
        ((ref(X) - y) ** 2).mean().backward()
        sgd.step()
    for p, q in zip(model.parameters(), ref.parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=1e-12, atol=1e-14)
    with pytest.raises(RuntimeError, match="closure"):
        opt.step()


# --- Path-SGD ----------------------------------------------------------------------------


def brute_force_kappa(weights: list[torch.Tensor]) -> list[torch.Tensor]:
    """κ_e by enumerating every input→output path of a bias-free network."""
    sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
    kappa = [torch.zeros_like(W) for W in weights]
    for path in itertools.product(*(range(s) for s in sizes)):
        sq = [weights[l][path[l + 1], path[l]] ** 2 for l in range(len(weights))]
        for l in range(len(weights)):
            others = torch.prod(torch.stack(sq[:l] + sq[l + 1 :])) if len(sq) > 1 else 1.0
            kappa[l][path[l + 1], path[l]] += others
    return kappa


def test_path_scales_equal_the_sum_over_paths() -> None:
    gen = torch.Generator().manual_seed(0)
    weights = [torch.randn(s, generator=gen, dtype=DT) for s in ((3, 2), (4, 3), (2, 4))]
    kappa_W, _ = path_sgd_scales(weights, [None, None, None])
    for got, expected in zip(kappa_W, brute_force_kappa(weights), strict=True):
        torch.testing.assert_close(got, expected, rtol=1e-12, atol=0)
    # the squared path norm is the sum over paths of the products of squared weights
    total = sum(
        torch.prod(torch.stack([weights[l][p[l + 1], p[l]] ** 2 for l in range(3)]))
        for p in itertools.product(range(2), range(3), range(4), range(2))
    )
    assert path_norm(weights, [None] * 3).item() ** 2 == pytest.approx(total.item(), rel=1e-12)


def rescale(model: torch.nn.Module, layer: int, unit: int, c: float) -> torch.nn.Module:
    """Multiply hidden unit `unit`'s incoming weights and bias by c, its outgoing weights by 1/c."""
    out = copy.deepcopy(model)
    linears = [m for m in out if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        linears[layer].weight[unit] *= c
        linears[layer].bias[unit] *= c
        linears[layer + 1].weight[:, unit] /= c
    return out


def test_path_sgd_is_invariant_to_node_rescaling() -> None:
    model, X, y = problem(3)
    scaled = rescale(rescale(model, 0, 2, 7.0), 1, 1, 0.2)
    torch.testing.assert_close(scaled(X), model(X))  # same function
    weights = lambda m: [l.weight for l in m if isinstance(l, torch.nn.Linear)]  # noqa: E731
    biases = lambda m: [l.bias for l in m if isinstance(l, torch.nn.Linear)]  # noqa: E731
    torch.testing.assert_close(
        path_norm(weights(scaled), biases(scaled)), path_norm(weights(model), biases(model))
    )
    for net in (model, scaled):
        opt = PathSGD(net, lr=0.05)
        for _ in range(5):
            opt.zero_grad()
            ((net(X) - y) ** 2).mean().backward()
            opt.step()
    # after the steps the two networks are still rescalings of each other
    expected = rescale(rescale(model, 0, 2, 7.0), 1, 1, 0.2)
    for p, q in zip(scaled.parameters(), expected.parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(scaled(X), model(X))


def test_sgd_is_not_invariant_to_node_rescaling() -> None:
    model, X, y = problem(3)
    scaled = rescale(model, 0, 2, 7.0)
    for net in (model, scaled):
        opt = torch.optim.SGD(net.parameters(), lr=0.05)
        opt.zero_grad()
        ((net(X) - y) ** 2).mean().backward()
        opt.step()
    assert (scaled(X) - model(X)).abs().max() > 1e-4


def test_path_sgd_rejects_other_parameters() -> None:
    with pytest.raises(ValueError, match="Linear layers only"):
        PathSGD(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.LayerNorm(2)))


def test_sam_gradient_at_the_perturbed_point_matches_finite_differences() -> None:
    model, X, y = problem(4)
    opt = SAM(model.parameters(), torch.optim.SGD, rho=0.3, lr=0.1)
    ((model(X) - y) ** 2).mean().backward()
    opt.first_step(zero_grad=True)  # now at w + ε̂
    ((model(X) - y) ** 2).mean().backward()
    w_eps = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    g = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    h = 1e-6
    for i in (0, 7, 20, len(w_eps) - 1):
        e = torch.zeros_like(w_eps)
        e[i] = h
        fd = (loss_at(model, w_eps + e, X, y) - loss_at(model, w_eps - e, X, y)) / (2 * h)
        assert g[i].item() == pytest.approx(fd.item(), rel=1e-6, abs=1e-9)
    start = [s["old_p"] for s in opt.state.values()]
    opt.second_step()
    # the base step starts from w, not from w + ε̂
    for p, w0, gi in zip(model.parameters(), start, _split(g, model), strict=True):
        torch.testing.assert_close(p.detach(), w0 - 0.1 * gi)


def _split(flat: torch.Tensor, model: torch.nn.Module) -> list[torch.Tensor]:
    out, i = [], 0
    for p in model.parameters():
        out.append(flat[i : i + p.numel()].view_as(p))
        i += p.numel()
    return out


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_sam_and_path_sgd_on_cuda_match_cpu() -> None:
    model, X, y = problem(5)
    for make in (
        lambda m: SAM(m.parameters(), torch.optim.SGD, rho=0.1, lr=0.05),
        lambda m: PathSGD(m, lr=0.05),
    ):
        results = []
        for device in ("cpu", "cuda"):
            net = copy.deepcopy(model).to(device)
            Xd, yd = X.to(device), y.to(device)
            opt = make(net)

            def closure(net=net, Xd=Xd, yd=yd, opt=opt):
                opt.zero_grad()
                loss = ((net(Xd) - yd) ** 2).mean()
                loss.backward()
                return loss

            for _ in range(3):
                opt.step(closure)
            results.append(torch.cat([p.detach().cpu().reshape(-1) for p in net.parameters()]))
        torch.testing.assert_close(results[1], results[0], rtol=1e-9, atol=1e-12)
