#!/usr/bin/python3
"""Reference values from torch.optim for DslOptim's tests.

Run from anywhere:  /usr/bin/python3 reference/torch_reference.py
It writes, next to this file:
  schedules.csv   torch.optim.lr_scheduler values, 1,000 optimizer steps per configuration
  optimizers.csv  torch.optim trajectories on a deterministic least-squares problem, 200 steps
  problem.json    the problem (A, b, w0), the gradient's exact arithmetic, every configuration's
                  hyperparameters and the steps recorded in optimizers.csv

Everything is float64 and deterministic: nothing random is drawn, the seed is fixed anyway, one
thread. Floats are written with repr(), the shortest text that parses back to the identical double
(at most 17 significant digits). See README.md next to this file.
"""

import json
import math
import os
import platform
import sys
import warnings

import torch
from torch.optim import lr_scheduler as lrs

HERE = os.path.dirname(os.path.abspath(__file__))

torch.set_default_dtype(torch.float64)  # also makes the optimizers' scalar state tensors float64
torch.manual_seed(0)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
# SequentialLR calls scheduler.step(0) at a milestone, which warns that the epoch argument is deprecated.
warnings.filterwarnings("ignore", category=UserWarning, module="torch.optim.lr_scheduler")

SCHEDULE_STEPS = 1000
OPTIMIZER_STEPS = 200
# optimizers.csv keeps every step up to 20, then every 10th: enough to pin a trajectory, small enough to commit.
RECORDED_STEPS = list(range(0, 21)) + list(range(30, OPTIMIZER_STEPS + 1, 10))


def fmt(x):
    return repr(float(x))


# ---------------------------------------------------------------------------------------------------------
# (a) learning-rate schedules
#
# Row (name, t, lr): lr is optimizer.param_groups[0]["lr"] when optimizer step t (t = 1, 2, ...) runs, i.e.
# the scheduler's value after t - 1 calls of scheduler.step() (torch calls scheduler.step() after each
# optimizer.step()). The C# tests build the same configurations with DslOptim.Schedules; keep the two lists
# in step (tests/DslOptim.Tests/Schedules/TorchScheduleTests.cs).
# ---------------------------------------------------------------------------------------------------------

SCHEDULES = [
    # name, base lr, scheduler factory
    ("constant", 0.1, lambda o: lrs.LambdaLR(o, lambda epoch: 1.0)),
    ("step", 0.1, lambda o: lrs.StepLR(o, step_size=100, gamma=0.5)),
    ("exponential", 0.1, lambda o: lrs.ExponentialLR(o, gamma=0.995)),
    ("linear_warmup", 0.1, lambda o: lrs.LinearLR(o, start_factor=0.1, total_iters=250)),
    ("cosine", 0.1, lambda o: lrs.CosineAnnealingLR(o, T_max=999, eta_min=0.001)),
    ("cosine_zero_floor", 0.5, lambda o: lrs.CosineAnnealingLR(o, T_max=1000, eta_min=0.0)),
    ("cosine_warmup", 0.1, lambda o: lrs.SequentialLR(
        o,
        [lrs.LinearLR(o, start_factor=0.01, total_iters=100), lrs.CosineAnnealingLR(o, T_max=899, eta_min=1e-4)],
        milestones=[100])),
    # Cosine to a floor that then holds: CosineAnnealingLR alone would rise again after T_max.
    ("cosine_hold", 0.1, lambda o: lrs.SequentialLR(
        o,
        [lrs.CosineAnnealingLR(o, T_max=600, eta_min=0.002), lrs.ConstantLR(o, factor=0.02, total_iters=10**9)],
        milestones=[600])),
    ("polynomial", 0.1, lambda o: lrs.PolynomialLR(o, total_iters=800, power=2.0)),
    ("polynomial_sqrt", 0.3, lambda o: lrs.PolynomialLR(o, total_iters=1000, power=0.5)),
    ("sequential3", 0.1, lambda o: lrs.SequentialLR(
        o,
        [lrs.LinearLR(o, start_factor=0.25, total_iters=50), lrs.ExponentialLR(o, gamma=0.99),
         lrs.StepLR(o, step_size=150, gamma=0.3)],
        milestones=[50, 400])),
    ("product", 0.1, lambda o: lrs.ChainedScheduler(
        [lrs.LinearLR(o, start_factor=0.1, total_iters=100), lrs.ExponentialLR(o, gamma=0.997)])),
]


