using System;

namespace DslOptim.Optimizers;

/// <summary>
/// NAdam (notes §4.3, Dozat 2016) as torch.optim.NAdam computes it (torch ≥ 2.0): with the momentum schedule
/// μ_t = β₁(1 − ½·0.96^{tψ}) and its running product Π_t = Π_{t−1}·μ_t (Π_0 = 1), m_t and v_t as in
/// <see cref="Adam"/> and den = √v_t/√(1 − β₂^t) + ε,
/// w ← w − η_t·(1 − μ_t)/(1 − Π_t)·g/den − η_t·μ_{t+1}/(1 − Π_t·μ_{t+1})·m_t/den.
/// </summary>
/// <remarks>
/// <para>
/// The notes' form (§4.3, Fig. 1's Nesterov flag) has a constant β₁: m̄_t = β₁/(1 − β₁^{t+1})·m_t + (1 − β₁)/(1 − β₁^t)·g.
/// torch follows Dozat's paper instead and warms the momentum up with the schedule μ_t (ψ = momentum_decay = 4e-3),
/// the bias corrections becoming the products of the μ's. With ψ → ∞ (μ_t = β₁) the two coincide.
/// </para>
/// <para>
/// torch 1.13's single-tensor NAdam multiplied one μ_t too many into the product of the second term (fixed in torch
/// 2.0, pytorch/pytorch#92699); this is the corrected form, which torch 1.13's foreach path already computed.
/// </para>
/// </remarks>
[Optimizer]
public partial struct NAdam
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 2e-3;

    /// <summary>β₁, the first moment's decay and the scale of the momentum schedule μ_t.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the second moment's decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε, added to the corrected square root (outside it, as torch does).</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>ψ, torch's momentum_decay: μ_t = β₁(1 − ½·0.96^{tψ}).</summary>
    public double MomentumDecay { get; init; } = 4e-3;

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The scalar product Π_t = Π_{t−1}·μ_t, Π_0 = 1 (torch's mu_product).</summary>
    [State(Initial = 1.0)]
    public double MuProduct(double muProduct, long t) => muProduct * (Beta1 * (1 - 0.5 * Math.Pow(0.96, t * MomentumDecay)));

    /// <summary>The first moment m_t = β₁m_{t−1} + (1 − β₁)g, m_0 = 0 (torch's exp_avg).</summary>
    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;

    /// <summary>The second moment v_t = β₂v_{t−1} + (1 − β₂)g², v_0 = 0 (torch's exp_avg_sq).</summary>
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;

    /// <summary>The direction ((1 − μ_t)/(1 − Π_t)·g + μ_{t+1}/(1 − Π_t·μ_{t+1})·m_t)/den.</summary>
    [Preconditioner]
    public double Direction(double g, double m, double v, double muProduct, long t) => ((1 - Beta1 * (1 - 0.5 * Math.Pow(0.96, t * MomentumDecay))) / (1 - muProduct) * g + Beta1 * (1 - 0.5 * Math.Pow(0.96, (t + 1.0) * MomentumDecay)) / (1 - muProduct * (Beta1 * (1 - 0.5 * Math.Pow(0.96, (t + 1.0) * MomentumDecay)))) * m) / (Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(Beta2, t)) + Eps);

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
