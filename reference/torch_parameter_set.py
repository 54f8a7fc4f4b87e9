"""Global-norm clipping over many tensors with torch, for DslOptim's ParameterSet tests.

Builds 100 parameter tensors of lengths 1 ... 10,000 whose weights and gradients are exact binary fractions
computed from integers (so the C# test rebuilds the very same doubles, see TensorFor below and
tests/DslOptim.Tests/Parameters/ParameterSetData.cs), then for each max_norm runs
torch.nn.utils.clip_grad_norm_(params, max_norm) followed by torch.optim.SGD(lr).step() in float64, and writes
parameter_set_clipping.csv: per case the total norm clip_grad_norm_ returned and, per tensor, a few weights after
the step and their sum of squares. Deterministic: nothing random is drawn, one thread.

Run: /usr/bin/python3 reference/torch_parameter_set.py
"""

import os

import torch

TENSORS = 100
MAX_LENGTH = 10_000
LR = 0.1
CASES = [("clipped", 100.0), ("unclipped", 1.0e4)]


def lengths():
    # A 31-bit LCG (the C# test uses the same recurrence): lengths 1 ... MAX_LENGTH.
    state = 12345
    out = []
    for _ in range(TENSORS):
        state = (1103515245 * state + 12345) % 2147483648
        out.append(1 + (state >> 8) % MAX_LENGTH)
    return out


def tensor_for(i, n):
    # Exact binary fractions: the C# side computes the identical doubles.
    g = [((((i + 1) * 7919 + j * 104729) % 65536) / 65536.0 - 0.5) * (1 + i % 4) for j in range(n)]
    w = [(((i + 3) * 31 + j * 17) % 1024) / 1024.0 - 0.5 for j in range(n)]
    return w, g


def main():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    print("torch", torch.__version__)
    sizes = lengths()
    here = os.path.dirname(os.path.abspath(__file__))
    rows = ["case,max_norm,total_norm,tensor,length,w_first,w_middle,w_last,w_sum_squares"]
    for name, max_norm in CASES:
        params = []
        for i, n in enumerate(sizes):
            w, g = tensor_for(i, n)
            p = torch.tensor(w, dtype=torch.float64, requires_grad=True)
            p.grad = torch.tensor(g, dtype=torch.float64)
            params.append(p)
        total = torch.nn.utils.clip_grad_norm_(params, max_norm).item()
        torch.optim.SGD(params, lr=LR).step()
        for i, p in enumerate(params):
            v = p.detach()
            n = v.numel()
            rows.append(",".join([name, repr(max_norm), repr(total), str(i), str(n), repr(v[0].item()),
                                  repr(v[n // 2].item()), repr(v[n - 1].item()), repr(torch.sum(v * v).item())]))
        print(name, "total norm", total, "clip coefficient", min(1.0, max_norm / (total + 1e-6)))
    with open(os.path.join(here, "parameter_set_clipping.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print("total elements", sum(sizes))


if __name__ == "__main__":
    main()
