"""Optimizer step time: refimpl.optim against torch.optim, and the memory-bandwidth floor.

Run with ``python bench/optim.py`` (``make bench`` once the lead adds it). For SGD with momentum,
Adam and RMSprop it times one ``step()`` on 10M float32 parameters in 20 tensors, on CUDA when
available (else CPU), for:

- *torch*: ``torch.optim.<Name>(foreach=True)``, torch's multi-tensor implementation (its
  default on CUDA);
- *ours*: ``refimpl.optim.<Name>`` with its default ``foreach`` path;
- *ours, per tensor*: ``foreach=False``, the plain reference loop;
- *ours, compiled* (with ``--compile``): ``torch.compile`` of the same pure step function.

The floor is the time to move the bytes a fused kernel must read and write (parameters,
gradients and state, each once) at the copy bandwidth measured on the same device. Targets
(issue 4): ours/torch ≤ 1.0 for SGD, Adam and RMSprop; compiled ≤ 1.3 × floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from refimpl import optim
from refimpl.functional import adam_step, rmsprop_step, sgd_step

NUM_PARAMS = 10_000_000
NUM_TENSORS = 20
FLOAT_BYTES = 4

#: name -> (torch class, our class, kwargs, tensors read + written per element by a fused kernel)
CASES = {
    "SGD": (torch.optim.SGD, optim.SGD, {"lr": 0.01, "momentum": 0.9}, 5),  # r: θ g b, w: θ b
    "Adam": (torch.optim.Adam, optim.Adam, {"lr": 1e-3}, 7),  # r: θ g m v, w: θ m v
    "RMSprop": (torch.optim.RMSprop, optim.RMSprop, {"lr": 1e-3}, 5),  # r: θ g s, w: θ s
}


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def timeit(fn: Callable[[], None], device: torch.device, repeats: int, inner: int) -> float:
    """Median seconds per call of ``fn`` over ``repeats`` batches of ``inner`` calls."""
    for _ in range(3):
        fn()
    sync(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        sync(device)
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def timeit_interleaved(
    fns: dict[str, Callable[[], object]], device: torch.device, repeats: int, inner: int
) -> dict[str, float]:
    """Median seconds per call of each function, timed in turns so that a change in the load of
    a shared machine affects all of them alike (the ratios are what the bench reports)."""
    for fn in fns.values():
        for _ in range(3):
            fn()
    sync(device)
    times: dict[str, list[float]] = {name: [] for name in fns}
    for r in range(repeats):
        names = list(fns)
        names = names[r % len(names) :] + names[: r % len(names)]  # rotate who goes first
        for name in names:
            start = time.perf_counter()
            for _ in range(inner):
                fns[name]()
            sync(device)
            times[name].append((time.perf_counter() - start) / inner)
    return {name: statistics.median(t) for name, t in times.items()}


def make_params(device: torch.device) -> list[torch.nn.Parameter]:
    gen = torch.Generator().manual_seed(0)
    size = NUM_PARAMS // NUM_TENSORS
    params = []
    for _ in range(NUM_TENSORS):
        p = torch.nn.Parameter(torch.randn(size, generator=gen).to(device))
        p.grad = 1e-3 * torch.randn(size, generator=gen).to(device)
        params.append(p)
    return params


def copy_bandwidth(device: torch.device, repeats: int) -> float:
    """Bytes per second of ``dst.copy_(src)`` on 64M float32 (read + write counted)."""
    src = torch.randn(64 * 2**20, device=device)
    dst = torch.empty_like(src)
    seconds = timeit(lambda: dst.copy_(src), device, repeats, 5)
    return 2 * src.numel() * FLOAT_BYTES / seconds


def compiled_step(name: str, opt: torch.optim.Optimizer) -> Callable[[], None]:
    """``torch.compile`` of our pure step function on the optimizer's (initialised) state."""
    params = opt.param_groups[0]["params"]
    grads = [p.grad for p in params]
    state = [opt.state[p] for p in params]
    if name == "SGD":
        bufs = [s["momentum_buffer"] for s in state]
        fn = torch.compile(
            lambda: sgd_step(params, grads, bufs, lr=0.01, momentum=0.9, foreach=False)
        )
    elif name == "Adam":
        fn = torch.compile(
            lambda: adam_step(
                params,
                grads,
                [s["exp_avg"] for s in state],
                [s["exp_avg_sq"] for s in state],
                [None] * len(params),
                [s["step"] for s in state],
                lr=1e-3,
                foreach=False,
            )
        )
    else:
        fn = torch.compile(
            lambda: rmsprop_step(
                params,
                grads,
                [s["square_avg"] for s in state],
                [None] * len(params),
                [None] * len(params),
                [s["step"] for s in state],
                lr=1e-3,
                foreach=False,
            )
        )
    return fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--inner", type=int, default=10)
    parser.add_argument("--compile", action="store_true", help="also time torch.compile")
    args = parser.parse_args()
    device = torch.device(args.device)
    torch.set_grad_enabled(False)

    bandwidth = copy_bandwidth(device, args.repeats)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"optimizer step, {NUM_PARAMS / 1e6:.0f}M float32 parameters in {NUM_TENSORS} tensors")
    print(f"device: {name}; copy bandwidth {bandwidth / 1e9:.1f} GB/s\n")
    header = f"{'':8} {'torch ms':>9} {'ours ms':>8} {'ours/torch':>10} {'per-tensor/torch':>16}"
    header += f" {'floor ms':>9} {'ours/floor':>10}"
    if args.compile:
        header += f" {'compiled ms':>11} {'compiled/floor':>14}"
    print(header)
    for case, (torch_cls, our_cls, kwargs, tensors_moved) in CASES.items():
        steps: dict[str, Callable[[], object]] = {}
        keep = []
        for label, make in (
            ("torch", lambda p, c=torch_cls, kw=kwargs: c(p, foreach=True, **kw)),
            ("ours", lambda p, c=our_cls, kw=kwargs: c(p, **kw)),
            ("plain", lambda p, c=our_cls, kw=kwargs: c(p, foreach=False, **kw)),
        ):
            opt = make(make_params(device))
            keep.append(opt)
            steps[label] = opt.step
            if label == "ours" and args.compile:
                opt.step()  # create the state the compiled function reads
                steps["compiled"] = compiled_step(case, opt)
        row = timeit_interleaved(steps, device, args.repeats, args.inner)
        del keep, steps
        floor = tensors_moved * NUM_PARAMS * FLOAT_BYTES / bandwidth
        line = f"{case:8} {row['torch'] * 1e3:9.3f} {row['ours'] * 1e3:8.3f}"
        line += f" {row['ours'] / row['torch']:10.2f} {row['plain'] / row['torch']:16.2f}"
        line += f" {floor * 1e3:9.3f} {row['ours'] / floor:10.2f}"
        if args.compile:
            line += f" {row['compiled'] * 1e3:11.3f} {row['compiled'] / floor:14.2f}"
        print(line)


if __name__ == "__main__":
    main()
