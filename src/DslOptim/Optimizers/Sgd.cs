using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Plain stochastic gradient descent (notes §2, eq. (21)): w ← w − η_t·(g + λw), as torch.optim.SGD computes it
/// with momentum 0. λ is torch's coupled weight decay, added to the gradient (notes §4.4: for SGD it is the l₂
/// penalty λ/2·‖w‖²); it is 0 by default, which gives eq. (21) exactly.
/// </summary>
/// <remarks>
/// torch 1.13 has no default learning rate for SGD; 1e-3 is torch ≥ 2.0's. For heavy-ball and Nesterov momentum see
/// <see cref="SgdMomentum"/> and <see cref="SgdNesterov"/>.
/// </remarks>
[Optimizer]
public partial struct Sgd
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>λ, torch's coupled weight decay: the direction is g + λw.</summary>
    public double WeightDecay { get; init; }

    /// <summary>An optional learning-rate schedule: when set, η_t = <c>Schedule.At(t)</c> and <see cref="Lr"/> is not used.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The direction d = g + λw.</summary>
    [Preconditioner] public double Direction(double g, double w) => g + WeightDecay * w;

    /// <summary>η_t: <see cref="Schedule"/> at t when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => Schedule?.At(t) ?? Lr;
}