def schedule_values(lr, make, steps):
    p = torch.zeros(1, requires_grad=True)
    p.grad = torch.zeros(1)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make(opt)
    values = []
    for _ in range(steps):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return values


def write_schedules():
    path = os.path.join(HERE, "schedules.csv")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("schedule,step,lr\n")
        for name, lr, make in SCHEDULES:
            for t, value in enumerate(schedule_values(lr, make, SCHEDULE_STEPS), start=1):
                f.write(f"{name},{t},{fmt(value)}\n")
    return path


# ---------------------------------------------------------------------------------------------------------
# (b) optimizers on least squares: L(w) = ||A w - b||^2 / (2 n), gradient A^T (A w - b) / n
# ---------------------------------------------------------------------------------------------------------

N, D = 20, 10
A = [[math.sin(0.7 * (i + 1) * (j + 1)) + 0.3 * math.cos(1.3 * i - 0.4 * j) for j in range(D)] for i in range(N)]
B = [math.cos(0.5 * i) + 0.1 * (i % 3) for i in range(N)]
W0 = [0.5 * math.cos(0.9 * j + 0.2) for j in range(D)]

GRADIENT_ARITHMETIC = (
    "r_i = s_i - b_i where s_i = 0.0 then s_i += A[i][j] * w[j] for j = 0 .. d-1 in order; "
    "g_j = s_j / n where s_j = 0.0 then s_j += A[i][j] * r_i for i = 0 .. n-1 in order; "
    "each product and sum rounded to double, no fused multiply-add (plain Python floats)")


def gradient(w):
    """The exact arithmetic of GRADIENT_ARITHMETIC, so that C# can reproduce the gradient bit for bit."""
    r = []
    for i in range(N):
        s = 0.0
        for j in range(D):
            s += A[i][j] * w[j]
        r.append(s - B[i])
    g = []
    for j in range(D):
        s = 0.0
        for i in range(N):
            s += A[i][j] * r[i]
        g.append(s / N)
    return g


def loss(w):
    total = 0.0
    for i in range(N):
        s = 0.0
        for j in range(D):
            s += A[i][j] * w[j]
        total += (s - B[i]) ** 2
    return total / (2 * N)


# name, torch class, keyword arguments (written to problem.json as given), optional scheduler, note
OPTIMIZERS = [
    ("sgd", "SGD", dict(lr=0.1, foreach=False), None, "plain gradient descent"),
    ("sgd_momentum", "SGD", dict(lr=0.05, momentum=0.9, foreach=False), None,
     "heavy ball; torch's buffer starts as the first gradient (not 0), dampening 0"),
    ("sgd_nesterov_wd", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01, foreach=False), None,
     "Nesterov with coupled weight decay"),
    ("adagrad", "Adagrad", dict(lr=0.1, foreach=False), None, "defaults: lr_decay 0, eps 1e-10"),
    ("rmsprop", "RMSprop", dict(lr=0.01, foreach=False), None, "defaults: alpha 0.99, eps 1e-8"),
    ("rmsprop_momentum", "RMSprop", dict(lr=0.001, momentum=0.9, foreach=False), None, ""),
    ("rmsprop_centered", "RMSprop", dict(lr=0.005, centered=True, foreach=False), None,
     "lr 0.005, not 0.01: at 0.01 the centered variance estimate gets tiny near step 170 and rounding differences "
     "grow about 100x per 10 steps, which would make the trajectory useless as a reference"),
    ("adam", "Adam", dict(lr=0.01, foreach=False), None, "defaults: betas (0.9, 0.999), eps 1e-8"),
    ("adamw", "AdamW", dict(lr=0.01, weight_decay=0.01, foreach=False), None, "decoupled weight decay"),
    ("adam_amsgrad", "Adam", dict(lr=0.01, amsgrad=True, foreach=False), None, ""),
    ("nadam", "NAdam", dict(lr=0.01, foreach=True), None,
     "defaults: betas (0.9, 0.999), eps 1e-8, momentum_decay 4e-3. foreach=True on purpose: torch 1.13's "
     "single-tensor NAdam computes mu_product_next = mu_product * mu * mu_next (one mu too many), fixed in "
     "torch 2.0 (pytorch/pytorch#92699); the 1.13 multi-tensor path already used mu_product * mu_next"),
    ("adam_cosine_warmup", "Adam", dict(lr=0.01, foreach=False),
     ("SequentialLR(LinearLR(start_factor=0.1, total_iters=20), CosineAnnealingLR(T_max=180, eta_min=1e-4), "
      "milestones=[20])",
      lambda o: lrs.SequentialLR(
          o, [lrs.LinearLR(o, start_factor=0.1, total_iters=20), lrs.CosineAnnealingLR(o, T_max=180, eta_min=1e-4)],
          milestones=[20])),
     "Adam with a schedule, scheduler.step() after each optimizer.step()"),
]


