#!/usr/bin/python3
"""Times PyTorch's versions of the steps that tests/DslOptim.Benchmarks times, for docs/performance.md (issues #5, #7).

Cases, each in float32 and float64, with torch.set_num_threads(1) and (2):
  clip       clip_grad_norm_([p], eps) then torch.optim.SGD.step()      N = 1M, 16M
  normalized in-place normalized GD: s = ||g||; p -= eta/(eps + s) * g    N = 1M, 16M
  adam       torch.optim.Adam(foreach=True).step()                        N = 1M, 16M
  linear     R = X W - Y; G = X^T R / n; W -= eta G                       (n, d, k) = (512,4096,1), (512,4096,16), (2048,8192,10)
  twolayer   issue #8's step with its certificate: R = X W1 W2^T - Y, G = X^T R, W1 -= eta G W2, W2 -= eta G^T W1,
             then svdvals of W1, W2 and W1 W2^T (sigma_min/max for Lemma A.2 and sigma_max(W))
                                                                          (n, m, h) = (10,10,4096), (10,10,65536), (64,64,16384)

Each case is warmed up, then timed over repeated steps (at least 5, up to ~1.2 s or 60 steps); the CSV gets the median
and the min-max in milliseconds.

Two allocator configurations (issue #5): glibc's default returns freed pages to the kernel after nearly every step
(large blocks are mmap'ed and munmap'ed, the heap top is trimmed), so torch's temporaries cost page faults each step;
"fair" sets MALLOC_MMAP_MAX_=0 and a large MALLOC_TRIM_THRESHOLD_ so that freed memory is reused. The environment must
be set before the process starts, so `--config fair` re-executes this script with it.

  /usr/bin/python3 reference/torch_bench.py                 # both configurations, one after the other
  /usr/bin/python3 reference/torch_bench.py --config fair   # one configuration
  /usr/bin/python3 reference/torch_bench.py --quick         # N = 1M and the two small shapes only (a smoke test)

Writes reference/bench/torch_<config>.csv (and prints it). Timings on a shared machine move between runs: compare
with DslOptim's numbers from the same session only.
"""

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import time

FAIR_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 40)}
SIZES = [1_000_000, 16_000_000]
SHAPES = [(512, 4096, 1), (512, 4096, 16), (2048, 8192, 10)]
TWO_LAYER_SHAPES = [(10, 10, 4096), (10, 10, 65536), (64, 64, 16384)]
THREADS = [1, 2]
EPS = 1.0       # clipping threshold / normalized GD's epsilon, as the C# benchmarks
ETA = 1e-3
TIME_BUDGET = 1.2   # seconds of timed steps per case
MIN_REPS, MAX_REPS = 5, 60

HERE = os.path.dirname(os.path.abspath(__file__))


def time_steps(step):
    """Warm up, then time repeated calls of step(); returns (reps, median, min, max) in ms."""
    step()  # first call: allocations, thread pool start-up
    start = time.perf_counter()
    step()  # second warm-up call, timed as the estimate
    estimate = time.perf_counter() - start
    reps = int(min(MAX_REPS, max(MIN_REPS, TIME_BUDGET / max(estimate, 1e-6))))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return reps, statistics.median(times), min(times), max(times)


def optimizer_cases(torch, dtype, n):
    gen = torch.Generator().manual_seed(42)
    g = torch.rand(n, generator=gen, dtype=dtype) - 0.5
    w0 = torch.rand(n, generator=gen, dtype=dtype)

    # clip_grad_norm_ + SGD: the norm pass, the scaling of the gradient (in place), the SGD update.
    p_clip = torch.nn.Parameter(w0.clone())
    sgd = torch.optim.SGD([p_clip], lr=ETA)

    # The gradient tensor is reused, as in a training loop. clip_grad_norm_ scales it in place each call (torch 1.13
    # multiplies by the clamped coefficient unconditionally): the first call makes ||g|| = EPS and later calls scale
    # by ~1, so every step does the same work (norm, scale, update).
    p_clip.grad = g.clone()

    def clip():
        torch.nn.utils.clip_grad_norm_([p_clip], EPS)
        sgd.step()

    # Normalized GD in place: s = ||g||, w -= eta/(eps + s) * g.
    w_norm = w0.clone()

    def normalized():
        s = torch.linalg.vector_norm(g).item()
        w_norm.add_(g, alpha=-ETA / (EPS + s))

    # Adam, foreach implementation (torch's multi-tensor path: one op per term over all parameters).
    p_adam = torch.nn.Parameter(w0.clone())
    p_adam.grad = g.clone()
    adam = torch.optim.Adam([p_adam], lr=1e-4, foreach=True)

    def adam_step():
        adam.step()

    return [("clip", clip), ("normalized", normalized), ("adam", adam_step)]


def linear_case(torch, dtype, shape):
    n, d, k = shape
    gen = torch.Generator().manual_seed(42)
    x = torch.rand(n, d, generator=gen, dtype=dtype) - 0.5
    y = torch.rand(n, k, generator=gen, dtype=dtype) - 0.5
    w = 0.01 * (torch.rand(d, k, generator=gen, dtype=dtype) - 0.5)
    eta = 1e-9

    def step():
        r = x @ w - y
        grad = x.t() @ r / n
        w.sub_(grad, alpha=eta)

    return step


