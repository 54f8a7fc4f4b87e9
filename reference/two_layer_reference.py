#!/usr/bin/python3
"""Reference values for the two-layer linear network theory (local-PL paper, Problem 2 with the squared loss (22)).

Written from the paper (../shared/papers/local-pl-two-layer-linear-networks.md), not from DslOptim's C#:

* Table 2's constants D(0), lambda_+-, Delta_+-, underline-Delta, beta_1, beta_2, alpha_1, alpha_2 (D(0) is the h x h
  matrix W1(0)^T W1(0) - W2(0)^T W2(0), built explicitly and diagonalised with LAPACK's eigh);
* eta_max of Theorem E.1 (roots of (87) and (88) found in 60-digit arithmetic with mpmath, plus the residuals);
* sigma_min/max of the operator T_t both by Lemma A.2 (eq. 29) and from T built as an explicit matrix;
* gradient descent (7) for 50 steps with the step-size rules: constant eta0, eq. (19) with h = rho, eq. (19) with
  h = rho-bar, recording per step L(t), eta_t, mu_t (11), K_t (12), rho (10), K-bar_t, rho-bar and the bounds (17), (20).

Conventions (also in reference/README.md and docs/two-layer-theory.md):
* the loss is l(W) = 1/2 ||X W - Y||_F^2 (paper (22)), so mu = sigma_min(X)^2, K = sigma_max(X)^2 and, X being square
  and invertible, W* = X^{-1} Y with l(W*) = 0 (Assumption 2.2);
* exp(eta^c) everywhere the proof of Theorem E.1 bounds sigma_max^2(T_t) (the printed K-bar_t and (87) show exp(sqrt(eta)),
  which is the same for c = 1/2);
* the cap of (15)/(89) is (1 + eta0^d)^(t/2) eta0 (the printed (89) has exponent 1/d; the proof, (103) and (114), uses t/2);
* bound (20) is L(t) <= L(0) prod_{k=0}^{t-1} h(eta_k, k) (the printed product starts at k = 1);
* eq. (19) with h = rho-bar is eta_t = min(cap_t, 1/K_t, 1/K-bar_t), the argmin of rho-bar (quadratic in eta, vertex
  1/K-bar_t) under the constraint (18); the printed (19) repeats the h = rho expression;
* 1/K_t is the positive root of eta K_t(eta) = 1 (K_t (12) depends on eta_t itself).

Everything is deterministic: numpy.random.default_rng(seed) per case (PCG64), seeds listed in CASES. The data itself
(X, Y, W1(0), W2(0)) is written to the JSON with repr (shortest round-trip) floats, so consumers read identical numbers.

Run: /usr/bin/python3 reference/two_layer_reference.py   (writes reference/two_layer_reference.json)
"""

import json
import math
import os
import platform
import sys

import mpmath
import numpy as np
import scipy
import scipy.linalg

mpmath.mp.dps = 60

STEPS = 50

# name, seed, s = n (X square), m, h, how X is drawn, init std of W1(0), W2(0), noise variance sigma^2 of Y,
# (c, d) pairs for eta_max, (c, d) used for the trajectories.
CASES = [
    dict(name="orth_n4_m4_h20", seed=20240601, n=4, m=4, h=20, x_kind="orthogonal", init_std=1.0,
         noise_variance=0.1, trajectory_cd=(0.5, 2.0)),
    dict(name="usv_n6_m5_h32", seed=20240602, n=6, m=5, h=32, x_kind="usv_1.8_2.3", init_std=1.0,
         noise_variance=0.5, trajectory_cd=(0.5, 2.0)),
    dict(name="orth_n10_m10_h50", seed=20240603, n=10, m=10, h=50, x_kind="orthogonal", init_std=1.0,
         noise_variance=1.0, trajectory_cd=(0.5, 1.01)),
    dict(name="usv_n8_m6_h40_small_init", seed=20240604, n=8, m=6, h=40, x_kind="usv_1.8_2.3",
         init_std=40 ** -0.5, noise_variance=0.1, trajectory_cd=(0.5, 2.0)),
]
CD_PAIRS = [(0.5, 1.01), (0.5, 2.0), (0.3, 1.5), (0.8, 3.0)]


def random_orthogonal(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))  # Haar measure


