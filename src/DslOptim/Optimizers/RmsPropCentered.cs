using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Centered RMSProp (Graves, 2013) as torch.optim.RMSprop computes it with centered=True and momentum 0:
/// v_t = α·v_{t−1} + (1 − α)·g², ḡ_t = α·ḡ_{t−1} + (1 − α)·g, w ← w − η_t·g/(√(v_t − ḡ_t²) + ε).
/// </summary>
/// <remarks>
/// v_t − ḡ_t² estimates the gradient's variance rather than its second moment (notes §4). It is non-negative in
/// exact arithmetic (both are sums with the same weights a_i ≥ 0, Σa_i ≤ 1, and Cauchy–Schwarz), but it can lose every significant digit when
/// the gradient's mean dominates its spread: torch's trajectories then depend on rounding, and so do these.
/// </remarks>
[Optimizer]
public partial struct RmsPropCentered
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-2;

    /// <summary>α, the decay of both averages (torch's alpha).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>ε, added to the square root (outside it, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The mean square v_t = α·v_{t−1} + (1 − α)·g², v_0 = 0 (torch's square_avg).</summary>
    [State] public double V(double g, double v) => Alpha * v + (1 - Alpha) * g * g;

    /// <summary>The mean gradient ḡ_t = α·ḡ_{t−1} + (1 − α)·g, ḡ_0 = 0 (torch's grad_avg).</summary>
    [State] public double GAvg(double g, double gAvg) => Alpha * gAvg + (1 - Alpha) * g;

    /// <summary>
    /// The direction g/(√(v_t − ḡ_t²) + ε). v_t − ḡ_t² is a variance, ≥ 0 in exact arithmetic, but rounding can make it
    /// slightly negative (torch then returns NaN); max(·, 0) keeps the kernel finite and lets DSLOPT011's interval
    /// invariants prove the domain, which cannot see the relation between v and ḡ.
    /// </summary>
    [Preconditioner] public double Direction(double g, double v, double gAvg) => g / (Math.Sqrt(Math.Max(v - gAvg * gAvg, 0)) + Eps);

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
