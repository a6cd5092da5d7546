"""Sequence-model benchmarks: refimpl's recurrent layers against torch.nn, and the LRU's scans.

Run with ``python bench/sequence.py`` (the lead wires it into ``make bench``). Prints ratios:

- LSTM and GRU, forward + backward, refimpl against ``torch.nn`` on CPU (float32, batch 32,
  input 64, hidden 256, length 128). Targets: LSTM ≤ 1.5×, GRU ≤ 1.2×.
- The LRU's recurrence (B = 8, 256 complex states) at T = 1k, 4k and 16k: the chunked scan and
  the log-depth parallel scan against the sequential loop. ``LRU(scan="auto")`` uses the loop on
  a CPU (so the default is never slower than the loop there) and the parallel scan on a GPU,
  where the target is ≥ 10× faster than the loop at 16k. CUDA rows are printed when a GPU is
  present.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from refimpl.functional import associative_scan, chunked_scan, sequential_scan
from refimpl.nn import GRU, LSTM


def timed(fn: Callable[[], object], repeats: int, device: torch.device) -> float:
    """Median wall time of ``fn`` over ``repeats`` runs, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def recurrent_layers(repeats: int = 5) -> None:
    B, I, H, T = 32, 64, 256, 128
    print(f"LSTM/GRU forward+backward, CPU float32, B={B} I={I} H={H} T={T}")
    print(f"{'layer':6} {'torch.nn':>10} {'refimpl':>10} {'ratio':>7} {'target':>7}")
    x = torch.randn(T, B, I)
    for name, ours_cls, target in (("LSTM", LSTM, 1.5), ("GRU", GRU, 1.2)):
        ref = getattr(torch.nn, name)(I, H)
        ours = ours_cls.from_torch(ref)

        def step(model: torch.nn.Module) -> Callable[[], None]:
            def run() -> None:
                model.zero_grad(set_to_none=True)
                out, _ = model(x)
                out.sum().backward()

            return run

        t_ref = timed(step(ref), repeats, torch.device("cpu"))
        t_ours = timed(step(ours), repeats, torch.device("cpu"))
        print(f"{name:6} {t_ref * 1e3:8.1f}ms {t_ours * 1e3:8.1f}ms {t_ours / t_ref:6.2f}× "
              f"{'≤' + str(target):>7}")  # fmt: skip


def lru_scans(device: torch.device, lengths: tuple[int, ...] = (1024, 4096, 16384)) -> None:
    B, N = 8, 256
    print(f"LRU recurrence x_k = λ x_(k-1) + b_k, {device.type}, B={B} N={N} (complex64)")
    print(f"{'T':>6} {'loop':>10} {'chunked':>10} {'parallel':>10} {'loop/chunked':>13} "
          f"{'loop/parallel':>14}")  # fmt: skip
    for T in lengths:
        gen = torch.Generator().manual_seed(T)
        lam = torch.polar(0.9 + 0.09 * torch.rand(N, generator=gen), torch.rand(N, generator=gen))
        a = lam.expand(T, B, N).to(device)
        b = torch.randn(T, B, N, dtype=torch.complex64, generator=gen).to(device)
        repeats = 3 if T > 4096 else 5
        t_loop = timed(lambda a=a, b=b: sequential_scan(a, b), repeats, device)
        t_chunk = timed(lambda a=a, b=b: chunked_scan(a, b), repeats, device)
        t_par = timed(lambda a=a, b=b: associative_scan(a, b), repeats, device)
        print(f"{T:6d} {t_loop * 1e3:8.1f}ms {t_chunk * 1e3:8.1f}ms {t_par * 1e3:8.1f}ms "
              f"{t_loop / t_chunk:12.1f}× {t_loop / t_par:13.1f}×")  # fmt: skip


def main() -> None:
    torch.manual_seed(0)
    recurrent_layers()
    print()
    lru_scans(torch.device("cpu"))
    if torch.cuda.is_available():
        print()
        lru_scans(torch.device("cuda"))


if __name__ == "__main__":
    main()