def two_layer_case(torch, dtype, shape):
    """GD on L = 1/2 ||X W1 W2^T - Y||^2 (X square s = n) with the per-step certificate torch would need: singular values."""
    n, m, h = shape
    gen = torch.Generator().manual_seed(42)
    x = torch.linalg.qr(torch.randn(n, n, generator=gen, dtype=dtype))[0]
    w1 = torch.randn(n, h, generator=gen, dtype=dtype) / h ** 0.5
    w2 = torch.randn(m, h, generator=gen, dtype=dtype) / h ** 0.5
    y = x @ (w1 @ w2.t()) + 0.1 * torch.randn(n, m, generator=gen, dtype=dtype)
    eta = 1e-3

    def step():
        w = w1 @ w2.t()
        r = x @ w - y
        g = x.t() @ r
        g1 = g @ w2
        g2 = g.t() @ w1
        w1.sub_(g1, alpha=eta)
        w2.sub_(g2, alpha=eta)
        s1 = torch.linalg.svdvals(w1)
        s2 = torch.linalg.svdvals(w2)
        sw = torch.linalg.svdvals(w)
        return s1[-1].item() + s2[-1].item() + sw[0].item()

    return step


def run(config, quick, out_dir):
    import torch  # imported here: the parent of a re-exec does not need it

    sizes = SIZES[:1] if quick else SIZES
    shapes = SHAPES[:2] if quick else SHAPES
    rows = []
    started = time.perf_counter()
    print(f"# torch {torch.__version__}, python {platform.python_version()}, config {config}, "
          f"MALLOC_MMAP_MAX_={os.environ.get('MALLOC_MMAP_MAX_', '-')}, "
          f"MALLOC_TRIM_THRESHOLD_={os.environ.get('MALLOC_TRIM_THRESHOLD_', '-')}", flush=True)
    for dtype_name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        for n in sizes:
            cases = optimizer_cases(torch, dtype, n)
            for threads in THREADS:
                torch.set_num_threads(threads)
                for name, step in cases:
                    reps, med, lo, hi = time_steps(step)
                    rows.append([config, name, dtype_name, str(n), threads, reps, med, lo, hi])
                    print(f"{name:10s} {dtype_name} N={n:>9d} threads={threads}: median {med:9.3f} ms "
                          f"[{lo:.3f}, {hi:.3f}] ({reps} steps)", flush=True)
            del cases
        for shape in shapes:
            step = linear_case(torch, dtype, shape)
            for threads in THREADS:
                torch.set_num_threads(threads)
                reps, med, lo, hi = time_steps(step)
                size = "x".join(map(str, shape))
                rows.append([config, "linear", dtype_name, size, threads, reps, med, lo, hi])
                print(f"{'linear':10s} {dtype_name} {size:>13s} threads={threads}: median {med:9.3f} ms "
                      f"[{lo:.3f}, {hi:.3f}] ({reps} steps)", flush=True)
            del step
        for shape in TWO_LAYER_SHAPES[:2] if quick else TWO_LAYER_SHAPES:
            step = two_layer_case(torch, dtype, shape)
            for threads in THREADS:
                torch.set_num_threads(threads)
                reps, med, lo, hi = time_steps(step)
                size = "x".join(map(str, shape))
                rows.append([config, "twolayer", dtype_name, size, threads, reps, med, lo, hi])
                print(f"{'twolayer':10s} {dtype_name} {size:>13s} threads={threads}: median {med:9.3f} ms "
                      f"[{lo:.3f}, {hi:.3f}] ({reps} steps)", flush=True)
            del step

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"torch_{config}.csv")
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["config", "case", "dtype", "size", "threads", "steps", "median_ms", "min_ms", "max_ms"])
        for row in rows:
            writer.writerow(row[:6] + [f"{v:.4f}" for v in row[6:]])
    print(f"# wrote {path} in {time.perf_counter() - started:.0f} s "
          f"(torch {torch.__version__}, {os.cpu_count()} CPUs)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", choices=["default", "fair", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="N = 1M and the two small shapes only")
    parser.add_argument("--out", default=os.path.join(HERE, "bench"), help="output folder (default reference/bench)")
    args = parser.parse_args()

    if args.config == "both":
        for config in ("default", "fair"):
            command = [sys.executable, os.path.abspath(__file__), "--config", config, "--out", args.out]
            if args.quick:
                command.append("--quick")
            subprocess.run(command, check=True)
        return

    env_is_fair = all(os.environ.get(k) == v for k, v in FAIR_ENV.items())
    if args.config == "fair" and not env_is_fair:
        # glibc reads these variables once, at start-up: re-execute with them set.
        env = dict(os.environ, **FAIR_ENV)
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)
    if args.config == "default" and any(k in os.environ for k in FAIR_ENV):
        env = {k: v for k, v in os.environ.items() if k not in FAIR_ENV}
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)
    run(args.config, args.quick, args.out)


if __name__ == "__main__":
    main()
