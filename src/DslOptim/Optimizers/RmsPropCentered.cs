using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Centered RMSProp (Graves, 2013) as torch.optim.RMSprop computes it with centered=True and momentum 0:
/// v_t = α·v_{t−1} + (1 − α)·g², ḡ_t = α·ḡ_{t−1} + (1 − α)·g, w ← w − η_t·g/(√(v_t − ḡ_t²) + ε).
/// </summary>
/// <remarks>
/// v_t − ḡ_t² estimates the gradient's variance rather than its second moment (notes §4). It is non-negative in
/// exact arithmetic (both are EMAs with the same weights, and Jensen), but it can lose every significant digit when
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

    /// <summary>The diagonal preconditioner A_t⁻¹ = 1/(√(v_t − ḡ_t²) + ε) (notes §1.3.1).</summary>
    [Preconditioner] public double Direction(double v, double gAvg) => 1 / (Math.Sqrt(v - gAvg * gAvg) + Eps);

    /// <summary>w ← w − η_t·A_t⁻¹g, that is w − η_t·g/(√(v_t − ḡ_t²) + ε).</summary>
    [Update] public double Apply(double w, double g, double d, double lr) => w - lr * g * d;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
