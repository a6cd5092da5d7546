"""The contract every ``refimpl.nn`` model keeps, run over the registry in ``model_specs``.

- forward and backward in float64 and float32 give finite values, and every parameter a
  gradient;
- ``state_dict`` round-trips: a fresh model loading it computes the same output;
- where torch.nn has the same layer: ``from_torch`` copies its weights, keeps its ``state_dict``
  keys, and matches its output and gradients (inputs and parameters) in float64 to 1e-10;
- on CUDA (when there is one) the output equals the CPU output.
"""

from __future__ import annotations

import pytest
import torch
from model_specs import ModelSpec, all_specs

SPECS = all_specs()
CPU = torch.device("cpu")

if not SPECS:
    pytest.skip("no models registered yet", allow_module_level=True)


def by_id(specs: list[ModelSpec]) -> list:
    return [pytest.param(s, id=s.id) for s in specs]


def prepare(spec: ModelSpec, dtype: torch.dtype, device: torch.device = CPU):
    torch.manual_seed(0)
    model = spec.build().to(dtype=dtype, device=device)
    model.train(spec.train_mode)
    torch.manual_seed(1)
    inputs = spec.inputs(dtype, device)
    return model, inputs


def scalar_loss(output: torch.Tensor) -> torch.Tensor:
    """A loss with fixed random weights, so every output entry gets its own gradient."""
    gen = torch.Generator().manual_seed(123)
    weights = torch.randn(output.shape, generator=gen, dtype=torch.float64)
    return (output * weights.to(output.device, output.dtype)).sum()


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("spec", by_id(SPECS))
def test_forward_backward_finite(spec: ModelSpec, dtype: torch.dtype):
    model, inputs = prepare(spec, dtype)
    out = spec.output(model(*inputs))
    assert out.dtype == dtype
    assert torch.isfinite(out).all()
    scalar_loss(out).backward()
    for name, param in model.named_parameters():
        if not param.requires_grad or name in spec.unused_parameters:
            continue
        assert param.grad is not None, f"{name} got no gradient"
        assert torch.isfinite(param.grad).all(), name


@pytest.mark.parametrize("spec", by_id(SPECS))
def test_state_dict_round_trip(spec: ModelSpec):
    model, inputs = prepare(spec, torch.float64)
    torch.manual_seed(99)
    fresh = spec.build().to(torch.float64)
    fresh.train(spec.train_mode)
    fresh.load_state_dict(model.state_dict())
    torch.testing.assert_close(spec.output(fresh(*inputs)), spec.output(model(*inputs)))


COUNTERPARTS = [s for s in SPECS if s.torch_counterpart is not None]


@pytest.mark.parametrize("spec", by_id(COUNTERPARTS))
def test_from_torch_matches_torch(spec: ModelSpec):
    torch.manual_seed(0)
    reference = spec.torch_counterpart().double().train(spec.train_mode)
    ours = type(spec.build()).from_torch(reference).double().train(spec.train_mode)
    assert type(ours).__module__.startswith("refimpl.")
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: v.shape for k, v in reference.state_dict().items()
    }
    torch.manual_seed(1)
    inputs = spec.inputs(torch.float64, CPU)
    inputs_ref = tuple(
        x.detach().clone().requires_grad_(x.is_floating_point()) if torch.is_tensor(x) else x
        for x in inputs
    )
    inputs_ours = tuple(
        x.detach().clone().requires_grad_(x.is_floating_point()) if torch.is_tensor(x) else x
        for x in inputs
    )
    out_ref = spec.output(reference(*inputs_ref))
    out_ours = spec.output(ours(*inputs_ours))
    torch.testing.assert_close(out_ours, out_ref, rtol=1e-10, atol=1e-12)
    scalar_loss(out_ref).backward()
    scalar_loss(out_ours).backward()
    for x_ours, x_ref in zip(inputs_ours, inputs_ref, strict=True):
        if torch.is_tensor(x_ref) and x_ref.grad is not None:
            torch.testing.assert_close(x_ours.grad, x_ref.grad, rtol=1e-10, atol=1e-12)
    ours_params = dict(ours.named_parameters())
    for name, param in reference.named_parameters():
        if param.grad is None:
            continue
        torch.testing.assert_close(
            ours_params[name].grad, param.grad, rtol=1e-10, atol=1e-12, msg=name
        )


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("spec", by_id(SPECS))
def test_cuda_matches_cpu(spec: ModelSpec):
    model, inputs = prepare(spec, torch.float64)
    expected = spec.output(model(*inputs))
    cuda = torch.device("cuda")
    model = model.to(cuda)
    moved = tuple(x.to(cuda) if torch.is_tensor(x) else x for x in inputs)
    torch.testing.assert_close(spec.output(model(*moved)).cpu(), expected)
