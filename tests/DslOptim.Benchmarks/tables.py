#!/usr/bin/env python3
"""The tables of docs/performance.md from one run: BenchmarkDotNet's joined CSV report and torch_bench.py's CSVs.

  python3 tests/DslOptim.Benchmarks/tables.py bench-results/<run>/*-report.csv reference/bench/torch_default.csv \
      reference/bench/torch_fair.csv > tables.md

Every time is a median with [min-max] in ms; every ratio is of medians from the same run.
"""

import csv
import re
import sys
from collections import defaultdict

UNITS = {"ns": 1e-6, "us": 1e-3, "μs": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1e3}


def ms(text):
    m = re.match(r"^\s*([0-9.,]+)\s*(ns|us|μs|µs|ms|s)\s*$", text or "")
    return float(m.group(1).replace(",", "")) * UNITS[m.group(2)] if m else None


def fmt(x):
    if x is None:
        return "—"
    return f"{x:.3g}" if x < 10 else f"{x:.1f}"


def cell(r):
    return f"{fmt(r['median'])} [{fmt(r['min'])}–{fmt(r['max'])}]" if r else "—"


def ratio(a, b):
    return f"{a['median'] / b['median']:.2f}" if a and b else "—"


def load_dotnet(path):
    rows = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            median = ms(row.get("Median"))
            if median is None:
                continue
            # A joined report has a Type column; a single class's report is named after the class.
            type_ = row.get("Type") or path.rsplit("/", 1)[-1].split("-report")[0].removeprefix("DslOptim.Benchmarks.")
            key = (type_, row["Method"], row.get("N", "?"), row.get("Size", "?"), row.get("Threads", "?"), row.get("Potential", "?"),
                   row.get("Placement", "?"))
            rows[key] = {"median": median, "min": ms(row.get("Min")), "max": ms(row.get("Max"))}
    return rows


def load_torch(paths):
    rows = {}
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                key = (row["config"], row["case"], row["dtype"], row["size"], row["threads"])
                rows[key] = {"median": float(row["median_ms"]), "min": float(row["min_ms"]), "max": float(row["max_ms"])}
    return rows


