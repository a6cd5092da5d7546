"""Sequence-model benchmarks: refimpl's recurrent layers against torch.nn, and the LRU's scans.

Run with ``python bench/sequence.py [runs] [--layers] [--threads=N]`` (the lead wires it into
``make bench``; ``--layers`` skips the LRU; the layers run with torch's default thread count and
again with one, unless ``--threads`` sets one count). The CPU may be shared, so every comparison
*interleaves* the contenders (ours, torch, ours, torch, …) and reports medians; the whole
benchmark is repeated ``runs`` times (default 1) and every run is printed. It prints ratios
against targets:

- LSTM and GRU, forward + backward, refimpl against ``torch.nn`` on CPU (float32, batch 32,
  input 64, hidden 256, length 128). Targets: LSTM ≤ 1.5×, GRU ≤ 1.2×. The ratio is the
  median of the per-pair ratios, the times are medians.
- The LRU's hidden states (``LRU.states``, B = 8, 256 complex states) at T = 1k, 4k and 16k
  with the sequential loop, the chunked scan, the log-depth parallel scan, and the module's
  default ``scan="auto"`` (the loop on a CPU, the parallel scan on a GPU). Target on a CPU:
  the default is never slower than the better of the two loops (sequential, chunked), up to
  timing noise (on a CPU the default *is* the sequential loop); on a GPU the parallel scan
  should be ≥ 10× faster than the loop at 16k. CUDA rows are printed when a GPU is present.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from refimpl.nn import GRU, LRU, LSTM


def interleaved(
    fns: dict[str, Callable[[], object]], repeats: int, device: torch.device
) -> dict[str, list[float]]:
    """Wall times of every function, run in turn ``repeats`` times after one warm-up each.

    The order rotates from one round to the next, so that no contender always runs right after
    the same other one (what a function leaves behind, in caches or the allocator, is shared).
    """
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for k in range(repeats):
        for name in names[k % len(names) :] + names[: k % len(names)]:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
            fns[name]()
            if device.type == "cuda":
                torch.cuda.synchronize()
            times[name].append(time.perf_counter() - start)
    return times


def recurrent_layers(repeats: int = 16) -> dict[str, float]:
    B, I, H, T = 32, 64, 256, 128
    print(f"LSTM/GRU forward+backward, CPU float32, B={B} I={I} H={H} T={T}, "
          f"{torch.get_num_threads()} threads, {repeats} interleaved pairs")  # fmt: skip
    print(f"{'layer':6} {'torch.nn':>10} {'refimpl':>10} {'ratio':>7} {'target':>7}")
    x = torch.randn(T, B, I)
    ratios = {}
    for name, ours_cls, target in (("LSTM", LSTM, 1.5), ("GRU", GRU, 1.2)):
        ref = getattr(torch.nn, name)(I, H)
        ours = ours_cls.from_torch(ref)

        def step(model: torch.nn.Module) -> Callable[[], None]:
            def run() -> None:
                model.zero_grad(set_to_none=True)
                out, _ = model(x)
                out.sum().backward()

            return run

        times = interleaved({"torch": step(ref), "ours": step(ours)}, repeats, torch.device("cpu"))
        t_ref, t_ours = statistics.median(times["torch"]), statistics.median(times["ours"])
        ratio = statistics.median(o / r for o, r in zip(times["ours"], times["torch"], strict=True))
        ratios[name] = ratio
        ok = "ok" if ratio <= target else "MISSED"
        print(f"{name:6} {t_ref * 1e3:8.1f}ms {t_ours * 1e3:8.1f}ms {ratio:6.2f}× "
              f"{'≤' + str(target):>7} {ok}")  # fmt: skip
    return ratios


def lru_states(model: LRU, scan: str, u: torch.Tensor) -> torch.Tensor:
    """The LRU's hidden states computed with ``scan`` (``"auto"``: the module's default)."""
    model.scan = scan
    with torch.no_grad():
        return model.states(u)


def lru_scans(device: torch.device, lengths: tuple[int, ...] = (1024, 4096, 16384)) -> None:
    B, N, H = 8, 256, 16
    print(f"LRU hidden states x_k = λ x_(k-1) + γ B u_k, {device.type}, B={B} N={N} (complex64), "
          "default = LRU(scan='auto')")  # fmt: skip
    print(f"{'T':>6} {'loop':>9} {'chunked':>9} {'parallel':>9} {'default':>9} "
          f"{'loop/par':>9} {'default/best loop':>18}")  # fmt: skip
    torch.manual_seed(0)
    model = LRU(H, N, r_min=0.9, r_max=0.999, device=device)
    for T in lengths:
        u = torch.randn(B, T, H, device=device)
        fns = {
            name: partial(lru_states, model, scan, u)
            for name, scan in (
                ("loop", "sequential"),
                ("chunked", "chunked"),
                ("parallel", "parallel"),
                ("default", "auto"),
            )
        }
        times = interleaved(fns, 4 if T > 4096 else 8, device)
        t = {name: statistics.median(ts) for name, ts in times.items()}
        best_loop = min(t["loop"], t["chunked"])
        print(f"{T:6d} {t['loop'] * 1e3:7.1f}ms {t['chunked'] * 1e3:7.1f}ms "
              f"{t['parallel'] * 1e3:7.1f}ms {t['default'] * 1e3:7.1f}ms "
              f"{t['loop'] / t['parallel']:8.2f}× {t['default'] / best_loop:17.2f}×")  # fmt: skip


def main() -> None:
    args = sys.argv[1:]
    layers_only = "--layers" in args  # skip the LRU part
    threads = next((a.split("=")[1] for a in args if a.startswith("--threads=")), None)
    # torch's default thread count, then one thread (steadier on a busy, shared machine)
    settings = [int(threads)] if threads else [torch.get_num_threads(), 1]
    runs = int(next((a for a in args if a.isdigit()), "1"))
    all_ratios: dict[int, list[dict[str, float]]] = {n: [] for n in settings}
    for run in range(runs):
        print(f"== run {run + 1} of {runs}")
        for n in settings:
            torch.set_num_threads(n)
            torch.manual_seed(0)
            all_ratios[n].append(recurrent_layers())
        torch.set_num_threads(settings[0])
        if layers_only:
            continue
        print()
        lru_scans(torch.device("cpu"))
        if torch.cuda.is_available():
            print()
            lru_scans(torch.device("cuda"))
        print()
    for n, ratios in all_ratios.items():
        for name in ratios[0]:
            print(f"{name}, {n} thread(s): ratio over the runs "
                  + ", ".join(f"{r[name]:.2f}×" for r in ratios))  # fmt: skip


if __name__ == "__main__":
    main()