def make_data(case):
    rng = np.random.default_rng(case["seed"])
    n, m, h = case["n"], case["m"], case["h"]
    s = n
    if case["x_kind"] == "orthogonal":
        x = random_orthogonal(rng, s)
    else:  # X = U Sigma V, Sigma uniform in [1.8, 2.3] (Appendix G.2)
        u = random_orthogonal(rng, s)
        v = random_orthogonal(rng, n)
        x = u @ np.diag(rng.uniform(1.8, 2.3, size=n)) @ v
    w1 = case["init_std"] * rng.standard_normal((n, h))
    w2 = case["init_std"] * rng.standard_normal((m, h))
    eps = rng.standard_normal((s, m))
    y = x @ w1 @ w2.T + case["noise_variance"] * eps  # Y = X W1(0) W2(0)^T + sigma^2 eps (section 4)
    return x, y, w1, w2


# ---------------------------------------------------------------------------------------------------- Table 2


def table2(x, y, w1, w2, mu, k):
    n, m = w1.shape[0], w2.shape[0]
    d0 = w1.T @ w1 - w2.T @ w2  # h x h, Table 2
    ev = np.sort(np.linalg.eigvalsh(d0))[::-1]  # descending
    lam_plus = max(ev[0], 0.0)
    lam_minus = max(-ev[-1], 0.0)
    neg = np.sort(-ev)[::-1]  # eigenvalues of -D(0), descending
    lam_n = max(ev[n - 1], 0.0) if len(ev) >= n else 0.0
    lam_m_neg = max(neg[m - 1], 0.0) if len(neg) >= m else 0.0
    delta_plus = lam_plus - lam_n
    delta_minus = lam_minus - lam_m_neg
    delta_under = lam_n + lam_m_neg
    w_star = np.linalg.solve(x, y)
    sv = np.linalg.svd(w_star, compute_uv=False)
    w0 = w1 @ w2.T
    dist = np.linalg.norm(w0 - w_star)
    r = math.sqrt(k / mu)
    beta1 = max(0.0, sv[-1] - r * dist)
    beta2 = sv[0] + r * dist
    alpha1 = (-delta_plus - delta_minus + math.sqrt((delta_plus + delta_under) ** 2 + 4 * beta1 ** 2)
              + math.sqrt((delta_minus + delta_under) ** 2 + 4 * beta1 ** 2)) / 2
    alpha2 = ((lam_plus + math.sqrt(lam_plus ** 2 + 4 * beta2 ** 2)) / 2
              + (lam_minus + math.sqrt(lam_minus ** 2 + 4 * beta2 ** 2)) / 2)
    nonzero = [v for v in ev if abs(v) > 1e-12 * max(abs(ev[0]), abs(ev[-1]))]
    return dict(
        lambda_plus=lam_plus, lambda_minus=lam_minus, lambda_n=lam_n, lambda_m_neg=lam_m_neg,
        delta_plus=delta_plus, delta_minus=delta_minus, delta_under=delta_under,
        beta1=beta1, beta2=beta2, alpha1=alpha1, alpha2=alpha2,
        sigma_min_w_star=float(sv[-1]), sigma_max_w_star=float(sv[0]), initial_distance=float(dist),
        d0_nonzero_eigenvalues=[float(v) for v in nonzero],
    ), w_star


# --------------------------------------------------------------------------------------- Theorem E.1 in mpmath


class Theory:
    """Theorem E.1's quantities for fixed (mu, K, L0, alpha1, alpha2, beta2, c, d), in mpmath."""

    def __init__(self, mu, k, l0, alpha1, alpha2, beta2, c, d):
        self.mu, self.k, self.l0 = map(mpmath.mpf, (mu, k, l0))
        self.a1, self.a2, self.b2 = map(mpmath.mpf, (alpha1, alpha2, beta2))
        self.c, self.d = mpmath.mpf(c), mpmath.mpf(d)

    def mu_bar(self, e):
        return self.mu * (self.a1 + 2 * self.a2 * (1 - mpmath.exp(e ** self.c)))

    def delta_t(self, e, t):  # Delta^t with Delta = (1 + e^d) rho-bar(e, 0)
        return self.delta(e) ** t

    def k_bar(self, e, t=0):
        k, l0 = self.k, self.l0
        if t == 0:
            rb, dl = 1, 1
        else:
            rb, dl = self.rho_bar0(e) ** t, self.delta(e) ** t
        return (mpmath.sqrt(2 * k * l0 * rb) + 6 * k ** 2 * self.b2 * l0 * e ** 2 * dl
                + k * mpmath.exp(e ** self.c) * self.a2 * (1 + 3 * mpmath.sqrt(2 * k * l0 * dl) * e))

    def rho_bar0(self, e):
        mb = self.mu_bar(e)
        return 1 - 2 * mb * e + mb * self.k_bar(e, 0) * e ** 2

    def delta(self, e):
        return (1 + e ** self.d) * self.rho_bar0(e)

    def eq87(self, e):  # LHS - RHS of (87) = eta K-bar_0(eta) - 1
        return e * self.k_bar(e, 0) - 1

    def eq88_sides(self, e):
        lhs = 4 * self.k * self.l0 * e ** 2
        rhs = (1 - mpmath.exp(-(e ** self.c))) * (1 - self.delta(e))
        return lhs, rhs

    def eq88(self, e):
        lhs, rhs = self.eq88_sides(e)
        return rhs - lhs  # > 0 near 0


