#!/usr/bin/env python3
"""Ratios of the step benchmarks from BenchmarkDotNet CSV reports (run.sh calls it), as markdown tables.

  python3 tests/DslOptim.Benchmarks/ratios.py bench-results/<run>/*-report.csv

Per class (ElementwiseStepBenchmarks<Single>, ...), N and Threads, from the Median column:
  kernel/floor              every Kernel method over the class's Floor (targets: <= 1.10, isotropic <= 1.15)
  reference/kernel          Naive, TensorPrimitives and Tiled over their kernel (XNaive -> XKernel), Threads = 1
                            (targets at N = 1M: naive >= 5, TensorPrimitives >= 2.5, tiled >= 1.5)
  1 thread / 2 threads      every method measured on both (Floor, Kernel, Threshold)
TwoLayerBenchmarks (per Size and Threads): step / floor, step / compute floor and compute floor / floor.
Only ratios of numbers from the same run mean anything on a shared machine.
"""

import csv
import re
import sys
from collections import defaultdict

UNITS = {"ns": 1e-6, "us": 1e-3, "μs": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1e3}
SUFFIXES = ("Naive", "TensorPrimitives", "Tiled")


def parse_ms(text):
    match = re.match(r"^\s*([0-9.,]+)\s*(ns|us|μs|µs|ms|s)\s*$", text or "")
    if not match:
        return None
    return float(match.group(1).replace(",", "")) * UNITS[match.group(2)]


def load(paths):
    rows = []
    for path in paths:
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                if "Method" not in row or "Median" not in row or "N" not in row:
                    continue  # not a step benchmark table
                if row.get("Type") == "TwoLayerBenchmarks":
                    continue  # keyed by Size, not N: see load_two_layer
                median = parse_ms(row["Median"])
                if median is None:
                    continue
                kind = row.get("Type") or path.rsplit("/", 1)[-1].split("-report")[0]
                rows.append((kind, row["Method"], row["N"], row.get("Threads", ""), median))
    return rows


def load_two_layer(paths):
    """{(size, threads, method): median ms} of TwoLayerBenchmarks (its own report or a joined one)."""
    medians = {}
    for path in paths:
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                kind = row.get("Type") or path.rsplit("/", 1)[-1].split("-report")[0]
                if not kind.endswith("TwoLayerBenchmarks") or "Size" not in row:
                    continue
                median = parse_ms(row.get("Median"))
                if median is not None:
                    medians[(row["Size"], row.get("Threads", ""), row["Method"])] = median
    return medians


def print_two_layer(medians):
    """Which bound binds the two-layer step: memory (Floor, one RMW pass) or arithmetic (ComputeFloor)."""
    print("\n### two-layer step: step / floor, step / compute floor, compute floor / floor (median)\n")
    print("| size | threads | step ms | floor ms | compute floor ms | step / floor | step / compute | compute / floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size, threads in sorted({(s, t) for s, t, _ in medians}):
        step = medians.get((size, threads, "StepWithCertificate"))
        floor = medians.get((size, threads, "Floor"))
        compute = medians.get((size, threads, "ComputeFloor"))

        def show(x):
            return f"{x:.3f}" if x else "—"

        def div(a, b):
            return f"{a / b:.2f}" if a and b else "—"

        print(f"| {size} | {threads} | {show(step)} | {show(floor)} | {show(compute)} | {div(step, floor)} | {div(step, compute)} | {div(compute, floor)} |")


def main(paths):
    rows = load(paths)
    two_layer = load_two_layer(paths)
    if not rows:
        if two_layer:
            print_two_layer(two_layer)
        else:
            print("no step benchmark rows found in", " ".join(paths))
        return
    median = {(k, m, n, t): v for k, m, n, t, v in rows}
    groups = sorted({(k, n, t) for k, _, n, t, _ in rows})

    print("### kernel / floor (median)\n")
    print("| class | N | threads | kernel | kernel ms | floor ms | ratio |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for k, n, t in groups:
        floor = median.get((k, "Floor", n, t))
        for (k2, m, n2, t2), v in sorted(median.items()):
            if (k2, n2, t2) == (k, n, t) and m.endswith("Kernel") and floor:
                print(f"| {k} | {n} | {t} | {m} | {v:.3f} | {floor:.3f} | {v / floor:.2f} |")

    print("\n### reference / kernel (median, 1 thread)\n")
    print("| class | N | reference | reference ms | kernel ms | ratio |")
    print("|---|---:|---|---:|---:|---:|")
    for (k, m, n, t), v in sorted(median.items()):
        suffix = next((s for s in SUFFIXES if m.endswith(s)), None)
        if suffix is None:
            continue
        kernel = median.get((k, m[: -len(suffix)] + "Kernel", n, t))
        if kernel:
            print(f"| {k} | {n} | {m} | {v:.3f} | {kernel:.3f} | {v / kernel:.2f} |")

    print("\n### 1 thread / 2 threads (median)\n")
    print("| class | N | method | 1 thread ms | 2 threads ms | speed-up |")
    print("|---|---:|---|---:|---:|---:|")
    for (k, m, n, t), v in sorted(median.items()):
        if t != "1":
            continue
        two = median.get((k, m, n, "2"))
        if two:
            print(f"| {k} | {n} | {m} | {v:.3f} | {two:.3f} | {v / two:.2f} |")

    if two_layer:
        print_two_layer(two_layer)


if __name__ == "__main__":
    main(sys.argv[1:])
