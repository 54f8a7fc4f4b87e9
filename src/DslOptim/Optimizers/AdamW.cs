using System;

namespace DslOptim.Optimizers;

/// <summary>
/// AdamW (notes §4.4, Loshchilov and Hutter) as torch.optim.AdamW computes it: first w ← w·(1 − η_t·λ), then the
/// Adam step of <see cref="Adam"/>: m_t = β₁m_{t−1} + (1 − β₁)g, v_t = β₂v_{t−1} + (1 − β₂)g²,
/// w ← w − η_t·m̂_t/(√v_t/√(1 − β₂^t) + ε) with m̂_t = m_t/(1 − β₁^t).
/// </summary>
/// <remarks>
/// torch multiplies the decay by the learning rate (λ_t = η_t·λ, Fig. 1's default, not its DecoupledWD flag) and
/// adds ε outside the square root (Fig. 1 adds it inside). The gradient does not see the decay.
/// </remarks>
[Optimizer]
public partial struct AdamW
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>β₁, the first moment's decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the second moment's decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε, added to √v̂ (outside the square root, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>λ, the decoupled weight decay: w is multiplied by 1 − η_t·λ each step.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The first moment m_t = β₁m_{t−1} + (1 − β₁)g, m_0 = 0 (torch's exp_avg).</summary>
    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The second moment v_t = β₂v_{t−1} + (1 − β₂)g², v_0 = 0 (torch's exp_avg_sq).</summary>
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;

    /// <summary>The bias-corrected direction m_t/(1 − β₁^t)/(√v_t/√(1 − β₂^t) + ε).</summary>
    [Preconditioner]
    public double Direction(double m, double v, long t)
        => m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(Beta2, t)) + Eps);

    /// <summary>w ← w·(1 − η_t·λ) − η_t·d: the decay first, then the Adam step.</summary>
    [Update] public double Decoupled(double w, double d, double lr) => w * (1 - lr * WeightDecay) - lr * d;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
