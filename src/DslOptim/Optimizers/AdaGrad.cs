using System;

namespace DslOptim.Optimizers;

/// <summary>
/// Diagonal AdaGrad (notes §3.3, eq. (44)) as torch.optim.Adagrad computes it: S_t = S_{t−1} + g²,
/// w ← w − η_t·g/(√S_t + ε), with η_t = η/(1 + (t − 1)·lr_decay).
/// </summary>
/// <remarks>
/// torch adds ε outside the square root (eq. (44) has none). torch's initial_accumulator_value is fixed at its
/// default 0 here (S_0 = 0), and its weight decay is not offered.
/// </remarks>
[Optimizer]
public partial struct AdaGrad
{
    /// <summary>The learning rate η (used when <see cref="Schedule"/> is null).</summary>
    public double Lr { get; init; } = 1e-2;

    /// <summary>torch's lr_decay: η_t = η/(1 + (t − 1)·lr_decay).</summary>
    public double LrDecay { get; init; }

    /// <summary>ε, added to √S (outside the square root, as torch does).</summary>
    public double Eps { get; init; } = 1e-10;

    /// <summary>An optional learning-rate schedule: when set, it replaces <see cref="Lr"/> (lr_decay still divides it).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The sum of squared gradients S_t = S_{t−1} + g², S_0 = 0 (torch's sum).</summary>
    [State] public double S(double g, double s) => s + g * g;

    /// <summary>The direction g/(√S_t + ε).</summary>
    [Preconditioner] public double Direction(double g, double s) => g / (Math.Sqrt(s) + Eps);

    /// <summary>η_t = η/(1 + (t − 1)·lr_decay), η from <see cref="Schedule"/> when set, else <see cref="Lr"/>.</summary>
    [Schedule] public double LearningRate(long t) => (Schedule?.At(t) ?? Lr) / (1 + (t - 1) * LrDecay);
}
