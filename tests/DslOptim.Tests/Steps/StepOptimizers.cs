using System;

namespace DslOptim.Tests.Steps;

// The four optimizers whose Step kernels are compared against scalar loops written from the paper.
// Declared as a consumer would, in the style of the generator's samples.

/// <summary>Adam without momentum: φ(z) = |z| − ε log(ε + |z|), ∇K(Z) = Z/(ε + |Z|) (paper §II.A.3, eq. 7).</summary>
[Optimizer]
public partial struct AdamWithoutMomentum
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.01;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Normalized GD: K(Z) = ‖Z‖_F − ε log(ε + ‖Z‖_F) (paper §II.A.1).</summary>
[Optimizer]
public partial struct NormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.1;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Gradient clipping as an isotropic potential (paper §II.A.2), DESIGN.md's example.</summary>
[Optimizer]
public partial struct ClippedGd
{
    public double Eps { get; init; } = 1.0;
    public double Eta { get; init; } = 0.05;

    // K(Z) = h(‖Z‖_F), declared by h on s ≥ 0
    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;   // t = 1, 2, …
}

/// <summary>A declared preconditioner with a step-dependent term and a step-dependent schedule.</summary>
[Optimizer]
public partial struct SoftSignDescent
{
    public double Delta { get; init; } = 1e-3;
    public double Lr { get; init; } = 0.01;
    public double Decay { get; init; } = 0.9;

    [Preconditioner]
    public double Direction(double g, long t) => g / (Math.Sqrt(g * g + Delta * Delta) * (1 - Math.Pow(Decay, t)));

    [Schedule] public double LearningRate(long t) => Lr / Math.Sqrt(t);
}
