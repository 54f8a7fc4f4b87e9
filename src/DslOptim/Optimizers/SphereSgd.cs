using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Riemannian SGD on the sphere ‖w‖ = r (notes §8.1.2, eq. (72)): the gradient projected on the tangent space at w,
/// p = g − (w·g/‖w‖²)·w, a step w − η_t·p, then the retraction back to the sphere, w ← r·(w − η_t p)/‖w − η_t p‖.
/// </summary>
/// <remarks>
/// Since w·p = 0, ‖w − η_t p‖² = ‖w‖² + η_t²·(‖g‖² − (w·g)²/‖w‖²): the three declared reductions ‖w‖², w·g and ‖g‖²,
/// taken in ONE pass over w and g, give the retraction's norm before the update pass, so a step reads w and g twice
/// and writes w once. For w on the sphere this is (72) exactly; off it, the retraction still lands on it. The
/// projected norm is clamped at 0 against rounding (it is ≥ 0 by Cauchy–Schwarz); w = 0 is left unchanged (it has no
/// tangent space) — the guards that let the analysis prove the √ and divisions safe (DSLOPT011).
/// </remarks>
[Optimizer]
public partial struct SphereSgd
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 0.1;

    /// <summary>r, the sphere's radius.</summary>
    public double Radius { get; init; } = 1.0;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>‖w‖².</summary>
    [Reduction(ReductionKind.Sum)] public double Ww(double w) => w * w;

    /// <summary>w·g.</summary>
    [Reduction(ReductionKind.Sum)] public double Wg(double w, double g) => w * g;

    /// <summary>‖g‖².</summary>
    [Reduction(ReductionKind.Sum)] public double Gg(double g) => g * g;

    /// <summary>The ambient gradient: d = g (projected in the update).</summary>
    [Preconditioner] public double Direction(double g) => g;

    /// <summary>w ← r·(w − η_t p)/√(‖w‖² + η_t²‖p‖²) with p = d − (w·g/‖w‖²)·w; w = 0 unchanged.</summary>
    [Update]
    public double Retract(double w, double d, double lr, double ww, double wg, double gg)
        => ww > 0 ? Radius * (w - lr * (d - wg / ww * w)) / Math.Sqrt(ww + lr * lr * Math.Max(gg - wg * wg / ww, 0)) : w;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