def run_optimizer(cls_name, kwargs, schedule):
    w = torch.tensor(W0, requires_grad=True)
    opt = getattr(torch.optim, cls_name)([w], **kwargs)
    sched = schedule[1](opt) if schedule is not None else None
    trajectory = {0: list(W0)}
    lrs_used = []
    for t in range(1, OPTIMIZER_STEPS + 1):
        w.grad = torch.tensor(gradient(w.detach().tolist()))
        lrs_used.append(opt.param_groups[0]["lr"])
        opt.step()
        if sched is not None:
            sched.step()
        if t in RECORDED_STEPS:
            trajectory[t] = w.detach().tolist()
    return trajectory, lrs_used


def write_optimizers():
    csv_path = os.path.join(HERE, "optimizers.csv")
    configs = []
    with open(csv_path, "w", encoding="ascii", newline="\n") as f:
        f.write("optimizer,step,index,w\n")
        for name, cls_name, kwargs, schedule, note in OPTIMIZERS:
            trajectory, lrs_used = run_optimizer(cls_name, kwargs, schedule)
            for t in RECORDED_STEPS:
                for j, value in enumerate(trajectory[t]):
                    f.write(f"{name},{t},{j},{fmt(value)}\n")
            configs.append({
                "name": name,
                "torch": f"torch.optim.{cls_name}",
                "arguments": kwargs,
                "resolved": {k: v for k, v in torch_defaults(cls_name, kwargs).items()},
                "scheduler": schedule[0] if schedule is not None else None,
                "note": note,
                "final_loss": loss(trajectory[OPTIMIZER_STEPS]),
            })
    problem = {
        "description": "least squares L(w) = ||A w - b||^2 / (2 n), w in R^d; torch.optim in float64 for "
                       f"{OPTIMIZER_STEPS} steps from w0; optimizers.csv holds w at recorded_steps (0 = w0)",
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "n": N,
        "d": D,
        "A_formula": "A[i][j] = sin(0.7 (i+1)(j+1)) + 0.3 cos(1.3 i - 0.4 j), i, j from 0",
        "b_formula": "b[i] = cos(0.5 i) + 0.1 (i mod 3)",
        "w0_formula": "w0[j] = 0.5 cos(0.9 j + 0.2)",
        "A": A,
        "b": B,
        "w0": W0,
        "initial_loss": loss(W0),
        "gradient": GRADIENT_ARITHMETIC,
        "steps": OPTIMIZER_STEPS,
        "recorded_steps": RECORDED_STEPS,
        "optimizers": configs,
    }
    json_path = os.path.join(HERE, "problem.json")
    with open(json_path, "w", encoding="ascii", newline="\n") as f:
        json.dump(problem, f, indent=1)
        f.write("\n")
    return csv_path, json_path


def torch_defaults(cls_name, kwargs):
    """Every hyperparameter the optimizer ran with: torch's defaults overridden by kwargs."""
    probe = getattr(torch.optim, cls_name)([torch.zeros(1, requires_grad=True)], **kwargs)
    group = dict(probe.param_groups[0])
    group.pop("params")
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(group.items())}


# ---------------------------------------------------------------------------------------------------------
# Self-check: the update formulas of README.md, in plain float64 Python (no fused multiply-add, one element at
# a time, the operation order of torch 1.13's kernels), against torch's trajectories. It prints the largest
# relative deviation per configuration: what a plain re-implementation, such as DslOptim's, should expect.
# ---------------------------------------------------------------------------------------------------------