def main(paths):
    dotnet = {}
    torch_paths = []
    for p in paths:
        if p.endswith("-report.csv"):
            dotnet.update(load_dotnet(p))
        else:
            torch_paths.append(p)
    torch = load_torch(torch_paths)

    def get(type_, method, n="?", size="?", threads="?", potential="?", placement="?"):
        return dotnet.get((type_, method, str(n), size, str(threads), potential, placement))

    steps = [
        ("Adam without momentum (elementwise)", "ElementwiseStepBenchmarks", "AdamWithoutMomentum", "1.10"),
        ("soft sign (`[Preconditioner]`)", "ElementwiseStepBenchmarks", "SoftSign", "1.10"),
        ("clipping (isotropic)", "IsotropicStepBenchmarks", "Clip", "1.15"),
        ("normalized GD (isotropic)", "IsotropicStepBenchmarks", "Normalized", "1.15"),
        ("Adam (stateful, 4 arrays)", "AdamStepBenchmarks", "Adam", "1.10"),
    ]
    types = [("float", "Single"), ("double", "Double")]

    print("### Steps against their floor\n")
    print("| step | T | N | threads | floor ms | kernel ms | kernel / floor | target |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, cls, method, target in steps:
        for t, tt in types:
            for n in (16000000, 1000000):
                for threads in (1, 2):
                    floor = get(f"{cls}<{tt}>", "Floor", n, threads=threads)
                    kernel = get(f"{cls}<{tt}>", method + "Kernel", n, threads=threads)
                    if kernel:
                        print(f"| {name} | {t} | {n // 1000000}M | {threads} | {cell(floor)} | {cell(kernel)} | {ratio(kernel, floor)} | {'≤ ' + target if n == 16000000 else ''} |")
    print()

    print("### The arithmetic alone (1 thread)\n")
    print("The kernel over one cache-resident block, repeated to cover N elements (`ComputeFloor`): the bound of its square")
    print("roots and divisions with no memory traffic, beside the memory floor and the kernel.\n")
    print("| step | T | N | compute floor ms | floor ms | kernel ms | compute floor / floor | kernel / floor |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, cls, method, _ in steps:
        for t, tt in types:
            for n in (16000000, 1000000):
                compute = get(f"{cls}<{tt}>", method + "ComputeFloor", n, threads=1)
                floor = get(f"{cls}<{tt}>", "Floor", n, threads=1)
                kernel = get(f"{cls}<{tt}>", method + "Kernel", n, threads=1)
                if compute:
                    print(f"| {name} | {t} | {n // 1000000}M | {cell(compute)} | {cell(floor)} | {cell(kernel)} | {ratio(compute, floor)} | {ratio(kernel, floor)} |")
    print()

    print("### Against what a careful person writes (1 thread)\n")
    print("| step | T | N | kernel ms | naive / kernel | TensorPrimitives / kernel | tiled / kernel |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, cls, method, _ in steps:
        for t, tt in types:
            for n in (1000000, 16000000):
                kernel = get(f"{cls}<{tt}>", method + "Kernel", n, threads=1)
                refs = [get(f"{cls}<{tt}>", method + s, n, threads=1) or get(f"{cls}<{tt}>", method + s, n) for s in ("Naive", "TensorPrimitives", "Tiled")]
                if kernel:
                    print(f"| {name} | {t} | {n // 1000000}M | {cell(kernel)} | " + " | ".join(ratio(r, kernel) for r in refs) + " |")
    print()

    print("### Against PyTorch (torch 1.13, same session)\n")
    print("| step | T | N | threads | torch default ms | torch fair-malloc ms | DslOptim ms | torch fair / DslOptim |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, case, cls, method in (("clip_grad_norm_ + SGD vs clipping", "clip", "IsotropicStepBenchmarks", "ClipKernel"),
                                    ("in-place normalized GD", "normalized", "IsotropicStepBenchmarks", "NormalizedKernel"),
                                    ("Adam(foreach=True) vs Adam", "adam", "AdamStepBenchmarks", "AdamKernel")):
        for t, tt in types:
            dtype = "float32" if t == "float" else "float64"
            for n in (1000000, 16000000):
                for threads in (1, 2):
                    ours = get(f"{cls}<{tt}>", method, n, threads=threads)
                    default = torch.get(("default", case, dtype, str(n), str(threads)))
                    fair = torch.get(("fair", case, dtype, str(n), str(threads)))
                    print(f"| {name} | {t} | {n // 1000000}M | {threads} | {cell(default)} | {cell(fair)} | {cell(ours)} | {ratio(fair, ours)} |")
    print()

    print("### Linear model\n")
    print("| (n, d, k) | T | threads | fused ms | composed ms | read of X ms | torch fair ms | fused / read | composed / fused | torch / fused |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in ("512x4096x1", "2048x8192x1", "512x4096x16", "2048x8192x10"):
        for t, tt in (("float", "Float"), ("double", "Double")):
            dtype = "float32" if t == "float" else "float64"
            for threads in (1, 2):
                fused = get("LinearModelBenchmarks", "Fused" + tt, size=size, threads=threads)
                composed = get("LinearModelBenchmarks", "Composed" + tt, size=size, threads=threads)
                floor = get("LinearModelBenchmarks", "Floor" + tt, size=size, threads=threads)
                tfair = torch.get(("fair", "linear", dtype, size, str(threads)))
                print(f"| ({size.replace('x', ', ')}) | {t} | {threads} | {cell(fused)} | {cell(composed)} | {cell(floor)} | {cell(tfair)} | {ratio(fused, floor)} | {ratio(composed, fused)} | {ratio(tfair, fused)} |")
    print()

    print("### Two-layer network step with its certificate\n")
    print("Floor: one read-modify-write pass over W1 and W2 (the memory bound); compute floor: the update's 2·n·m")
    print("multiply-adds per column through the step's tile kernel on cache-resident data (the arithmetic bound).\n")
    print("| (n, m, h) | threads | step ms | floor (RMW of W1, W2) ms | compute floor ms | step / floor | step / compute floor | compute floor / floor | torch fair ms (float64) | torch / step |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in ("10x10x4096", "10x10x65536", "64x64x16384"):
        for threads in (1, 2):
            step = get("TwoLayerBenchmarks", "StepWithCertificate", size=size, threads=threads)
            floor = get("TwoLayerBenchmarks", "Floor", size=size, threads=threads)
            compute = get("TwoLayerBenchmarks", "ComputeFloor", size=size, threads=threads)
            tfair = torch.get(("fair", "twolayer", "float64", size, str(threads)))
            print(f"| ({size.replace('x', ', ')}) | {threads} | {cell(step)} | {cell(floor)} | {cell(compute)} | {ratio(step, floor)} | {ratio(step, compute)} | {ratio(compute, floor)} | {cell(tfair)} | {ratio(tfair, step)} |")
    print()

    print("### ParameterSet: 1,000 tensors against one tensor of the same total length\n")
    print("| step | threads | one tensor (set) ms | 1,000 tensors ms | ratio |")
    print("|---|---:|---:|---:|---:|")
    for step in ("Adam", "Clip"):
        for threads in (1, 2):
            one = get("ParameterSetBenchmarks", step + "OneTensorSet", threads=threads)
            many = get("ParameterSetBenchmarks", step + "ThousandTensorSet", threads=threads)
            print(f"| {step} | {threads} | {cell(one)} | {cell(many)} | {ratio(many, one)} |")
    for threads in (1, 2):
        one = get("ParameterSetBenchmarks", "ClipOneTensorSet", threads=threads)
        slices = get("ParameterSetBenchmarks", "ClipThousandSlicesSet", threads=threads)
        print(f"| Clip, the 1,000 lengths as slices of one array | {threads} | {cell(one)} | {cell(slices)} | {ratio(slices, one)} |")
    print()

    print("### Where arrays lie: Adam's access pattern, 16M doubles, 1 thread\n")
    print("| placement of w, g, m, v | floor ms | against power-of-two apart |")
    print("|---|---:|---:|")
    apart = get("ArrayPlacementBenchmarks", "AdamFloor", placement="PowerOfTwoApart")
    for placement, text in (("PowerOfTwoApart", "exactly 2²⁷ bytes apart"),
                            ("RuntimeArrays", "four `new double[N]` (where the runtime puts them)"),
                            ("StatesStaggered", "m, v staggered as `StateBuffers` does (w, g 2²⁷ apart)"),
                            ("AllStaggered", "all four staggered")):
        r = get("ArrayPlacementBenchmarks", "AdamFloor", placement=placement)
        print(f"| {text} | {cell(r)} | {ratio(r, apart)} |")
    print()

    print("### The generator and the analyzer\n")
    print("| | ms |")
    print("|---|---:|")
    for (type_, method, *_), r in sorted(dotnet.items()):
        if type_ in ("GeneratorBenchmarks", "AnalyzerBenchmarks"):
            potential = _[3] if _[3] != "?" else ""
            print(f"| {type_}.{method} {potential} | {cell(r)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
