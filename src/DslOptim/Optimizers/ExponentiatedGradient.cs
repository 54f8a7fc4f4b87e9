using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Exponentiated gradient on the probability simplex (notes, Appendix D, eq. (91)): mirror descent with the negative
/// entropy, w_i ← w_i·e^{−η_t g_i} / Σ_j w_j·e^{−η_t g_j}. The normalizer is a declared reduction, computed in one
/// deterministic pass over w and g before the update pass.
/// </summary>
/// <remarks>
/// The weights must start in the simplex with full support (w &gt; 0, Σ w = 1); the step keeps them there. If the
/// normalizer is not positive (w outside the simplex, or every term underflowing to 0) the step leaves w unchanged
/// rather than divide by it — the guard that lets the analysis prove the division safe (DSLOPT011).
/// </remarks>
[Optimizer]
public partial struct ExponentiatedGradient
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 0.1;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The normalizer z = Σ_j w_j·e^{−η_t g_j} of (91).</summary>
    [Reduction(ReductionKind.Sum)] public double Z(double w, double g, double lr) => w * Math.Exp(-lr * g);

    /// <summary>The mirror step's gradient: d = g.</summary>
    [Preconditioner] public double Direction(double g) => g;

    /// <summary>(91): w ← w·e^{−η_t d}/z, w unchanged when z ≤ 0.</summary>
    [Update] public double Normalized(double w, double d, double lr, double z) => z > 0 ? w * Math.Exp(-lr * d) / z : w;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
