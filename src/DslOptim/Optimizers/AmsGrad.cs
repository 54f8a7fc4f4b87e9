using System;

namespace DslOptim.Optimizers;

/// <summary>
/// AMSGrad (notes §4.2, Reddi et al.) as torch.optim.Adam computes it with amsgrad=True: m_t and v_t as in
/// <see cref="Adam"/>, v̂max_t = max(v̂max_{t−1}, v_t), w ← w − η_t·m_t/(1 − β₁^t)/(√v̂max_t/√(1 − β₂^t) + ε).
/// </summary>
/// <remarks>
/// torch takes the maximum of the raw second moments and bias-corrects afterwards; the notes (§4.2 and Fig. 1) point
/// out that this order does not make the effective learning rate non-increasing, and take the maximum after the
/// correction instead (<see cref="AdamFig1"/> with AmsGrad = 1). The two agree once 1 − β₂^t ≈ 1. ε is outside the
/// square root, as in torch.
/// </remarks>
[Optimizer]
public partial struct AmsGrad
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>β₁, the first moment's decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the second moment's decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε, added to the corrected square root (outside it, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The first moment m_t = β₁m_{t−1} + (1 − β₁)g, m_0 = 0 (torch's exp_avg).</summary>
    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The second moment v_t = β₂v_{t−1} + (1 − β₂)g², v_0 = 0 (torch's exp_avg_sq).</summary>
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;

    /// <summary>The running maximum v̂max_t = max(v̂max_{t−1}, v_t), v̂max_0 = 0 (torch's max_exp_avg_sq).</summary>
    [State] public double VMax(double v, double vMax) => Math.Max(vMax, v);

    /// <summary>The direction m_t/(1 − β₁^t)/(√v̂max_t/√(1 − β₂^t) + ε).</summary>
    [Preconditioner]
    public double Direction(double m, double vMax, long t)
        => m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(vMax) / Math.Sqrt(1 - Math.Pow(Beta2, t)) + Eps);

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
