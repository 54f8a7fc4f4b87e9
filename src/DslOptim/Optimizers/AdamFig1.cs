using System;

namespace DslOptim.Optimizers;

/// <summary>
/// The full AdamW algorithm exactly as Fig. 1 of the notes (§4.6) states it, flags included:
/// m_t = β₁m_{t−1} + (1 − β₁)g, v_t = β₂v_{t−1} + (1 − β₂)g², v̄_t = v_t/(1 − β₂^t),
/// v̄max_t = max(v̄max_{t−1}, v̄_t); m̄_t = m_t/(1 − β₁^t), or with Nesterov (§4.3)
/// m̄_t = β₁/(1 − β₁^{t+1})·m_t + (1 − β₁)/(1 − β₁^t)·g; with AMSGrad v̄_t is replaced by v̄max_t;
/// η_t = s_t·η_max, λ_t = η_t·λ_max (or s_t·λ_max with DecoupledWD);
/// w ← (1 − λ_t)·w − η_t·m̄_t/√(v̄_t + ε).
/// </summary>
/// <remarks>
/// <para>
/// Where it differs from torch: ε is inside the square root (torch's Adam and AdamW add it outside: see
/// <see cref="Adam"/> and <see cref="AdamW"/>); AMSGrad takes the maximum after the bias correction (torch, and
/// <see cref="AmsGrad"/>, before, notes §4.2); Nesterov is the constant-β₁ form of §4.3, not torch's NAdam
/// (<see cref="NAdam"/>); with DecoupledWD the decay follows the schedule multiplier but not η_max (Wortsman et al.).
/// </para>
/// <para>
/// The flags are hyperparameters: 0 is off, any other value on. v̄max is kept whatever AmsGrad says, as in Fig. 1.
/// The schedule s_t ∈ [0, 1] is <see cref="Schedule"/> (s_t = 1 when null); the decoupled decay recovers it as
/// s_t = η_t/η_max, so <see cref="Lr"/> must not be 0 then. Defaults are torch AdamW's (η_max = 1e-3,
/// λ_max = 1e-2, β = (0.9, 0.999), ε = 1e-8 — inside the root, ε = 1e-8 damps like 1e-4 outside it).
/// </para>
/// </remarks>
[Optimizer]
public partial struct AdamFig1
{
    /// <summary>η_max, the maximum learning rate: η_t = s_t·η_max.</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>β₁, the first moment's decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the second moment's decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε ≥ 0, added inside the square root: √(v̄ + ε).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>λ_max, the maximum weight decay factor, 0 ≤ λ_max &lt; 1.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>The AMSGrad flag (0 off, otherwise on): v̄_t is replaced by v̄max_t.</summary>
    public double AmsGrad { get; init; }

    /// <summary>The Nesterov flag (0 off, otherwise on): m̄_t = β₁/(1 − β₁^{t+1})·m_t + (1 − β₁)/(1 − β₁^t)·g.</summary>
    public double Nesterov { get; init; }

    /// <summary>The DecoupledWD flag (0 off, otherwise on): λ_t = s_t·λ_max instead of η_t·λ_max.</summary>
    public double DecoupledWd { get; init; }

    /// <summary>The schedule multiplier s_t ∈ [0, 1] (s_t = 1 when null): η_t = s_t·η_max.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The first moment m_t = β₁m_{t−1} + (1 − β₁)g, m_0 = 0.</summary>
    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The second moment v_t = β₂v_{t−1} + (1 − β₂)g², v_0 = 0.</summary>
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;

    /// <summary>The running maximum of the corrected second moment v̄max_t = max(v̄max_{t−1}, v_t/(1 − β₂^t)), v̄max_0 = 0.</summary>
    [State] public double VMax(double v, double vMax, long t) => Math.Max(vMax, v / (1 - Math.Pow(Beta2, t)));

    /// <summary>The direction m̄_t/√(v̄_t + ε), v̄_t = v̄max_t with AMSGrad.</summary>
    [Preconditioner]
    public double Direction(double g, double m, double v, double vMax, long t) => (Nesterov != 0 ? Beta1 / (1 - Math.Pow(Beta1, t + 1.0)) * m + (1 - Beta1) / (1 - Math.Pow(Beta1, t)) * g : m / (1 - Math.Pow(Beta1, t))) / Math.Sqrt((AmsGrad != 0 ? vMax : v / (1 - Math.Pow(Beta2, t))) + Eps);

    /// <summary>w ← (1 − λ_t)·w − η_t·d.</summary>
    [Update]
    public double Apply(double w, double d, double lr)
        => (1 - (DecoupledWd != 0 ? lr / Lr * WeightDecay : lr * WeightDecay)) * w - lr * d;

    /// <summary>η_t = s_t·η_max.</summary>
    [Schedule] public double LearningRate(long t) => Lr * (Schedule?.At(t) ?? 1.0);
}
