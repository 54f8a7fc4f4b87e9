using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Adam as torch.optim.Adam computes it (notes §4, Fig. 1 without weight decay; ε outside the square root):
/// m_t = β₁m_{t−1} + (1 − β₁)g, v_t = β₂v_{t−1} + (1 − β₂)g², w ← w − η·m̂_t/(√v̂_t + ε) with the bias
/// corrections m̂ = m/(1 − β₁^t), v̂ = v/(1 − β₂^t).
/// </summary>
[Optimizer]
public partial struct Adam
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>β₁, the first moment's decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the second moment's decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε, added to √v̂ (outside the square root, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The first moment m_t.</summary>
    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The second moment v_t.</summary>
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;

    /// <summary>The bias-corrected direction m̂/(√v̂ + ε).</summary>
    [Preconditioner]
    public double Direction(double m, double v, long t)
        => m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(v / (1 - Math.Pow(Beta2, t))) + Eps);

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
