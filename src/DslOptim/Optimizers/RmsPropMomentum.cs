using System;

namespace DslOptim.Optimizers;

/// <summary>
/// RMSProp with momentum as torch.optim.RMSprop computes it with momentum μ &gt; 0 (centered off):
/// v_t = α·v_{t−1} + (1 − α)·g², b_t = μ·b_{t−1} + g/(√v_t + ε), w ← w − η_t·b_t.
/// </summary>
/// <remarks>
/// torch's momentum accumulates the normalized gradient g/(√v + ε). The notes' "RMSProp with momentum" (§4, eq. (45))
/// is a different method: it normalizes an EMA of the gradient, m_t/√v_t with m_t = β₁m_{t−1} + (1 − β₁)g. torch's
/// default momentum is 0 (see <see cref="RmsProp"/>); the default here is the customary 0.9.
/// </remarks>
[Optimizer]
public partial struct RmsPropMomentum
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-2;

    /// <summary>α, the squared gradient's decay (torch's alpha).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>ε, added to √v (outside the square root, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>μ, the momentum of the normalized gradient.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The mean square v_t = α·v_{t−1} + (1 − α)·g², v_0 = 0 (torch's square_avg).</summary>
    [State] public double V(double g, double v) => Alpha * v + (1 - Alpha) * g * g;

    /// <summary>The momentum buffer b_t = μ·b_{t−1} + g/(√v_t + ε), b_0 = 0 (torch's momentum_buffer).</summary>
    [State] public double B(double g, double v, double b) => Momentum * b + g / (Math.Sqrt(v) + Eps);

    /// <summary>The direction d = b_t.</summary>
    [Preconditioner] public double Direction(double b) => b;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
