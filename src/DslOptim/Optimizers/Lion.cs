using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms", Alg. 2): c_t = β₁m_{t−1} + (1 − β₁)g,
/// w ← w − η_t·(sign(c_t) + λw), m_t = β₂m_{t−1} + (1 − β₂)g.
/// </summary>
/// <remarks>
/// The adaptive-learning-methods notes do not cover Lion; the dual-space preconditioning paper places it in the
/// Lion-𝒦 family (its ref. [16]), of which this is 𝒦(x) = ‖x‖₁. The interpolation c_t reads the previous m, so it is
/// declared as a state before M (a later state's name is its previous value); the weight decay is decoupled and
/// scaled by η_t as in the paper. sign(0) = 0. torch has no Lion; the defaults are the paper's (η = 1e-4,
/// β₁ = 0.9, β₂ = 0.99, λ = 0).
/// </remarks>
[Optimizer]
public partial struct Lion
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-4;

    /// <summary>β₁, the interpolation weight of the update direction.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the momentum's decay.</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>λ, the decoupled weight decay: the step is η_t·(sign(c) + λw).</summary>
    public double WeightDecay { get; init; }

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The interpolation c_t = β₁m_{t−1} + (1 − β₁)g (m is declared later, so this reads its previous value).</summary>
    [State] public double C(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The momentum m_t = β₂m_{t−1} + (1 − β₂)g, m_0 = 0.</summary>
    [State] public double M(double g, double m) => Beta2 * m + (1 - Beta2) * g;

    /// <summary>The direction sign(c_t).</summary>
    [Preconditioner] public double Direction(double c) => Math.Sign(c);

    /// <summary>w ← w − η_t·(d + λw).</summary>
    [Update] public double Decoupled(double w, double d, double lr) => w - lr * (d + WeightDecay * w);

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