def bisect_mp(f, lo, hi, iterations=400):
    flo = f(lo)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def eta_max(mu, k, l0, alpha1, alpha2, beta2, c, d):
    th = Theory(mu, k, l0, alpha1, alpha2, beta2, c, d)
    # (87): eta K-bar_0(eta) is increasing from 0; the root lies below 1/(sqrt(2 K L0) + K alpha2).
    hi87 = 1 / (mpmath.sqrt(2 * th.k * th.l0) + th.k * th.a2)
    eta1 = bisect_mp(th.eq87, mpmath.mpf(0), hi87)
    # (88): smallest positive root. f = RHS - LHS > 0 near 0 and f(eta3) < 0 (mu-bar = 0 there), so scan a geometric
    # grid from eta3 * 2^-200 up to eta3 in ratio 2^(1/64) (numpy double for speed), then bisect the first sign change.
    eta3 = mpmath.log1p(th.a1 / (2 * th.a2)) ** (1 / th.c)
    grid = float(eta3) * 2.0 ** (np.arange(-200 * 64, 1) / 64.0)
    vals = eq88_numpy(grid, float(th.mu), float(th.k), float(th.l0), alpha1, alpha2, beta2, c, d)
    vals[-1] = -1.0  # f(eta3) < 0 analytically
    if not vals[0] > 0:
        raise RuntimeError("(88) is not positive at the bottom of the grid")
    first = int(np.argmax(vals <= 0))
    lo, hi = mpmath.mpf(grid[first - 1]), mpmath.mpf(grid[first])
    if first == len(grid) - 1:
        hi = eta3
    eta2 = bisect_mp(th.eq88, lo, hi)
    etam = min(eta1, eta2, eta3)
    binding = "eta1" if etam == eta1 else ("eta2" if etam == eta2 else "eta3")
    r87 = th.eq87(mpmath.mpf(float(eta1)))  # residual at the double nearest the root, relative to the RHS 1
    lhs, rhs = th.eq88_sides(mpmath.mpf(float(eta2)))
    r88 = (rhs - lhs) / max(abs(lhs), abs(rhs))
    return th, dict(c=c, d=d, eta1=float(eta1), eta2=float(eta2), eta3=float(eta3), eta_max=float(etam),
                    binding=binding, residual87=float(r87), residual88=float(r88),
                    mu_bar=float(th.mu_bar(etam)), k_bar0=float(th.k_bar(etam, 0)),
                    rho_bar0=float(th.rho_bar0(etam)), delta=float(th.delta(etam)))


def eq88_numpy(e, mu, k, l0, a1, a2, b2, c, d):
    ec = e ** c
    mb = mu * (a1 - 2 * a2 * np.expm1(ec))
    kb0 = math.sqrt(2 * k * l0) + 6 * k * k * b2 * l0 * e * e + k * np.exp(ec) * a2 * (1 + 3 * math.sqrt(2 * k * l0) * e)
    rb = 1 - mb * e * (2 - kb0 * e)
    one_minus_delta = mb * e * (2 - kb0 * e) - e ** d * rb
    return -np.expm1(-ec) * one_minus_delta - 4 * k * l0 * e * e


# ------------------------------------------------------------------------------------------------ trajectories


def explicit_t_matrix(w1, w2):
    """T: R^{n x m} -> R^{(n+m) x h}, U -> [U W2; U^T W1] (eq. 8), as a ((n+m) h) x (n m) matrix (row-major vec)."""
    n, h = w1.shape
    m = w2.shape[0]
    t = np.zeros(((n + m) * h, n * m))
    for i in range(n):
        for j in range(m):
            u = np.zeros((n, m))
            u[i, j] = 1.0
            t[:, i * m + j] = np.vstack([u @ w2, u.T @ w1]).ravel()
    return t