def plain_trajectory(name, cls_name, hp, lr_at):
    w = list(W0)
    zeros = [0.0] * D
    m, v, vmax, buf, ga, acc = list(zeros), list(zeros), list(zeros), None, list(zeros), list(zeros)
    mu_product = 1.0
    out = {0: list(w)}
    for t in range(1, OPTIMIZER_STEPS + 1):
        g = gradient(w)
        lr = lr_at(t)
        if cls_name == "SGD":
            wd, mom, nesterov = hp["weight_decay"], hp["momentum"], hp["nesterov"]
            d = [g[j] + wd * w[j] for j in range(D)] if wd != 0 else g
            if mom != 0:
                buf = list(d) if buf is None else [mom * buf[j] + (1 - hp["dampening"]) * d[j] for j in range(D)]
                d = [d[j] + mom * buf[j] for j in range(D)] if nesterov else buf
            w = [w[j] + (-lr) * d[j] for j in range(D)]
        elif cls_name == "Adagrad":
            clr = lr / (1 + (t - 1) * hp["lr_decay"])
            acc = [acc[j] + g[j] * g[j] for j in range(D)]
            w = [w[j] + (-clr) * g[j] / (math.sqrt(acc[j]) + hp["eps"]) for j in range(D)]
        elif cls_name == "RMSprop":
            alpha, eps, mom = hp["alpha"], hp["eps"], hp["momentum"]
            v = [alpha * v[j] + (1 - alpha) * g[j] * g[j] for j in range(D)]
            if hp["centered"]:
                ga = [alpha * ga[j] + (1 - alpha) * g[j] for j in range(D)]
                avg = [math.sqrt(v[j] - ga[j] * ga[j]) + eps for j in range(D)]
            else:
                avg = [math.sqrt(v[j]) + eps for j in range(D)]
            if mom > 0:
                buf = [mom * (buf[j] if buf else 0.0) + g[j] / avg[j] for j in range(D)]
                w = [w[j] + (-lr) * buf[j] for j in range(D)]
            else:
                w = [w[j] + (-lr) * g[j] / avg[j] for j in range(D)]
        elif cls_name in ("Adam", "AdamW", "NAdam"):
            beta1, beta2 = hp["betas"]
            eps = hp["eps"]
            if cls_name == "AdamW":
                w = [w[j] * (1 - lr * hp["weight_decay"]) for j in range(D)]
            m = [beta1 * m[j] + (1 - beta1) * g[j] for j in range(D)]
            v = [beta2 * v[j] + (1 - beta2) * g[j] * g[j] for j in range(D)]
            bc2_sqrt = math.sqrt(1 - beta2 ** t)
            if cls_name == "NAdam":
                psi = hp["momentum_decay"]
                mu = beta1 * (1. - 0.5 * (0.96 ** (t * psi)))
                mu_next = beta1 * (1. - 0.5 * (0.96 ** ((t + 1) * psi)))
                mu_product *= mu
                denom = [math.sqrt(v[j]) / bc2_sqrt + eps for j in range(D)]
                a = -(lr * (1. - mu) / (1. - mu_product))
                c = -(lr * mu_next / (1. - mu_product * mu_next))
                w = [w[j] + a * g[j] / denom[j] for j in range(D)]
                w = [w[j] + c * m[j] / denom[j] for j in range(D)]
            else:
                step_size = lr / (1 - beta1 ** t)
                if hp.get("amsgrad"):
                    vmax = [max(vmax[j], v[j]) for j in range(D)]
                    denom = [math.sqrt(vmax[j]) / bc2_sqrt + eps for j in range(D)]
                else:
                    denom = [math.sqrt(v[j]) / bc2_sqrt + eps for j in range(D)]
                w = [w[j] + (-step_size) * m[j] / denom[j] for j in range(D)]
        else:
            raise ValueError(cls_name)
        if t in RECORDED_STEPS:
            out[t] = list(w)
    return out


def check_formulas():
    print("self-check: plain float64 formulas (README.md) against torch, max |plain - torch| / max(|torch|, 1e-3):")
    for name, cls_name, kwargs, schedule, _ in OPTIMIZERS:
        trajectory, lrs_used = run_optimizer(cls_name, kwargs, schedule)
        hp = torch_defaults(cls_name, kwargs)
        plain = plain_trajectory(name, cls_name, hp, lambda t: lrs_used[t - 1])
        worst = max(abs(plain[t][j] - trajectory[t][j]) / max(abs(trajectory[t][j]), 1e-3)
                    for t in RECORDED_STEPS for j in range(D))
        print(f"  {name:20s} {worst:.2e}")


def main():
    print(f"python {platform.python_version()}, torch {torch.__version__}, float64, threads {torch.get_num_threads()}")
    for path in (write_schedules(), *write_optimizers()):
        print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")
    check_formulas()
    return 0


if __name__ == "__main__":
    sys.exit(main())
