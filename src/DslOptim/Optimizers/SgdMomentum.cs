using System;

namespace DslOptim.Optimizers;

/// <summary>
/// SGD with Polyak heavy-ball momentum (notes §2.2, eqs. (25)–(26)) as torch.optim.SGD computes it with momentum μ,
/// dampening 0 and nesterov off: d = g + λw, b_t = μ·b_{t−1} + d, w ← w − η_t·b_t.
/// </summary>
/// <remarks>
/// Where torch differs from the notes: torch adds the coupled weight decay λw to the gradient before the momentum
/// (λ = 0 gives eq. (25) exactly), and its buffer starts as the first d rather than at b_0 = 0 — the same thing
/// when the dampening is 0, as here (b_1 = μ·0 + d_1 = d_1). torch's dampening τ ≠ 0 (b_t = μb_{t−1} + (1 − τ)d,
/// but b_1 = d_1) is not offered. torch's default momentum is 0, which would make this plain SGD; the default here
/// is the customary 0.9 (the notes' §2.2 example uses 0.95).
/// </remarks>
[Optimizer]
public partial struct SgdMomentum
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>μ, the momentum (friction) coefficient, 0 ≤ μ &lt; 1.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>λ, torch's coupled weight decay: the gradient becomes g + λw before the momentum.</summary>
    public double WeightDecay { get; init; }

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The velocity b_t = μ·b_{t−1} + (g + λw), b_0 = 0 (torch's momentum_buffer).</summary>
    [State] public double B(double g, double w, double b) => Momentum * b + (g + WeightDecay * w);

    /// <summary>The direction d = b_t.</summary>
    [Preconditioner] public double Direction(double b) => b;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
