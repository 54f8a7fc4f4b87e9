using System;

namespace DslOptim.Optimizers;

/// <summary>
/// SGD with Nesterov momentum in its "double momentum" form (notes §2.3.1–§2.3.2) as torch.optim.SGD computes it
/// with nesterov=True and dampening 0: d = g + λw, b_t = μ·b_{t−1} + d, w ← w − η_t·(d + μ·b_t).
/// </summary>
/// <remarks>
/// The gradient is taken at the current weights, not at the look-ahead point of eqs. (28)–(31); the notes show the
/// two agree for constant μ and η (Lemma S.10). torch adds the coupled weight decay λw to the gradient first
/// (λ = 0 gives the notes' form). torch's default momentum is 0, for which torch refuses nesterov; the default here
/// is the customary 0.9.
/// </remarks>
[Optimizer]
public partial struct SgdNesterov
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>μ, the momentum coefficient, 0 ≤ μ &lt; 1.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>λ, torch's coupled weight decay: the gradient becomes g + λw before the momentum.</summary>
    public double WeightDecay { get; init; }

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The velocity b_t = μ·b_{t−1} + (g + λw), b_0 = 0 (torch's momentum_buffer).</summary>
    [State] public double B(double g, double w, double b) => Momentum * b + (g + WeightDecay * w);

    /// <summary>The double-momentum direction d = (g + λw) + μ·b_t.</summary>
    [Preconditioner] public double Direction(double g, double w, double b) => g + WeightDecay * w + Momentum * b;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
