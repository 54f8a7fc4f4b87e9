#!/usr/bin/env python3
"""The paired tables of docs/performance.md from the output of `DslOptim.Benchmarks.dll --paired-steps`.

  python3 tests/DslOptim.Benchmarks/paired_tables.py docs/bench/paired-steps.md > paired.md

Prints kernel / floor (with the compute floors) and reference / kernel, every ratio the median of per-round ratios.
"""

import sys

STEPS = [
    ("Adam without momentum (elementwise)", "ElementwiseStepBenchmarks", "AdamWithoutMomentum", "1.10"),
    ("soft sign (`[Preconditioner]`)", "ElementwiseStepBenchmarks", "SoftSign", "1.10"),
    ("clipping (isotropic)", "IsotropicStepBenchmarks", "Clip", "1.15"),
    ("normalized GD (isotropic)", "IsotropicStepBenchmarks", "Normalized", "1.15"),
    ("Adam (stateful, 4 arrays)", "AdamStepBenchmarks", "Adam", "1.10"),
]


def load(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 10 or not cells[2].isdigit():
            continue
        cls, t, n, threads, method, median, lo, hi, to_floor, to_kernel = cells
        rows[(cls, t, int(n), int(threads), method)] = {
            "median": median, "min": lo, "max": hi, "floor": to_floor, "kernel": to_kernel}
    return rows


def cell(r):
    return f"{r['median']} [{r['min']}–{r['max']}]" if r else "—"


def main(path):
    rows = load(path)
    sizes = sorted({key[2] for key in rows}, reverse=True)
    print("### Steps against their floor, paired\n")
    print("| step | T | N | threads | floor ms | kernel ms | kernel / floor | compute floor / floor | target |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, cls, method, target in STEPS:
        for t in ("float", "double"):
            for n in sizes:
                for threads in (1, 2):
                    floor = rows.get((cls, t, n, threads, "Floor"))
                    kernel = rows.get((cls, t, n, threads, method + "Kernel"))
                    compute = rows.get((cls, t, n, threads, method + "ComputeFloor"))
                    if kernel:
                        print(f"| {name} | {t} | {n // 1000000}M | {threads} | {cell(floor)} | {cell(kernel)} | "
                              f"{kernel['floor']} | {compute['floor'] if compute else ''} | "
                              f"{'≤ ' + target if n == 16000000 else ''} |")
    print()
    print("### Against what a careful person writes, paired (1 thread)\n")
    print("| step | T | N | kernel ms | naive / kernel | TensorPrimitives / kernel | tiled / kernel |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, cls, method, _ in STEPS:
        for t in ("float", "double"):
            for n in sorted(sizes):
                kernel = rows.get((cls, t, n, 1, method + "Kernel"))
                refs = [rows.get((cls, t, n, 1, method + s)) for s in ("Naive", "TensorPrimitives", "Tiled")]
                if kernel:
                    print(f"| {name} | {t} | {n // 1000000}M | {cell(kernel)} | "
                          + " | ".join(r["kernel"] if r else "—" for r in refs) + " |")
    print()


if __name__ == "__main__":
    main(sys.argv[1])
