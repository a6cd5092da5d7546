"""Softmax attention against linear attention as the sequence grows: times and the crossover.

Run with ``python bench/attention.py`` (meant for ``make bench``). One causal head of width
``d = 64``, batch 4, forward and backward, float32 on CPU (and on CUDA when there is one):

- *softmax*: ``refimpl.functional.scaled_dot_product_attention`` under the causal mask,
  $O(T^2 d)$;
- *linear*: ``refimpl.functional.linear_attention_chunked`` (chunk 64), $O(TCd + Td^2)$.

It prints the best-of-n time of each and their ratio for each length, and the shortest length from
which linear attention stays faster (the crossover; FLOP counts put it at $T = C + d = 128$, but
constant factors move it). No targets: the table is for reading.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from refimpl.functional import (
    causal_mask,
    elu_feature_map,
    linear_attention_chunked,
    scaled_dot_product_attention,
)

LENGTHS = (128, 256, 512, 1024, 2048, 4096)
BATCH, DIM, CHUNK = 4, 64, 64


def softmax_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    mask = causal_mask(q.shape[-2], device=q.device, dtype=q.dtype)
    return scaled_dot_product_attention(q, k, v, mask)[0]


def linear_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    return linear_attention_chunked(elu_feature_map(q), elu_feature_map(k), v, chunk_size=CHUNK)


def time_it(fn, length: int, device: torch.device, repeats: int) -> float:
    gen = torch.Generator(device="cpu").manual_seed(0)
    q, k, v = (
        torch.randn(BATCH, length, DIM, generator=gen).to(device).requires_grad_() for _ in range(3)
    )
    times = []
    for i in range(repeats + 1):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn(q, k, v).sum().backward()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if i > 0:  # the first run warms up
            times.append(time.perf_counter() - start)
    return min(times)


def run(device: torch.device) -> None:
    print(f"\nattention forward+backward, causal, B={BATCH}, d={DIM}, chunk={CHUNK}, {device}")
    print(f"{'T':>6} {'softmax ms':>11} {'linear ms':>10} {'softmax/linear':>15}")
    ratios = []
    for length in LENGTHS:
        repeats = 5 if length <= 1024 else 3
        t_soft = time_it(softmax_attention, length, device, repeats)
        t_lin = time_it(linear_attention, length, device, repeats)
        ratio = t_soft / t_lin
        ratios.append(ratio)
        print(f"{length:>6} {1e3 * t_soft:>11.2f} {1e3 * t_lin:>10.2f} {ratio:>15.2f}")
    # the crossover: the shortest length from which linear attention stays faster
    crossover = next((n for i, n in enumerate(LENGTHS) if all(r > 1.0 for r in ratios[i:])), None)
    where = f"T = {crossover}" if crossover else f"beyond T = {LENGTHS[-1]}"
    print(f"crossover (linear attention faster from): {where}")


def main() -> None:
    torch.manual_seed(0)
    run(torch.device("cpu"))
    if torch.cuda.is_available():
        run(torch.device("cuda"))


if __name__ == "__main__":
    main()
