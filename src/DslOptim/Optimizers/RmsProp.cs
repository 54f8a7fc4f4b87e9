using System;

namespace DslOptim.Optimizers;

/// <summary>
/// RMSProp without momentum (notes §4, the EMA of g² in place of AdaGrad's sum) as torch.optim.RMSprop computes it
/// with momentum 0 and centered off: v_t = α·v_{t−1} + (1 − α)·g², w ← w − η_t·g/(√v_t + ε).
/// </summary>
/// <remarks>
/// torch adds ε outside the square root and applies no bias correction. See <see cref="RmsPropMomentum"/> and
/// <see cref="RmsPropCentered"/> for torch's other two variants; torch's weight decay is not offered.
/// </remarks>
[Optimizer]
public partial struct RmsProp
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-2;

    /// <summary>α, the squared gradient's decay (torch's alpha).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>ε, added to √v (outside the square root, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The mean square v_t = α·v_{t−1} + (1 − α)·g², v_0 = 0 (torch's square_avg).</summary>
    [State] public double V(double g, double v) => Alpha * v + (1 - Alpha) * g * g;

    /// <summary>The direction g/(√v_t + ε).</summary>
    [Preconditioner] public double Direction(double g, double v) => g / (Math.Sqrt(v) + Eps);

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
