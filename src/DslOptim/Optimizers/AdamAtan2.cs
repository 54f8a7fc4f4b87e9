using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Adam-atan2 (notes §4.1.2, after Everett et al., 2024): Adam's moments and bias corrections, with the division
/// m̂/(√v̂ + ε) replaced by a·atan2(m̂, b·√v̂) — no ε, safe at v̂ = 0 (atan2(0, 0) = 0), and the update clipped to
/// a·π/2. m_t = β₁m_{t−1} + (1 − β₁)g, v_t = β₂v_{t−1} + (1 − β₂)g², w ← w − η_t·a·atan2(m̂_t, b·√v̂_t).
/// </summary>
/// <remarks>
/// a·atan2(m̂, b√v̂) ≈ (a/b)·m̂/√v̂ for |m̂| ≪ √v̂; the notes' footnote 4 records the authors' choice a = b = 1, the
/// defaults here. (a = 1/atan(1/b) = 4/π ≈ 1.27 for b = 1 instead matches m̂/√v̂ where |m̂| ≈ √v̂.)
/// </remarks>
[Optimizer]
public partial struct AdamAtan2
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>β₁, the first moment's decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the second moment's decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>a, the scale of the update a·atan2(m̂, b·√v̂).</summary>
    public double A { get; init; } = 1.0;

    /// <summary>b, the scale of √v̂ inside atan2.</summary>
    public double B { get; init; } = 1.0;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The first moment m_t.</summary>
    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The second moment v_t.</summary>
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;

    /// <summary>The direction a·atan2(m̂, b·√v̂) with m̂ = m/(1 − β₁^t), v̂ = v/(1 − β₂^t).</summary>
    [Preconditioner]
    public double Direction(double m, double v, long t)
        => A * Math.Atan2(m / (1 - Math.Pow(Beta1, t)), B * Math.Sqrt(v / (1 - Math.Pow(Beta2, t))));

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