def sigma_t_eq29(w1, w2):
    e1 = np.linalg.eigvalsh(w1 @ w1.T)
    e2 = np.linalg.eigvalsh(w2 @ w2.T)
    return e1[0] + e2[0], e1[-1] + e2[-1]  # sigma_min^2, sigma_max^2 (Lemma A.2)


def inv_k_t(a, b, cc):
    """Positive root of eta (a + b eta + cc eta^2) = 1 in mpmath, rounded to double."""
    a, b, cc = map(mpmath.mpf, (a, b, cc))
    f = lambda e: e * (a + b * e + cc * e * e) - 1
    return float(bisect_mp(f, mpmath.mpf(0), 1 / a, 300))


def run(x, y, w1, w2, mu, k, th, eta0, c, d, schedule, in_theorem=True):
    w1, w2 = w1.copy(), w2.copy()
    l0 = None
    rec = {key: [] for key in ("loss", "eta", "mu_t", "k_t", "inv_k_t", "rho", "rho_bar", "k_bar", "cap",
                               "sigma_min_sq", "sigma_max_sq", "sigma_min_sq_explicit", "sigma_max_sq_explicit",
                               "sigma_max_w", "grad_norm_sq")}
    e0 = mpmath.mpf(eta0)
    mb = th.mu_bar(e0)
    for t in range(STEPS + 1):
        w = w1 @ w2.T
        r = x @ w - y
        loss = 0.5 * float(np.sum(r * r))
        rec["loss"].append(loss)
        if l0 is None:
            l0 = loss
        if t == STEPS:
            break
        g = x.T @ r  # grad l(W)
        g1, g2 = g @ w2, g.T @ w1  # eq. 8
        smin2, smax2 = sigma_t_eq29(w1, w2)
        sv_t = np.linalg.svd(explicit_t_matrix(w1, w2), compute_uv=False)
        smaxw = float(np.linalg.svd(w, compute_uv=False)[0])
        mu_t = mu * smin2  # (11)
        a = k * smax2 + math.sqrt(2 * k * loss)  # K_t(eta) = a + b eta + cc eta^2  (12)
        b = 3 * k * smax2 * math.sqrt(2 * k * loss)
        cc = 6 * k * k * smaxw * loss
        ik = inv_k_t(a, b, cc)
        cap = float((1 + e0 ** th.d) ** (mpmath.mpf(t) / 2) * e0)
        kbar = float(th.k_bar(e0, t)) if in_theorem else math.nan
        if schedule == "constant":
            eta = eta0
        elif schedule == "eq19_rho":
            eta = min(cap, ik)
        elif schedule == "eq19_rho_bar":
            eta = min(cap, ik, 1 / kbar)
        else:
            raise ValueError(schedule)
        k_t = a + b * eta + cc * eta * eta
        rho = 1 - 2 * mu_t * eta + mu_t * k_t * eta * eta  # (10)
        rho_bar = float(1 - 2 * mb * eta + mb * mpmath.mpf(kbar) * eta * eta) if in_theorem else math.nan
        for key, val in (("eta", eta), ("mu_t", mu_t), ("k_t", k_t), ("inv_k_t", ik), ("rho", rho),
                         ("rho_bar", rho_bar), ("k_bar", kbar), ("cap", cap), ("sigma_min_sq", smin2),
                         ("sigma_max_sq", smax2), ("sigma_min_sq_explicit", float(sv_t[-1] ** 2)),
                         ("sigma_max_sq_explicit", float(sv_t[0] ** 2)), ("sigma_max_w", smaxw),
                         ("grad_norm_sq", float(np.sum(g1 * g1) + np.sum(g2 * g2)))):
            rec[key].append(float(val))
        w1, w2 = w1 - eta * g1, w2 - eta * g2  # GD (7)
    if not in_theorem:  # eta0 > eta_max: K-bar_t, rho-bar and bound (17) are not defined by the theorem
        for key in ("k_bar", "rho_bar"):
            del rec[key]
    else:
        rb0 = th.rho_bar0(e0)
        rec["bound17"] = [float(th.l0 * rb0 ** t) for t in range(STEPS + 1)]  # L(t) <= L(0) rho-bar(eta0, 0)^t
    factors = rec["rho_bar"] if schedule == "eq19_rho_bar" else rec["rho"]
    b20 = [l0]
    for f in factors:
        b20.append(b20[-1] * f)  # L(t) <= L(0) prod_{k<t} h(eta_k, k)
    rec["bound20"] = b20
    rec["bound20_factor"] = "rho_bar" if schedule == "eq19_rho_bar" else "rho"
    return dict(schedule=schedule, c=c, d=d, eta0=eta0, steps=STEPS, **rec)


