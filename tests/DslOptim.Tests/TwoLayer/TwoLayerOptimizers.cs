using System;

namespace DslOptim.Tests.TwoLayer;

/// <summary>Plain GD (φ(z) = z²/2, so ∇K(G) = G) with the squared loss: the paper's eq. (7) on eq. (22).</summary>
[Optimizer]
public partial struct TwoLayerSquaredGd
{
    public double Eta { get; init; } = 0.01;

    [Potential(PotentialKind.Elementwise)]
    public static double Phi(double z) => 0.5 * z * z;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Plain GD with ℓ(r) = log cosh r: smooth (ℓ″ ≤ 1) but not strongly convex (inf ℓ″ = 0).</summary>
[Optimizer]
public partial struct TwoLayerLogCoshGd
{
    public double Eta { get; init; } = 0.01;

    [Preconditioner]
    public static double Direction(double g) => g;

    [Loss] public static double LogCosh(double r) => Math.Log(Math.Cosh(r));

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Plain GD with ℓ(r) = r²/2 + δ(√(δ² + r²) − δ): 1 ≤ ℓ″ ≤ 2, a hyperparameter in the loss.</summary>
[Optimizer]
public partial struct TwoLayerHuberGd
{
    public double Eta { get; init; } = 0.01;

    public double Delta { get; init; } = 1.0;

    [Potential(PotentialKind.Elementwise)]
    public static double Phi(double z) => 0.5 * z * z;

    [Loss] public double SmoothHuber(double r) => 0.5 * r * r + Delta * (Math.Sqrt(Delta * Delta + r * r) - Delta);

    [Schedule] public double LearningRate(long t) => Eta;
}
