using System;

namespace DslOptim.Benchmarks;

// The step benchmarks' other declarations (AdamWithoutMomentum and ClippedGd are in Optimizers.cs); the generator,
// referenced as an analyzer, emits their Step kernels.

/// <summary>Normalized GD (§II.A.1): isotropic, h(s) = s − ε·log(ε + s), so ∇K(G) = G/(ε + ‖G‖_F).</summary>
[Optimizer]
public partial struct NormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 1e-3;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>A declared preconditioner: the soft sign g/√(g² + δ²) (a smoothed signSGD), one square root and one division per element.</summary>
[Optimizer]
public partial struct SoftSignGd
{
    public double Delta { get; init; } = 0.1;
    public double Eta { get; init; } = 1e-3;

    [Preconditioner]
    public double Direction(double g) => g / Math.Sqrt(g * g + Delta * Delta);

    [Schedule] public double LearningRate(long t) => Eta;
}