def main():
    out = dict(
        generator="reference/two_layer_reference.py",
        python=platform.python_version(), numpy=np.__version__, scipy=scipy.__version__, mpmath=mpmath.__version__,
        paper="local-pl-two-layer-linear-networks.md",
        loss="squared: l(W) = 1/2 ||X W - Y||_F^2 (paper (22)); mu = sigma_min(X)^2, K = sigma_max(X)^2",
        layout="matrices row-major, flattened: x s*n, y s*m, w1 n*h, w2 m*h, w_star n*m",
        steps=STEPS,
        cases=[],
    )
    for case in CASES:
        x, y, w1, w2 = make_data(case)
        sx = np.linalg.svd(x, compute_uv=False)
        mu, k = float(sx[-1] ** 2), float(sx[0] ** 2)
        consts, w_star = table2(x, y, w1, w2, mu, k)
        r0 = x @ w1 @ w2.T - y
        l0 = 0.5 * float(np.sum(r0 * r0))
        smin2, smax2 = sigma_t_eq29(w1, w2)
        sv_t = np.linalg.svd(explicit_t_matrix(w1, w2), compute_uv=False)
        etas = []
        theories = {}
        for c, d in CD_PAIRS:
            th, em = eta_max(mu, k, l0, consts["alpha1"], consts["alpha2"], consts["beta2"], c, d)
            etas.append(em)
            theories[(c, d)] = (th, em)
        c, d = case["trajectory_cd"]
        th, em = theories[(c, d)]
        eta0 = em["eta_max"]
        runs = [run(x, y, w1, w2, mu, k, th, eta0, c, d, sch) for sch in ("constant", "eq19_rho", "eq19_rho_bar")]
        # Outside Theorem 3.2's range (eta0 = 4 eta_max): eq. (19)'s 1/K_t branch binds from the first step.
        large = run(x, y, w1, w2, mu, k, th, 4 * eta0, c, d, "eq19_rho", in_theorem=False)
        large["eta0_over_eta_max"] = 4.0
        runs.append(large)
        for r in runs[:3]:
            r["eta0_over_eta_max"] = 1.0
        out["cases"].append(dict(
            name=case["name"], seed=case["seed"], s=case["n"], n=case["n"], m=case["m"], h=case["h"],
            x_kind=case["x_kind"], init_std=case["init_std"], noise_variance=case["noise_variance"],
            x=x.ravel().tolist(), y=y.ravel().tolist(), w1=w1.ravel().tolist(), w2=w2.ravel().tolist(),
            mu=mu, k=k, initial_loss=l0, w_star=w_star.ravel().tolist(), min_loss=0.0,
            constants=consts,
            t0=dict(sigma_min_sq_eq29=float(smin2), sigma_max_sq_eq29=float(smax2),
                    sigma_min_sq_explicit=float(sv_t[-1] ** 2), sigma_max_sq_explicit=float(sv_t[0] ** 2)),
            eta_max=etas,
            runs=runs,
        ))
        print(f"{case['name']}: mu={mu:.4g} K={k:.4g} L0={l0:.4g} alpha1={consts['alpha1']:.6g} "
              f"alpha2={consts['alpha2']:.6g} beta1={consts['beta1']:.4g} beta2={consts['beta2']:.4g}")
        print(f"   sigma^2(T0) eq29 [{smin2:.6g}, {smax2:.6g}] explicit [{sv_t[-1]**2:.6g}, {sv_t[0]**2:.6g}]"
              f"  E.3 alpha1 <= smin2: {consts['alpha1'] <= smin2 * (1 + 1e-12)}, smax2 <= alpha2: {smax2 <= consts['alpha2'] * (1 + 1e-12)}")
        for em in etas:
            print(f"   c={em['c']} d={em['d']}: eta1={em['eta1']:.6g} eta2={em['eta2']:.6g} eta3={em['eta3']:.6g} "
                  f"-> {em['binding']}; res87={em['residual87']:.1e} res88={em['residual88']:.1e} "
                  f"rho_bar0={em['rho_bar0']:.10g} Delta={em['delta']:.10g}")
        for r in runs:
            print(f"   {r['schedule']:>13}: L0={r['loss'][0]:.4g} L50={r['loss'][-1]:.4g} eta0={r['eta'][0]:.4g} "
                  f"eta49={r['eta'][-1]:.4g} inv_k49={r['inv_k_t'][-1]:.4g} bound20(50)={r['bound20'][-1]:.4g}")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "two_layer_reference.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    sys.exit(main())
