"""State-space models: S4D (three discretisations) and the LRU (both scans)."""

from __future__ import annotations

import torch

from model_specs.spec import ModelSpec
from refimpl.nn import LRU, S4D


def sequence(dtype: torch.dtype, device: torch.device) -> tuple:
    return (torch.randn(2, 12, 3, dtype=dtype, device=device),)  # (B, L, H)


SPECS = [
    ModelSpec(
        id=f"s4d-{method}", build=lambda m=method: S4D(3, d_state=8, method=m), inputs=sequence
    )
    for method in ("euler", "zoh", "bilinear")
] + [
    ModelSpec(id=f"lru-{scan}", build=lambda s=scan: LRU(3, 5, r_min=0.5, scan=s), inputs=sequence)
    for scan in ("auto", "chunked", "parallel", "sequential")
]
