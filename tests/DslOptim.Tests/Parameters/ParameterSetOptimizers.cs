using System;
using DslOptim;

namespace DslOptim.Tests.Parameters;

/// <summary>A stateless elementwise preconditioner that reads g, w and t: a soft sign with coupled weight decay.</summary>
[Optimizer]
public partial struct SoftSignDecay
{
    public double Lr { get; init; } = 0.05;
    public double Decay { get; init; } = 0.01;

    [Preconditioner] public double Direction(double g, double w, long t) => g / (1 + Math.Abs(g)) + Decay * w / Math.Sqrt(t);
    [Schedule] public double LearningRate(long t) => Lr / t;
}

/// <summary>
/// torch's clip_grad_norm_ followed by SGD, as an isotropic potential: g is scaled by min(1, ε/(s + δ)) with δ = 1e-6,
/// torch's guard. h′(s) = s for s ≤ ε − δ, ε·s/(s + δ) beyond, so h′(s)/s = min(1, ε/(s + δ)); h is its integral,
/// continuous at s₀ = ε − δ.
/// </summary>
[Optimizer]
public partial struct TorchClippedSgd
{
    public double MaxNorm { get; init; } = 100.0;
    public double Delta { get; init; } = 1e-6;
    public double Lr { get; init; } = 0.1;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= MaxNorm - Delta
        ? 0.5 * s * s
        : MaxNorm * (s - Delta * Math.Log(s + Delta)) + 0.5 * (MaxNorm - Delta) * (MaxNorm - Delta) - MaxNorm * (MaxNorm - Delta) + MaxNorm * Delta * Math.Log(MaxNorm);

    [Schedule] public double LearningRate(long t) => Lr;
}
